package policy

import (
	"math"

	"github.com/rserpool/rserpool/asap/msg"
)

// rule is what tells one key-ordered policy from another: which policy
// values a member keeps, the key they give, and whether a selection
// degrades the member.
type rule struct {
	typ     msg.PolicyType
	values  func(p msg.Policy) (a, b uint32)
	param   func(a, b uint32) msg.Policy
	key     func(e *entry) uint64 // smallest first
	degrade bool                  // a selection increments the degradation counter
}

// ranked is the selector of Priority and of the Least Used family (RFC
// 5356 §4.5, §5.1-§5.3): those return the members with the best keys, in
// key order. Members of equal key form a circular list, ordered by a
// sequence number; as RFC 5356 §4.1.2 does for Round Robin, a selection
// moves the head of each such list it returns from past the others (a
// new sequence number puts it last). That is the round robin among
// equals that §5.1.2 and §5.3.2 ask for; for Priority, whose ties §4.5.2
// leaves in any order, it spreads the load. A member whose key a
// selection changes (a degradation counter, §5.2.2) also goes last among
// the members of its new key, behind those that waited there.
type ranked struct {
	rule *rule
	k    keyed
	seq  uint64
}

func newRanked(r *rule) *ranked { return &ranked{rule: r} }

func (s *ranked) Type() msg.PolicyType { return s.rule.typ }

func (s *ranked) Len() int { return s.k.len() }

func (s *ranked) Set(id msg.PEID, p msg.Policy) error {
	if err := checkType(s.rule.typ, p); err != nil {
		return err
	}
	a, b := s.rule.values(p)
	slot, ok := s.k.lookup(id)
	if !ok {
		slot = s.k.alloc(id)
		e := &s.k.ents[slot]
		e.a, e.b = a, b
		e.lo = s.next()
		e.hi = s.rule.key(e)
		s.k.push(slot)
		return nil
	}
	e := &s.k.ents[slot]
	e.a, e.b, e.deg = a, b, 0
	e.hi = s.rule.key(e)
	s.k.fix(slot)
	return nil
}

func (s *ranked) Remove(id msg.PEID) bool {
	slot, ok := s.k.lookup(id)
	if ok {
		s.k.release(slot)
	}
	return ok
}

func (s *ranked) State(id msg.PEID) (State, bool) {
	slot, ok := s.k.lookup(id)
	if !ok {
		return State{}, false
	}
	e := &s.k.ents[slot]
	return State{Policy: s.rule.param(e.a, e.b), Degradation: e.deg}, true
}

func (s *ranked) Select(dst []msg.PEID, n int, _ Rand) []msg.PEID {
	slots := s.k.smallest(n)
	for _, slot := range slots {
		dst = append(dst, s.k.ents[slot].id)
	}
	// The selected members come in key order, so each run of equal keys
	// starts with the head of its circular list.
	var prev uint64
	for i, slot := range slots {
		e := &s.k.ents[slot]
		old := e.hi
		if s.rule.degrade && e.deg < math.MaxUint32 {
			e.deg++
			e.hi = s.rule.key(e)
		}
		if i == 0 || old != prev || e.hi != old {
			e.lo = s.next()
		}
		prev = old
		s.k.fix(slot)
	}
	return dst
}

func (s *ranked) next() uint64 {
	s.seq++
	return s.seq
}
