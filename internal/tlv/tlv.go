// Package tlv holds the framing rules of type-length-value lists shared by
// SCTP's parameters and error causes (RFC 9260 §3.2.1, §3.3.10) and by
// RSerPool's parameters (RFC 5354 §2, §3), which copied SCTP's layout: a
// 16-bit type, a 16-bit length counting the 4-byte header but not the
// padding, then the value padded with zeros to a multiple of 4 bytes. The
// padding of the last item of a list may be missing, because the length
// of the enclosing chunk, message or parameter does not count it.
//
// Each codec wraps Iter in an iterator that turns a Failure into its own
// error type.
package tlv

import "encoding/binary"

// HeaderLen is the size of an item's type and length fields.
const HeaderLen = 4

// Failure says which framing rule an item broke. The zero Failure means
// none.
type Failure struct {
	Off     int    // offset of the offending field, relative to the list
	Type    uint16 // the item's type, when HasType
	HasType bool   // false when not even the type could be read
	Rule    string // the rule broken
}

// Failed reports whether f names a broken rule.
func (f Failure) Failed() bool { return f.Rule != "" }

// Cut frames the item that starts at off in the list b (off < len(b)). It
// returns the item's length field n, so that the item is b[off:off+n], and
// the offset of the next item; or the rule the item breaks. An item whose
// padding does not fit in b, wholly or in part, is the last one: next is
// then len(b), and the padding bytes that are there are skipped unread
// (RFC 9260 §3.2.1: "The receiver MUST ignore the padding bytes").
func Cut(b []byte, off int) (n, next int, f Failure) {
	rest := len(b) - off
	if rest < HeaderLen {
		return 0, 0, Failure{Off: off, Rule: "fewer than 4 bytes left for a header"}
	}
	typ := binary.BigEndian.Uint16(b[off:])
	n = int(binary.BigEndian.Uint16(b[off+2:]))
	switch {
	case n < HeaderLen:
		return 0, 0, Failure{Off: off + 2, Type: typ, HasType: true, Rule: "length below 4"}
	case n > rest:
		return 0, 0, Failure{Off: off + 2, Type: typ, HasType: true, Rule: "length runs past the end of the enclosing structure"}
	}
	next = min(off+Pad4(n), len(b))
	return n, next, Failure{}
}

// ListLen returns the length of an encoded list without the padding of
// its last item: the part of the list an enclosing length counts. A list
// that does not frame is returned whole.
func ListLen(b []byte) int {
	off, last := 0, 0
	for off < len(b) {
		n, next, f := Cut(b, off)
		if f.Failed() {
			return len(b)
		}
		last, off = off+n, next
	}
	return last
}

// Pad4 rounds n up to a multiple of 4.
func Pad4(n int) int { return (n + 3) &^ 3 }

// AppendPad appends the zero bytes that bring a structure of length n up
// to a multiple of 4.
func AppendPad(b []byte, n int) []byte {
	switch Pad4(n) - n {
	case 1:
		return append(b, 0)
	case 2:
		return append(b, 0, 0)
	case 3:
		return append(b, 0, 0, 0)
	}
	return b
}

// AppendHeader appends an item header whose length field is n.
func AppendHeader(b []byte, typ uint16, n int) []byte {
	return append(b, byte(typ>>8), byte(typ), byte(n>>8), byte(n))
}
