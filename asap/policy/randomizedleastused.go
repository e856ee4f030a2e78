package policy

import (
	"math"

	"github.com/rserpool/rserpool/asap/msg"
)

// RandomizedLeastUsed is the Randomized Least Used policy (RFC 5356
// §5.4): Weighted Random with each member's weight its unused capacity,
// 0xffffffff - Load. A fully loaded member has weight 0 and is never
// selected.
type RandomizedLeastUsed struct {
	Load uint32
}

// Type returns msg.PolicyRandomizedLeastUsed.
func (RandomizedLeastUsed) Type() msg.PolicyType { return msg.PolicyRandomizedLeastUsed }

// Param returns the wire parameter (RFC 5356 §5.4.4).
func (p RandomizedLeastUsed) Param() msg.Policy {
	return msg.Policy{Type: msg.PolicyRandomizedLeastUsed, Load: p.Load}
}

// RFC 5356 §5.4.2: behave like Weighted Random with weight 0xffffffff -
// load.
func newRandomizedLeastUsed() Selector {
	return &weighted{
		typ:    msg.PolicyRandomizedLeastUsed,
		weight: func(v uint32) uint64 { return uint64(math.MaxUint32 - v) },
		value:  func(p msg.Policy) uint32 { return p.Load },
		param:  func(v uint32) msg.Policy { return RandomizedLeastUsed{Load: v}.Param() },
	}
}
