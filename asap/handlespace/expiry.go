package handlespace

import "time"

// The expiry heap: the elements whose registration expires, smallest
// expiry first, each knowing its index. A PE that neither re-registers
// nor deregisters leaves when its lifetime runs out (RFC 5352 §3.2), and
// finding those must not cost a scan of the handlespace.

func (h *Handlespace) expLess(i, j int) bool {
	return h.expiry[i].expires.Before(h.expiry[j].expires)
}

func (h *Handlespace) expSwap(i, j int) {
	x := h.expiry
	x[i], x[j] = x[j], x[i]
	x[i].heapIdx = int32(i)
	x[j].heapIdx = int32(j)
}

func (h *Handlespace) expUp(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.expLess(i, p) {
			return
		}
		h.expSwap(i, p)
		i = p
	}
}

func (h *Handlespace) expDown(i int) bool {
	start, n := i, len(h.expiry)
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && h.expLess(r, c) {
			c = r
		}
		if !h.expLess(c, i) {
			break
		}
		h.expSwap(i, c)
		i = c
	}
	return i != start
}

// setExpiry gives e a new expiry time and its place in the heap; the zero
// time takes it out.
func (h *Handlespace) setExpiry(e *Element, t time.Time) {
	e.expires = t
	switch {
	case e.heapIdx < 0 && t.IsZero():
	case e.heapIdx < 0:
		e.heapIdx = int32(len(h.expiry))
		h.expiry = append(h.expiry, e)
		h.expUp(int(e.heapIdx))
	case t.IsZero():
		h.unexpire(e)
	default:
		if !h.expDown(int(e.heapIdx)) {
			h.expUp(int(e.heapIdx))
		}
	}
}

// unexpire takes e out of the heap.
func (h *Handlespace) unexpire(e *Element) {
	i := int(e.heapIdx)
	if i < 0 {
		return
	}
	last := len(h.expiry) - 1
	if i != last {
		h.expSwap(i, last)
	}
	h.expiry[last] = nil
	h.expiry = h.expiry[:last]
	e.heapIdx = -1
	if i != last && !h.expDown(i) {
		h.expUp(i)
	}
}

// NextExpiry returns the earliest expiry time of all registrations, for
// the caller's timer; false when no registration expires.
func (h *Handlespace) NextExpiry() (time.Time, bool) {
	if len(h.expiry) == 0 {
		return time.Time{}, false
	}
	return h.expiry[0].expires, true
}

// Expire removes every element whose registration has expired at now
// (its expiry time is not after now) and appends them to dst, earliest
// first. A registrar then tells its peers (RFC 5353 §3.3.2) and the PE
// (RFC 5352 §3.2).
func (h *Handlespace) Expire(dst []*Element, now time.Time) []*Element {
	for len(h.expiry) > 0 && !h.expiry[0].expires.After(now) {
		e := h.expiry[0]
		h.remove(e)
		dst = append(dst, e)
	}
	return dst
}
