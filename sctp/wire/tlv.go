package wire

import "github.com/rserpool/rserpool/internal/tlv"

// Parameters (RFC 9260 §3.2.1) and error causes (§3.3.10) share one
// layout, whose framing rules internal/tlv holds: a 16-bit type or code,
// a 16-bit length that counts the 4-byte header but not the padding, then
// the value padded to a multiple of 4. The padding of the last item in a
// chunk may be missing, because the chunk length does not count it (§3.2),
// or partly there; padding is ignored either way (§3.2.1).

const tlvHeaderLen = tlv.HeaderLen

// tlvItem is one type-length-value item cut from a list.
type tlvItem struct {
	b   []byte // header and value, no padding
	off int    // offset of b[0] in the caller's buffer
}

// tlvIter walks a TLV list with internal/tlv's Iter and turns a broken
// framing rule into a ParseError. what names the kind of item for errors
// ("parameter", "error cause") and name turns an item's type into its name.
type tlvIter struct {
	tlv.Iter
	err  error
	what string
	name func(uint16) string
}

func newTLVIter(b []byte, base int, what string, name func(uint16) string) tlvIter {
	return tlvIter{Iter: tlv.NewIter(b, base), what: what, name: name}
}

func (it *tlvIter) next() (tlvItem, bool) {
	b, off, ok := it.Next()
	if f := it.Failure(); f.Failed() && it.err == nil {
		it.err = parseErr(f.Off, f.Describe(it.what, it.name), f.Rule)
	}
	return tlvItem{b: b, off: off}, ok
}

// validTLVs walks a whole list and returns the first error.
func validTLVs(b []byte, base int, what string, name func(uint16) string) error {
	it := newTLVIter(b, base, what, name)
	for {
		if _, ok := it.next(); !ok {
			return it.err
		}
	}
}

// pad4 rounds n up to a multiple of 4.
func pad4(n int) int { return tlv.Pad4(n) }

// appendPad appends the zero bytes that bring a structure of length n up
// to a multiple of 4.
func appendPad(b []byte, n int) []byte { return tlv.AppendPad(b, n) }

func appendTLVHeader(b []byte, typ uint16, n int) []byte { return tlv.AppendHeader(b, typ, n) }
