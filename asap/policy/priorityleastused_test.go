package policy

import (
	"testing"

	"github.com/rserpool/rserpool/asap/msg"
)

// RFC 5356 §5.3.1's example: A and B both at 50%; a request adds 10% to
// A and 50% to B, so A (60) goes before B (100).
func TestPriorityLeastUsedExample(t *testing.T) {
	const pct = 0xffffffff / 100
	s := mustNew(t, msg.PolicyPriorityLeastUsed)
	mustSet(t, s, 0xb, PriorityLeastUsed{Load: 50 * pct, LoadDegradation: 50 * pct})
	mustSet(t, s, 0xa, PriorityLeastUsed{Load: 50 * pct, LoadDegradation: 10 * pct})
	if got := selectN(t, s, 2, nil); !equalIDs(got, []msg.PEID{0xa, 0xb}) {
		t.Fatalf("%v, want [A B]", got)
	}
	// Selections count nothing: A stays first.
	if got := sequence(t, s, 5, nil); !equalIDs(got, []msg.PEID{0xa, 0xa, 0xa, 0xa, 0xa}) {
		t.Fatalf("%v, want A every time", got)
	}
	if st, _ := s.State(0xa); st.Degradation != 0 {
		t.Fatalf("counter %d, want 0", st.Degradation)
	}
	// An equal sum (40+20) takes turns with A (§5.3.2).
	mustSet(t, s, 0xc, PriorityLeastUsed{Load: 40 * pct, LoadDegradation: 20 * pct})
	c := counts(sequence(t, s, 40, nil))
	if c[0xa] != 20 || c[0xc] != 20 {
		t.Fatalf("%v, want A and C 20 each", c)
	}
	checkInvariants(t, s)
}
