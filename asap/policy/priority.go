package policy

import (
	"math"

	"github.com/rserpool/rserpool/asap/msg"
)

// Priority is the Priority policy (RFC 5356 §4.5): the registrar returns
// the members of highest priority first. Larger numbers mean higher
// priority.
type Priority struct {
	Priority uint32
}

// Type returns msg.PolicyPriority.
func (Priority) Type() msg.PolicyType { return msg.PolicyPriority }

// Param returns the wire parameter (RFC 5356 §4.5.4).
func (p Priority) Param() msg.Policy {
	return msg.Policy{Type: msg.PolicyPriority, Priority: p.Priority}
}

// RFC 5356 §4.5.2: the highest priorities, in decreasing order; equal
// priorities in any order, here round robin.
var priorityRule = rule{
	typ:    msg.PolicyPriority,
	values: func(p msg.Policy) (uint32, uint32) { return p.Priority, 0 },
	param:  func(a, _ uint32) msg.Policy { return Priority{Priority: a}.Param() },
	key:    func(e *entry) uint64 { return uint64(math.MaxUint32 - e.a) },
}

func newPriority() Selector { return newRanked(&priorityRule) }
