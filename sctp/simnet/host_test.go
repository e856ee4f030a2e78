package simnet

import (
	"errors"
	"net/netip"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/sctp/lower"
)

func TestRoutingThreeHosts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		n.SetDefault(LinkConfig{Delay: time.Millisecond})
		a, b, c := n.Host(addrA), n.Host(addrB), n.Host(addrC)
		ra, rb, rc := record(t, a), record(t, b), record(t, c)
		write(t, a, numbered(addrA, addrB, 1, 100))
		write(t, a, numbered(addrA, addrC, 2, 100))
		write(t, b, numbered(addrB, addrC, 3, 100))
		write(t, c, numbered(addrC, addrA, 4, 100))
		unknown := netip.MustParseAddrPort("10.0.0.99:9899")
		write(t, a, numbered(addrA, unknown, 5, 100))
		time.Sleep(time.Second)
		check := func(name string, r *recorder, want ...int) {
			t.Helper()
			got := r.arrivals()
			if len(got) != len(want) {
				t.Fatalf("%s got %d packets, want %v", name, len(got), want)
			}
			for i, g := range got {
				if number(g.p.Buf) != want[i] {
					t.Errorf("%s packet %d is %d, want %d", name, i, number(g.p.Buf), want[i])
				}
			}
		}
		check("A", ra, 4)
		check("B", rb, 1)
		check("C", rc, 2, 3)
		if st := n.Stats(addrA.Addr(), unknown.Addr()); st.DroppedNoRoute != 1 {
			t.Errorf("no-route drops %d, want 1", st.DroppedNoRoute)
		}
		stop(n, ra, rb, rc)
	})
}

func TestMultihomedHostAndAddresses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		b2 := netip.MustParseAddrPort("10.1.0.2:9899")
		a6 := netip.MustParseAddrPort("[fd00::1]:5000")
		b6 := netip.MustParseAddrPort("[fd00::2]:9899")
		a := n.Host(addrA, a6)
		b := n.Host(addrB, b2, b6)
		if got := b.LocalAddrs(); len(got) != 3 || got[0] != addrB || got[1] != b2 || got[2] != b6 {
			t.Errorf("LocalAddrs %v", got)
		}
		r := record(t, b)
		// Any port on the way out is replaced by the host's own.
		write(t, a, lower.Packet{Buf: []byte{1, 2, 3, 4}, Src: netip.AddrPortFrom(addrA.Addr(), 1), Dst: b2})
		// No source: the host picks its first address of the family.
		write(t, a, lower.Packet{Buf: []byte{5, 6, 7, 8}, Dst: b6})
		write(t, a, lower.Packet{Buf: []byte{9, 9, 9, 9}, Src: netip.AddrPortFrom(netip.IPv4Unspecified(), 0), Dst: addrB})
		synctest.Wait()
		got := r.arrivals()
		want := []struct{ src, dst netip.AddrPort }{{addrA, b2}, {a6, b6}, {addrA, addrB}}
		if len(got) != len(want) {
			t.Fatalf("got %d packets, want %d", len(got), len(want))
		}
		for i, w := range want {
			if got[i].p.Src != w.src || got[i].p.Dst != w.dst {
				t.Errorf("packet %d went %v -> %v, want %v -> %v", i, got[i].p.Src, got[i].p.Dst, w.src, w.dst)
			}
		}
		stop(n, r)
	})
}

func TestForeignSourceRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		a, b := n.Host(addrA), n.Host(addrB)
		r := record(t, b)
		pkts := []lower.Packet{
			numbered(addrA, addrB, 0, 100),
			numbered(addrC, addrB, 1, 100),
			numbered(addrA, addrB, 2, 100),
		}
		k, err := a.WriteBatch(pkts)
		var se *SourceError
		if k != 1 || !errors.As(err, &se) || se.Index != 1 || se.Src != addrC {
			t.Errorf("WriteBatch = %d, %v; want 1 and a SourceError for packet 1", k, err)
		}
		// No IPv6 address to send from.
		k, err = a.WriteBatch([]lower.Packet{{Buf: []byte{0, 0, 0, 3}, Dst: netip.MustParseAddrPort("[fd00::2]:1")}})
		if k != 0 || !errors.As(err, &se) {
			t.Errorf("WriteBatch without a source of the family = %d, %v", k, err)
		}
		synctest.Wait()
		if got := r.arrivals(); len(got) != 1 || number(got[0].p.Buf) != 0 {
			t.Errorf("B got %d packets, want packet 0 only", len(got))
		}
		stop(n, r)
	})
}

func TestAddressTakeover(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		n.SetDefault(LinkConfig{Delay: 10 * time.Millisecond})
		a, old := n.Host(addrA), n.Host(addrB)
		rold := record(t, old)
		write(t, a, numbered(addrA, addrB, 0, 100))
		time.Sleep(5 * time.Millisecond)
		// A restarted peer: packets in flight reach the new owner.
		nu := n.Host(addrB)
		rnew := record(t, nu)
		old.Close() // leaves the address to its new owner
		<-rold.done
		time.Sleep(time.Second)
		if len(rold.arrivals()) != 0 || len(rnew.arrivals()) != 1 {
			t.Errorf("old host got %d, new host got %d; want 0 and 1", len(rold.arrivals()), len(rnew.arrivals()))
		}
		// Once its owner is closed the address leads nowhere, including
		// for packets already in flight.
		write(t, a, numbered(addrA, addrB, 1, 100))
		nu.Close()
		<-rnew.done
		time.Sleep(time.Second)
		if st := n.Stats(addrA.Addr(), addrB.Addr()); st.DroppedNoRoute != 1 || st.Delivered != 1 {
			t.Errorf("stats %+v, want 1 delivered, 1 without route", st)
		}
		stop(n)
	})
}

func TestCloseUnblocksReadBatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		a, b := n.Host(addrA), n.Host(addrB)
		errs := make(chan error, 2)
		for _, h := range []*Host{a, b} {
			go func() {
				_, err := h.ReadBatch(make([]lower.Packet, 1))
				errs <- err
			}()
		}
		synctest.Wait()
		if len(errs) != 0 {
			t.Fatal("ReadBatch returned with nothing to read")
		}
		a.Close()
		if err := <-errs; !errors.Is(err, lower.ErrClosed) {
			t.Errorf("ReadBatch after Host.Close: %v", err)
		}
		n.Close()
		if err := <-errs; !errors.Is(err, lower.ErrClosed) {
			t.Errorf("ReadBatch after Network.Close: %v", err)
		}
		if _, err := b.ReadBatch(make([]lower.Packet, 1)); !errors.Is(err, lower.ErrClosed) {
			t.Errorf("ReadBatch on a closed host: %v", err)
		}
		if _, err := a.WriteBatch([]lower.Packet{numbered(addrA, addrB, 0, 10)}); !errors.Is(err, lower.ErrClosed) {
			t.Errorf("WriteBatch on a closed host: %v", err)
		}
		if a.Close() != nil || n.Close() != nil {
			t.Error("second Close failed")
		}
		if h := n.Host(addrC); h.Close() != nil {
			t.Error("host of a closed network")
		} else if _, err := h.ReadBatch(make([]lower.Packet, 1)); !errors.Is(err, lower.ErrClosed) {
			t.Errorf("ReadBatch on a host of a closed network: %v", err)
		}
	})
}

func TestCloseDropsPacketsInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		n.SetDefault(LinkConfig{Delay: time.Hour})
		a, b := n.Host(addrA), n.Host(addrB)
		r := record(t, b)
		write(t, a, numbered(addrA, addrB, 0, 10))
		taps := 0
		n.Tap(func(lower.Packet, bool) { taps++ })
		stop(n, r)
		time.Sleep(2 * time.Hour)
		if st := n.Total(); st != (LinkStats{Sent: 1, SentBytes: 10}) || taps != 0 {
			t.Errorf("after Close: stats %+v, %d taps; want the packet gone untouched", st, taps)
		}
	})
}

func TestReadBatchSeveral(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		n.SetDefault(LinkConfig{Delay: time.Millisecond})
		a, b := n.Host(addrA), n.Host(addrB)
		for i := range 5 {
			write(t, a, numbered(addrA, addrB, i, 100))
		}
		time.Sleep(time.Second)
		pkts := make([]lower.Packet, 3)
		for i := range pkts {
			pkts[i].Buf = make([]byte, 0, 1500)
		}
		next := 0
		for _, want := range []int{3, 2} {
			k, err := b.ReadBatch(pkts)
			if k != want || err != nil {
				t.Fatalf("ReadBatch = %d, %v; want %d", k, err, want)
			}
			for _, p := range pkts[:k] {
				if number(p.Buf) != next || len(p.Buf) != 100 || p.Src != addrA || p.Dst != addrB {
					t.Errorf("packet %d of %d bytes %v -> %v", number(p.Buf), len(p.Buf), p.Src, p.Dst)
				}
				next++
			}
		}
		if s := b.Stats(); s.Received != 5 || s.Queued != 0 {
			t.Errorf("host stats %+v", s)
		}
		if k, err := b.ReadBatch(nil); k != 0 || err != nil {
			t.Errorf("ReadBatch(nil) = %d, %v", k, err)
		}
		n.Close()
	})
}

func TestBufferReuseAfterWrite(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		n.SetDefault(LinkConfig{Delay: 10 * time.Millisecond})
		a, b := n.Host(addrA), n.Host(addrB)
		r := record(t, b)
		buf := make([]byte, 100)
		batch := make([]lower.Packet, 4)
		for i := range batch {
			buf[0] = byte(i)
			batch[i] = lower.Packet{Buf: buf, Src: addrA, Dst: addrB}
			if k, err := a.WriteBatch(batch[i : i+1]); k != 1 || err != nil {
				t.Fatal(k, err)
			}
		}
		for i := range buf {
			buf[i] = 0xff
		}
		time.Sleep(time.Second)
		got := r.arrivals()
		if len(got) != 4 {
			t.Fatalf("got %d packets", len(got))
		}
		for i, g := range got {
			if g.p.Buf[0] != byte(i) || g.p.Buf[1] != 0 {
				t.Errorf("packet %d starts % x, want %02x 00", i, g.p.Buf[:2], i)
			}
		}
		stop(n, r)
	})
}

func TestRecvQueueOverflow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		a, b := n.Host(addrA), n.Host(addrB)
		b.SetRecvQueue(4)
		for i := range 10 {
			write(t, a, numbered(addrA, addrB, i, 100))
		}
		if s := b.Stats(); s.Overflow != 6 || s.Queued != 4 {
			t.Errorf("host stats %+v, want 6 overflow, 4 queued", s)
		}
		if s := n.Stats(addrA.Addr(), addrB.Addr()); s.DroppedOverflow != 6 || s.Delivered != 4 {
			t.Errorf("link stats %+v", s)
		}
		pkts := make([]lower.Packet, 10)
		for i := range pkts {
			pkts[i].Buf = make([]byte, 0, 1500)
		}
		if k, _ := b.ReadBatch(pkts); k != 4 || number(pkts[3].Buf) != 3 {
			t.Errorf("read %d packets, want the first 4", k)
		}
		n.Close()
	})
}

func TestDefaultRecvQueue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		a, b := n.Host(addrA), n.Host(addrB)
		for i := range DefaultRecvQueue + 1 {
			write(t, a, numbered(addrA, addrB, i, 10))
		}
		if s := b.Stats(); s.Overflow != 1 || s.Queued != DefaultRecvQueue {
			t.Errorf("host stats %+v", s)
		}
		n.Close()
	})
}

func TestReadBufferTooSmall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		a, b := n.Host(addrA), n.Host(addrB)
		write(t, a, numbered(addrA, addrB, 0, 200))
		write(t, a, numbered(addrA, addrB, 1, 100))
		pkts := []lower.Packet{{Buf: make([]byte, 0, 150)}}
		if k, err := b.ReadBatch(pkts); k != 1 || err != nil || number(pkts[0].Buf) != 1 {
			t.Errorf("ReadBatch = %d, %v; want packet 1 (packet 0 is larger than the buffer)", k, err)
		}
		if s := b.Stats(); s.TooLarge != 1 || s.Received != 1 {
			t.Errorf("host stats %+v", s)
		}
		n.Close()
	})
}

// TestCloseOutsideBubble checks in real time that Close leaves no
// goroutine of this package behind, with a reader blocked and packets in
// flight. A goroutine that has delivered its result may still be on its
// way out when Close returns, so the check looks at what goroutines are
// running, a bounded number of times, rather than at their count once.
func TestCloseOutsideBubble(t *testing.T) {
	n := New(1)
	n.SetDefault(LinkConfig{Delay: time.Hour})
	a, b := n.Host(addrA), n.Host(addrB)
	done := make(chan error)
	go func() {
		_, err := b.ReadBatch(make([]lower.Packet, 1))
		done <- err
	}()
	write(t, a, numbered(addrA, addrB, 0, 10))
	n.Close()
	if err := <-done; !errors.Is(err, lower.ErrClosed) {
		t.Errorf("ReadBatch: %v", err)
	}
	var left string
	for range 200 {
		if left = simnetGoroutine(); left == "" {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Errorf("a goroutine is still in the network after Close:\n%s", left)
}

// simnetGoroutine returns the stack of a goroutine, other than the
// caller's, that is running code of this package outside its tests, or "".
func simnetGoroutine() string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	for i, g := range strings.Split(string(buf), "\n\n") {
		if i == 0 {
			continue // the caller
		}
		for _, line := range strings.Split(g, "\n") {
			if strings.Contains(line, "/sctp/simnet.") && !strings.Contains(line, "_test.go") &&
				!strings.Contains(line, "simnet.Test") && !strings.Contains(line, "simnet.simnetGoroutine") {
				return g
			}
		}
	}
	return ""
}
