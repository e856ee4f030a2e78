package handlespace

import (
	"iter"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/asap/policy"
)

// Pool is one pool: its handle, the overall policy, transport type and
// transport use that its first element set (RFC 5352 §3.1 rule 1), its
// elements and its selection state. A pool exists while it has
// elements (RFC 5352 §3.2).
type Pool struct {
	hs      *Handlespace
	handle  string
	hb      []byte // handle, as the checksum wants it
	ptype   msg.PolicyType
	kind    msg.ParamType
	use     msg.TransportUse
	members map[msg.PEID]*Element
	sel     policy.Selector
}

// Handle returns the pool handle.
func (p *Pool) Handle() string { return p.handle }

// PolicyType returns the pool's policy type.
func (p *Pool) PolicyType() msg.PolicyType { return p.ptype }

// Policy returns the pool's overall policy as the parameter of a handle
// resolution response carries it (RFC 5352 §3.3): the type, with zero
// values.
func (p *Pool) Policy() msg.Policy { return msg.Policy{Type: p.ptype} }

// Transport returns the pool's transport type (a transport parameter
// type of RFC 5354 §3.3-§3.7, §3.16) and transport use.
func (p *Pool) Transport() (msg.ParamType, msg.TransportUse) { return p.kind, p.use }

// Len returns the number of elements.
func (p *Pool) Len() int { return len(p.members) }

// Element returns the element with identifier id.
func (p *Pool) Element(id msg.PEID) (*Element, bool) {
	e, ok := p.members[id]
	return e, ok
}

// Elements returns the elements in identifier order. The iteration may
// run while the handlespace changes: each step finds the element after
// the last one yielded.
func (p *Pool) Elements() iter.Seq[*Element] {
	return func(yield func(*Element) bool) {
		t := &p.hs.all
		for e := t.ceil(p.handle, 0, false); e != nil && e.pool == p; {
			if !yield(e) {
				return
			}
			e = t.ceil(p.handle, e.id, true)
		}
	}
}
