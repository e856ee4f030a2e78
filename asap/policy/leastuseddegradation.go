package policy

import "github.com/rserpool/rserpool/asap/msg"

// LeastUsedDegradation is the Least Used with Degradation policy (RFC
// 5356 §5.2): Least Used, where each selection counts as LoadDegradation
// more load until the member registers again, so that a burst of
// resolutions does not send every user to the same member before its
// reported load catches up.
type LeastUsedDegradation struct {
	Load            uint32
	LoadDegradation uint32
}

// Type returns msg.PolicyLeastUsedDegradation.
func (LeastUsedDegradation) Type() msg.PolicyType { return msg.PolicyLeastUsedDegradation }

// Param returns the wire parameter (RFC 5356 §5.2.4).
func (p LeastUsedDegradation) Param() msg.Policy {
	return msg.Policy{Type: msg.PolicyLeastUsedDegradation, Load: p.Load, LoadDegradation: p.LoadDegradation}
}

// RFC 5356 §5.2.2: the lowest load + counter * load degradation, where
// the counter goes up by one at each selection and back to 0 at each
// (re-)registration. The sum needs 64 bits: both factors are 32-bit.
var leastUsedDegradationRule = rule{
	typ:     msg.PolicyLeastUsedDegradation,
	values:  func(p msg.Policy) (uint32, uint32) { return p.Load, p.LoadDegradation },
	param:   func(a, b uint32) msg.Policy { return LeastUsedDegradation{Load: a, LoadDegradation: b}.Param() },
	key:     func(e *entry) uint64 { return uint64(e.a) + uint64(e.deg)*uint64(e.b) },
	degrade: true,
}

func newLeastUsedDegradation() Selector { return newRanked(&leastUsedDegradationRule) }
