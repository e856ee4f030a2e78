package policy

import (
	"testing"

	"github.com/rserpool/rserpool/asap/msg"
)

// RFC 5356 §4.5.2: the highest priorities, in decreasing order.
func TestPriorityOrder(t *testing.T) {
	s := mustNew(t, msg.PolicyPriority)
	for id, p := range map[msg.PEID]uint32{1: 5, 2: 9, 3: 7, 4: 9, 5: 0, 6: 0xffffffff} {
		mustSet(t, s, id, Priority{Priority: p})
	}
	got := selectN(t, s, 6, nil)
	if got[0] != 6 || got[3] != 3 || got[4] != 1 || got[5] != 5 {
		t.Fatalf("%v, want 6, then 2 and 4 in some order, then 3 1 5", got)
	}
	if got := selectN(t, s, 1, nil); !equalIDs(got, []msg.PEID{6}) {
		t.Fatalf("Select(1) = %v, want the highest", got)
	}
	// Priorities change with a re-registration.
	mustSet(t, s, 6, Priority{Priority: 1})
	mustSet(t, s, 5, Priority{Priority: 8})
	got = selectN(t, s, 3, nil)
	if got[2] != 5 {
		t.Fatalf("after updates: %v, want 5 third", got)
	}
	checkInvariants(t, s)
}

// Equal priorities may come in any order (RFC 5356 §4.5.2); they take
// turns at the head.
func TestPriorityTies(t *testing.T) {
	s := mustNew(t, msg.PolicyPriority)
	for id, p := range map[msg.PEID]uint32{1: 9, 2: 9, 3: 9, 4: 1} {
		mustSet(t, s, id, Priority{Priority: p})
	}
	c := counts(sequence(t, s, 300, nil))
	if c[1] != 100 || c[2] != 100 || c[3] != 100 {
		t.Fatalf("heads %v, want 100 each of 1, 2, 3", c)
	}
	lead := map[msg.PEID]int{}
	for range 300 {
		got := selectN(t, s, 4, nil)
		if got[3] != 4 {
			t.Fatalf("%v: lowest priority not last", got)
		}
		lead[got[0]]++
	}
	if lead[1] != 100 || lead[2] != 100 || lead[3] != 100 {
		t.Fatalf("full lists led by %v, want 100 each", lead)
	}
}
