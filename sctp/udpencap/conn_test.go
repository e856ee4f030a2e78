package udpencap

import (
	"errors"
	"net/netip"
	"runtime"
	"syscall"
	"testing"

	"github.com/rserpool/rserpool/sctp/lower"
)

// Two Conns on different loopback addresses: each packet's Src is the
// sender's address and encapsulation port, its Dst the receiver's (RFC
// 6951 §5.1, §5.4), and replying to Src reaches the sender.
func TestExchange(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b netip.Addr
	}{
		{"IPv4", lo1, lo2},
		{"IPv6", lo6, lo6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			noLeak(t)
			a := listen(t, Config{Addrs: []netip.Addr{tc.a}})
			b := listen(t, Config{Addrs: []netip.Addr{tc.b}})
			aa, ba := a.LocalAddrs()[0], b.LocalAddrs()[0]
			if aa.Addr() != tc.a || ba.Addr() != tc.b || aa.Port() == 0 || aa == ba {
				t.Fatalf("LocalAddrs %v and %v", aa, ba)
			}

			// No source: the first address of the destination's family.
			write(t, a, batch(netip.AddrPort{}, ba, 0, 100, 200, 300))
			got := readN(t, b, 3, 1500, 8)
			expect(t, got, aa, ba, 0, 100, 200, 300)

			// The reply goes to the Src just seen, from the Dst.
			write(t, b, batch(got[0].Dst, got[0].Src, 10, 50, 1400))
			expect(t, readN(t, a, 2, 1500, 8), ba, aa, 10, 50, 1400)

			sa, sb := a.Stats(), b.Stats()
			if sa.PacketsOut != 3 || sa.BytesOut != 600 || sa.PacketsIn != 2 || sa.BytesIn != 1450 {
				t.Errorf("sender stats %+v", sa)
			}
			if sb.PacketsIn != 3 || sb.BytesIn != 600 || sb.PacketsOut != 2 || sb.BytesOut != 1450 {
				t.Errorf("receiver stats %+v", sb)
			}
		})
	}
}

// A Conn on several addresses hears on each, tells which one a packet
// came to, and sends from the one each packet's Src names.
func TestMultiAddress(t *testing.T) {
	noLeak(t)
	a := listen(t, Config{Addrs: []netip.Addr{lo1}})
	b := listen(t, Config{Addrs: []netip.Addr{lo2, lo12}})
	aa := a.LocalAddrs()[0]
	bl := b.LocalAddrs()
	if len(bl) != 2 || bl[0].Addr() != lo2 || bl[1].Addr() != lo12 || bl[0].Port() != bl[1].Port() {
		t.Fatalf("LocalAddrs = %v: want both addresses on one port", bl)
	}
	b2, b12 := bl[0], bl[1]

	// To each address in turn: the reader waits on both sockets.
	for i := 0; i < 6; i += 2 {
		write(t, a, batch(aa, b12, i, 100))
		expect(t, readN(t, b, 1, 1500, 4), aa, b12, i, 100)
		write(t, a, batch(aa, b2, i+1, 100))
		expect(t, readN(t, b, 1, 1500, 4), aa, b2, i+1, 100)
	}
	// Both at once: every packet arrives, each on its own address, in
	// order per address.
	write(t, a, append(batch(aa, b2, 0, 100, 101, 102), batch(aa, b12, 3, 103, 104)...))
	next := map[netip.AddrPort]int{b2: 0, b12: 3}
	for _, p := range readN(t, b, 5, 1500, 8) {
		i := next[p.Dst]
		next[p.Dst]++
		checkNumbered(t, p.Buf, i, 100+i)
		if p.Src != aa {
			t.Errorf("Src %v, want %v", p.Src, aa)
		}
	}
	if next[b2] != 3 || next[b12] != 5 {
		t.Errorf("packets per address: %v", next)
	}

	// The source of a sent packet is the address its Src names.
	write(t, b, append(batch(b12, aa, 0, 100), batch(b2, aa, 1, 100)...))
	got := readN(t, a, 2, 1500, 4)
	expect(t, got[:1], b12, aa, 0, 100)
	expect(t, got[1:], b2, aa, 1, 100)
}

// A Conn on an IPv4 and an IPv6 address picks the source of a packet
// without one by the destination's family.
func TestMixedFamilies(t *testing.T) {
	noLeak(t)
	a := listen(t, Config{Addrs: []netip.Addr{lo2, lo6}})
	b4 := listen(t, Config{Addrs: []netip.Addr{lo1}})
	b6 := listen(t, Config{Addrs: []netip.Addr{lo6}})
	a4, a6 := a.LocalAddrs()[0], a.LocalAddrs()[1]
	write(t, a, append(batch(netip.AddrPort{}, b6.LocalAddrs()[0], 0, 60), batch(netip.AddrPort{}, b4.LocalAddrs()[0], 1, 40)...))
	expect(t, readN(t, b6, 1, 1500, 4), a6, b6.LocalAddrs()[0], 0, 60)
	expect(t, readN(t, b4, 1, 1500, 4), a4, b4.LocalAddrs()[0], 1, 40)
	if want := min(65535-40-8, DefaultMaxMTU); a.MTU() != want {
		t.Errorf("MTU = %d, want %d: the smaller, IPv6 one, capped", a.MTU(), want)
	}
}

// A packet larger than the buffer lent for it is dropped and counted,
// never handed over cut, and the packets around it are delivered.
func TestTooLarge(t *testing.T) {
	for _, gro := range []bool{false, true} {
		t.Run(map[bool]string{false: "GROoff", true: "GROon"}[gro], func(t *testing.T) {
			noLeak(t)
			a := listen(t, Config{Addrs: []netip.Addr{lo1}})
			b := listen(t, Config{Addrs: []netip.Addr{lo2}, DisableGRO: !gro})
			aa, ba := a.LocalAddrs()[0], b.LocalAddrs()[0]
			write(t, a, batch(aa, ba, 0, 100, 2000, 101, 1500, 1501, 102))
			got := readN(t, b, 4, 1500, 8)
			if len(got) != 4 {
				t.Fatalf("got %d packets", len(got))
			}
			for k, i := range []int{0, 2, 3, 5} {
				checkNumbered(t, got[k].Buf, i, []int{100, 2000, 101, 1500, 1501, 102}[i])
				if got[k].Src != aa || got[k].Dst != ba {
					t.Errorf("packet %d: %v -> %v", i, got[k].Src, got[k].Dst)
				}
			}
			if s := b.Stats(); s.TooLarge != 2 || s.PacketsIn != 4 {
				t.Errorf("TooLarge = %d, PacketsIn = %d; want 2 and 4", s.TooLarge, s.PacketsIn)
			}
		})
	}
}

// Close wakes a ReadBatch waiting for packets, and every call after it
// returns lower.ErrClosed.
func TestClose(t *testing.T) {
	for _, tc := range []struct {
		name  string
		addrs []netip.Addr
	}{
		{"OneAddress", []netip.Addr{lo1}},
		{"TwoAddresses", []netip.Addr{lo1, lo2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			noLeak(t)
			c := listen(t, Config{Addrs: tc.addrs})
			started, done := make(chan struct{}), make(chan error)
			go func() {
				close(started)
				_, err := c.ReadBatch([]lower.Packet{{Buf: make([]byte, 0, 1500)}})
				done <- err
			}()
			<-started
			for range 100 {
				runtime.Gosched() // most likely in ReadBatch by now
			}
			if err := c.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			if err := <-done; !errors.Is(err, lower.ErrClosed) {
				t.Fatalf("blocked ReadBatch returned %v, want ErrClosed", err)
			}
			if n, err := c.ReadBatch([]lower.Packet{{Buf: make([]byte, 0, 1500)}}); n != 0 || !errors.Is(err, lower.ErrClosed) {
				t.Errorf("ReadBatch after Close = %d, %v", n, err)
			}
			if n, err := c.WriteBatch(batch(netip.AddrPort{}, netip.MustParseAddrPort("127.0.0.1:9"), 0, 20)); n != 0 || !errors.Is(err, lower.ErrClosed) {
				t.Errorf("WriteBatch after Close = %d, %v", n, err)
			}
			if err := c.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
			if len(c.LocalAddrs()) != len(tc.addrs) {
				t.Errorf("LocalAddrs after Close = %v", c.LocalAddrs())
			}
		})
	}
}

// Close returns only once the goroutines of the Conn have ended. After a
// packet is read the watcher of its socket waits for the reader, not in
// the socket; with one processor it cannot have run between the end of
// Close and the look at the stacks unless Close waited for it.
func TestCloseWaits(t *testing.T) {
	noLeak(t)
	a := listen(t, Config{Addrs: []netip.Addr{lo1}})
	c := listen(t, Config{Addrs: []netip.Addr{lo2, lo12}})
	write(t, a, batch(netip.AddrPort{}, c.LocalAddrs()[1], 0, 100))
	readN(t, c, 1, 1500, 4)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	c.Close()
	if g := connGoroutines(); len(g) > 0 {
		t.Fatalf("%d goroutines still there after Close", len(g))
	}
}

// Port 0 is the IANA port 9899 (RFC 6951 §5.1). The test needs that port
// free on 127.0.0.1, and skips when another program holds it.
func TestDefaultPort(t *testing.T) {
	noLeak(t)
	c, err := Listen(Config{Addrs: []netip.Addr{lo1}})
	if errors.Is(err, syscall.EADDRINUSE) {
		t.Skip("port 9899 is taken on 127.0.0.1")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := c.LocalAddrs()[0]; got != netip.AddrPortFrom(lo1, DefaultPort) {
		t.Errorf("LocalAddrs = %v, want 127.0.0.1:9899", got)
	}
}

// An explicit port is used on every address, and taking it twice on one
// address fails.
func TestExplicitPort(t *testing.T) {
	noLeak(t)
	a := listen(t, Config{Addrs: []netip.Addr{lo1}})
	port := a.LocalAddrs()[0].Port()
	b := listen(t, Config{Addrs: []netip.Addr{lo2, lo12}, Port: port})
	for _, ap := range b.LocalAddrs() {
		if ap.Port() != port {
			t.Errorf("LocalAddrs %v: want port %d", b.LocalAddrs(), port)
		}
	}
	if c, err := Listen(Config{Addrs: []netip.Addr{lo1}, Port: port}); err == nil {
		c.Close()
		t.Errorf("Listen on a port in use succeeded")
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg   Config
		field string
		rule  string
	}{
		{Config{}, "Addrs", "at least one local address is required; the wildcard is not supported"},
		{Config{Addrs: []netip.Addr{{}}}, "Addrs[0]", "the address is not valid"},
		{Config{Addrs: []netip.Addr{netip.IPv4Unspecified()}}, "Addrs[0]", "the wildcard address is not supported: a socket bound to it cannot tell which address a packet came to"},
		{Config{Addrs: []netip.Addr{lo1, netip.IPv6Unspecified()}}, "Addrs[1]", "the wildcard address is not supported: a socket bound to it cannot tell which address a packet came to"},
		{Config{Addrs: []netip.Addr{netip.MustParseAddr("224.0.0.1")}}, "Addrs[0]", "a multicast address cannot be a local address"},
		{Config{Addrs: []netip.Addr{netip.MustParseAddr("fe80::1")}}, "Addrs[0]", "a link-local address needs its zone"},
		{Config{Addrs: []netip.Addr{lo1, lo2, netip.MustParseAddr("::ffff:127.0.0.1")}}, "Addrs[2]", "the address repeats Addrs[0]"},
		{Config{Addrs: []netip.Addr{lo1}, Port: 1, EphemeralPort: true}, "Port", "must be 0 when EphemeralPort is set"},
		{Config{Addrs: []netip.Addr{lo1}, MTU: -1}, "MTU", "must be 0 or at least 508"},
		{Config{Addrs: []netip.Addr{lo1}, MTU: MinMTU - 1}, "MTU", "must be 0 or at least 508"},
		{Config{Addrs: []netip.Addr{lo6, lo1}, MTU: 65508}, "MTU", "must be at most 65507, the largest UDP payload of the address families in use"},
		{Config{Addrs: []netip.Addr{lo6}, MTU: 65528}, "MTU", "must be at most 65527, the largest UDP payload of the address families in use"},
	} {
		c, err := Listen(tc.cfg)
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Field != tc.field || ce.Rule != tc.rule {
			if c != nil {
				c.Close()
			}
			t.Errorf("Listen(%+v) = %v; want Config.%s: %s", tc.cfg, err, tc.field, tc.rule)
		}
	}
}

// MTU is the link's MTU less the IP and UDP headers (RFC 6951 §5.6),
// at most DefaultMaxMTU, unless Config sets it, up to the largest UDP
// payload.
func TestMTU(t *testing.T) {
	noLeak(t)
	for _, tc := range []struct {
		cfg  Config
		want int
	}{
		{Config{Addrs: []netip.Addr{lo1}}, min(linkMTU(lo1)-28, DefaultMaxMTU)},
		{Config{Addrs: []netip.Addr{lo2}}, min(linkMTU(lo1)-28, DefaultMaxMTU)}, // on lo by its prefix
		{Config{Addrs: []netip.Addr{lo1}, MTU: 1472}, 1472},
		{Config{Addrs: []netip.Addr{lo1}, MTU: 65507}, 65507}, // the loopback's whole link, asked for
	} {
		c := listen(t, tc.cfg)
		if c.MTU() != tc.want {
			t.Errorf("MTU of %v = %d, want %d", tc.cfg, c.MTU(), tc.want)
		}
	}
	if runtime.GOOS == "linux" && linkMTU(lo2) != 65536 {
		t.Errorf("linkMTU(127.0.0.2) = %d, want the loopback's 65536", linkMTU(lo2))
	}
}

// A packet whose addresses no socket serves stops the batch with an
// AddrError naming it; the packets before it are sent.
func TestAddrErrors(t *testing.T) {
	noLeak(t)
	a := listen(t, Config{Addrs: []netip.Addr{lo1}})
	b := listen(t, Config{Addrs: []netip.Addr{lo2}})
	aa, ba := a.LocalAddrs()[0], b.LocalAddrs()[0]
	v6 := netip.MustParseAddrPort("[::1]:9899")
	for i, tc := range []struct {
		src, dst netip.AddrPort
		rule     string
	}{
		{netip.MustParseAddrPort("127.0.0.3:1"), ba, ruleNotLocal},
		{aa, netip.AddrPort{}, ruleBadDst},
		{aa, netip.AddrPortFrom(netip.IPv4Unspecified(), 9899), ruleBadDst},
		{aa, netip.AddrPortFrom(lo2, 0), ruleDstPort0},
		{aa, v6, ruleFamilyDiff},
		{netip.AddrPort{}, v6, ruleNoFamily},
	} {
		pkts := append(batch(aa, ba, i, 100), lower.Packet{Buf: []byte("x"), Src: tc.src, Dst: tc.dst})
		n, err := a.WriteBatch(append(pkts, batch(aa, ba, 99, 100)...))
		var ae *AddrError
		if n != 1 || !errors.As(err, &ae) || ae.Index != 1 || ae.Rule != tc.rule || ae.Src != tc.src || ae.Dst != tc.dst {
			t.Fatalf("WriteBatch with %v -> %v = %d, %v; want 1, %q", tc.src, tc.dst, n, err, tc.rule)
		}
		expect(t, readN(t, b, 1, 1500, 4), aa, ba, i, 100)
	}
	// An IPv4-mapped destination is IPv4.
	mapped := netip.AddrPortFrom(netip.AddrFrom16(lo2.As16()), ba.Port())
	write(t, a, batch(aa, mapped, 7, 100))
	expect(t, readN(t, b, 1, 1500, 4), aa, ba, 7, 100)
}

// Buffer sizes: the default is asked for, a negative size keeps the
// system's, and the kernel's answer is reported.
func TestBuffers(t *testing.T) {
	noLeak(t)
	def := listen(t, Config{Addrs: []netip.Addr{lo1}})
	sys := listen(t, Config{Addrs: []netip.Addr{lo1}, ReadBuffer: -1, WriteBuffer: -1})
	if s := def.Stats(); s.ReadBuffer <= 0 || s.WriteBuffer <= 0 {
		t.Fatalf("buffers %d and %d", s.ReadBuffer, s.WriteBuffer)
	}
	if runtime.GOOS != "linux" {
		return
	}
	ds, ss := def.Stats(), sys.Stats()
	if ss.ReadBuffer >= ds.ReadBuffer {
		t.Errorf("system default read buffer %d not below the asked-for %d", ss.ReadBuffer, ds.ReadBuffer)
	}
	if isRoot() && (ds.ReadBuffer != 2*DefaultBuffer || ds.WriteBuffer != 2*DefaultBuffer) {
		t.Errorf("as root: buffers %d and %d, want twice %d (Linux doubles them)", ds.ReadBuffer, ds.WriteBuffer, DefaultBuffer)
	}
}
