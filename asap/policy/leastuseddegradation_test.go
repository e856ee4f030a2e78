package policy

import (
	"testing"

	"github.com/rserpool/rserpool/asap/msg"
)

// RFC 5356 §5.2.2: the order is load + counter * load degradation; the
// counter goes up at each selection and back to 0 at each registration.
func TestLeastUsedDegradationSequence(t *testing.T) {
	s := mustNew(t, msg.PolicyLeastUsedDegradation)
	mustSet(t, s, 1, LeastUsedDegradation{Load: 0, LoadDegradation: 4})
	mustSet(t, s, 2, LeastUsedDegradation{Load: 10, LoadDegradation: 1})
	// Keys: 1 runs 0 4 8 12 16, 2 runs 10 11 12 13 14 15 16; at 12 the
	// member that got there first goes first.
	want := []msg.PEID{1, 1, 1, 2, 2, 1, 2, 2, 2, 2, 1}
	if got := sequence(t, s, len(want), nil); !equalIDs(got, want) {
		t.Fatalf("%v, want %v", got, want)
	}
	for id, n := range map[msg.PEID]uint32{1: 5, 2: 6} {
		if st, _ := s.State(id); st.Degradation != n {
			t.Fatalf("member %v: counter %d, want %d", id, st.Degradation, n)
		}
	}
	// A re-registration, even with the same values, resets the counter.
	mustSet(t, s, 1, LeastUsedDegradation{Load: 0, LoadDegradation: 4})
	if st, _ := s.State(1); st.Degradation != 0 {
		t.Fatalf("counter after re-registration: %d", st.Degradation)
	}
	if got := selectN(t, s, 2, nil); !equalIDs(got, []msg.PEID{1, 2}) {
		t.Fatalf("after reset: %v, want [1 2]", got)
	}
	// Every member of a list counts the selection.
	for id, n := range map[msg.PEID]uint32{1: 1, 2: 7} {
		if st, _ := s.State(id); st.Degradation != n {
			t.Fatalf("member %v: counter %d, want %d", id, st.Degradation, n)
		}
	}
	checkInvariants(t, s)
}

// Without degradation it is Least Used, ties in round robin; with the
// largest values the sum does not wrap.
func TestLeastUsedDegradationEdges(t *testing.T) {
	s := mustNew(t, msg.PolicyLeastUsedDegradation)
	for _, id := range ids(3) {
		mustSet(t, s, id, LeastUsedDegradation{Load: 7})
	}
	if got := sequence(t, s, 6, nil); !equalIDs(got, []msg.PEID{1, 2, 3, 1, 2, 3}) {
		t.Fatalf("no degradation: %v", got)
	}
	s = mustNew(t, msg.PolicyLeastUsedDegradation)
	mustSet(t, s, 1, LeastUsedDegradation{Load: 0xffffffff, LoadDegradation: 0xffffffff})
	mustSet(t, s, 2, LeastUsedDegradation{Load: 0xfffffff0, LoadDegradation: 0xffffffff})
	if got := sequence(t, s, 4, nil); !equalIDs(got, []msg.PEID{2, 1, 2, 1}) {
		t.Fatalf("large values: %v", got)
	}
	checkInvariants(t, s)
}
