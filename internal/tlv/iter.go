package tlv

// Iter walks a list item by item with Cut. Offsets it reports are in the
// caller's buffer: the list starts at base there.
type Iter struct {
	b    []byte
	base int
	off  int
	fail Failure
}

// NewIter walks the list b, which starts at offset base of the caller's
// buffer.
func NewIter(b []byte, base int) Iter { return Iter{b: b, base: base} }

// Next returns the next item (header and value, without padding) and its
// offset in the caller's buffer, or false at the end of the list or at the
// first item that breaks a framing rule (then Failure says which).
func (it *Iter) Next() (item []byte, off int, ok bool) {
	if it.fail.Failed() || it.off >= len(it.b) {
		return nil, 0, false
	}
	n, next, f := Cut(it.b, it.off)
	if f.Failed() {
		f.Off += it.base
		it.fail = f
		return nil, 0, false
	}
	item, off = it.b[it.off:it.off+n:it.off+n], it.base+it.off
	it.off = next
	return item, off, true
}

// Failure returns the framing rule the list broke, its offset in the
// caller's buffer; the zero Failure when none so far.
func (it *Iter) Failure() Failure { return it.fail }

// Rest returns the offset in the list of the item Next would return.
func (it *Iter) Rest() int { return it.off }

// Describe names what broke a rule for an error message: the item kind
// what ("parameter", "error cause"), preceded by the item type's name when
// the type could be read.
func (f Failure) Describe(what string, name func(uint16) string) string {
	if f.HasType {
		return name(f.Type) + " " + what
	}
	return what
}
