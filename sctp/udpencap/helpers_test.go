package udpencap

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/lower"
)

var (
	lo1  = netip.MustParseAddr("127.0.0.1")
	lo2  = netip.MustParseAddr("127.0.0.2")
	lo12 = netip.MustParseAddr("127.0.0.12")
	lo6  = netip.MustParseAddr("::1")
)

// watchdog bounds how long a test may wait for a packet: a lost packet
// then closes the Conn, failing the test instead of hanging it.
const watchdog = 10 * time.Second

// noLeak fails the test if a goroutine of a Conn outlives its Close. It
// must be called before the Conns are opened, so that its cleanup runs
// after theirs. A goroutine that has just told Close it is done may still
// be on its way out, so it gets a few chances to run.
func noLeak(t *testing.T) {
	t.Helper()
	t.Cleanup(func() {
		g := connGoroutines()
		for try := 0; len(g) > 0 && try < 1000; try++ {
			runtime.Gosched()
			g = connGoroutines()
		}
		for _, s := range g {
			t.Errorf("goroutine left after Close:\n%s", s)
		}
	})
}

// connGoroutines returns the stacks of the goroutines a Conn starts.
func connGoroutines() []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var found []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "udpencap.(*Conn).watch") || strings.Contains(g, "udpencap.(*Conn).readLoop") {
			found = append(found, g)
		}
	}
	return found
}

// listen opens a Conn on an ephemeral port unless cfg says otherwise,
// closed when the test ends. It skips the test when an address cannot be
// bound on this host (IPv6 off, or a system that only answers 127.0.0.1).
func listen(t *testing.T, cfg Config) *Conn {
	t.Helper()
	if cfg.Port == 0 {
		cfg.EphemeralPort = true
	}
	c, err := Listen(cfg)
	if err != nil {
		if errors.Is(err, syscall.EADDRNOTAVAIL) || errors.Is(err, syscall.EAFNOSUPPORT) {
			t.Skipf("cannot bind %v here: %v", cfg.Addrs, err)
		}
		t.Fatalf("Listen(%+v): %v", cfg, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// numbered returns a packet of size bytes (at least 8) whose first four
// bytes hold i and whose other bytes depend on i and their position, so
// that a packet cut or mixed with another is seen.
func numbered(i, size int) []byte {
	b := make([]byte, max(size, 8))
	binary.BigEndian.PutUint32(b, uint32(i))
	binary.BigEndian.PutUint32(b[4:], uint32(size))
	for k := 8; k < len(b); k++ {
		b[k] = byte(i*7 + k)
	}
	return b
}

// checkNumbered fails the test unless b is numbered(i, size).
func checkNumbered(t *testing.T, b []byte, i, size int) {
	t.Helper()
	want := numbered(i, size)
	if string(b) != string(want) {
		got := -1
		if len(b) >= 4 {
			got = int(binary.BigEndian.Uint32(b))
		}
		t.Fatalf("packet %d: got %d bytes numbered %d, want %d bytes", i, len(b), got, len(want))
	}
}

// batch returns packets numbered from first, of the given sizes, from
// src to dst.
func batch(src, dst netip.AddrPort, first int, sizes ...int) []lower.Packet {
	pkts := make([]lower.Packet, len(sizes))
	for k, size := range sizes {
		pkts[k] = lower.Packet{Buf: numbered(first+k, size), Src: src, Dst: dst}
	}
	return pkts
}

func write(t *testing.T, c *Conn, pkts []lower.Packet) {
	t.Helper()
	if n, err := c.WriteBatch(pkts); n != len(pkts) || err != nil {
		t.Fatalf("WriteBatch = %d, %v; want %d, nil", n, err, len(pkts))
	}
}

// readN reads n packets from c into buffers of capacity bufCap, in
// batches of batchLen.
func readN(t *testing.T, c *Conn, n, bufCap, batchLen int) []lower.Packet {
	t.Helper()
	dog := time.AfterFunc(watchdog, func() { c.Close() })
	defer dog.Stop()
	var got []lower.Packet
	pkts := make([]lower.Packet, batchLen)
	for len(got) < n {
		for i := range pkts {
			pkts[i] = lower.Packet{Buf: make([]byte, 0, bufCap)}
		}
		k, err := c.ReadBatch(pkts)
		if err != nil {
			t.Fatalf("ReadBatch after %d of %d packets: %v", len(got), n, err)
		}
		if k < 1 || k > len(pkts) {
			t.Fatalf("ReadBatch = %d with %d buffers", k, len(pkts))
		}
		got = append(got, pkts[:k]...)
	}
	if len(got) > n {
		t.Fatalf("got %d packets, want %d", len(got), n)
	}
	return got
}

// expect checks that got are the packets numbered first, first+1, ... of
// sizes, from src to dst.
func expect(t *testing.T, got []lower.Packet, src, dst netip.AddrPort, first int, sizes ...int) {
	t.Helper()
	if len(got) != len(sizes) {
		t.Fatalf("got %d packets, want %d", len(got), len(sizes))
	}
	for k, p := range got {
		checkNumbered(t, p.Buf, first+k, sizes[k])
		if p.Src != src || p.Dst != dst {
			t.Fatalf("packet %d: %v -> %v, want %v -> %v", first+k, p.Src, p.Dst, src, dst)
		}
	}
}
