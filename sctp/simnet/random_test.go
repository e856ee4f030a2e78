package simnet

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"
)

// lossRun sends count packets over a lossy link and returns the numbers
// of those that arrived and the link's stats.
func lossRun(t *testing.T, seed int64, loss float64, count int) ([]int, LinkStats) {
	var got []int
	var st LinkStats
	synctest.Test(t, func(t *testing.T) {
		n := New(seed)
		n.Link(addrA.Addr(), addrB.Addr(), LinkConfig{Delay: time.Millisecond, Loss: loss})
		a, b := n.Host(addrA), n.Host(addrB)
		b.SetRecvQueue(2 * count)
		r := record(t, b)
		for i := range count {
			write(t, a, numbered(addrA, addrB, i, 64))
		}
		time.Sleep(time.Second)
		for _, g := range r.arrivals() {
			got = append(got, number(g.p.Buf))
		}
		st = n.Stats(addrA.Addr(), addrB.Addr())
		stop(n, r)
	})
	return got, st
}

func TestLossRate(t *testing.T) {
	const count = 10000
	got, st := lossRun(t, 42, 0.1, count)
	if st.Sent != count || st.Lost+st.Delivered != count || len(got) != st.Delivered {
		t.Fatalf("stats %+v with %d received: do not add up to %d sent", st, len(got), count)
	}
	// 10000 draws at 0.1: the standard deviation is 30; allow 5 of them.
	if st.Lost < 850 || st.Lost > 1150 {
		t.Errorf("lost %d of %d, want about 1000", st.Lost, count)
	}
	again, st2 := lossRun(t, 42, 0.1, count)
	if st2 != st || !slices.Equal(again, got) {
		t.Errorf("same seed, other losses: %d then %d lost", st.Lost, st2.Lost)
	}
	other, _ := lossRun(t, 43, 0.1, count)
	if slices.Equal(other, got) {
		t.Error("another seed lost the same packets")
	}
}

func TestLossExtremes(t *testing.T) {
	if got, st := lossRun(t, 1, 0, 1000); len(got) != 1000 || st.Lost != 0 {
		t.Errorf("Loss 0: %d received, %d lost", len(got), st.Lost)
	}
	if got, st := lossRun(t, 1, 1, 1000); len(got) != 0 || st.Lost != 1000 {
		t.Errorf("Loss 1: %d received, %d lost", len(got), st.Lost)
	}
}

func TestDuplicate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const count = 1000
		n := New(3)
		n.Link(addrA.Addr(), addrB.Addr(), LinkConfig{Delay: 5 * time.Millisecond, Duplicate: 0.2})
		a, b := n.Host(addrA), n.Host(addrB)
		b.SetRecvQueue(2 * count)
		r := record(t, b)
		for i := range count {
			write(t, a, numbered(addrA, addrB, i, 64))
		}
		time.Sleep(time.Second)
		st := n.Stats(addrA.Addr(), addrB.Addr())
		got := r.arrivals()
		if st.Duplicated < 150 || st.Duplicated > 250 {
			t.Errorf("duplicated %d of %d, want about 200", st.Duplicated, count)
		}
		if len(got) != count+st.Duplicated || st.Delivered != len(got) {
			t.Fatalf("received %d, stats %+v: want %d + duplicates", len(got), st, count)
		}
		seen := make(map[int]int)
		for i, g := range got {
			k := number(g.p.Buf)
			seen[k]++
			if seen[k] == 2 && number(got[i-1].p.Buf) != k {
				t.Errorf("copy of packet %d does not follow its original", k)
			}
		}
		twice := 0
		for k := range count {
			switch seen[k] {
			case 1:
			case 2:
				twice++
			default:
				t.Fatalf("packet %d received %d times", k, seen[k])
			}
		}
		if twice != st.Duplicated {
			t.Errorf("%d packets received twice, stats say %d", twice, st.Duplicated)
		}
		stop(n, r)
	})
}

func TestReorder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const (
			count = 1000
			delay = 10 * time.Millisecond
			hold  = 2*delay + time.Millisecond // the default ReorderDelay
		)
		n := New(5)
		n.Link(addrA.Addr(), addrB.Addr(), LinkConfig{Delay: delay, Reorder: 0.1})
		a, b := n.Host(addrA), n.Host(addrB)
		r := record(t, b)
		for i := range count {
			write(t, a, numbered(addrA, addrB, i, 64))
			time.Sleep(time.Millisecond)
		}
		time.Sleep(time.Second)
		st := n.Stats(addrA.Addr(), addrB.Addr())
		got := r.arrivals()
		if len(got) != count {
			t.Fatalf("received %d, want %d", len(got), count)
		}
		if st.Reordered < 60 || st.Reordered > 140 {
			t.Errorf("reordered %d of %d, want about 100", st.Reordered, count)
		}
		held, overtaken := 0, 0
		for i, g := range got {
			k := number(g.p.Buf)
			switch g.at - time.Duration(k)*time.Millisecond {
			case delay:
			case delay + hold:
				held++
			default:
				t.Fatalf("packet %d took %v, want %v or %v", k, g.at-time.Duration(k)*time.Millisecond, delay, delay+hold)
			}
			if i > 0 && k < number(got[i-1].p.Buf) {
				overtaken++
			}
		}
		if held != st.Reordered || overtaken == 0 {
			t.Errorf("%d packets held back, %d overtaken; stats say %d reordered", held, overtaken, st.Reordered)
		}
		stop(n, r)
	})
}

func TestReorderDelayExplicit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(5)
		n.Link(addrA.Addr(), addrB.Addr(), LinkConfig{Delay: time.Millisecond, Reorder: 1, ReorderDelay: 50 * time.Millisecond})
		a, b := n.Host(addrA), n.Host(addrB)
		r := record(t, b)
		write(t, a, numbered(addrA, addrB, 0, 64))
		time.Sleep(time.Second)
		if got := r.arrivals(); len(got) != 1 || got[0].at != 51*time.Millisecond {
			t.Errorf("arrivals %v, want one at 51ms", got)
		}
		stop(n, r)
	})
}
