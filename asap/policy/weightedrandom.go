package policy

import "github.com/rserpool/rserpool/asap/msg"

// WeightedRandom is the Weighted Random policy (RFC 5356 §4.4): members
// are picked at random with probability proportional to their weight. A
// weight of 0 means the member cannot serve (RFC 5356 §3.2); it is never
// selected.
type WeightedRandom struct {
	Weight uint32
}

// Type returns msg.PolicyWeightedRandom.
func (WeightedRandom) Type() msg.PolicyType { return msg.PolicyWeightedRandom }

// Param returns the wire parameter (RFC 5356 §4.4.4).
func (p WeightedRandom) Param() msg.Policy {
	return msg.Policy{Type: msg.PolicyWeightedRandom, Weight: p.Weight}
}

func newWeightedRandom() Selector {
	return &weighted{
		typ:    msg.PolicyWeightedRandom,
		weight: func(v uint32) uint64 { return uint64(v) },
		value:  func(p msg.Policy) uint32 { return p.Weight },
		param:  func(v uint32) msg.Policy { return WeightedRandom{Weight: v}.Param() },
	}
}
