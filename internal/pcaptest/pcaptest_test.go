package pcaptest

import (
	"bytes"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

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

// The reference captures, as testdata/captures/README.md lists them.
var captureNames = []string{
	"host-usrsctp-asap-handle-resolution-udpencap.pcap",
	"kernel-client-to-usrsctp-echo_server-udpencap.pcap",
	"rsplib-asap-enrp-encap0.pcap",
	"rsplib-asap-enrp-encap9899.pcap",
	"usrsctp-client-to-kernel-echo-plain-ip.pcap",
	"usrsctp-client-to-kernel-echo-udpencap.pcap",
}

func TestCapturesAllPresent(t *testing.T) {
	var names []string
	for _, p := range Captures(t) {
		if !filepath.IsAbs(p) {
			t.Errorf("%s: not an absolute path", p)
		}
		names = append(names, filepath.Base(p))
	}
	if !slices.Equal(names, captureNames) {
		t.Errorf("captures %v, want %v", names, captureNames)
	}
}

// ReadSCTP and ReadUDP return what ip.PcapReader finds, the SCTP
// packets on the registered port and the datagrams on the one asked for.
func TestReadWholeFile(t *testing.T) {
	path, w, done := TempPcap(t)
	s1 := sctpPacket(t, 1, 2, "one")
	s2 := sctpPacket(t, 3, 4, "two")
	s3 := sctpPacket(t, 5, 6, "three")
	must(t, w.WriteSCTP(t0, a4, b4, s1))
	must(t, w.WriteSCTPOverUDP(t0.Add(1), netip.AddrPortFrom(a6, 29900), netip.AddrPortFrom(b6, 9899), s2))
	must(t, w.WriteUDP(t0.Add(2), netip.AddrPortFrom(a4, 3863), netip.AddrPortFrom(netip.MustParseAddr("239.0.0.50"), 3863), []byte("announce")))
	must(t, w.WriteSCTPOverUDP(t0.Add(3), netip.AddrPortFrom(a4, 5000), netip.AddrPortFrom(b4, 5001), s3))
	done()
	done() // twice is harmless

	pkts, err := ReadSCTP(path)
	must(t, err)
	if len(pkts) != 2 || pkts[0].Index != 1 || !bytes.Equal(pkts[0].SCTP, s1) || pkts[0].Encap ||
		pkts[1].Index != 2 || !bytes.Equal(pkts[1].SCTP, s2) || !pkts[1].Encap || pkts[1].UDPSrcPort != 29900 ||
		pkts[1].File != "capture.pcap" || !pkts[1].Time.Equal(t0.Add(1)) || pkts[1].Src != netip.AddrPortFrom(a6, 3) {
		t.Fatalf("ReadSCTP: %+v", pkts)
	}
	ds, err := ReadUDP(path, 3863)
	must(t, err)
	if len(ds) != 1 || ds[0].Index != 3 || string(ds[0].Payload) != "announce" || ds[0].Dst.Port() != 3863 || ds[0].Src.Addr() != a4 {
		t.Fatalf("ReadUDP: %+v", ds)
	}
	// On a port that carries SCTP, ReadUDP returns the datagrams all the
	// same.
	ds, err = ReadUDP(path, 29900)
	must(t, err)
	if len(ds) != 1 || ds[0].Index != 2 || !bytes.Equal(ds[0].Payload, s2) {
		t.Fatalf("ReadUDP on an encapsulating port: %+v", ds)
	}
}

// The first frame the reader cannot use fails the whole file, so that a
// test never runs on part of a capture without knowing.
func TestReadFailsOnFrameError(t *testing.T) {
	path, w, done := TempPcap(t)
	s := sctpPacket(t, 1, 2, "x")
	must(t, w.WriteSCTP(t0, a4, b4, s))
	frag, err := ip.AppendIPPacket(nil, a4, b4, ip.ProtoSCTP, s, ip.DefaultTTL)
	must(t, err)
	frag[6] |= 0x20 // More Fragments
	must(t, w.WritePacket(t0, frag))
	must(t, w.WriteSCTP(t0, a4, b4, s))
	done()
	for name, read := range map[string]func() error{
		"ReadSCTP": func() error { _, err := ReadSCTP(path); return err },
		"ReadUDP":  func() error { _, err := ReadUDP(path, 3863); return err },
	} {
		err := read()
		var fe *ip.FrameError
		if !errors.As(err, &fe) || fe.Index != 2 || !errors.Is(err, ip.ErrFragment) {
			t.Errorf("%s: %v, want the fragment at frame 2", name, err)
		}
	}

	junk := filepath.Join(t.TempDir(), "junk.pcap")
	must(t, os.WriteFile(junk, make([]byte, 24), 0o644))
	if _, err := ReadSCTP(junk); err == nil || !strings.Contains(err.Error(), "not a pcap file") {
		t.Errorf("not a pcap file: %v", err)
	}
	if _, err := ReadUDP(filepath.Join(t.TempDir(), "missing.pcap"), 3863); !errors.Is(err, os.ErrNotExist) {
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
