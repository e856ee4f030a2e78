package policy

import (
	"testing"

	"github.com/rserpool/rserpool/asap/msg"
)

func rrPool(t *testing.T, n int) Selector {
	s := mustNew(t, msg.PolicyRoundRobin)
	for _, id := range ids(n) {
		mustSet(t, s, id, RoundRobin{})
	}
	return s
}

// RFC 5356 §4.1.2: a resolution returns the list from the head, and the
// head advances by one.
func TestRoundRobinCycle(t *testing.T) {
	s := rrPool(t, 3)
	if got, want := sequence(t, s, 7, nil), []msg.PEID{1, 2, 3, 1, 2, 3, 1}; !equalIDs(got, want) {
		t.Fatalf("k=1: %v, want %v", got, want)
	}
	s = rrPool(t, 3)
	for i, want := range [][]msg.PEID{{1, 2}, {2, 3}, {3, 1}, {1, 2}} {
		if got := selectN(t, s, 2, nil); !equalIDs(got, want) {
			t.Fatalf("k=2, resolution %d: %v, want %v", i, got, want)
		}
	}
	s = rrPool(t, 3)
	for i, want := range [][]msg.PEID{{1, 2, 3}, {2, 3, 1}, {3, 1, 2}} {
		if got := selectN(t, s, 5, nil); !equalIDs(got, want) {
			t.Fatalf("k=5, resolution %d: %v, want %v", i, got, want)
		}
	}
}

func TestRoundRobinMembership(t *testing.T) {
	s := rrPool(t, 3)
	selectN(t, s, 1, nil) // head now at 2
	// A new member joins at the end of the round, before the head.
	mustSet(t, s, 4, RoundRobin{})
	// A re-registration keeps the member's place.
	mustSet(t, s, 3, RoundRobin{})
	if got, want := selectN(t, s, 4, nil), []msg.PEID{2, 3, 1, 4}; !equalIDs(got, want) {
		t.Fatalf("after join: %v, want %v", got, want)
	}
	// The head (now 3) leaves: the next member becomes the head.
	if !s.Remove(3) {
		t.Fatal("Remove(3) = false")
	}
	if got, want := selectN(t, s, 4, nil), []msg.PEID{1, 4, 2}; !equalIDs(got, want) {
		t.Fatalf("after the head left: %v, want %v", got, want)
	}
	// A member other than the head leaves: the head stays.
	s.Remove(2)
	if got, want := selectN(t, s, 4, nil), []msg.PEID{4, 1}; !equalIDs(got, want) {
		t.Fatalf("after 2 left: %v, want %v", got, want)
	}
	s.Remove(4)
	s.Remove(1)
	if got := s.Select(nil, 1, nil); len(got) != 0 || s.Len() != 0 {
		t.Fatalf("emptied: %v, Len %d", got, s.Len())
	}
	mustSet(t, s, 9, RoundRobin{})
	if got := sequence(t, s, 2, nil); !equalIDs(got, []msg.PEID{9, 9}) {
		t.Fatalf("refilled: %v", got)
	}
	checkInvariants(t, s)
}

// Each member leads equally often over many resolutions.
func TestRoundRobinDistribution(t *testing.T) {
	s := rrPool(t, 10)
	c := counts(sequence(t, s, 1000, nil))
	for _, id := range ids(10) {
		if c[id] != 100 {
			t.Fatalf("member %v first %d times of 1000, want 100", id, c[id])
		}
	}
}
