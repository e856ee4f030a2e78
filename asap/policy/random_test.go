package policy

import (
	"testing"

	"github.com/rserpool/rserpool/asap/msg"
)

func randomPool(t *testing.T, n int) Selector {
	s := mustNew(t, msg.PolicyRandom)
	for _, id := range ids(n) {
		mustSet(t, s, id, Random{})
	}
	return s
}

// RFC 5356 §4.3.2: uniform picks, no member twice in one list.
func TestRandomUniform(t *testing.T) {
	s := randomPool(t, 8)
	r := seeded(1)
	weights := map[msg.PEID]float64{}
	for _, id := range ids(8) {
		weights[id] = 1
	}
	checkFrequencies(t, counts(sequence(t, s, 80000, r)), weights, 80000)

	// Lists of three: every member in about 3/8 of them, and first in
	// 1/8.
	all, first := map[msg.PEID]int{}, map[msg.PEID]int{}
	for range 20000 {
		got := selectN(t, s, 3, r)
		if len(got) != 3 {
			t.Fatalf("got %v", got)
		}
		first[got[0]]++
		for _, id := range got {
			all[id]++
		}
	}
	checkFrequencies(t, all, weights, 60000)
	checkFrequencies(t, first, weights, 20000)
	checkInvariants(t, s)
}

// The same seed gives the same selections.
func TestRandomSeeded(t *testing.T) {
	a := sequence(t, randomPool(t, 50), 100, seeded(7))
	b := sequence(t, randomPool(t, 50), 100, seeded(7))
	c := sequence(t, randomPool(t, 50), 100, seeded(8))
	if !equalIDs(a, b) || equalIDs(a, c) {
		t.Fatal("selections do not follow the seed")
	}
}

// A member that left is never drawn; the others stay uniform.
func TestRandomRemove(t *testing.T) {
	s := randomPool(t, 5)
	s.Remove(1)
	s.Remove(4)
	weights := map[msg.PEID]float64{2: 1, 3: 1, 5: 1}
	checkFrequencies(t, counts(sequence(t, s, 30000, seeded(3))), weights, 30000)
	checkInvariants(t, s)
}
