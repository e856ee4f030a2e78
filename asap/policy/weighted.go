package policy

import "github.com/rserpool/rserpool/asap/msg"

// weighted is the selector of Weighted Random and Randomized Least Used
// (RFC 5356 §4.4, §5.4): members drawn at random, each with probability
// its weight over the sum of weights, without repeats. The members sit in
// a dense array with a Fenwick tree over their weights; a selection draws
// one, sets its weight to 0 so that it cannot come again, draws the next,
// and restores the weights at the end: O(k log n). Members of weight 0
// are never drawn.
type weighted struct {
	typ    msg.PolicyType
	weight func(v uint32) uint64 // the draw weight of a member's policy value
	value  func(p msg.Policy) uint32
	param  func(v uint32) msg.Policy

	ids    []msg.PEID
	vals   []uint32
	fen    fenwick
	pos    map[msg.PEID]int32
	picked []int32
	own    ownRand
}

func (s *weighted) Type() msg.PolicyType { return s.typ }

func (s *weighted) Len() int { return len(s.ids) }

func (s *weighted) Set(id msg.PEID, p msg.Policy) error {
	if err := checkType(s.typ, p); err != nil {
		return err
	}
	v := s.value(p)
	if i, ok := s.pos[id]; ok {
		old := s.weight(s.vals[i])
		s.vals[i] = v
		s.fen.add(int(i), s.weight(v)-old)
		return nil
	}
	if s.pos == nil {
		s.pos = make(map[msg.PEID]int32)
	}
	s.pos[id] = int32(len(s.ids))
	s.ids = append(s.ids, id)
	s.vals = append(s.vals, v)
	s.fen.push(s.weight(v))
	return nil
}

func (s *weighted) Remove(id msg.PEID) bool {
	i, ok := s.pos[id]
	if !ok {
		return false
	}
	delete(s.pos, id)
	last := len(s.ids) - 1
	// Move the last member into the hole, then drop the last position.
	s.fen.add(last, -s.weight(s.vals[last]))
	if int(i) != last {
		moved, mv := s.ids[last], s.vals[last]
		s.fen.add(int(i), s.weight(mv)-s.weight(s.vals[i]))
		s.ids[i], s.vals[i] = moved, mv
		s.pos[moved] = i
	}
	s.fen.pop()
	s.ids, s.vals = s.ids[:last], s.vals[:last]
	return true
}

func (s *weighted) State(id msg.PEID) (State, bool) {
	i, ok := s.pos[id]
	if !ok {
		return State{}, false
	}
	return State{Policy: s.param(s.vals[i])}, true
}

func (s *weighted) Select(dst []msg.PEID, n int, r Rand) []msg.PEID {
	if n <= 0 || s.fen.total == 0 {
		return dst
	}
	r = s.own.or(r)
	picked := s.picked[:0]
	for len(picked) < n && s.fen.total > 0 {
		i := s.fen.find(draw(r, s.fen.total))
		dst = append(dst, s.ids[i])
		picked = append(picked, int32(i))
		s.fen.add(i, -s.weight(s.vals[i]))
	}
	for _, i := range picked {
		s.fen.add(int(i), s.weight(s.vals[i]))
	}
	s.picked = picked
	return dst
}
