package policy

import "github.com/rserpool/rserpool/asap/msg"

// PriorityLeastUsed is the Priority Least Used policy (RFC 5356 §5.3):
// the registrar returns the members whose load would be lowest after
// taking one more request, load + LoadDegradation.
type PriorityLeastUsed struct {
	Load            uint32
	LoadDegradation uint32
}

// Type returns msg.PolicyPriorityLeastUsed.
func (PriorityLeastUsed) Type() msg.PolicyType { return msg.PolicyPriorityLeastUsed }

// Param returns the wire parameter in the RFC's form (RFC 5356 §5.3.4),
// with the load degradation field.
func (p PriorityLeastUsed) Param() msg.Policy {
	return msg.Policy{Type: msg.PolicyPriorityLeastUsed, Load: p.Load, LoadDegradation: p.LoadDegradation}
}

// RFC 5356 §5.3.2: the lowest sums of load and degradation, ascending;
// round robin among equal sums. Unlike §5.2 nothing counts selections.
var priorityLeastUsedRule = rule{
	typ:    msg.PolicyPriorityLeastUsed,
	values: func(p msg.Policy) (uint32, uint32) { return p.Load, p.LoadDegradation },
	param:  func(a, b uint32) msg.Policy { return PriorityLeastUsed{Load: a, LoadDegradation: b}.Param() },
	key:    func(e *entry) uint64 { return uint64(e.a) + uint64(e.b) },
}

func newPriorityLeastUsed() Selector { return newRanked(&priorityLeastUsedRule) }
