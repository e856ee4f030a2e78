package handlespace

import (
	"iter"
	"slices"

	"github.com/rserpool/rserpool/asap/msg"
)

// owner is what the handlespace keeps per home registrar: the elements it
// owns in (handle, id) order, for takeover (RFC 5353 §3.5) and
// resynchronization (§3.6.3), and their PE checksum (§3.6.2), which the
// registrar compares with its peers' to audit the handlespace (§3.6.1).
type owner struct {
	elems tree
	sum   msg.PEChecksum
}

func (h *Handlespace) own(e *Element) {
	home := e.pe.HomeServer
	o := h.owners[home]
	if o == nil {
		o = &owner{elems: tree{which: linksOwner}}
		h.owners[home] = o
	}
	o.elems.insert(e)
	o.sum.Add(e.pool.hb, e.id)
}

func (h *Handlespace) disown(e *Element) {
	home := e.pe.HomeServer
	o := h.owners[home]
	if o == nil {
		return
	}
	o.elems.remove(e)
	o.sum.Remove(e.pool.hb, e.id)
	if o.elems.n == 0 {
		delete(h.owners, home)
	}
}

// Checksum returns the PE checksum of the elements home owns (RFC 5353
// §3.6.2); 0xffff, the checksum of none, for a registrar that owns
// nothing.
func (h *Handlespace) Checksum(home msg.ServerID) uint16 {
	if o := h.owners[home]; o != nil {
		return o.sum.Value()
	}
	var none msg.PEChecksum
	return none.Value()
}

// OwnedCount returns the number of elements home owns.
func (h *Handlespace) OwnedCount(home msg.ServerID) int {
	if o := h.owners[home]; o != nil {
		return o.elems.n
	}
	return 0
}

// Owners appends to dst the home registrars that own elements, in
// increasing order.
func (h *Handlespace) Owners(dst []msg.ServerID) []msg.ServerID {
	start := len(dst)
	for id := range h.owners {
		dst = append(dst, id)
	}
	slices.Sort(dst[start:])
	return dst
}

// Owned returns the elements home owns, in (handle, id) order, from after
// c (from the start for the zero Cursor). The iteration may run while the
// handlespace changes, an element's home included: each step finds the
// element after the last one yielded.
func (h *Handlespace) Owned(home msg.ServerID, c Cursor) iter.Seq[*Element] {
	return func(yield func(*Element) bool) {
		for {
			o := h.owners[home]
			if o == nil {
				return
			}
			e := c.next(&o.elems)
			if e == nil || !yield(e) {
				return
			}
			c = e.Cursor()
		}
	}
}
