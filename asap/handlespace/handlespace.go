package handlespace

import (
	"errors"
	"strconv"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/asap/policy"
)

// Handlespace holds pools and their elements. The zero value is not
// ready; use New.
type Handlespace struct {
	limits Limits
	pools  map[string]*Pool
	all    tree // every element, by (handle, id)
	owners map[msg.ServerID]*owner
	expiry []*Element // min-heap by expiry time
	ids    []msg.PEID // scratch for Resolve
}

// New returns an empty handlespace with the given limits.
func New(l Limits) *Handlespace {
	return &Handlespace{
		limits: l.withDefaults(),
		pools:  make(map[string]*Pool),
		all:    tree{which: linksAll},
		owners: make(map[msg.ServerID]*owner),
	}
}

// Limits returns the limits in force, defaults filled in.
func (h *Handlespace) Limits() Limits { return h.limits }

// Len returns the number of elements in all pools.
func (h *Handlespace) Len() int { return h.all.n }

// PoolCount returns the number of pools.
func (h *Handlespace) PoolCount() int { return len(h.pools) }

// Pool returns the pool with the given handle.
func (h *Handlespace) Pool(handle []byte) (*Pool, bool) {
	p, ok := h.pools[string(handle)]
	return p, ok
}

// Lookup returns the element id of the pool with the given handle.
func (h *Handlespace) Lookup(handle []byte, id msg.PEID) (*Element, bool) {
	p, ok := h.pools[string(handle)]
	if !ok {
		return nil, false
	}
	e, ok := p.members[id]
	return e, ok
}

// Register adds pe to the pool named handle, creating the pool if need
// be, or updates the element of that identifier if the pool has one (a
// re-registration, RFC 5352 §3.1 rules 1-3). The registration expires at
// expires; the zero Time means never (an infinite lifetime). It returns
// the element and whether it is new.
//
// The caller fills in the element as the handlespace is to keep it: a
// registrar sets the home registrar to itself and the ASAP transport to
// where the registration came from (rule 4), and turns the lifetime into
// expires, knowing what unit its peer counts in. A re-registration
// replaces all of the element's attributes (rule 3) and resets its
// policy state (RFC 5356 §5.2.2); a new home moves the element to that
// registrar's share.
//
// A refused registration changes nothing and returns an *Error: a pool
// handle that is empty or too long, a policy this package does not know,
// a policy type, transport type or transport use other than the pool's
// (rule 2), an element that does not encode, or a limit.
func (h *Handlespace) Register(handle []byte, pe *msg.PoolElement, expires time.Time) (*Element, bool, error) {
	if err := h.checkHandle(handle); err != nil {
		return nil, false, err
	}
	if err := pe.Policy.Check(); err != nil {
		var pol *msg.PolicyError
		cause := msg.Cause{Code: msg.CauseInvalidValues}
		if errors.As(err, &pol) {
			cause = pol.Cause()
		}
		return nil, false, &Error{Err: err, Rule: err.Error(), Cause: cause}
	}
	p := h.pools[string(handle)]
	var old *Element
	if p != nil {
		if err := p.consistent(pe); err != nil {
			return nil, false, err
		}
		old = p.members[pe.ID]
	}
	if old == nil {
		if err := h.room(p); err != nil {
			return nil, false, err
		}
	}
	raw, own, err := ownCopy(pe)
	if err != nil {
		return nil, false, err
	}
	if own.UserTransport.IsZero() {
		return nil, false, refuse(ErrInvalidElement, "pool element without a user transport", msg.CauseInvalidValues)
	}
	if old != nil {
		h.update(old, raw, own, expires)
		return old, false, nil
	}
	fresh := p == nil
	if fresh {
		p = h.newPool(handle, &own)
	}
	e := &Element{pe: own, raw: raw, id: own.ID, pool: p, heapIdx: -1}
	if err := p.sel.Set(e.id, own.Policy); err != nil {
		// The pool's type was checked above; this cannot happen.
		return nil, false, &Error{Err: ErrInconsistentPolicy, Rule: err.Error(), Cause: msg.InconsistentPoolingPolicyCause(p.Policy())}
	}
	if fresh {
		h.pools[p.handle] = p
	}
	p.members[e.id] = e
	h.all.insert(e)
	h.own(e)
	h.setExpiry(e, expires)
	return e, true, nil
}

func (h *Handlespace) checkHandle(handle []byte) error {
	info := func() msg.Cause {
		hp := msg.PoolHandleParam{Handle: handle}
		return msg.Cause{Code: msg.CauseInvalidValues, Info: hp.Append(nil)[:hp.Len()]}
	}
	switch {
	case len(handle) == 0:
		return &Error{Err: ErrEmptyHandle, Rule: "empty pool handle", Cause: info()}
	case len(handle) > h.limits.MaxHandleLen:
		return &Error{
			Err:   ErrHandleTooLong,
			Rule:  "pool handle of " + strconv.Itoa(len(handle)) + " bytes exceeds the limit of " + strconv.Itoa(h.limits.MaxHandleLen),
			Cause: info(),
		}
	}
	return nil
}

// consistent checks a registration against the pool's overall policy,
// transport type and transport use (RFC 5352 §3.1 rule 2). The transport
// use is the SCTP Transport's; for the other transports RFC 5354 §3.3,
// §3.5-§3.7 make the field reserved and the use "data only".
func (p *Pool) consistent(pe *msg.PoolElement) error {
	if pe.Policy.Type != p.ptype {
		return &Error{
			Err:   ErrInconsistentPolicy,
			Rule:  "policy " + pe.Policy.Type.String() + " in a pool of " + p.ptype.String(),
			Cause: msg.InconsistentPoolingPolicyCause(p.Policy()),
		}
	}
	if pe.UserTransport.Kind != p.kind {
		cause := msg.Cause{Code: msg.CauseInconsistentTransportType}
		for e := range p.Elements() {
			cause = msg.InconsistentTransportTypeCause(e.pe.UserTransport)
			break
		}
		return &Error{
			Err:   ErrInconsistentTransport,
			Rule:  "user transport " + pe.UserTransport.Kind.String() + " in a pool of " + p.kind.String(),
			Cause: cause,
		}
	}
	if p.kind == msg.ParamSCTPTransport && pe.UserTransport.Use != p.use {
		return refuse(ErrInconsistentDataControl, "transport use "+pe.UserTransport.Use.String()+" in a pool of "+p.use.String(),
			msg.CauseInconsistentDataControl)
	}
	return nil
}

// room checks the limits for one more element in pool p (nil: a new
// pool).
func (h *Handlespace) room(p *Pool) error {
	switch {
	case p == nil && len(h.pools) >= h.limits.MaxPools:
		return refuse(ErrTooManyPools, "pool limit of "+strconv.Itoa(h.limits.MaxPools)+" reached", msg.CauseLackOfResources)
	case p != nil && len(p.members) >= h.limits.MaxPoolElements:
		return refuse(ErrPoolFull, "limit of "+strconv.Itoa(h.limits.MaxPoolElements)+" pool elements per pool reached", msg.CauseLackOfResources)
	case h.all.n >= h.limits.MaxElements:
		return refuse(ErrHandlespaceFull, "limit of "+strconv.Itoa(h.limits.MaxElements)+" pool elements reached", msg.CauseLackOfResources)
	}
	return nil
}

// newPool makes the pool that first creates; Register adds it to the map
// once first is in.
func (h *Handlespace) newPool(handle []byte, first *msg.PoolElement) *Pool {
	hb := append([]byte(nil), handle...)
	sel, _ := policy.New(first.Policy.Type) // the type was checked
	p := &Pool{
		hs:      h,
		handle:  string(hb),
		hb:      hb,
		ptype:   first.Policy.Type,
		kind:    first.UserTransport.Kind,
		use:     first.UserTransport.Use,
		members: make(map[msg.PEID]*Element),
		sel:     sel,
	}
	return p
}

// update replaces a registered element's attributes.
func (h *Handlespace) update(e *Element, raw []byte, pe msg.PoolElement, expires time.Time) {
	moved := pe.HomeServer != e.pe.HomeServer
	if moved {
		h.disown(e)
	}
	e.pe, e.raw = pe, raw
	if moved {
		h.own(e)
	}
	_ = e.pool.sel.Set(e.id, pe.Policy) // same type, checked
	h.setExpiry(e, expires)
}

// Deregister removes the element id from the pool named handle, and the
// pool when it was the last (RFC 5352 §3.2). It returns the element, or
// false when there was none, which RFC 5352 §3.2 treats as a granted
// deregistration all the same.
func (h *Handlespace) Deregister(handle []byte, id msg.PEID) (*Element, bool) {
	e, ok := h.Lookup(handle, id)
	if ok {
		h.remove(e)
	}
	return e, ok
}

// remove takes a registered element out of every index.
func (h *Handlespace) remove(e *Element) {
	p := e.pool
	h.unexpire(e)
	h.disown(e)
	h.all.remove(e)
	p.sel.Remove(e.id)
	delete(p.members, e.id)
	if len(p.members) == 0 {
		delete(h.pools, p.handle)
	}
}
