package policy

import "github.com/rserpool/rserpool/asap/msg"

// Random is the Random policy (RFC 5356 §4.3): members are picked
// uniformly at random. It has no parameters.
type Random struct{}

// Type returns msg.PolicyRandom.
func (Random) Type() msg.PolicyType { return msg.PolicyRandom }

// Param returns the wire parameter (RFC 5356 §4.3.4).
func (Random) Param() msg.Policy { return msg.Policy{Type: msg.PolicyRandom} }

// random keeps the members in a dense array. A selection is the first k
// steps of a Fisher-Yates shuffle, k distinct uniform picks as RFC 5356
// §4.3.2 requires, and then undoes its swaps, so that the id index stays
// valid without being written: O(k) per selection.
type random struct {
	ids   []msg.PEID
	pos   map[msg.PEID]int32
	swaps []int32
	own   ownRand
}

func newRandom() Selector { return &random{} }

func (s *random) Type() msg.PolicyType { return msg.PolicyRandom }

func (s *random) Len() int { return len(s.ids) }

func (s *random) Set(id msg.PEID, p msg.Policy) error {
	if err := checkType(msg.PolicyRandom, p); err != nil {
		return err
	}
	if _, ok := s.pos[id]; ok {
		return nil
	}
	if s.pos == nil {
		s.pos = make(map[msg.PEID]int32)
	}
	s.pos[id] = int32(len(s.ids))
	s.ids = append(s.ids, id)
	return nil
}

func (s *random) Remove(id msg.PEID) bool {
	i, ok := s.pos[id]
	if !ok {
		return false
	}
	delete(s.pos, id)
	last := len(s.ids) - 1
	if int(i) != last {
		moved := s.ids[last]
		s.ids[i] = moved
		s.pos[moved] = i
	}
	s.ids = s.ids[:last]
	return true
}

func (s *random) State(id msg.PEID) (State, bool) {
	if _, ok := s.pos[id]; !ok {
		return State{}, false
	}
	return State{Policy: Random{}.Param()}, true
}

func (s *random) Select(dst []msg.PEID, n int, r Rand) []msg.PEID {
	l := len(s.ids)
	if n > l {
		n = l
	}
	if n <= 0 {
		return dst
	}
	r = s.own.or(r)
	sw := s.swaps[:0]
	for i := 0; i < n; i++ {
		j := i + int(draw(r, uint64(l-i)))
		s.ids[i], s.ids[j] = s.ids[j], s.ids[i]
		sw = append(sw, int32(j))
		dst = append(dst, s.ids[i])
	}
	for i := n - 1; i >= 0; i-- {
		j := sw[i]
		s.ids[i], s.ids[j] = s.ids[j], s.ids[i]
	}
	s.swaps = sw
	return dst
}
