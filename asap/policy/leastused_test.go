package policy

import (
	"slices"
	"testing"

	"github.com/rserpool/rserpool/asap/msg"
)

// RFC 5356 §5.1.2: the lowest loads, sorted ascending by load.
func TestLeastUsedOrder(t *testing.T) {
	s := mustNew(t, msg.PolicyLeastUsed)
	loads := map[msg.PEID]uint32{1: 10, 2: 5, 3: 7, 4: 20, 5: 0xffffffff, 6: 0}
	for id, l := range loads {
		mustSet(t, s, id, LeastUsed{Load: l})
	}
	if got, want := selectN(t, s, 6, nil), []msg.PEID{6, 2, 3, 1, 4, 5}; !equalIDs(got, want) {
		t.Fatalf("%v, want %v", got, want)
	}
	// The lowest load, every time: nothing a selection does changes it.
	if got := sequence(t, s, 5, nil); !equalIDs(got, []msg.PEID{6, 6, 6, 6, 6}) {
		t.Fatalf("%v, want 6 every time", got)
	}
	// A load update moves the member.
	mustSet(t, s, 6, LeastUsed{Load: 8})
	if got, want := selectN(t, s, 3, nil), []msg.PEID{2, 3, 6}; !equalIDs(got, want) {
		t.Fatalf("after update: %v, want %v", got, want)
	}
	checkInvariants(t, s)
}

// RFC 5356 §5.1.2: among equal loads, round robin; the list stays
// sorted by load.
func TestLeastUsedTies(t *testing.T) {
	s := mustNew(t, msg.PolicyLeastUsed)
	for _, id := range ids(3) {
		mustSet(t, s, id, LeastUsed{Load: 50})
	}
	mustSet(t, s, 4, LeastUsed{Load: 60})
	if got, want := sequence(t, s, 6, nil), []msg.PEID{1, 2, 3, 1, 2, 3}; !equalIDs(got, want) {
		t.Fatalf("k=1: %v, want %v", got, want)
	}
	// As §4.1.2's list with a head: k=2 gives 12, 23, 31.
	for i, want := range [][]msg.PEID{{1, 2}, {2, 3}, {3, 1}, {1, 2}} {
		if got := selectN(t, s, 2, nil); !equalIDs(got, want) {
			t.Fatalf("k=2, resolution %d: %v, want %v", i, got, want)
		}
	}
	// The whole pool: the tie rotates, the higher load stays last.
	for i, want := range [][]msg.PEID{{2, 3, 1, 4}, {3, 1, 2, 4}, {1, 2, 3, 4}} {
		if got := selectN(t, s, 9, nil); !equalIDs(got, want) {
			t.Fatalf("k=9, resolution %d: %v, want %v", i, got, want)
		}
	}
	// A unique lowest load leads; the tie behind it still rotates.
	mustSet(t, s, 4, LeastUsed{Load: 1})
	seconds := map[msg.PEID]int{}
	for range 30 {
		got := selectN(t, s, 2, nil)
		if got[0] != 4 {
			t.Fatalf("%v: lowest load not first", got)
		}
		seconds[got[1]]++
	}
	if seconds[1] != 10 || seconds[2] != 10 || seconds[3] != 10 {
		t.Fatalf("second places %v, want 10 each", seconds)
	}
}

// Over a pool of random loads a list is always the k lowest, ascending.
func TestLeastUsedLowest(t *testing.T) {
	s := mustNew(t, msg.PolicyLeastUsed)
	r := seeded(9)
	loads := map[msg.PEID]uint32{}
	for _, id := range ids(500) {
		loads[id] = uint32(r.IntN(100))
		mustSet(t, s, id, LeastUsed{Load: loads[id]})
	}
	sorted := make([]uint32, 0, len(loads))
	for _, l := range loads {
		sorted = append(sorted, l)
	}
	slices.Sort(sorted)
	for range 100 {
		got := selectN(t, s, 20, nil)
		for i, id := range got {
			if loads[id] != sorted[i] {
				t.Fatalf("position %d: load %d, want %d", i, loads[id], sorted[i])
			}
		}
	}
}
