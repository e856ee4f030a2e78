package tun

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"

	"github.com/rserpool/rserpool/ip"
	"github.com/rserpool/rserpool/sctp/lower"
)

func TestReadDelivers(t *testing.T) {
	c, kernel := fakeDevice(t, 1500, local4, local6)
	p4, p6 := sctpBytes(40, 1), sctpBytes(28, 2)
	// IPv6 with a Destination Options header in front of SCTP.
	opts := []byte{ip.ProtoSCTP, 0, 1, 4, 0, 0, 0, 0}
	v6 := ipPacket(t, peer6, local6, 60, append(opts, p6...))
	kernelSend(t, kernel, ipPacket(t, peer4, local4, ip.ProtoSCTP, p4), v6)
	got := readBatch(t, c, 4, 1500)
	if len(got) != 2 {
		t.Fatalf("%d packets, want both in one batch", len(got))
	}
	want := []lower.Packet{
		{Buf: p4, Src: netip.AddrPortFrom(peer4, 0), Dst: netip.AddrPortFrom(local4, 0)},
		{Buf: p6, Src: netip.AddrPortFrom(peer6, 0), Dst: netip.AddrPortFrom(local6, 0)},
	}
	for i := range want {
		if !bytes.Equal(got[i].Buf, want[i].Buf) || got[i].Src != want[i].Src || got[i].Dst != want[i].Dst {
			t.Errorf("packet %d: % x %v -> %v; want % x %v -> %v", i, got[i].Buf, got[i].Src, got[i].Dst, want[i].Buf, want[i].Src, want[i].Dst)
		}
	}
	if s := c.Stats(); s.Received != 2 || s.Dropped() != 0 {
		t.Fatalf("stats %+v", s)
	}
}

// A batch smaller than what is ready takes what fits; the rest waits for
// the next call.
func TestReadBatchSize(t *testing.T) {
	c, kernel := fakeDevice(t, 1500, local4)
	for i := range 3 {
		kernelSend(t, kernel, ipPacket(t, peer4, local4, ip.ProtoSCTP, sctpBytes(12, byte(i))))
	}
	if got := readBatch(t, c, 2, 1500); len(got) != 2 || got[0].Buf[0] != 0 || got[1].Buf[0] != 1 {
		t.Fatalf("first batch %v", got)
	}
	if got := readBatch(t, c, 2, 1500); len(got) != 1 || got[0].Buf[0] != 2 {
		t.Fatalf("second batch %v", got)
	}
}

// Each kind of unwanted packet is dropped and counted under its own name;
// ReadBatch returns only the good one behind them.
func TestReadDrops(t *testing.T) {
	c, kernel := fakeDevice(t, 1500, local4, local6)
	good := sctpBytes(12, 0x55)
	badSum := ipPacket(t, peer4, local4, ip.ProtoSCTP, good)
	badSum[10] ^= 0xff
	mf := fixChecksum(ipPacket(t, peer4, local4, ip.ProtoSCTP, good))
	mf[6] = 0x20 // More Fragments, DF cleared
	fixChecksum(mf)
	frag6 := ipPacket(t, peer6, local6, 44, append([]byte{ip.ProtoSCTP, 0, 0, 1, 0, 0, 0, 9}, good...))
	kernelSend(t, kernel,
		[]byte{0x45, 0, 0},     // Malformed: truncated
		[]byte{0x75, 0, 0, 20}, // Malformed: version 7
		badSum,                 // BadChecksum
		ipPacket(t, peer4, local4, ip.ProtoUDP, good), // NotSCTP
		ipPacket(t, peer6, local6, 58, good),          // NotSCTP: ICMPv6
		mf,                                            // Fragments
		frag6,                                         // Fragments
		ipPacket(t, peer4, local4b, ip.ProtoSCTP, good),             // NotLocal
		ipPacket(t, peer6, peer6, ip.ProtoSCTP, good),               // NotLocal
		ipPacket(t, peer4, local4, ip.ProtoSCTP, make([]byte, 101)), // TooLarge for 100
		ipPacket(t, peer4, local4, ip.ProtoSCTP, good),
	)
	got := readBatch(t, c, 1, 100)
	if len(got) != 1 || !bytes.Equal(got[0].Buf, good) {
		t.Fatalf("got %v", got)
	}
	want := Stats{Received: 1, Malformed: 2, BadChecksum: 1, NotSCTP: 2, Fragments: 2, NotLocal: 2, TooLarge: 1}
	if s := c.Stats(); s != want {
		t.Fatalf("stats\n%+v, want\n%+v", s, want)
	}
	if d := c.Stats().Dropped(); d != 10 {
		t.Fatalf("Dropped %d, want 10", d)
	}
}

// Close wakes a blocked ReadBatch, and later calls fail, with ErrClosed.
func TestCloseWakesReader(t *testing.T) {
	c, _ := fakeDevice(t, 1500, local4)
	done := make(chan error)
	go func() {
		_, err := c.ReadBatch([]lower.Packet{{Buf: make([]byte, 0, 1500)}})
		done <- err
	}()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, lower.ErrClosed) {
		t.Fatalf("blocked ReadBatch: %v, want ErrClosed", err)
	}
	if _, err := c.ReadBatch([]lower.Packet{{Buf: make([]byte, 0, 1500)}}); !errors.Is(err, lower.ErrClosed) {
		t.Fatalf("ReadBatch after Close: %v", err)
	}
	if n, err := c.WriteBatch([]lower.Packet{{Buf: sctpBytes(12, 0), Dst: netip.AddrPortFrom(peer4, 0)}}); n != 0 || !errors.Is(err, lower.ErrClosed) {
		t.Fatalf("WriteBatch after Close: %d, %v", n, err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestMTUAndLocalAddrs(t *testing.T) {
	c4, _ := fakeDevice(t, 1500, local4)
	if c4.MTU() != 1480 {
		t.Fatalf("IPv4 only: MTU %d, want 1480", c4.MTU())
	}
	c6, _ := fakeDevice(t, 1500, local4, local6)
	if c6.MTU() != 1460 {
		t.Fatalf("with IPv6: MTU %d, want 1460", c6.MTU())
	}
	want := []netip.AddrPort{netip.AddrPortFrom(local4, 0), netip.AddrPortFrom(local6, 0)}
	got := c6.LocalAddrs()
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("LocalAddrs %v, want %v", got, want)
	}
	got[0] = netip.AddrPort{}
	if c6.LocalAddrs()[0] != want[0] {
		t.Fatal("LocalAddrs returned the Conn's own slice")
	}
}

// A packet written and read back through two fake devices keeps its bytes
// and addresses.
func TestRoundTrip(t *testing.T) {
	a, ka := fakeDevice(t, 1500, local4, local6)
	b, kb := fakeDevice(t, 1500, peer4, peer6)
	for _, pair := range [][2]netip.Addr{{local4, peer4}, {local6, peer6}} {
		payload := sctpBytes(100, 7)
		if _, err := a.WriteBatch([]lower.Packet{{Buf: payload, Src: netip.AddrPortFrom(pair[0], 0), Dst: netip.AddrPortFrom(pair[1], 0)}}); err != nil {
			t.Fatal(err)
		}
		kernelSend(t, kb, kernelRecv(t, ka))
		got := readBatch(t, b, 1, b.MTU())
		if !bytes.Equal(got[0].Buf, payload) || got[0].Src.Addr() != pair[0] || got[0].Dst.Addr() != pair[1] {
			t.Fatalf("got % x %v -> %v", got[0].Buf, got[0].Src, got[0].Dst)
		}
	}
}
