package policy

import (
	"testing"

	"github.com/rserpool/rserpool/asap/msg"
)

func wrrPool(t *testing.T, weights ...uint32) Selector {
	s := mustNew(t, msg.PolicyWeightedRoundRobin)
	for i, w := range weights {
		mustSet(t, s, msg.PEID(i+1), WeightedRoundRobin{Weight: w})
	}
	return s
}

// RFC 5356 §4.2.1: with all weights 1, Weighted Round Robin is Round
// Robin.
func TestWeightedRoundRobinUnitWeights(t *testing.T) {
	s := wrrPool(t, 1, 1, 1)
	if got, want := sequence(t, s, 7, nil), []msg.PEID{1, 2, 3, 1, 2, 3, 1}; !equalIDs(got, want) {
		t.Fatalf("%v, want %v", got, want)
	}
	s = wrrPool(t, 1, 1, 1)
	for i, want := range [][]msg.PEID{{1, 2}, {2, 3}, {3, 1}} {
		if got := selectN(t, s, 2, nil); !equalIDs(got, want) {
			t.Fatalf("k=2, resolution %d: %v, want %v", i, got, want)
		}
	}
}

// RFC 5356 §4.2.2: each member's share of the list is its weight over
// the sum of weights, and its entries are spread evenly.
func TestWeightedRoundRobinShares(t *testing.T) {
	weights := []uint32{1, 2, 3, 10}
	const total = 16
	s := wrrPool(t, weights...)
	seq := sequence(t, s, 1600, nil)
	c := counts(seq)
	for i, w := range weights {
		if got, want := c[msg.PEID(i+1)], 100*int(w); got < want-1 || got > want+1 {
			t.Errorf("weight %d: %d of 1600, want %d", w, got, want)
		}
	}
	// Evenly spread: in every window of one full round (16 selections)
	// each member appears its weight times, give or take one.
	for start := 0; start+total <= len(seq); start++ {
		c := counts(seq[start : start+total])
		for i, w := range weights {
			if got := c[msg.PEID(i+1)]; got < int(w)-1 || got > int(w)+1 {
				t.Fatalf("window at %d: weight %d appears %d times: %v", start, w, got, seq[start:start+total])
			}
		}
	}
	checkInvariants(t, s)
}

// A resolution lists distinct members in list order: with weights 1 and
// 3, the heavy member leads three resolutions out of four.
func TestWeightedRoundRobinList(t *testing.T) {
	s := wrrPool(t, 1, 3)
	lead := map[msg.PEID]int{}
	for range 400 {
		got := selectN(t, s, 5, nil)
		if len(got) != 2 {
			t.Fatalf("got %v, want both members", got)
		}
		lead[got[0]]++
	}
	if lead[1] != 100 || lead[2] != 300 {
		t.Fatalf("leads %v, want 1:100 2:300", lead)
	}
}

// A weight of 0 cannot serve (RFC 5356 §3.2); a weight change takes
// effect at once.
func TestWeightedRoundRobinWeightChanges(t *testing.T) {
	s := wrrPool(t, 0, 1, 1)
	for _, id := range sequence(t, s, 50, nil) {
		if id == 1 {
			t.Fatal("member of weight 0 selected")
		}
	}
	if got := selectN(t, s, 3, nil); len(got) != 2 {
		t.Fatalf("Select(3) = %v, want the two of weight 1", got)
	}
	mustSet(t, s, 1, WeightedRoundRobin{Weight: 2}) // 2:1:1
	c := counts(sequence(t, s, 400, nil))
	if c[1] < 199 || c[1] > 201 || c[2] < 99 || c[2] > 101 {
		t.Fatalf("after 0->2: %v, want 1:200 2:100 3:100", c)
	}
	mustSet(t, s, 1, WeightedRoundRobin{Weight: 0})
	mustSet(t, s, 2, WeightedRoundRobin{Weight: 0})
	if got := sequence(t, s, 3, nil); !equalIDs(got, []msg.PEID{3, 3, 3}) {
		t.Fatalf("only 3 left: %v", got)
	}
	mustSet(t, s, 3, WeightedRoundRobin{Weight: 0})
	if got := s.Select(nil, 3, nil); len(got) != 0 || s.Len() != 3 {
		t.Fatalf("all weight 0: %v, Len %d", got, s.Len())
	}
	checkInvariants(t, s)
}

// Passes are moved back once the head passes 2^62; the schedule goes on
// exactly as before.
func TestWeightedRoundRobinRebase(t *testing.T) {
	weights := []uint32{1, 7, 0xffffffff, 12345}
	plain := wrrPool(t, weights...)
	moved := wrrPool(t, weights...).(*weightedRoundRobin)
	// Shift every pass to just below the rebase point: the head
	// advances by about 2^48/2^32 per selection here.
	off := uint64(rebaseAfter - 1<<29)
	for _, slot := range moved.k.heap {
		moved.k.ents[slot].hi += off
	}
	moved.vtime += off
	a := sequence(t, plain, 20000, nil)
	b := sequence(t, moved, 20000, nil)
	if !equalIDs(a, b) {
		t.Fatal("schedules differ after the rebase")
	}
	if moved.vtime >= off {
		t.Fatalf("no rebase happened: vtime %d", moved.vtime)
	}
	checkInvariants(t, moved)
}
