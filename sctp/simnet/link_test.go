package simnet

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/sctp/lower"
)

func TestBandwidth(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		n.Link(addrA.Addr(), addrB.Addr(), LinkConfig{Bandwidth: 1_000_000})
		a, b := n.Host(addrA), n.Host(addrB)
		r := record(t, b)
		for i := range 100 {
			write(t, a, numbered(addrA, addrB, i, 1000))
		}
		time.Sleep(time.Second)
		got := r.arrivals()
		if len(got) != 100 {
			t.Fatalf("received %d, want 100", len(got))
		}
		// Each packet waits for the ones before it, then takes 1ms.
		for i, g := range got {
			if want := time.Duration(i+1) * time.Millisecond; g.at != want || number(g.p.Buf) != i {
				t.Fatalf("arrival %d: packet %d at %v, want packet %d at %v", i, number(g.p.Buf), g.at, i, want)
			}
		}
		stop(n, r)
	})
}

func TestBandwidthThenDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		n.Link(addrA.Addr(), addrB.Addr(), LinkConfig{Bandwidth: 1_000_000, Delay: 20 * time.Millisecond})
		a, b := n.Host(addrA), n.Host(addrB)
		r := record(t, b)
		write(t, a, numbered(addrA, addrB, 0, 1000))
		write(t, a, numbered(addrA, addrB, 1, 500))
		time.Sleep(100 * time.Millisecond)
		// An idle link starts at once: serialization, then propagation.
		write(t, a, numbered(addrA, addrB, 2, 1000))
		time.Sleep(time.Second)
		got := r.arrivals()
		want := []time.Duration{21 * time.Millisecond, 21500 * time.Microsecond, 121 * time.Millisecond}
		if len(got) != len(want) {
			t.Fatalf("received %d, want %d", len(got), len(want))
		}
		for i, w := range want {
			if got[i].at != w {
				t.Errorf("packet %d at %v, want %v", i, got[i].at, w)
			}
		}
		stop(n, r)
	})
}

func TestQueueLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		n.Link(addrA.Addr(), addrB.Addr(), LinkConfig{Bandwidth: 1_000_000, QueueLimit: 10_000})
		a, b := n.Host(addrA), n.Host(addrB)
		r := record(t, b)
		for i := range 100 {
			write(t, a, numbered(addrA, addrB, i, 1000))
		}
		st := n.Stats(addrA.Addr(), addrB.Addr())
		// Packet k finds k*1000 bytes ahead of it: 0 to 9 fit in 10000.
		if st.DroppedQueue != 90 {
			t.Errorf("dropped %d at the queue, want 90", st.DroppedQueue)
		}
		time.Sleep(10 * time.Millisecond) // the queue drains
		write(t, a, numbered(addrA, addrB, 100, 1000))
		time.Sleep(time.Second)
		got := r.arrivals()
		if len(got) != 11 || number(got[10].p.Buf) != 100 || got[9].at != 10*time.Millisecond || got[10].at != 11*time.Millisecond {
			t.Errorf("arrivals %d, want packets 0-9 by 10ms then 100 at 11ms", len(got))
		}
		if st := n.Stats(addrA.Addr(), addrB.Addr()); st.Delivered != 11 || st.Sent != 101 {
			t.Errorf("stats %+v, want 101 sent, 11 delivered", st)
		}
		stop(n, r)
	})
}

func TestDefaultQueueLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		n.Link(addrA.Addr(), addrB.Addr(), LinkConfig{Bandwidth: 1_000_000})
		a, b := n.Host(addrA), n.Host(addrB)
		b.SetRecvQueue(1000)
		r := record(t, b)
		for i := range 300 {
			write(t, a, numbered(addrA, addrB, i, 1000))
		}
		// Packet k finds k*1000 bytes ahead of it: 0 to 261 fit in
		// 256 KiB = 262144, since 261000+1000 fits and 262000+1000 does not.
		if st := n.Stats(addrA.Addr(), addrB.Addr()); st.DroppedQueue != 300-262 {
			t.Errorf("dropped %d at the queue, want %d", st.DroppedQueue, 300-262)
		}
		stop(n, r)
	})
}

func TestMTU(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		n.LinkOneWay(addrA.Addr(), addrB.Addr(), LinkConfig{MTU: 1000})
		a, b := n.Host(addrA), n.Host(addrB)
		ra, rb := record(t, a), record(t, b)
		write(t, a, numbered(addrA, addrB, 0, 1000))
		write(t, a, numbered(addrA, addrB, 1, 1001))
		write(t, b, numbered(addrB, addrA, 2, DefaultMTU))
		write(t, b, numbered(addrB, addrA, 3, DefaultMTU+1))
		synctest.Wait()
		if got := rb.arrivals(); len(got) != 1 || number(got[0].p.Buf) != 0 {
			t.Errorf("over MTU 1000 got %d packets, want packet 0 only", len(got))
		}
		if got := ra.arrivals(); len(got) != 1 || number(got[0].p.Buf) != 2 {
			t.Errorf("over the default MTU got %d packets, want packet 2 only", len(got))
		}
		if st := n.Stats(addrA.Addr(), addrB.Addr()); st.DroppedMTU != 1 || st.Delivered != 1 {
			t.Errorf("A->B stats %+v", st)
		}
		if st := n.Stats(addrB.Addr(), addrA.Addr()); st.DroppedMTU != 1 || st.Delivered != 1 {
			t.Errorf("B->A stats %+v", st)
		}
		if a.MTU() != DefaultMTU {
			t.Errorf("host MTU %d, want %d", a.MTU(), DefaultMTU)
		}
		n.SetDefault(LinkConfig{MTU: 9000})
		a.SetMTU(1280)
		if a.MTU() != 1280 || b.MTU() != 9000 {
			t.Errorf("host MTUs %d and %d, want 1280 (set) and 9000 (default link)", a.MTU(), b.MTU())
		}
		stop(n, ra, rb)
	})
}

func TestBlackout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		n.Link(addrA.Addr(), addrB.Addr(), LinkConfig{Delay: 10 * time.Millisecond})
		a, b, c := n.Host(addrA), n.Host(addrB), n.Host(addrC)
		ra, rb, rc := record(t, a), record(t, b), record(t, c)

		write(t, a, numbered(addrA, addrB, 0, 100)) // in flight when the link is cut
		n.Blackout(addrA.Addr(), addrB.Addr(), true)
		write(t, a, numbered(addrA, addrB, 1, 100))
		write(t, b, numbered(addrB, addrA, 2, 100))
		write(t, a, numbered(addrA, addrC, 3, 100)) // another link
		time.Sleep(time.Second)
		if got := rb.arrivals(); len(got) != 1 || number(got[0].p.Buf) != 0 {
			t.Errorf("B got %d packets during the blackout, want the one in flight", len(got))
		}
		if got := ra.arrivals(); len(got) != 0 {
			t.Errorf("A got %d packets during the blackout", len(got))
		}
		if got := rc.arrivals(); len(got) != 1 {
			t.Errorf("C got %d packets, want 1: its link is not cut", len(got))
		}
		n.Blackout(addrA.Addr(), addrB.Addr(), false)
		write(t, a, numbered(addrA, addrB, 4, 100))
		time.Sleep(time.Second)
		if got := rb.arrivals(); len(got) != 2 || number(got[1].p.Buf) != 4 {
			t.Errorf("B got %d packets, want the one sent after the restore", len(got))
		}
		if s1, s2 := n.Stats(addrA.Addr(), addrB.Addr()), n.Stats(addrB.Addr(), addrA.Addr()); s1.DroppedBlackout != 1 || s2.DroppedBlackout != 1 {
			t.Errorf("blackout drops %d and %d, want 1 each way", s1.DroppedBlackout, s2.DroppedBlackout)
		}
		stop(n, ra, rb, rc)
	})
}

func TestDown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		a, b, c := n.Host(addrA), n.Host(addrB), n.Host(addrC)
		ra, rb, rc := record(t, a), record(t, b), record(t, c)
		n.Down(addrB.Addr(), true)
		write(t, a, numbered(addrA, addrB, 0, 100))
		write(t, b, numbered(addrB, addrC, 1, 100))
		write(t, a, numbered(addrA, addrC, 2, 100))
		synctest.Wait()
		if len(rb.arrivals()) != 0 || len(rc.arrivals()) != 1 {
			t.Errorf("with B down: B got %d, C got %d; want 0 and 1", len(rb.arrivals()), len(rc.arrivals()))
		}
		n.Down(addrB.Addr(), false)
		write(t, a, numbered(addrA, addrB, 3, 100))
		write(t, b, numbered(addrB, addrC, 4, 100))
		synctest.Wait()
		if len(rb.arrivals()) != 1 || len(rc.arrivals()) != 2 {
			t.Errorf("with B up: B got %d, C got %d; want 1 and 2", len(rb.arrivals()), len(rc.arrivals()))
		}
		if tot := n.Total(); tot.DroppedBlackout != 2 || tot.Sent != 5 || tot.Delivered != 3 {
			t.Errorf("totals %+v", tot)
		}
		stop(n, ra, rb, rc)
	})
}

func TestTap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(1)
		n.LinkOneWay(addrA.Addr(), addrB.Addr(), LinkConfig{MTU: 500, Delay: time.Millisecond})
		a, b := n.Host(addrA), n.Host(addrB)
		r := record(t, b)
		type seen struct {
			num       int
			delivered bool
		}
		var log []seen
		n.Tap(func(p lower.Packet, delivered bool) {
			if p.Src != addrA || p.Dst != addrB {
				t.Errorf("tap saw %v -> %v", p.Src, p.Dst)
			}
			log = append(log, seen{number(p.Buf), delivered})
		})
		write(t, a, numbered(addrA, addrB, 0, 100))
		write(t, a, numbered(addrA, addrB, 1, 600))
		time.Sleep(time.Second)
		n.Tap(nil)
		write(t, a, numbered(addrA, addrB, 2, 100))
		time.Sleep(time.Second)
		want := []seen{{1, false}, {0, true}}
		if len(log) != len(want) || log[0] != want[0] || log[1] != want[1] {
			t.Errorf("tap saw %v, want %v", log, want)
		}
		stop(n, r)
	})
}
