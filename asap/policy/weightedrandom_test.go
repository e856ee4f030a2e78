package policy

import (
	"testing"

	"github.com/rserpool/rserpool/asap/msg"
)

// RFC 5356 §4.4.2: the probability of a member is its weight over the
// sum of weights; weight 0 never (§3.2).
func TestWeightedRandomFrequencies(t *testing.T) {
	s := mustNew(t, msg.PolicyWeightedRandom)
	w := map[msg.PEID]uint32{1: 1, 2: 2, 3: 3, 4: 10, 5: 0, 6: 0xffffffff}
	for id, v := range w {
		mustSet(t, s, id, WeightedRandom{Weight: v})
	}
	r := seeded(4)
	// Member 6 dominates; check it alone, then the small ones without it.
	weights := map[msg.PEID]float64{}
	for id, v := range w {
		if v > 0 {
			weights[id] = float64(v)
		}
	}
	checkFrequencies(t, counts(sequence(t, s, 50000, r)), weights, 50000)
	s.Remove(6)
	delete(weights, 6)
	checkFrequencies(t, counts(sequence(t, s, 80000, r)), weights, 80000)

	// The first of a list follows the weights too.
	first := map[msg.PEID]int{}
	for range 40000 {
		got := selectN(t, s, 2, r)
		first[got[0]]++
	}
	checkFrequencies(t, first, weights, 40000)

	// Asking for more returns every member of positive weight once.
	if got := selectN(t, s, 10, r); len(got) != 4 {
		t.Fatalf("Select(10) = %v, want the 4 of positive weight", got)
	}
	checkInvariants(t, s)
}

func TestWeightedRandomUpdate(t *testing.T) {
	s := mustNew(t, msg.PolicyWeightedRandom)
	for _, id := range ids(3) {
		mustSet(t, s, id, WeightedRandom{Weight: 1})
	}
	r := seeded(5)
	mustSet(t, s, 2, WeightedRandom{Weight: 0})
	mustSet(t, s, 3, WeightedRandom{Weight: 3})
	checkFrequencies(t, counts(sequence(t, s, 40000, r)), map[msg.PEID]float64{1: 1, 3: 3}, 40000)
	// Removing a member moves the last one into its place.
	s.Remove(1)
	checkFrequencies(t, counts(sequence(t, s, 1000, r)), map[msg.PEID]float64{3: 1}, 1000)
	mustSet(t, s, 3, WeightedRandom{Weight: 0})
	if got := s.Select(nil, 1, r); len(got) != 0 {
		t.Fatalf("all weight 0: %v", got)
	}
	checkInvariants(t, s)
}
