package handlespace

import (
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/asap/policy"
)

// Element is a pool element as the handlespace holds it: its Pool Element
// parameter (RFC 5354 §3.10: identifier, home registrar, registration
// lifetime, user transport, policy, ASAP transport), the time its
// registration expires, and its place in the indexes.
//
// An *Element stays the same while the PE is registered: a
// re-registration updates it in place. After the PE leaves, its
// accessors still answer with its last values and Registered is false.
type Element struct {
	pe      msg.PoolElement // decoded from raw; its views alias raw
	raw     []byte          // the encoded parameter, with its padding
	id      msg.PEID
	pool    *Pool
	expires time.Time // zero: never
	heapIdx int32     // index in the expiry heap; -1 when not in it
	links   [2]links  // in the whole handlespace's order, in its owner's
}

const (
	linksAll = iota
	linksOwner
)

// ID returns the PE identifier.
func (e *Element) ID() msg.PEID { return e.id }

// Pool returns the element's pool.
func (e *Element) Pool() *Pool { return e.pool }

// Handle returns the pool handle.
func (e *Element) Handle() string { return e.pool.handle }

// Home returns the identifier of the element's home registrar, the ENRP
// server that owns it (RFC 5353 §1.1); 0 while none.
func (e *Element) Home() msg.ServerID { return e.pe.HomeServer }

// Expires returns when the registration expires; the zero Time for
// never.
func (e *Element) Expires() time.Time { return e.expires }

// Param returns the Pool Element parameter. Its byte fields alias the
// handlespace's copy, which is never written: a re-registration replaces
// it with a new one. Do not modify them.
func (e *Element) Param() msg.PoolElement { return e.pe }

// Policy returns the element's policy parameter.
func (e *Element) Policy() msg.Policy { return e.pe.Policy }

// AppendParam appends the encoded Pool Element parameter, with its
// padding, to b.
func (e *Element) AppendParam(b []byte) []byte { return append(b, e.raw...) }

// PolicyState returns the pool's selection state for the element (the
// degradation counter of RFC 5356 §5.2.2); false once it has left.
func (e *Element) PolicyState() (policy.State, bool) {
	if !e.Registered() {
		return policy.State{}, false
	}
	return e.pool.sel.State(e.id)
}

// Registered reports whether the element is still in the handlespace.
func (e *Element) Registered() bool { return e.pool.members[e.id] == e }

// Cursor returns the position of the element in the order of the
// handlespace; iteration from it goes on after the element.
func (e *Element) Cursor() Cursor { return Cursor{handle: e.pool.handle, id: e.id, set: true} }

// ownCopy encodes pe and decodes it back, so that the handlespace holds
// the element in one buffer of its own, whatever pe's fields alias. The
// decoding also checks what a caller built by hand.
func ownCopy(pe *msg.PoolElement) ([]byte, msg.PoolElement, error) {
	n := pe.Len()
	if n > 0xffff {
		return nil, msg.PoolElement{}, refuse(ErrInvalidElement, "pool element parameter longer than 65535 bytes", msg.CauseInvalidValues)
	}
	raw := pe.Append(make([]byte, 0, (n+3)&^3))
	var out msg.PoolElement
	q, err := msg.ParseParam(raw)
	if err == nil {
		err = out.Decode(q)
	}
	if err != nil {
		return nil, msg.PoolElement{}, &Error{Err: ErrInvalidElement, Rule: err.Error(), Cause: msg.Cause{Code: msg.CauseInvalidValues}}
	}
	return raw, out, nil
}
