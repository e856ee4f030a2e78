package pcaptest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

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

func TestTempPcapRoundTrip(t *testing.T) {
	path, w, done := TempPcap(t)
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
	done() // twice is harmless

	got, err := ReadSCTP(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []Packet{
		{File: "capture.pcap", Index: 1, Time: t0, Src: netip.AddrPortFrom(a4, 1), Dst: netip.AddrPortFrom(b4, 2), SCTP: s1},
		{File: "capture.pcap", Index: 2, Time: t0.Add(1), Src: netip.AddrPortFrom(a6, 3), Dst: netip.AddrPortFrom(b6, 4), SCTP: s2},
		{File: "capture.pcap", Index: 3, Time: t0.Add(2), Encap: true, UDPSrcPort: 9899, UDPDstPort: 9899,
			Src: netip.AddrPortFrom(a4, 5), Dst: netip.AddrPortFrom(b4, 6), SCTP: s3},
		{File: "capture.pcap", Index: 4, Time: t0.Add(3), Encap: true, UDPSrcPort: 29900, UDPDstPort: 9899,
			Src: netip.AddrPortFrom(a6, 7), Dst: netip.AddrPortFrom(b6, 8), SCTP: s4},
	}
	comparePackets(t, got, want)

	// With the other port named, the last datagram is SCTP too.
	got, err = ReadSCTPPorts(path, 9899, 5001)
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, Packet{File: "capture.pcap", Index: 6, Time: t0.Add(5), Encap: true, UDPSrcPort: 5000, UDPDstPort: 5001,
		Src: netip.AddrPortFrom(a4, 9), Dst: netip.AddrPortFrom(b4, 10), SCTP: s5})
	comparePackets(t, got, want)

	// With no ports, only SCTP directly over IP.
	got, err = ReadSCTPPorts(path)
	if err != nil {
		t.Fatal(err)
	}
	comparePackets(t, got, want[:2])

	ds, err := ReadUDP(path, 3863)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Index != 5 || string(ds[0].Payload) != "announce" || ds[0].Dst.Port() != 3863 || ds[0].Src.Addr() != a4 {
		t.Fatalf("ReadUDP: %+v", ds)
	}
	ds, err = ReadUDP(path, 29900)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Index != 4 || !bytes.Equal(ds[0].Payload, s4) {
		t.Fatalf("ReadUDP on an encapsulating port: %+v", ds)
	}
}

func comparePackets(t *testing.T, got, want []Packet) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d packets, want %d: %+v", len(got), len(want), got)
	}
	for i := range got {
		g, w := got[i], want[i]
		if !bytes.Equal(g.SCTP, w.SCTP) || !g.Time.Equal(w.Time) {
			t.Errorf("packet %d: got %+v\nwant %+v", i, g, w)
		}
		g.SCTP, w.SCTP, g.Time, w.Time = nil, nil, time.Time{}, time.Time{}
		if g.File != w.File || g.Index != w.Index || g.Encap != w.Encap || g.Src != w.Src || g.Dst != w.Dst ||
			g.UDPSrcPort != w.UDPSrcPort || g.UDPDstPort != w.UDPDstPort {
			t.Errorf("packet %d: got %+v\nwant %+v", i, g, w)
		}
	}
}

// writeLink writes a pcap of the given link type with one record per
// frame (full length unless wireLen says more).
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
	sll := cat(make([]byte, 14), []byte{0x08, 0x00}, p4)
	null := cat([]byte{2, 0, 0, 0}, p4)
	for _, tc := range []struct {
		name   string
		link   layers.LinkType
		frames [][]byte
		n      int
	}{
		{"Ethernet", layers.LinkTypeEthernet, [][]byte{arp, padded, vlan}, 2},
		{"Linux cooked v1", layers.LinkTypeLinuxSLL, [][]byte{sll}, 1},
		{"BSD loopback", layers.LinkTypeNull, [][]byte{null}, 1},
		{"raw IPv4", layers.LinkTypeIPv4, [][]byte{p4}, 1},
		{"raw IPv6", layers.LinkTypeIPv6, [][]byte{p6}, 1},
	} {
		pkts, err := ReadSCTP(writeLink(t, tc.link, tc.frames...))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if len(pkts) != tc.n {
			t.Errorf("%s: %d packets, want %d", tc.name, len(pkts), tc.n)
			continue
		}
		for _, p := range pkts {
			if !bytes.Equal(p.SCTP, s) {
				t.Errorf("%s frame %d: got % x, want % x", tc.name, p.Index, p.SCTP, s)
			}
		}
	}
}

func wantFrameError(t *testing.T, err error, index int, rule string) {
	t.Helper()
	var fe *FrameError
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

	_, err := ReadSCTP(writeLink(t, layers.LinkTypeRaw, tcp, mf))
	wantFrameError(t, err, 2, "fragment")
	if !errors.Is(err, ErrFragment) {
		t.Fatalf("%v does not match ErrFragment", err)
	}
	_, err = ReadSCTP(writeLink(t, layers.LinkTypeRaw, off))
	if !errors.Is(err, ErrFragment) {
		t.Fatalf("non-zero fragment offset: %v", err)
	}

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
	_, err = ReadSCTP(writeLink(t, layers.LinkTypeRaw, v6(1)))
	if !errors.Is(err, ErrFragment) {
		t.Fatalf("IPv6 fragment: %v", err)
	}
	pkts, err := ReadSCTP(writeLink(t, layers.LinkTypeRaw, v6(0)))
	if err != nil || len(pkts) != 1 || !bytes.Equal(pkts[0].SCTP, s) {
		t.Fatalf("IPv6 atomic fragment: %v, %+v", err, pkts)
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
	ihl := ipv4SCTP(t, s)
	ihl[0] = 0x44
	for _, tc := range []struct {
		name  string
		frame []byte
		rule  string
	}{
		{"total length past capture", longer, "IPv4 total length runs past the captured bytes"},
		{"SCTP shorter than its header", shortSCTP, "SCTP packet shorter than its 12-byte common header"},
		{"encapsulated SCTP shorter than its header", shortEncap, "SCTP packet shorter than its 12-byte common header"},
		{"UDP length below 8", badUDP, "UDP length below 8"},
		{"IPv4 IHL below 5", ihl, "IPv4 header length below 20"},
		{"IP version", append([]byte{0x50}, good[1:]...), "IP version is neither 4 nor 6"},
		{"version zero", make([]byte, 39), "IP version is neither 4 nor 6"},
	} {
		_, err := ReadSCTP(writeLink(t, layers.LinkTypeRaw, good, tc.frame))
		var fe *FrameError
		if !errors.As(err, &fe) || fe.Index != 2 || fe.Rule != tc.rule && !strings.HasPrefix(fe.Rule, tc.rule) {
			t.Errorf("%s: got %v, want frame 2: %s", tc.name, err, tc.rule)
		}
	}
	v6 := make([]byte, 39)
	v6[0] = 0x60
	_, err = ReadSCTP(writeLink(t, layers.LinkTypeRaw, v6))
	wantFrameError(t, err, 1, "IPv6 header truncated")
}

func TestSnapLengthTruncationReported(t *testing.T) {
	p := ipv4SCTP(t, sctpPacket(t, 1, 2, "truncated"))
	path := filepath.Join(t.TempDir(), "snap.pcap")
	f, err := os.Create(path)
	must(t, err)
	w := pcapgo.NewWriter(f)
	must(t, w.WriteFileHeader(30, layers.LinkTypeRaw))
	must(t, w.WritePacket(gopacket.CaptureInfo{Timestamp: t0, CaptureLength: 30, Length: len(p)}, p[:30]))
	must(t, f.Close())
	_, err = ReadSCTP(path)
	wantFrameError(t, err, 1, "SCTP packet cut short by the capture's snapshot length")
}

func TestFileErrors(t *testing.T) {
	dir := t.TempDir()
	ng := filepath.Join(dir, "x.pcapng")
	must(t, os.WriteFile(ng, append([]byte{0x0a, 0x0d, 0x0d, 0x0a}, make([]byte, 28)...), 0o644))
	_, err := ReadSCTP(ng)
	wantFrameError(t, err, 0, "pcapng files are not supported")
	junk := filepath.Join(dir, "junk.pcap")
	must(t, os.WriteFile(junk, make([]byte, 24), 0o644))
	_, err = ReadSCTP(junk)
	wantFrameError(t, err, 0, "not a pcap file")
	_, err = ReadSCTP(writeLink(t, layers.LinkTypeFDDI, []byte{1}))
	wantFrameError(t, err, 1, "unsupported link type 10")
	if _, err := ReadSCTP(filepath.Join(dir, "missing.pcap")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestTsharkReadsTempPcap(t *testing.T) {
	path, w, done := TempPcap(t)
	must(t, w.WriteSCTP(t0, a6, b6, sctpPacket(t, 1, 2, "hello")))
	done()
	out := Tshark(t, "-r", path, "-T", "fields", "-e", "frame.protocols")
	if strings.TrimSpace(out) != "raw:ipv6:sctp:data" {
		t.Fatalf("tshark: %q", out)
	}
}
