package tun_test

import (
	"bytes"
	"errors"
	"net"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/rserpool/rserpool/internal/pcaptest"
	"github.com/rserpool/rserpool/sctp/capture"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/wire"
	"github.com/rserpool/rserpool/tun"
	"github.com/rserpool/rserpool/tun/tuntest"
	"github.com/vishvananda/netlink"
)

// initPacket is a valid SCTP packet carrying an INIT chunk.
func initPacket(t *testing.T, tag wire.VTag) []byte {
	t.Helper()
	var pb wire.Builder
	pb.Start(nil, wire.Header{SrcPort: 5000, DstPort: 5001}, 1200)
	if !pb.Add(&wire.Init{InitiateTag: tag, ARwnd: 65536, OutStreams: 1, InStreams: 1, InitialTSN: 1}) {
		t.Fatal("INIT does not fit")
	}
	return pb.Finish()
}

// readOne waits for the next SCTP packet on c. The time limit only turns
// a packet that never comes into a failure instead of a hang.
func readOne(t *testing.T, c *tun.Conn) lower.Packet {
	t.Helper()
	type result struct {
		p   lower.Packet
		err error
	}
	ch := make(chan result, 1)
	go func() {
		pkts := []lower.Packet{{Buf: make([]byte, 0, c.MTU())}}
		_, err := c.ReadBatch(pkts)
		ch <- result{pkts[0], err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatal(r.err)
		}
		return r.p
	case <-time.After(10 * time.Second):
		t.Fatalf("no packet on %s within 10s", c.Name())
	}
	return lower.Packet{}
}

// exchange sends an INIT each way between two addresses of the pair and
// checks each arrives whole with its addresses.
func exchange(t *testing.T, p *tuntest.Pair, a, b netip.Addr) {
	t.Helper()
	for i, dir := range []struct {
		from, to *tun.Conn
		src, dst netip.Addr
	}{{p.A, p.B, a, b}, {p.B, p.A, b, a}} {
		pkt := initPacket(t, wire.VTag(100+i))
		src, dst := netip.AddrPortFrom(dir.src, 0), netip.AddrPortFrom(dir.dst, 0)
		if n, err := dir.from.WriteBatch([]lower.Packet{{Buf: pkt, Src: src, Dst: dst}}); n != 1 || err != nil {
			t.Fatal(n, err)
		}
		got := readOne(t, dir.to)
		if !bytes.Equal(got.Buf, pkt) || got.Src != src || got.Dst != dst {
			t.Fatalf("%s got % x %v -> %v; want % x %v -> %v", dir.to.Name(), got.Buf, got.Src, got.Dst, pkt, src, dst)
		}
		if !wire.VerifyChecksum(got.Buf) {
			t.Fatal("CRC32c does not verify")
		}
	}
}

func TestForwardIPv4(t *testing.T) {
	p := tuntest.NewPair(t)
	exchange(t, p, tuntest.AddrA4, tuntest.AddrB4)
}

func TestForwardIPv6(t *testing.T) {
	p := tuntest.NewPair(t)
	exchange(t, p, tuntest.AddrA6, tuntest.AddrB6)
}

// Packets the kernel itself sends into the device: over a raw socket an
// SCTP packet with the kernel's own IPv4 or IPv6 header is taken; UDP,
// and SCTP to an address of the prefix that is not the endpoint's, are
// dropped and counted.
func TestKernelSentPackets(t *testing.T) {
	p := tuntest.NewPair(t)
	pkt := initPacket(t, 7)
	send := func(network, dst string, b []byte) {
		t.Helper()
		err := p.Netns.Do(func() error {
			c, err := net.Dial(network, dst)
			if err != nil {
				return err
			}
			defer c.Close()
			_, err = c.Write(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	send("udp4", "10.201.1.2:9", []byte("not sctp"))
	send("ip4:132", "10.201.1.3", pkt)
	send("ip4:132", tuntest.AddrA4.String(), pkt)
	got := readOne(t, p.A)
	if !bytes.Equal(got.Buf, pkt) || got.Src.Addr() != netip.MustParseAddr("10.201.1.1") || got.Dst.Addr() != tuntest.AddrA4 {
		t.Fatalf("got % x %v -> %v", got.Buf, got.Src, got.Dst)
	}
	s := p.A.Stats()
	if s.NotSCTP < 1 || s.NotLocal != 1 || s.Malformed != 0 || s.BadChecksum != 0 || s.Received != 1 {
		t.Fatalf("stats %+v", s)
	}
	send("ip6:132", tuntest.AddrA6.String(), pkt)
	got = readOne(t, p.A)
	if !bytes.Equal(got.Buf, pkt) || got.Src.Addr() != netip.MustParseAddr("fd00:201:1::1") || got.Dst.Addr() != tuntest.AddrA6 {
		t.Fatalf("got % x %v -> %v", got.Buf, got.Src, got.Dst)
	}
}

// openIn opens a device inside the namespace.
func openIn(t *testing.T, n *tuntest.Netns, cfg tun.Config) *tun.Conn {
	t.Helper()
	var c *tun.Conn
	if err := n.Do(func() error {
		var err error
		c, err = tun.Open(cfg)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func linkExists(t *testing.T, n *tuntest.Netns, name string) bool {
	t.Helper()
	var exists bool
	if err := n.Do(func() error {
		_, err := net.InterfaceByName(name)
		exists = err == nil
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return exists
}

// The MTU is set when configuring, read from the device when zero, and
// less the larger header in use.
func TestDeviceMTU(t *testing.T) {
	n := tuntest.NewNetns(t)
	c := openIn(t, n, tun.Config{Name: "mtu0", Addrs: []netip.Addr{tuntest.AddrA4, tuntest.AddrA6}, Configure: true, MTU: 1400})
	if c.MTU() != 1400-40 {
		t.Fatalf("MTU %d, want 1360", c.MTU())
	}
	var mtu int
	n.Do(func() error {
		ifi, err := net.InterfaceByName("mtu0")
		if err == nil {
			mtu = ifi.MTU
		}
		return err
	})
	if mtu != 1400 {
		t.Fatalf("device MTU %d, want 1400", mtu)
	}
	d := openIn(t, n, tun.Config{Name: "mtu1", Addrs: []netip.Addr{tuntest.AddrB4}})
	if d.MTU() != 1500-20 {
		t.Fatalf("default device: MTU %d, want 1480", d.MTU())
	}
}

// Configure adds a host route to an endpoint address outside the device's
// prefixes; the kernel's route for a prefix covers the others.
func TestConfigureRoutes(t *testing.T) {
	n := tuntest.NewNetns(t)
	outside := netip.MustParseAddr("10.99.0.5")
	openIn(t, n, tun.Config{Name: "rt0", Addrs: []netip.Addr{tuntest.AddrA4, outside}, Configure: true,
		Prefixes: []netip.Prefix{netip.MustParsePrefix("10.201.1.1/24")}})
	var dev4, devOut string
	err := n.Do(func() error {
		for _, x := range []struct {
			a   netip.Addr
			dev *string
		}{{tuntest.AddrA4, &dev4}, {outside, &devOut}} {
			routes, err := netlink.RouteGet(x.a.AsSlice())
			if err != nil {
				return err
			}
			l, err := netlink.LinkByIndex(routes[0].LinkIndex)
			if err != nil {
				return err
			}
			*x.dev = l.Attrs().Name
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if dev4 != "rt0" || devOut != "rt0" {
		t.Fatalf("routes via %q and %q, want rt0", dev4, devOut)
	}
}

// A device Open created goes away with Close; a persistent one that was
// there before stays.
func TestCloseRemovesOnlyOwnDevice(t *testing.T) {
	n := tuntest.NewNetns(t)
	c := openIn(t, n, tun.Config{Name: "own0", Addrs: []netip.Addr{tuntest.AddrA4}, Configure: true})
	if !linkExists(t, n, "own0") {
		t.Fatal("own0 missing while open")
	}
	c.Close()
	if linkExists(t, n, "own0") {
		t.Fatal("own0 left behind by Close")
	}

	err := n.Do(func() error {
		l := &netlink.Tuntap{LinkAttrs: netlink.LinkAttrs{Name: "kept0"}, Mode: netlink.TUNTAP_MODE_TUN, Flags: netlink.TUNTAP_NO_PI}
		if err := netlink.LinkAdd(l); err != nil {
			return err
		}
		for _, f := range l.Fds {
			f.Close()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	k := openIn(t, n, tun.Config{Name: "kept0", Addrs: []netip.Addr{tuntest.AddrA4}, Configure: true,
		Prefixes: []netip.Prefix{netip.MustParsePrefix("10.201.1.1/24")}})
	k.Close()
	if !linkExists(t, n, "kept0") {
		t.Fatal("persistent kept0 deleted by Close")
	}
	// Attaching and configuring again is no error.
	openIn(t, n, tun.Config{Name: "kept0", Addrs: []netip.Addr{tuntest.AddrA4}, Configure: true,
		Prefixes: []netip.Prefix{netip.MustParsePrefix("10.201.1.1/24")}}).Close()
}

// A second Open of a device in use fails with a message that says so.
func TestOpenBusy(t *testing.T) {
	n := tuntest.NewNetns(t)
	openIn(t, n, tun.Config{Name: "busy0", Addrs: []netip.Addr{tuntest.AddrA4}})
	err := n.Do(func() error {
		_, err := tun.Open(tun.Config{Name: "busy0", Addrs: []netip.Addr{tuntest.AddrA4}})
		return err
	})
	var oe *tun.OpenError
	if !errors.As(err, &oe) || oe.Hint != "failed: another process has it open" {
		t.Fatalf("second Open: %v", err)
	}
}

// Close wakes a reader blocked on a real device.
func TestCloseWakesDeviceReader(t *testing.T) {
	p := tuntest.NewPair(t)
	done := make(chan error, 1)
	go func() {
		_, err := p.B.ReadBatch([]lower.Packet{{Buf: make([]byte, 0, 1500)}})
		done <- err
	}()
	p.B.Close()
	if err := <-done; !errors.Is(err, lower.ErrClosed) {
		t.Fatalf("ReadBatch after Close: %v", err)
	}
}

// The capture of a device's traffic holds each packet with its addresses,
// as SCTP directly over IP.
func TestCaptureDevice(t *testing.T) {
	p := tuntest.NewPair(t)
	path := filepath.Join(t.TempDir(), "a.pcap")
	a, err := capture.WrapFile(p.A, path)
	if err != nil {
		t.Fatal(err)
	}
	pkt := initPacket(t, 9)
	src, dst := netip.AddrPortFrom(tuntest.AddrA6, 0), netip.AddrPortFrom(tuntest.AddrB6, 0)
	if _, err := a.WriteBatch([]lower.Packet{{Buf: pkt, Src: src, Dst: dst}}); err != nil {
		t.Fatal(err)
	}
	got := readOne(t, p.B)
	if _, err := p.B.WriteBatch([]lower.Packet{{Buf: got.Buf, Src: got.Dst, Dst: got.Src}}); err != nil {
		t.Fatal(err)
	}
	in := []lower.Packet{{Buf: make([]byte, 0, 1500)}}
	if _, err := a.ReadBatch(in); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	pkts, err := pcaptest.ReadSCTP(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkts) != 2 {
		t.Fatalf("%d packets captured, want 2", len(pkts))
	}
	for i, w := range []struct{ src, dst netip.Addr }{{tuntest.AddrA6, tuntest.AddrB6}, {tuntest.AddrB6, tuntest.AddrA6}} {
		c := pkts[i]
		if c.Encap || c.Src.Addr() != w.src || c.Dst.Addr() != w.dst || !bytes.Equal(c.SCTP, pkt) {
			t.Errorf("packet %d: %v -> %v encap %v", i+1, c.Src, c.Dst, c.Encap)
		}
	}
}
