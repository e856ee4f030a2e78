package ip

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
)

// Header is what the IP layer of a received packet says about the
// upper-layer packet it carries.
type Header struct {
	Src, Dst netip.Addr
	// Proto is the upper-layer protocol: the IPv4 Protocol field, or the
	// Next Header value that ends the IPv6 extension-header chain.
	Proto uint8
	// Fragment is set for a piece of a fragmented packet (RFC 791 §3.1
	// MF flag or offset; RFC 8200 §4.5), whose payload is not the whole
	// upper-layer packet. An atomic fragment (RFC 6946) is whole and is
	// not flagged.
	Fragment bool
	// Len is the number of bytes in front of the payload: the IPv4
	// header with its options, or the IPv6 header with the extension
	// headers walked.
	Len int
}

// HeaderError says where a received IP packet breaks a rule of its
// header: Offset counts from the packet's first byte.
type HeaderError struct {
	Offset int
	Rule   string
	Err    error // ErrHeaderChecksum, or nil
}

func (e *HeaderError) Error() string {
	return fmt.Sprintf("ip: header at offset %d: %s", e.Offset, e.Rule)
}

func (e *HeaderError) Unwrap() error { return e.Err }

// ErrHeaderChecksum marks an IPv4 header whose checksum does not verify
// (RFC 791 §3.1). It is told apart from other header errors because a
// receiver counts it as corruption on the path, not as a sender's bug.
var ErrHeaderChecksum = errors.New("ip: IPv4 header checksum mismatch")

func headerErr(off int, rule string) error { return &HeaderError{Offset: off, Rule: rule} }

// ParseHeader takes apart a received IPv4 or IPv6 packet, as a TUN device
// or a raw socket delivers it, and returns its header and payload (which
// aliases b). Unlike the pcap reader, which must accept headers whose
// checksum a NIC was left to fill in, it verifies the IPv4 header
// checksum: a packet read from the network with a bad one is corrupt. A
// packet shorter than its length fields say is refused; bytes past them
// are link padding and are dropped. A fragment is not an error: the
// caller decides (Header.Fragment), and for any fragment but the first
// the payload starts in the middle of the upper-layer packet.
func ParseHeader(b []byte) (Header, []byte, error) {
	if len(b) == 0 {
		return Header{}, nil, headerErr(0, "empty packet")
	}
	switch b[0] >> 4 {
	case 4:
		return parseHeader4(b)
	case 6:
		return parseHeader6(b)
	}
	return Header{}, nil, headerErr(0, "version is neither 4 nor 6")
}

// parseHeader4 follows RFC 791 §3.1.
func parseHeader4(b []byte) (Header, []byte, error) {
	if len(b) < IPv4HeaderLen {
		return Header{}, nil, headerErr(0, "IPv4 header shorter than 20 bytes")
	}
	hl := int(b[0]&0x0f) * 4
	if hl < IPv4HeaderLen {
		return Header{}, nil, headerErr(0, "IPv4 IHL below 5")
	}
	total := int(binary.BigEndian.Uint16(b[2:]))
	if total < hl {
		return Header{}, nil, headerErr(2, "IPv4 total length below the header length")
	}
	if total > len(b) {
		return Header{}, nil, headerErr(2, "IPv4 total length runs past the packet")
	}
	if Checksum(b[:hl]) != 0 {
		return Header{}, nil, &HeaderError{Offset: 10, Rule: "IPv4 header checksum does not verify", Err: ErrHeaderChecksum}
	}
	ff := binary.BigEndian.Uint16(b[6:])
	h := Header{
		Src:      netip.AddrFrom4([4]byte(b[12:16])),
		Dst:      netip.AddrFrom4([4]byte(b[16:20])),
		Proto:    b[9],
		Fragment: ff&(ipv4MoreFragments|ipv4OffsetMask) != 0,
		Len:      hl,
	}
	return h, b[hl:total], nil
}

// parseHeader6 follows RFC 8200 §3 and §4, walking the extension headers
// to the upper layer. At a Fragment header of a real fragment it stops:
// what follows may be the middle of the packet, not a header.
func parseHeader6(b []byte) (Header, []byte, error) {
	if len(b) < IPv6HeaderLen {
		return Header{}, nil, headerErr(0, "IPv6 header shorter than 40 bytes")
	}
	plen := int(binary.BigEndian.Uint16(b[4:]))
	if plen == 0 && b[6] == ipv6HopByHop {
		return Header{}, nil, headerErr(4, "IPv6 jumbogram (payload length 0) not supported")
	}
	if IPv6HeaderLen+plen > len(b) {
		return Header{}, nil, headerErr(4, "IPv6 payload length runs past the packet")
	}
	b = b[:IPv6HeaderLen+plen]
	h := Header{
		Src: netip.AddrFrom16([16]byte(b[8:24])),
		Dst: netip.AddrFrom16([16]byte(b[24:40])),
	}
	next, off := b[6], IPv6HeaderLen
	for {
		var n int
		switch next {
		case ipv6HopByHop, ipv6Routing, ipv6DestOpts:
			if len(b)-off < 8 {
				return Header{}, nil, headerErr(off, "IPv6 extension header shorter than 8 bytes")
			}
			n = (int(b[off+1]) + 1) * 8
		case ipv6AH:
			if len(b)-off < 8 {
				return Header{}, nil, headerErr(off, "IPv6 authentication header shorter than 8 bytes")
			}
			n = (int(b[off+1]) + 2) * 4
		case ipv6Fragment:
			if len(b)-off < 8 {
				return Header{}, nil, headerErr(off, "IPv6 fragment header shorter than 8 bytes")
			}
			n = 8
			if binary.BigEndian.Uint16(b[off+2:])&ipv6FragmentMask != 0 {
				h.Proto, h.Fragment, h.Len = b[off], true, off+n
				return h, b[off+n:], nil
			}
		default:
			h.Proto, h.Len = next, off
			return h, b[off:], nil
		}
		if n > len(b)-off {
			return Header{}, nil, headerErr(off+1, "IPv6 extension header length runs past the packet")
		}
		next, off = b[off], off+n
	}
}
