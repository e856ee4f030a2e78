package wire

import "encoding/binary"

// Parameters (RFC 9260 §3.2.1) and error causes (§3.3.10) share one
// layout: a 16-bit type or code, a 16-bit length that counts the 4-byte
// header but not the padding, then the value padded to a multiple of 4.
// The padding of the last item in a chunk may be missing, because the
// chunk length does not count it (§3.2).

const tlvHeaderLen = 4

// tlv is one type-length-value item cut from a list.
type tlv struct {
	b   []byte // header and value, no padding
	off int    // offset of b[0] in the caller's buffer
}

// tlvIter walks a TLV list. base is the offset of b[0] in the caller's
// buffer; what names the kind of item for errors ("parameter", "error
// cause"), and name turns an item's type into its name.
type tlvIter struct {
	b    []byte
	base int
	off  int
	err  error
	what string
	name func(uint16) string
}

func (it *tlvIter) next() (tlv, bool) {
	if it.err != nil || it.off >= len(it.b) {
		return tlv{}, false
	}
	rest := len(it.b) - it.off
	at := it.base + it.off
	if rest < tlvHeaderLen {
		it.err = parseErr(at, it.what, "fewer than 4 bytes left for a header")
		return tlv{}, false
	}
	typ := binary.BigEndian.Uint16(it.b[it.off:])
	n := int(binary.BigEndian.Uint16(it.b[it.off+2:]))
	if n < tlvHeaderLen {
		it.err = parseErr(at+2, it.name(typ)+" "+it.what, "length below 4")
		return tlv{}, false
	}
	if n > rest {
		it.err = parseErr(at+2, it.name(typ)+" "+it.what, "length runs past the end of the enclosing structure")
		return tlv{}, false
	}
	end := pad4(n)
	if end > rest {
		if n != rest {
			it.err = parseErr(at+n, it.name(typ)+" "+it.what, "padding runs past the end of the enclosing structure")
			return tlv{}, false
		}
		end = rest // the last item's padding is outside the chunk length
	}
	t := tlv{b: it.b[it.off : it.off+n : it.off+n], off: at}
	it.off += end
	return t, true
}

// validTLVs walks a whole list and returns the first error.
func validTLVs(b []byte, base int, what string, name func(uint16) string) error {
	it := tlvIter{b: b, base: base, what: what, name: name}
	for {
		if _, ok := it.next(); !ok {
			return it.err
		}
	}
}

// tlvListLen returns the length of an encoded TLV list without the padding
// of its last item: the part of the list a chunk length counts (§3.2).
func tlvListLen(b []byte) int {
	off, last := 0, 0
	for len(b)-off >= tlvHeaderLen {
		n := int(binary.BigEndian.Uint16(b[off+2:]))
		if n < tlvHeaderLen || n > len(b)-off {
			return len(b)
		}
		last = off + n
		off += pad4(n)
	}
	if off >= len(b) {
		return last
	}
	return len(b)
}

func appendTLVHeader(b []byte, typ uint16, n int) []byte {
	return append(b, byte(typ>>8), byte(typ), byte(n>>8), byte(n))
}
