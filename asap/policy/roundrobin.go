package policy

import "github.com/rserpool/rserpool/asap/msg"

// RoundRobin is the Round Robin policy (RFC 5356 §4.1), the default that
// every RSerPool component must support. It has no parameters.
type RoundRobin struct{}

// Type returns msg.PolicyRoundRobin.
func (RoundRobin) Type() msg.PolicyType { return msg.PolicyRoundRobin }

// Param returns the wire parameter (RFC 5356 §4.1.4).
func (RoundRobin) Param() msg.Policy { return msg.Policy{Type: msg.PolicyRoundRobin} }

// roundRobin is the circular list with a head of RFC 5356 §4.1.2: a
// resolution returns members from the head on, and the head advances by
// one, so that successive users start at different members. New members
// join just before the head, at the end of the current round. The list
// is doubly linked through stable slots so that a member leaves in O(1).
type roundRobin struct {
	nodes []rrNode
	free  []int32
	slots map[msg.PEID]int32
	head  int32 // -1 when empty
}

type rrNode struct {
	id         msg.PEID
	prev, next int32
}

func newRoundRobin() Selector { return &roundRobin{head: -1} }

func (s *roundRobin) Type() msg.PolicyType { return msg.PolicyRoundRobin }

func (s *roundRobin) Len() int { return len(s.slots) }

func (s *roundRobin) Set(id msg.PEID, p msg.Policy) error {
	if err := checkType(msg.PolicyRoundRobin, p); err != nil {
		return err
	}
	if _, ok := s.slots[id]; ok {
		return nil
	}
	if s.slots == nil {
		s.slots = make(map[msg.PEID]int32)
	}
	var n int32
	if l := len(s.free); l > 0 {
		n = s.free[l-1]
		s.free = s.free[:l-1]
	} else {
		n = int32(len(s.nodes))
		s.nodes = append(s.nodes, rrNode{})
	}
	s.slots[id] = n
	if s.head < 0 {
		s.nodes[n] = rrNode{id: id, prev: n, next: n}
		s.head = n
		return nil
	}
	h := s.head
	t := s.nodes[h].prev
	s.nodes[n] = rrNode{id: id, prev: t, next: h}
	s.nodes[t].next = n
	s.nodes[h].prev = n
	return nil
}

func (s *roundRobin) Remove(id msg.PEID) bool {
	n, ok := s.slots[id]
	if !ok {
		return false
	}
	delete(s.slots, id)
	nd := s.nodes[n]
	if nd.next == n {
		s.head = -1
	} else {
		s.nodes[nd.prev].next = nd.next
		s.nodes[nd.next].prev = nd.prev
		if s.head == n {
			s.head = nd.next
		}
	}
	s.nodes[n] = rrNode{}
	s.free = append(s.free, n)
	return true
}

func (s *roundRobin) State(id msg.PEID) (State, bool) {
	if _, ok := s.slots[id]; !ok {
		return State{}, false
	}
	return State{Policy: RoundRobin{}.Param()}, true
}

func (s *roundRobin) Select(dst []msg.PEID, n int, _ Rand) []msg.PEID {
	if s.head < 0 || n <= 0 {
		return dst
	}
	if n > len(s.slots) {
		n = len(s.slots)
	}
	for i, c := 0, s.head; i < n; i, c = i+1, s.nodes[c].next {
		dst = append(dst, s.nodes[c].id)
	}
	s.head = s.nodes[s.head].next
	return dst
}
