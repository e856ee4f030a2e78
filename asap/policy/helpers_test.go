package policy

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/rserpool/rserpool/asap/msg"
)

// seeded returns the deterministic source the tests draw from.
func seeded(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5356)) }

// mustNew returns a selector of type t.
func mustNew(t testing.TB, typ msg.PolicyType) Selector {
	t.Helper()
	s, err := New(typ)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// mustSet adds or updates a member.
func mustSet(t testing.TB, s Selector, id msg.PEID, p Policy) {
	t.Helper()
	if err := s.Set(id, p.Param()); err != nil {
		t.Fatalf("Set(%v, %+v): %v", id, p, err)
	}
}

// selectN selects n members and checks they are distinct members.
func selectN(t testing.TB, s Selector, n int, r Rand) []msg.PEID {
	t.Helper()
	got := s.Select(nil, n, r)
	if len(got) > n {
		t.Fatalf("Select(%d) gave %d members", n, len(got))
	}
	seen := make(map[msg.PEID]bool, len(got))
	for _, id := range got {
		if seen[id] {
			t.Fatalf("Select(%d) gave %v twice: %v", n, id, got)
		}
		seen[id] = true
		if _, ok := s.State(id); !ok {
			t.Fatalf("Select(%d) gave %v, not a member", n, id)
		}
	}
	return got
}

// sequence selects one member count times and returns them in order.
func sequence(t testing.TB, s Selector, count int, r Rand) []msg.PEID {
	t.Helper()
	var out []msg.PEID
	for range count {
		got := selectN(t, s, 1, r)
		if len(got) != 1 {
			t.Fatalf("Select(1) gave %v", got)
		}
		out = append(out, got[0])
	}
	return out
}

// checkFrequencies checks that the counts of draws follow the weights:
// each within five standard deviations of the binomial expectation.
// With a fixed seed the outcome is fixed; a wrong distribution is many
// deviations off.
func checkFrequencies(t *testing.T, counts map[msg.PEID]int, weights map[msg.PEID]float64, draws int) {
	t.Helper()
	var sum float64
	for _, w := range weights {
		sum += w
	}
	for id, w := range weights {
		p := w / sum
		want := float64(draws) * p
		tol := 5*math.Sqrt(float64(draws)*p*(1-p)) + 1
		if got := float64(counts[id]); math.Abs(got-want) > tol {
			t.Errorf("member %v (weight %g): %d of %d draws, want %.0f ± %.0f", id, w, counts[id], draws, want, tol)
		}
	}
	for id := range counts {
		if _, ok := weights[id]; !ok {
			t.Errorf("member %v drawn %d times, not expected at all", id, counts[id])
		}
	}
}

// checkInvariants checks a selector's internal structures against each
// other.
func checkInvariants(t testing.TB, s Selector) {
	t.Helper()
	if err := invariants(s); err != nil {
		t.Fatal(err)
	}
}

func invariants(s Selector) error {
	switch s := s.(type) {
	case *ranked:
		return s.k.check(true)
	case *weightedRoundRobin:
		if err := s.k.check(false); err != nil {
			return err
		}
		for id, slot := range s.k.slots {
			e := s.k.ents[slot]
			if (e.a == 0) != (e.pos < 0) {
				return fmt.Errorf("member %v of weight %d: heap position %d", id, e.a, e.pos)
			}
			if e.pos >= 0 && (e.hi < s.vtime || e.hi-s.vtime > strideUnit) {
				return fmt.Errorf("member %v: pass %d outside [%d, +2^48]", id, e.hi, s.vtime)
			}
		}
		return nil
	case *roundRobin:
		return s.check()
	case *random:
		if len(s.pos) != len(s.ids) {
			return fmt.Errorf("%d ids, %d in the index", len(s.ids), len(s.pos))
		}
		for i, id := range s.ids {
			if s.pos[id] != int32(i) {
				return fmt.Errorf("id %v at %d, index says %d", id, i, s.pos[id])
			}
		}
		return nil
	case *weighted:
		return s.check()
	}
	return fmt.Errorf("unknown selector %T", s)
}

func (k *keyed) check(all bool) error {
	if len(k.slots)+len(k.free) != len(k.ents) {
		return fmt.Errorf("%d members + %d free slots != %d slots", len(k.slots), len(k.free), len(k.ents))
	}
	inHeap := 0
	for id, slot := range k.slots {
		e := k.ents[slot]
		if e.id != id {
			return fmt.Errorf("slot %d holds %v, index says %v", slot, e.id, id)
		}
		if e.pos >= 0 {
			inHeap++
			if int(e.pos) >= len(k.heap) || k.heap[e.pos] != slot {
				return fmt.Errorf("member %v: heap position %d is wrong", id, e.pos)
			}
		} else if all {
			return fmt.Errorf("member %v is not in the heap", id)
		}
	}
	if inHeap != len(k.heap) {
		return fmt.Errorf("heap holds %d, %d members say they are in it", len(k.heap), inHeap)
	}
	for i := 1; i < len(k.heap); i++ {
		if k.less(k.heap[i], k.heap[(i-1)/2]) {
			return fmt.Errorf("heap order broken at %d", i)
		}
	}
	return nil
}

func (s *roundRobin) check() error {
	if len(s.slots) == 0 {
		if s.head != -1 {
			return fmt.Errorf("empty list with head %d", s.head)
		}
		return nil
	}
	n, c := 0, s.head
	for {
		nd := s.nodes[c]
		if s.slots[nd.id] != c {
			return fmt.Errorf("node %d holds %v, index says %d", c, nd.id, s.slots[nd.id])
		}
		if s.nodes[nd.next].prev != c {
			return fmt.Errorf("node %d: next's prev is wrong", c)
		}
		n++
		c = nd.next
		if c == s.head || n > len(s.slots) {
			break
		}
	}
	if n != len(s.slots) {
		return fmt.Errorf("circle holds %d nodes, %d members", n, len(s.slots))
	}
	return nil
}

func (s *weighted) check() error {
	if len(s.pos) != len(s.ids) || len(s.vals) != len(s.ids) || s.fen.len() != len(s.ids) {
		return fmt.Errorf("sizes: %d ids, %d index, %d values, %d tree", len(s.ids), len(s.pos), len(s.vals), s.fen.len())
	}
	var sum uint64
	for i, id := range s.ids {
		if s.pos[id] != int32(i) {
			return fmt.Errorf("id %v at %d, index says %d", id, i, s.pos[id])
		}
		sum += s.weight(s.vals[i])
		if got := s.fen.prefix(i + 1); got != sum {
			return fmt.Errorf("prefix(%d) = %d, want %d", i+1, got, sum)
		}
	}
	if s.fen.total != sum {
		return fmt.Errorf("total %d, want %d", s.fen.total, sum)
	}
	return nil
}

// ids returns the identifiers 1..n.
func ids(n int) []msg.PEID {
	out := make([]msg.PEID, n)
	for i := range out {
		out[i] = msg.PEID(i + 1)
	}
	return out
}

// counts tallies a sequence.
func counts(seq []msg.PEID) map[msg.PEID]int {
	c := make(map[msg.PEID]int)
	for _, id := range seq {
		c[id]++
	}
	return c
}

func equalIDs(a, b []msg.PEID) bool { return slices.Equal(a, b) }

// samePolicy compares two policy parameters field by field.
func samePolicy(a, b msg.Policy) bool {
	return a.Type == b.Type && a.Weight == b.Weight && a.Priority == b.Priority && a.Load == b.Load &&
		a.LoadDegradation == b.LoadDegradation && a.NoDegradation == b.NoDegradation && slices.Equal(a.Data, b.Data)
}
