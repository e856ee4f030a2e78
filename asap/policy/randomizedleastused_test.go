package policy

import (
	"testing"

	"github.com/rserpool/rserpool/asap/msg"
)

// RFC 5356 §5.4.1: the probability of a member is its unused capacity,
// 0xffffffff - load, over the pool's.
func TestRandomizedLeastUsedFrequencies(t *testing.T) {
	const full = 0xffffffff
	s := mustNew(t, msg.PolicyRandomizedLeastUsed)
	loads := map[msg.PEID]uint32{1: full - 100, 2: full - 300, 3: full, 4: full - 600}
	for id, l := range loads {
		mustSet(t, s, id, RandomizedLeastUsed{Load: l})
	}
	r := seeded(6)
	weights := map[msg.PEID]float64{1: 100, 2: 300, 4: 600}
	checkFrequencies(t, counts(sequence(t, s, 60000, r)), weights, 60000)

	// A new load changes the odds at once.
	mustSet(t, s, 4, RandomizedLeastUsed{Load: full - 100})
	weights[4] = 100
	checkFrequencies(t, counts(sequence(t, s, 50000, r)), weights, 50000)
	if st, _ := s.State(4); st.Policy.Load != full-100 {
		t.Fatalf("State(4) = %+v", st)
	}
	checkInvariants(t, s)
}
