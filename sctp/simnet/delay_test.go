package simnet

import (
	"testing"
	"testing/synctest"
	"time"
)

func TestDelayExact(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		n.Link(addrA.Addr(), addrB.Addr(), LinkConfig{Delay: 30 * time.Millisecond})
		a, b := n.Host(addrA), n.Host(addrB)
		r := record(t, b)
		write(t, a, numbered(addrA, addrB, 0, 100))
		time.Sleep(5 * time.Millisecond)
		write(t, a, numbered(addrA, addrB, 1, 100))
		time.Sleep(24 * time.Millisecond)
		synctest.Wait()
		if got := r.arrivals(); len(got) != 0 {
			t.Fatalf("arrived after 29ms, before the delay: %v", got)
		}
		time.Sleep(time.Second)
		got := r.arrivals()
		want := []time.Duration{30 * time.Millisecond, 35 * time.Millisecond}
		if len(got) != len(want) {
			t.Fatalf("got %d packets, want %d", len(got), len(want))
		}
		for i, w := range want {
			if got[i].at != w || number(got[i].p.Buf) != i {
				t.Errorf("packet %d arrived at %v (number %d), want %v", i, got[i].at, number(got[i].p.Buf), w)
			}
		}
		stop(n, r)
	})
}

func TestZeroDelayArrivesAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		a, b := n.Host(addrA), n.Host(addrB)
		r := record(t, b)
		write(t, a, numbered(addrA, addrB, 0, 100))
		synctest.Wait()
		if got := r.arrivals(); len(got) != 1 || got[0].at != 0 {
			t.Fatalf("arrivals %v, want one at 0", got)
		}
		stop(n, r)
	})
}

func TestOneWayAndDefault(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		n.SetDefault(LinkConfig{Delay: 7 * time.Millisecond})
		n.LinkOneWay(addrA.Addr(), addrB.Addr(), LinkConfig{Delay: 20 * time.Millisecond})
		a, b := n.Host(addrA), n.Host(addrB)
		ra, rb := record(t, a), record(t, b)
		write(t, a, numbered(addrA, addrB, 0, 100))
		write(t, b, numbered(addrB, addrA, 1, 100))
		time.Sleep(time.Second)
		if got := rb.arrivals(); len(got) != 1 || got[0].at != 20*time.Millisecond {
			t.Errorf("A->B arrivals %v, want one at 20ms (its own link)", got)
		}
		if got := ra.arrivals(); len(got) != 1 || got[0].at != 7*time.Millisecond {
			t.Errorf("B->A arrivals %v, want one at 7ms (the default)", got)
		}
		stop(n, ra, rb)
	})
}

func TestSameDelayKeepsOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		n.Link(addrA.Addr(), addrB.Addr(), LinkConfig{Delay: 10 * time.Millisecond})
		a, b := n.Host(addrA), n.Host(addrB)
		r := record(t, b)
		for i := range 500 {
			write(t, a, numbered(addrA, addrB, i, 100))
		}
		time.Sleep(time.Second)
		got := r.arrivals()
		if len(got) != 500 {
			t.Fatalf("got %d packets, want 500", len(got))
		}
		for i, g := range got {
			if number(g.p.Buf) != i || g.at != 10*time.Millisecond {
				t.Fatalf("arrival %d is packet %d at %v, want packet %d at 10ms", i, number(g.p.Buf), g.at, i)
			}
		}
		stop(n, r)
	})
}

func TestJitterWithinBounds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const (
			delay  = 10 * time.Millisecond
			jitter = 5 * time.Millisecond
			count  = 1000
		)
		n := New(7)
		n.Link(addrA.Addr(), addrB.Addr(), LinkConfig{Delay: delay, Jitter: jitter})
		a, b := n.Host(addrA), n.Host(addrB)
		r := record(t, b)
		for i := range count {
			write(t, a, numbered(addrA, addrB, i, 100))
			time.Sleep(time.Millisecond)
		}
		time.Sleep(time.Second)
		got := r.arrivals()
		if len(got) != count {
			t.Fatalf("got %d packets, want %d", len(got), count)
		}
		lo, hi := time.Hour, time.Duration(0)
		overtaken := 0
		for i, g := range got {
			d := g.at - time.Duration(number(g.p.Buf))*time.Millisecond
			if d < delay || d >= delay+jitter {
				t.Fatalf("packet %d took %v, want [%v, %v)", number(g.p.Buf), d, delay, delay+jitter)
			}
			lo, hi = min(lo, d), max(hi, d)
			if i > 0 && number(g.p.Buf) < number(got[i-1].p.Buf) {
				overtaken++
			}
		}
		if lo >= delay+time.Millisecond || hi < delay+jitter-time.Millisecond {
			t.Errorf("delays span [%v, %v], want most of [%v, %v)", lo, hi, delay, delay+jitter)
		}
		if overtaken == 0 {
			t.Error("jitter of 5ms on packets 1ms apart reordered nothing")
		}
		stop(n, r)
	})
}

// TestDueNowDoesNotOvertake writes a packet without delay at the very
// instant an earlier packet of the link becomes due: whichever of the
// writer and the network's timer runs first, the earlier packet arrives
// first. Repeated, since the bubble may run them in either order.
func TestDueNowDoesNotOvertake(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		a, b := n.Host(addrA), n.Host(addrB)
		r := record(t, b)
		for i := range 100 {
			n.Link(addrA.Addr(), addrB.Addr(), LinkConfig{Delay: 10 * time.Millisecond})
			write(t, a, numbered(addrA, addrB, 2*i, 100))
			time.Sleep(10 * time.Millisecond)
			n.Link(addrA.Addr(), addrB.Addr(), LinkConfig{})
			write(t, a, numbered(addrA, addrB, 2*i+1, 100))
			time.Sleep(time.Millisecond)
		}
		got := r.arrivals()
		if len(got) != 200 {
			t.Fatalf("got %d packets, want 200", len(got))
		}
		for i, g := range got {
			if number(g.p.Buf) != i {
				t.Fatalf("arrival %d is packet %d", i, number(g.p.Buf))
			}
		}
		stop(n, r)
	})
}
