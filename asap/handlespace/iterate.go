package handlespace

import (
	"iter"
	"math"

	"github.com/rserpool/rserpool/asap/msg"
)

// Cursor is a position in the handlespace's order, (pool handle, PE
// identifier). It names a key, not an element, so it stays meaningful
// while elements come and go: an ENRP server that sends its handle table
// in pieces (RFC 5353 §2.3, the M flag) keeps the cursor of the last
// element sent and resumes after it. The zero Cursor is before every
// element.
type Cursor struct {
	handle string
	id     msg.PEID
	set    bool
}

// next returns the first element of t after c.
func (c Cursor) next(t *tree) *Element {
	if !c.set {
		return t.first()
	}
	return t.ceil(c.handle, c.id, true)
}

// After returns every element after c (from the start for the zero
// Cursor), in (handle, id) order. The iteration may run while the
// handlespace changes: each step finds the element after the last one
// yielded.
func (h *Handlespace) After(c Cursor) iter.Seq[*Element] {
	return func(yield func(*Element) bool) {
		for e := c.next(&h.all); e != nil; e = h.all.ceil(e.pool.handle, e.id, true) {
			if !yield(e) {
				return
			}
		}
	}
}

// Pools returns the pools in handle order. The iteration may run while
// the handlespace changes.
func (h *Handlespace) Pools() iter.Seq[*Pool] {
	return func(yield func(*Pool) bool) {
		for e := h.all.first(); e != nil; e = h.all.ceil(e.pool.handle, math.MaxUint32, true) {
			if !yield(e.pool) {
				return
			}
		}
	}
}
