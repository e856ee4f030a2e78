package ip_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"github.com/rserpool/rserpool/internal/pcaptest"
	"github.com/rserpool/rserpool/ip"
	"github.com/rserpool/rserpool/sctp/wire"
)

var (
	a4 = netip.MustParseAddr("192.0.2.1")
	b4 = netip.MustParseAddr("192.0.2.2")
	a6 = netip.MustParseAddr("2001:db8::1")
	b6 = netip.MustParseAddr("2001:db8::2")
	t0 = time.Date(2024, 1, 2, 3, 4, 5, 6000, time.UTC)
)

// sctpPacket builds a small valid SCTP packet from sport to dport.
func sctpPacket(t *testing.T, sport, dport uint16, data string) []byte {
	t.Helper()
	var pb wire.Builder
	pb.Start(nil, wire.Header{SrcPort: sport, DstPort: dport, VTag: 7}, 1200)
	pb.Add(&wire.Data{DataFlags: wire.DataFlags{Beginning: true, Ending: true}, TSN: 1, UserData: []byte(data)})
	return pb.Finish()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// contents is everything a reader returned for one file.
type contents struct {
	frames []ip.Frame // every frame, in order
	pkts   []ip.SCTPPacket
	dgrams []ip.UDPDatagram
	bad    []*ip.FrameError
}

// readFile reads a whole capture, with the reader set up by setup when
// it is not nil. The error is the one that ended the file (nil at EOF),
// or the one that refused it.
func readFile(t *testing.T, path string, setup func(*ip.PcapReader)) (contents, error) {
	t.Helper()
	r, err := ip.OpenPcap(path)
	if err != nil {
		return contents{}, err
	}
	defer func() { must(t, r.Close()) }()
	if setup != nil {
		setup(r)
	}
	return readAll(t, r)
}

func readAll(t *testing.T, r *ip.PcapReader) (contents, error) {
	t.Helper()
	var c contents
	for {
		f, err := r.Next()
		if err == io.EOF {
			return c, nil
		}
		if err != nil {
			return c, err
		}
		if f.Index != len(c.frames)+1 {
			t.Fatalf("frame %d after %d frames", f.Index, len(c.frames))
		}
		c.frames = append(c.frames, f)
		set := 0
		for _, p := range []bool{f.Packet != nil, f.Datagram != nil, f.Err != nil} {
			if p {
				set++
			}
		}
		switch f.Kind {
		case ip.FrameSCTP:
			if f.Packet.Index != f.Index || !f.Packet.Time.Equal(f.Time) {
				t.Errorf("frame %d: packet %+v disagrees with its frame", f.Index, f.Packet)
			}
			c.pkts = append(c.pkts, *f.Packet)
		case ip.FrameUDP:
			if f.Datagram.Index != f.Index || !f.Datagram.Time.Equal(f.Time) {
				t.Errorf("frame %d: datagram %+v disagrees with its frame", f.Index, f.Datagram)
			}
			c.dgrams = append(c.dgrams, *f.Datagram)
		case ip.FrameBad:
			if f.Err.Index != f.Index {
				t.Errorf("frame %d: error %v names another frame", f.Index, f.Err)
			}
			c.bad = append(c.bad, f.Err)
		case ip.FrameOther:
			set++
		}
		if set != 1 {
			t.Errorf("frame %d of kind %v: packet %v, datagram %v, error %v", f.Index, f.Kind, f.Packet, f.Datagram, f.Err)
		}
	}
}

// kinds lists the kinds of a file's frames, for short assertions.
func (c contents) kinds() string {
	var s []string
	for _, f := range c.frames {
		s = append(s, f.Kind.String())
	}
	return strings.Join(s, " ")
}

func TestPcapReaderPorts(t *testing.T) {
	path, w, done := pcaptest.TempPcap(t)
	s1 := sctpPacket(t, 1, 2, "one")
	s2 := sctpPacket(t, 3, 4, "two")
	s3 := sctpPacket(t, 5, 6, "three")
	s4 := sctpPacket(t, 7, 8, "four")
	s5 := sctpPacket(t, 9, 10, "five")
	must(t, w.WriteSCTP(t0, a4, b4, s1))
	must(t, w.WriteSCTP(t0.Add(1), a6, b6, s2))
	must(t, w.WriteSCTPOverUDP(t0.Add(2), netip.AddrPortFrom(a4, 9899), netip.AddrPortFrom(b4, 9899), s3))
	must(t, w.WriteSCTPOverUDP(t0.Add(3), netip.AddrPortFrom(a6, 29900), netip.AddrPortFrom(b6, 9899), s4))
	// Not SCTP by port: an ASAP announcement and a datagram on another port.
	must(t, w.WriteUDP(t0.Add(4), netip.AddrPortFrom(a4, 3863), netip.AddrPortFrom(netip.MustParseAddr("239.0.0.50"), 3863), []byte("announce")))
	must(t, w.WriteSCTPOverUDP(t0.Add(5), netip.AddrPortFrom(a4, 5000), netip.AddrPortFrom(b4, 5001), s5))
	done()

	c, err := readFile(t, path, nil)
	must(t, err)
	want := []ip.SCTPPacket{
		{File: "capture.pcap", Index: 1, Time: t0, Src: netip.AddrPortFrom(a4, 1), Dst: netip.AddrPortFrom(b4, 2), SCTP: s1},
		{File: "capture.pcap", Index: 2, Time: t0.Add(1), Src: netip.AddrPortFrom(a6, 3), Dst: netip.AddrPortFrom(b6, 4), SCTP: s2},
		{File: "capture.pcap", Index: 3, Time: t0.Add(2), Encap: true, UDPSrcPort: 9899, UDPDstPort: 9899,
			Src: netip.AddrPortFrom(a4, 5), Dst: netip.AddrPortFrom(b4, 6), SCTP: s3},
		{File: "capture.pcap", Index: 4, Time: t0.Add(3), Encap: true, UDPSrcPort: 29900, UDPDstPort: 9899,
			Src: netip.AddrPortFrom(a6, 7), Dst: netip.AddrPortFrom(b6, 8), SCTP: s4},
	}
	comparePackets(t, c.pkts, want)
	if got := c.kinds(); got != "sctp sctp sctp sctp other other" {
		t.Errorf("kinds with the default ports: %s", got)
	}

	// With the other port named, the last datagram is SCTP too.
	c, err = readFile(t, path, func(r *ip.PcapReader) { r.SetSCTPPorts(9899, 5001) })
	must(t, err)
	want = append(want, ip.SCTPPacket{File: "capture.pcap", Index: 6, Time: t0.Add(5), Encap: true, UDPSrcPort: 5000, UDPDstPort: 5001,
		Src: netip.AddrPortFrom(a4, 9), Dst: netip.AddrPortFrom(b4, 10), SCTP: s5})
	comparePackets(t, c.pkts, want)

	// With no ports, only SCTP directly over IP.
	c, err = readFile(t, path, func(r *ip.PcapReader) { r.SetSCTPPorts() })
	must(t, err)
	comparePackets(t, c.pkts, want[:2])

	// Datagrams on the ports asked for, in the same pass as the SCTP
	// packets; a datagram on an SCTP port is SCTP.
	c, err = readFile(t, path, func(r *ip.PcapReader) { r.SetUDPPorts(3863, 29900) })
	must(t, err)
	comparePackets(t, c.pkts, want[:4])
	ds := c.dgrams
	if len(ds) != 1 || ds[0].Index != 5 || string(ds[0].Payload) != "announce" || ds[0].Dst.Port() != 3863 || ds[0].Src.Addr() != a4 ||
		ds[0].File != "capture.pcap" || !ds[0].Time.Equal(t0.Add(4)) {
		t.Fatalf("datagrams: %+v", ds)
	}
	if got := c.kinds(); got != "sctp sctp sctp sctp udp other" {
		t.Errorf("kinds with UDP ports: %s", got)
	}
	c, err = readFile(t, path, func(r *ip.PcapReader) { r.SetSCTPPorts(); r.SetUDPPorts(29900) })
	must(t, err)
	if ds := c.dgrams; len(ds) != 1 || ds[0].Index != 4 || !bytes.Equal(ds[0].Payload, s4) {
		t.Fatalf("datagrams on an encapsulating port: %+v", ds)
	}

	// The ports are the reader's own: changing the caller's slice later
	// changes nothing.
	ports := []uint16{3863}
	r, err := ip.OpenPcap(path)
	must(t, err)
	defer r.Close()
	r.SetUDPPorts(ports...)
	ports[0] = 1
	c, err = readAll(t, r)
	must(t, err)
	if len(c.dgrams) != 1 {
		t.Errorf("%d datagrams after the caller's slice changed", len(c.dgrams))
	}
}

func comparePackets(t *testing.T, got, want []ip.SCTPPacket) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d packets, want %d: %+v", len(got), len(want), got)
	}
	for i := range got {
		g, w := got[i], want[i]
		if !bytes.Equal(g.SCTP, w.SCTP) || !g.Time.Equal(w.Time) {
			t.Errorf("packet %d: got %+v\nwant %+v", i, g, w)
		}
		if g.File != w.File || g.Index != w.Index || g.Encap != w.Encap || g.Src != w.Src || g.Dst != w.Dst ||
			g.UDPSrcPort != w.UDPSrcPort || g.UDPDstPort != w.UDPDstPort {
			t.Errorf("packet %d: got %+v\nwant %+v", i, g, w)
		}
	}
}

// writeLink writes a pcap of the given link type with one record per
// frame.
func writeLink(t *testing.T, link layers.LinkType, frames ...[]byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "link.pcap")
	f, err := os.Create(path)
	must(t, err)
	defer f.Close()
	w := pcapgo.NewWriter(f)
	must(t, w.WriteFileHeader(65535, link))
	for _, fr := range frames {
		must(t, w.WritePacket(gopacket.CaptureInfo{Timestamp: t0, CaptureLength: len(fr), Length: len(fr)}, fr))
	}
	return path
}

// writeLink16 writes a little-endian microsecond pcap by hand, for link
// types that do not fit gopacket's 8-bit LinkType.
func writeLink16(t *testing.T, link uint16, frames ...[]byte) string {
	t.Helper()
	le := binary.LittleEndian
	b := le.AppendUint32(nil, 0xa1b2c3d4)
	b = le.AppendUint16(b, 2)
	b = le.AppendUint16(b, 4)
	b = le.AppendUint32(b, 0) // time zone
	b = le.AppendUint32(b, 0) // accuracy
	b = le.AppendUint32(b, 65535)
	b = le.AppendUint32(b, uint32(link))
	for _, fr := range frames {
		b = le.AppendUint32(b, uint32(t0.Unix()))
		b = le.AppendUint32(b, uint32(t0.Nanosecond()/1000))
		b = le.AppendUint32(b, uint32(len(fr)))
		b = le.AppendUint32(b, uint32(len(fr)))
		b = append(b, fr...)
	}
	path := filepath.Join(t.TempDir(), "link16.pcap")
	must(t, os.WriteFile(path, b, 0o644))
	return path
}

func ipv4SCTP(t *testing.T, s []byte) []byte {
	t.Helper()
	b, err := ip.AppendIPPacket(nil, a4, b4, ip.ProtoSCTP, s, 64)
	must(t, err)
	return b
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestLinkTypes(t *testing.T) {
	s := sctpPacket(t, 1, 2, "x")
	p4 := ipv4SCTP(t, s)
	p6, err := ip.AppendIPPacket(nil, a6, b6, ip.ProtoSCTP, s, 64)
	must(t, err)
	mac := []byte{2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2}
	arp := cat(mac, []byte{0x08, 0x06}, make([]byte, 28))
	// Ethernet pads short frames to 60 bytes; the IPv4 total length says
	// where the packet ends.
	padded := cat(mac, []byte{0x08, 0x00}, p4, make([]byte, 10))
	vlan := cat(mac, []byte{0x81, 0x00, 0, 5, 0x86, 0xdd}, p6)
	qinq := cat(mac, []byte{0x88, 0xa8, 0, 6, 0x81, 0x00, 0, 5, 0x08, 0x00}, p4)
	sll := cat(make([]byte, 14), []byte{0x08, 0x00}, p4)
	sll2 := cat([]byte{0x86, 0xdd}, make([]byte, 18), p6)
	sll2ARP := cat([]byte{0x08, 0x06}, make([]byte, 18), make([]byte, 28))
	null := cat([]byte{2, 0, 0, 0}, p4)
	for _, tc := range []struct {
		name  string
		path  string
		kinds string
	}{
		{"Ethernet", writeLink(t, layers.LinkTypeEthernet, arp, padded, vlan, qinq), "other sctp sctp sctp"},
		{"Linux cooked v1", writeLink(t, layers.LinkTypeLinuxSLL, sll), "sctp"},
		{"Linux cooked v2", writeLink16(t, 276, sll2, sll2ARP), "sctp other"},
		{"BSD loopback", writeLink(t, layers.LinkTypeNull, null), "sctp"},
		{"OpenBSD loopback", writeLink16(t, 108, null), "sctp"},
		{"raw", writeLink(t, layers.LinkTypeRaw, p4, p6), "sctp sctp"},
		{"raw IPv4", writeLink(t, layers.LinkTypeIPv4, p4), "sctp"},
		{"raw IPv6", writeLink(t, layers.LinkTypeIPv6, p6), "sctp"},
	} {
		c, err := readFile(t, tc.path, nil)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := c.kinds(); got != tc.kinds {
			t.Errorf("%s: frames %q, want %q (%v)", tc.name, got, tc.kinds, c.bad)
			continue
		}
		for _, p := range c.pkts {
			if !bytes.Equal(p.SCTP, s) {
				t.Errorf("%s frame %d: got % x, want % x", tc.name, p.Index, p.SCTP, s)
			}
		}
	}

	// Link-layer headers cut short are frame errors; the file goes on.
	c, err := readFile(t, writeLink(t, layers.LinkTypeEthernet, mac[:11], cat(mac, []byte{0x81, 0x00, 0, 5}), padded), nil)
	must(t, err)
	if c.kinds() != "bad bad sctp" || c.bad[0].Rule != "Ethernet header truncated" || c.bad[1].Rule != "Ethernet header truncated" {
		t.Errorf("short Ethernet frames: %s %v", c.kinds(), c.bad)
	}
	for _, tc := range []struct {
		path, rule string
	}{
		{writeLink(t, layers.LinkTypeLinuxSLL, sll[:15], sll), "Linux cooked (v1) header truncated"},
		{writeLink16(t, 276, sll2[:19], sll2), "Linux cooked (v2) header truncated"},
		{writeLink(t, layers.LinkTypeNull, null[:3], null), "loopback header truncated"},
	} {
		c, err := readFile(t, tc.path, nil)
		must(t, err)
		if c.kinds() != "bad sctp" || c.bad[0].Rule != tc.rule {
			t.Errorf("%s: %s %v", tc.rule, c.kinds(), c.bad)
		}
	}
}

func wantFrameError(t *testing.T, err error, index int, rule string) {
	t.Helper()
	var fe *ip.FrameError
	if !errors.As(err, &fe) || fe.Index != index || !strings.Contains(fe.Rule, rule) {
		t.Fatalf("got %v, want a FrameError at frame %d containing %q", err, index, rule)
	}
}

func TestFragmentsReported(t *testing.T) {
	s := sctpPacket(t, 1, 2, "fragmented")
	mf := ipv4SCTP(t, s)
	mf[6] |= 0x20 // More Fragments
	off := ipv4SCTP(t, s)
	off[6], off[7] = 0, 8 // offset 64 bytes, DF cleared
	tcp := ipv4SCTP(t, s)
	tcp[9], tcp[6] = 6, 0x20 // a TCP fragment is none of our business
	udp, err := ip.AppendUDPPacket(nil, netip.AddrPortFrom(a4, 53), netip.AddrPortFrom(b4, 53), []byte("dns"), 64)
	must(t, err)
	udp[6] |= 0x20 // a fragment of UDP on any port: the ports may be in another fragment

	// IPv6: a Fragment extension header with M set, behind a
	// destination-options header; and an atomic fragment (RFC 6946),
	// which is a whole packet.
	v6 := func(fragWord uint16) []byte {
		ext := cat([]byte{44, 0, 1, 4, 0, 0, 0, 0}, // destination options, 8 bytes of padding options
			[]byte{ip.ProtoSCTP, 0, byte(fragWord >> 8), byte(fragWord), 0, 0, 0, 1})
		b, err := ip.AppendIPPacket(nil, a6, b6, 60, cat(ext, s), 64)
		must(t, err)
		return b
	}
	good := ipv4SCTP(t, s)
	c, err := readFile(t, writeLink(t, layers.LinkTypeRaw, tcp, mf, off, v6(1), udp, v6(0), good), nil)
	must(t, err)
	if got := c.kinds(); got != "other bad bad bad bad sctp sctp" {
		t.Fatalf("frames %q", got)
	}
	wantFrameError(t, c.bad[0], 2, "fragment of an IP packet carrying SCTP; reassembly is not supported")
	wantFrameError(t, c.bad[1], 3, "fragment")
	wantFrameError(t, c.bad[2], 4, "fragment")
	wantFrameError(t, c.bad[3], 5, "fragment of an IP packet carrying UDP")
	for _, fe := range c.bad {
		if !errors.Is(fe, ip.ErrFragment) || fe.File != "link.pcap" {
			t.Errorf("%v does not match ErrFragment or names another file", fe)
		}
	}
	if c.pkts[0].Index != 6 || !bytes.Equal(c.pkts[0].SCTP, s) || c.pkts[0].Src != netip.AddrPortFrom(a6, 1) {
		t.Errorf("IPv6 atomic fragment: %+v", c.pkts[0])
	}
	if c.pkts[1].Index != 7 || !bytes.Equal(c.pkts[1].SCTP, s) {
		t.Errorf("the packet after the fragments: %+v", c.pkts[1])
	}
}

func TestMalformedFramesReported(t *testing.T) {
	s := sctpPacket(t, 1, 2, "x")
	good := ipv4SCTP(t, s)
	longer := ipv4SCTP(t, s)
	binary.BigEndian.PutUint16(longer[2:], uint16(len(longer)+1))
	shortSCTP, err := ip.AppendIPPacket(nil, a4, b4, ip.ProtoSCTP, s[:11], 64)
	must(t, err)
	shortEncap, err := ip.AppendUDPPacket(nil, netip.AddrPortFrom(a4, 9899), netip.AddrPortFrom(b4, 9899), s[:11], 64)
	must(t, err)
	badUDP, err := ip.AppendUDPPacket(nil, netip.AddrPortFrom(a4, 9899), netip.AddrPortFrom(b4, 9899), s, 64)
	must(t, err)
	binary.BigEndian.PutUint16(badUDP[ip.IPv4HeaderLen+4:], 7)
	longUDP, err := ip.AppendUDPPacket(nil, netip.AddrPortFrom(a4, 53), netip.AddrPortFrom(b4, 53), []byte("dns"), 64)
	must(t, err)
	binary.BigEndian.PutUint16(longUDP[ip.IPv4HeaderLen+4:], 12)
	ihl := ipv4SCTP(t, s)
	ihl[0] = 0x44
	v6short := make([]byte, 39)
	v6short[0] = 0x60
	p6, err := ip.AppendIPPacket(nil, a6, b6, ip.ProtoSCTP, s, 64)
	must(t, err)
	v6long := bytes.Clone(p6)
	binary.BigEndian.PutUint16(v6long[4:], uint16(len(s)+1))
	jumbo := bytes.Clone(p6)
	binary.BigEndian.PutUint16(jumbo[4:], 0)
	jumbo[6] = 0
	cases := []struct {
		name  string
		frame []byte
		rule  string
	}{
		{"total length past capture", longer, "IPv4 total length runs past the captured bytes"},
		{"SCTP shorter than its header", shortSCTP, "SCTP packet shorter than its 12-byte common header"},
		{"encapsulated SCTP shorter than its header", shortEncap, "SCTP packet shorter than its 12-byte common header"},
		{"UDP length below 8", badUDP, "UDP length below 8"},
		{"UDP length past the IP payload", longUDP, "UDP length runs past the IP payload"},
		{"IPv4 IHL below 5", ihl, "IPv4 header length below 20"},
		{"IP version", append([]byte{0x50}, good[1:]...), "IP version is neither 4 nor 6"},
		{"version zero", make([]byte, 39), "IP version is neither 4 nor 6"},
		{"empty", nil, "empty IP packet"},
		{"IPv4 header truncated", good[:19], "IPv4 header truncated"},
		{"IPv6 header truncated", v6short, "IPv6 header truncated"},
		{"IPv6 payload length past capture", v6long, "IPv6 payload length runs past the captured bytes"},
		{"IPv6 jumbogram", jumbo, "IPv6 jumbogram (payload length 0) not supported"},
	}
	// One file: a good frame, every broken one, a good one. Each broken
	// frame is reported with its rule and the reader goes on.
	frames := [][]byte{good}
	for _, tc := range cases {
		frames = append(frames, tc.frame)
	}
	frames = append(frames, good)
	c, err := readFile(t, writeLink(t, layers.LinkTypeRaw, frames...), nil)
	must(t, err)
	if len(c.pkts) != 2 || c.pkts[0].Index != 1 || c.pkts[1].Index != len(frames) || len(c.bad) != len(cases) {
		t.Fatalf("frames %s", c.kinds())
	}
	for i, tc := range cases {
		fe := c.bad[i]
		if fe.Index != i+2 || fe.Rule != tc.rule || fe.Err != nil {
			t.Errorf("%s: got %v, want frame %d: %s", tc.name, fe, i+2, tc.rule)
		}
	}
}

func TestSnapLengthTruncationReported(t *testing.T) {
	p := ipv4SCTP(t, sctpPacket(t, 1, 2, "truncated"))
	u, err := ip.AppendUDPPacket(nil, netip.AddrPortFrom(a4, 3863), netip.AddrPortFrom(b4, 3863), []byte("a long enough payload"), 64)
	must(t, err)
	path := filepath.Join(t.TempDir(), "snap.pcap")
	f, err := os.Create(path)
	must(t, err)
	w := pcapgo.NewWriter(f)
	must(t, w.WriteFileHeader(30, layers.LinkTypeRaw))
	must(t, w.WritePacket(gopacket.CaptureInfo{Timestamp: t0, CaptureLength: 30, Length: len(p)}, p[:30]))
	must(t, w.WritePacket(gopacket.CaptureInfo{Timestamp: t0, CaptureLength: 30, Length: len(u)}, u[:30]))
	must(t, f.Close())
	c, err := readFile(t, path, nil)
	must(t, err)
	if c.kinds() != "bad bad" {
		t.Fatalf("frames %s", c.kinds())
	}
	wantFrameError(t, c.bad[0], 1, "SCTP packet cut short by the capture's snapshot length")
	wantFrameError(t, c.bad[1], 2, "UDP packet cut short by the capture's snapshot length")
	for _, fe := range c.bad {
		if !errors.Is(fe, ip.ErrSnapLen) {
			t.Errorf("%v does not match ErrSnapLen", fe)
		}
	}
}

func TestFileErrors(t *testing.T) {
	dir := t.TempDir()
	ng := filepath.Join(dir, "x.pcapng")
	must(t, os.WriteFile(ng, append([]byte{0x0a, 0x0d, 0x0d, 0x0a}, make([]byte, 28)...), 0o644))
	_, err := ip.OpenPcap(ng)
	wantFrameError(t, err, 0, "pcapng files are not supported")
	junk := filepath.Join(dir, "junk.pcap")
	must(t, os.WriteFile(junk, make([]byte, 24), 0o644))
	_, err = ip.OpenPcap(junk)
	wantFrameError(t, err, 0, "not a pcap file (unknown magic number)")
	short := filepath.Join(dir, "short.pcap")
	must(t, os.WriteFile(short, []byte{0xd4, 0xc3, 0xb2, 0xa1}, 0o644))
	_, err = ip.OpenPcap(short)
	wantFrameError(t, err, 0, "too short for a pcap file header")
	// An unknown link type is refused with the header: every frame
	// would be unreadable.
	_, err = ip.OpenPcap(writeLink(t, layers.LinkTypeFDDI, []byte{1}))
	wantFrameError(t, err, 0, "unsupported link type 10")
	if err.Error() != "ip: link.pcap: unsupported link type 10" {
		t.Errorf("message %q", err)
	}
	if _, err := ip.OpenPcap(filepath.Join(dir, "missing.pcap")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := ip.OpenPcap(dir); err == nil {
		t.Error("a directory opened as a pcap file")
	}
}

// A record cut off in the middle ends the file: the frames before it are
// read, then Next reports the record, and keeps reporting it.
func TestUnreadableRecordEndsFile(t *testing.T) {
	s := sctpPacket(t, 1, 2, "x")
	b, err := os.ReadFile(writeLink(t, layers.LinkTypeRaw, ipv4SCTP(t, s), ipv4SCTP(t, s)))
	must(t, err)
	r, err := ip.NewPcapReader(bytes.NewReader(b[:len(b)-3]), "cut.pcap")
	must(t, err)
	c, err := readAll(t, r)
	if c.kinds() != "sctp" || c.pkts[0].File != "cut.pcap" {
		t.Errorf("before the cut: %s %+v", c.kinds(), c.pkts)
	}
	wantFrameError(t, err, 2, "unreadable record: unexpected EOF")
	if !errors.Is(err, io.ErrUnexpectedEOF) || err.Error() != "ip: cut.pcap frame 2: unreadable record: unexpected EOF" {
		t.Errorf("error %q does not wrap io.ErrUnexpectedEOF", err)
	}
	if _, again := r.Next(); again != err {
		t.Errorf("after the error: %v", again)
	}
	must(t, r.Close()) // nothing to close

	// At a record boundary the file simply ends, and stays ended.
	r, err = ip.NewPcapReader(bytes.NewReader(b), "whole.pcap")
	must(t, err)
	c, err = readAll(t, r)
	must(t, err)
	if _, err := r.Next(); err != io.EOF || len(c.pkts) != 2 {
		t.Errorf("after the end: %v, %d packets", err, len(c.pkts))
	}
}

func TestFrameKindString(t *testing.T) {
	for k, want := range map[ip.FrameKind]string{ip.FrameOther: "other", ip.FrameSCTP: "sctp", ip.FrameUDP: "udp", ip.FrameBad: "bad", 9: "FrameKind(9)"} {
		if k.String() != want {
			t.Errorf("%d: %q, want %q", uint8(k), k.String(), want)
		}
	}
}
