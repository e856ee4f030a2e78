package ip

import "net/netip"

// Sum adds b to a running Internet checksum accumulator (RFC 1071 §1):
// the one's complement sum of 16-bit big-endian words, carried in 32 bits
// and folded at the end by Checksum. A slice of odd length is treated as
// if padded with one zero byte, as RFC 768 and RFC 8200 §8.1 require for
// the last piece of the data; earlier pieces must therefore have even
// length.
func Sum(acc uint32, b []byte) uint32 {
	for len(b) >= 2 {
		acc += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
		// Fold early so that very long inputs cannot overflow 32 bits.
		if acc >= 0x80000000 {
			acc = acc&0xffff + acc>>16
		}
	}
	if len(b) == 1 {
		acc += uint32(b[0]) << 8
	}
	return acc
}

// Fold reduces an accumulator to 16 bits with end-around carry and returns
// its one's complement: the value that goes into a checksum field
// (RFC 1071 §1). Over data whose checksum field is already filled in
// correctly, Fold(Sum(0, data)) is 0.
func Fold(acc uint32) uint16 {
	for acc > 0xffff {
		acc = acc&0xffff + acc>>16
	}
	return ^uint16(acc)
}

// Checksum returns the Internet checksum of b (RFC 1071), as used by the
// IPv4 header (RFC 791 §3.1).
func Checksum(b []byte) uint16 { return Fold(Sum(0, b)) }

// PseudoHeaderSum returns the accumulator for the pseudo-header that the
// UDP checksum covers: for IPv4 the source and destination addresses, a
// zero byte, the protocol and the UDP length (RFC 768); for IPv6 the
// addresses, the 32-bit upper-layer length and the next header value
// (RFC 8200 §8.1). src and dst must be of the same family.
func PseudoHeaderSum(src, dst netip.Addr, proto uint8, length int) uint32 {
	var acc uint32
	if src.Is4() {
		s, d := src.As4(), dst.As4()
		acc = Sum(acc, s[:])
		acc = Sum(acc, d[:])
	} else {
		s, d := src.As16(), dst.As16()
		acc = Sum(acc, s[:])
		acc = Sum(acc, d[:])
		acc += uint32(length>>16) & 0xffff
	}
	acc += uint32(proto)
	acc += uint32(length) & 0xffff
	return acc
}
