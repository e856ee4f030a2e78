package policy

import "github.com/rserpool/rserpool/asap/msg"

// WeightedRoundRobin is the Weighted Round Robin policy (RFC 5356 §4.2):
// round robin over a circular list in which each member appears in
// proportion to its weight. A weight of 0 means the member cannot serve
// (RFC 5356 §3.2); it is never selected.
type WeightedRoundRobin struct {
	Weight uint32
}

// Type returns msg.PolicyWeightedRoundRobin.
func (WeightedRoundRobin) Type() msg.PolicyType { return msg.PolicyWeightedRoundRobin }

// Param returns the wire parameter (RFC 5356 §4.2.4).
func (p WeightedRoundRobin) Param() msg.Policy {
	return msg.Policy{Type: msg.PolicyWeightedRoundRobin, Weight: p.Weight}
}

// weightedRoundRobin builds the circular list of RFC 5356 §4.2.2 without
// writing it out, which 32-bit weights would forbid: by stride
// scheduling. Each member has a pass, its place in the list; the head is
// the smallest pass, and advancing the head past a member adds its
// stride, strideUnit/weight, to its pass. A member of weight w then takes
// w shares of the list, spread as evenly as the strides allow. The
// members following the head in list order are the next smallest passes,
// so a resolution returns the k smallest and advances the head by one,
// as §4.1.2 does for Round Robin.
//
// Passes never fall behind the head's, and stay within one stride
// (2^48) of it; when the head passes 2^62 all passes move back by its
// pass, an O(n) step that amortizes to O(1) per selection.
type weightedRoundRobin struct {
	k     keyed
	vtime uint64 // pass of the head when it last advanced
	seq   uint64 // breaks ties between equal passes
}

const (
	strideUnit  = 1 << 48
	rebaseAfter = 1 << 62
)

func stride(w uint32) uint64 { return strideUnit / uint64(w) }

func newWeightedRoundRobin() Selector { return &weightedRoundRobin{} }

func (s *weightedRoundRobin) Type() msg.PolicyType { return msg.PolicyWeightedRoundRobin }

func (s *weightedRoundRobin) Len() int { return s.k.len() }

func (s *weightedRoundRobin) Set(id msg.PEID, p msg.Policy) error {
	if err := checkType(msg.PolicyWeightedRoundRobin, p); err != nil {
		return err
	}
	slot, ok := s.k.lookup(id)
	if !ok {
		slot = s.k.alloc(id)
	} else if s.k.ents[slot].a == p.Weight {
		return nil // a re-registration keeps the member's place
	}
	e := &s.k.ents[slot]
	e.a = p.Weight
	if p.Weight == 0 {
		s.k.unheap(slot)
		return nil
	}
	// A new member, or a new weight, joins one of its strides after the
	// head.
	e.hi = s.vtime + stride(p.Weight)
	s.seq++
	e.lo = s.seq
	if e.pos < 0 {
		s.k.push(slot)
	} else {
		s.k.fix(slot)
	}
	return nil
}

func (s *weightedRoundRobin) Remove(id msg.PEID) bool {
	slot, ok := s.k.lookup(id)
	if ok {
		s.k.release(slot)
	}
	return ok
}

func (s *weightedRoundRobin) State(id msg.PEID) (State, bool) {
	slot, ok := s.k.lookup(id)
	if !ok {
		return State{}, false
	}
	return State{Policy: WeightedRoundRobin{Weight: s.k.ents[slot].a}.Param()}, true
}

func (s *weightedRoundRobin) Select(dst []msg.PEID, n int, _ Rand) []msg.PEID {
	slots := s.k.smallest(n)
	if len(slots) == 0 {
		return dst
	}
	for _, slot := range slots {
		dst = append(dst, s.k.ents[slot].id)
	}
	head := &s.k.ents[slots[0]]
	s.vtime = head.hi
	head.hi += stride(head.a)
	s.seq++
	head.lo = s.seq
	s.k.fix(slots[0])
	if s.vtime >= rebaseAfter {
		s.rebase()
	}
	return dst
}

// rebase moves every pass back by the head's, which keeps their order.
func (s *weightedRoundRobin) rebase() {
	base := s.vtime
	for _, slot := range s.k.heap {
		s.k.ents[slot].hi -= base
	}
	s.vtime = 0
}
