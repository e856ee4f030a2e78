package policy

import "github.com/rserpool/rserpool/asap/msg"

// LeastUsed is the Least Used policy (RFC 5356 §5.1): the registrar
// returns the least loaded members. Load runs from 0 (idle) to
// 0xffffffff (fully used) (RFC 5356 §3.1).
type LeastUsed struct {
	Load uint32
}

// Type returns msg.PolicyLeastUsed.
func (LeastUsed) Type() msg.PolicyType { return msg.PolicyLeastUsed }

// Param returns the wire parameter (RFC 5356 §5.1.4).
func (p LeastUsed) Param() msg.Policy {
	return msg.Policy{Type: msg.PolicyLeastUsed, Load: p.Load}
}

// RFC 5356 §5.1.2: the lowest loads, sorted ascending by load; round
// robin among equal loads.
var leastUsedRule = rule{
	typ:    msg.PolicyLeastUsed,
	values: func(p msg.Policy) (uint32, uint32) { return p.Load, 0 },
	param:  func(a, _ uint32) msg.Policy { return LeastUsed{Load: a}.Param() },
	key:    func(e *entry) uint64 { return uint64(e.a) },
}

func newLeastUsed() Selector { return newRanked(&leastUsedRule) }
