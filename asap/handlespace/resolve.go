package handlespace

import (
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/asap/policy"
)

// Resolve answers a handle resolution (RFC 5352 §3.3): it appends to dst
// up to n elements of the pool named handle, chosen and ordered by the
// pool's policy (RFC 5356), whose state the selection advances. Random
// policies draw from r. A handle with no pool gives an *Error matching
// ErrUnknownPool, whose cause is the Unknown Pool Handle error the
// registrar answers with.
//
// The registrar decides n: the pool user's wish (rsplib's Handle
// Resolution Option), a limit of its own, or Pool.Len for the whole
// pool, which RFC 5352 §3.3 suggests. Some members are never selected
// whatever n is: those of weight 0 (RFC 5356 §3.2), or fully loaded under
// Randomized Least Used (§5.4.1).
func (h *Handlespace) Resolve(dst []*Element, handle []byte, n int, r policy.Rand) ([]*Element, error) {
	p, ok := h.pools[string(handle)]
	if !ok {
		return dst, refuse(ErrUnknownPool, "no pool with handle "+quote(handle), msg.CauseUnknownPoolHandle)
	}
	h.ids = p.sel.Select(h.ids[:0], n, r)
	for _, id := range h.ids {
		dst = append(dst, p.members[id])
	}
	return dst, nil
}

// quote shows a pool handle for an error message: printable ASCII as it
// is, anything else in hex.
func quote(b []byte) string {
	const hex = "0123456789abcdef"
	if len(b) > 64 {
		b = b[:64]
	}
	out := make([]byte, 0, 2+len(b))
	out = append(out, '"')
	for _, c := range b {
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			out = append(out, c)
		} else {
			out = append(out, '\\', 'x', hex[c>>4], hex[c&15])
		}
	}
	return string(append(out, '"'))
}
