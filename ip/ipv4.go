package ip

import (
	"encoding/binary"
	"net/netip"
)

// IPv4HeaderLen is the length of an IPv4 header without options
// (RFC 791 §3.1: IHL 5).
const IPv4HeaderLen = 20

// MaxIPv4Payload is the largest payload an option-less IPv4 header can
// describe: Total Length is 16 bits and counts the header.
const MaxIPv4Payload = 0xffff - IPv4HeaderLen

// Protocol numbers used with this package.
const (
	ProtoUDP  uint8 = 17  // RFC 768
	ProtoSCTP uint8 = 132 // RFC 9260 §1
)

// DefaultTTL is the TTL and hop limit the pcap writer uses, the value most
// hosts send with.
const DefaultTTL uint8 = 64

// ipv4DontFragment is the DF bit in the flags and fragment offset word.
// SCTP discovers the path MTU itself (RFC 9260 §7.3, RFC 8899), so its
// packets are sent unfragmented; with DF set the Identification field
// may be zero (RFC 6864 §4.1).
const ipv4DontFragment = 0x4000

// The other two fields of that word: More Fragments, and the offset of a
// fragment in 8-byte units (RFC 791 §3.1). A packet with either set is a
// fragment.
const (
	ipv4MoreFragments = 0x2000
	ipv4OffsetMask    = 0x1fff
)

// AppendIPv4Header appends an option-less IPv4 header (RFC 791 §3.1) for a
// payload of payloadLen bytes of protocol proto, with DF set, a zero
// Identification and the header checksum filled in. IPv4-mapped IPv6
// addresses are accepted as their IPv4 form.
func AppendIPv4Header(b []byte, src, dst netip.Addr, proto uint8, payloadLen int, ttl uint8) ([]byte, error) {
	src, dst = src.Unmap(), dst.Unmap()
	if !src.Is4() || !dst.Is4() {
		return b, ErrAddress
	}
	if payloadLen < 0 {
		return b, ErrNegativeLength
	}
	if payloadLen > MaxIPv4Payload {
		return b, ErrTooLong
	}
	start := len(b)
	b = append(b, 0x45, 0) // version 4, IHL 5; DSCP and ECN zero
	b = binary.BigEndian.AppendUint16(b, uint16(IPv4HeaderLen+payloadLen))
	b = append(b, 0, 0) // Identification
	b = binary.BigEndian.AppendUint16(b, ipv4DontFragment)
	b = append(b, ttl, proto, 0, 0) // checksum computed below
	s, d := src.As4(), dst.As4()
	b = append(b, s[:]...)
	b = append(b, d[:]...)
	binary.BigEndian.PutUint16(b[start+10:], Checksum(b[start:]))
	return b, nil
}
