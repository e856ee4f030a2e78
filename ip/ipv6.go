package ip

import (
	"encoding/binary"
	"net/netip"
)

// IPv6HeaderLen is the length of the IPv6 fixed header (RFC 8200 §3).
const IPv6HeaderLen = 40

// MaxIPv6Payload is the largest payload the 16-bit Payload Length field
// describes; jumbograms (RFC 2675) are not produced.
const MaxIPv6Payload = 0xffff

// AppendIPv6Header appends an IPv6 fixed header (RFC 8200 §3) with zero
// traffic class and flow label, followed directly by a payload of
// payloadLen bytes whose type is nextHeader. IPv6 has no header checksum;
// the upper layer covers the addresses through its pseudo-header
// (RFC 8200 §8.1). IPv4-mapped addresses are refused: they never appear
// in an IPv6 header on the wire.
func AppendIPv6Header(b []byte, src, dst netip.Addr, nextHeader uint8, payloadLen int, hopLimit uint8) ([]byte, error) {
	if !src.Is6() || !dst.Is6() || src.Is4In6() || dst.Is4In6() {
		return b, ErrAddress
	}
	if payloadLen < 0 {
		return b, ErrNegativeLength
	}
	if payloadLen > MaxIPv6Payload {
		return b, ErrTooLong
	}
	b = append(b, 0x60, 0, 0, 0) // version 6, traffic class and flow label zero
	b = binary.BigEndian.AppendUint16(b, uint16(payloadLen))
	b = append(b, nextHeader, hopLimit)
	s, d := src.As16(), dst.As16()
	b = append(b, s[:]...)
	return append(b, d[:]...), nil
}

// AppendIPHeader appends an IPv4 or IPv6 header according to the family of
// src (IPv4-mapped addresses count as IPv4); dst must be of the same
// family.
func AppendIPHeader(b []byte, src, dst netip.Addr, proto uint8, payloadLen int, ttl uint8) ([]byte, error) {
	if src.Unmap().Is4() {
		return AppendIPv4Header(b, src, dst, proto, payloadLen, ttl)
	}
	return AppendIPv6Header(b, src, dst, proto, payloadLen, ttl)
}
