package ip

import (
	"encoding/binary"
	"net/netip"
)

// ipPacket is the part of an IP packet the pcap reader needs.
type ipPacket struct {
	src, dst netip.Addr
	proto    uint8
	payload  []byte
	fragment bool   // a fragment: payload is not the whole upper-layer packet
	short    string // set when the packet claims more bytes than were captured
}

// parseIP takes apart an IPv4 or IPv6 packet. It returns a rule when the
// header itself is broken, so that no packet is reported from it.
func parseIP(b []byte) (ipPacket, string) {
	if len(b) == 0 {
		return ipPacket{}, "empty IP packet"
	}
	switch b[0] >> 4 {
	case 4:
		return parseIPv4(b)
	case 6:
		return parseIPv6(b)
	}
	return ipPacket{}, "IP version is neither 4 nor 6"
}

// parseIPv4 follows RFC 791 §3.1. Link layers may pad a short packet
// (Ethernet's 60-byte minimum), so bytes past Total Length are dropped.
// The header checksum is not checked: a capture taken on the sending host
// may hold headers whose checksum the NIC was left to fill in.
func parseIPv4(b []byte) (ipPacket, string) {
	if len(b) < IPv4HeaderLen {
		return ipPacket{}, "IPv4 header truncated"
	}
	hl := int(b[0]&0x0f) * 4
	if hl < IPv4HeaderLen {
		return ipPacket{}, "IPv4 header length below 20"
	}
	if hl > len(b) {
		return ipPacket{}, "IPv4 header length runs past the captured bytes"
	}
	total := int(binary.BigEndian.Uint16(b[2:]))
	if total < hl {
		return ipPacket{}, "IPv4 total length below the header length"
	}
	p := ipPacket{
		src:   netip.AddrFrom4([4]byte(b[12:16])),
		dst:   netip.AddrFrom4([4]byte(b[16:20])),
		proto: b[9],
	}
	ff := binary.BigEndian.Uint16(b[6:])
	p.fragment = ff&ipv4MoreFragments != 0 || ff&ipv4OffsetMask != 0
	if total > len(b) {
		p.short = "IPv4 total length runs past the captured bytes"
		total = len(b)
	}
	p.payload = b[hl:total]
	return p, ""
}

// IPv6 extension headers walked to find the upper layer (RFC 8200 §4).
const (
	ipv6HopByHop = 0
	ipv6Routing  = 43
	ipv6Fragment = 44
	ipv6AH       = 51 // RFC 4302 §2.2: length in 4-byte units, minus 2
	ipv6DestOpts = 60
)

// ipv6FragmentMask selects the Fragment Offset and the M flag of a
// Fragment header's second word (RFC 8200 §4.5).
const ipv6FragmentMask = 0xfff9

// parseIPv6 follows RFC 8200 §3 and §4: it walks the extension headers to
// the first header that is not one, the upper layer. Link layers may pad,
// so bytes past Payload Length are dropped.
func parseIPv6(b []byte) (ipPacket, string) {
	if len(b) < IPv6HeaderLen {
		return ipPacket{}, "IPv6 header truncated"
	}
	plen := int(binary.BigEndian.Uint16(b[4:]))
	p := ipPacket{
		src: netip.AddrFrom16([16]byte(b[8:24])),
		dst: netip.AddrFrom16([16]byte(b[24:40])),
	}
	if plen == 0 && b[6] == ipv6HopByHop {
		return ipPacket{}, "IPv6 jumbogram (payload length 0) not supported"
	}
	rest := b[IPv6HeaderLen:]
	if plen > len(rest) {
		p.short = "IPv6 payload length runs past the captured bytes"
	} else {
		rest = rest[:plen]
	}
	next := b[6]
	for {
		var n int
		switch next {
		case ipv6HopByHop, ipv6Routing, ipv6DestOpts:
			if len(rest) < 8 {
				return ipPacket{}, "IPv6 extension header truncated"
			}
			n = (int(rest[1]) + 1) * 8
		case ipv6AH:
			if len(rest) < 8 {
				return ipPacket{}, "IPv6 authentication header truncated"
			}
			n = (int(rest[1]) + 2) * 4
		case ipv6Fragment:
			if len(rest) < 8 {
				return ipPacket{}, "IPv6 fragment header truncated"
			}
			// Offset and M flag both zero make an atomic fragment
			// (RFC 6946), which is the whole packet.
			if binary.BigEndian.Uint16(rest[2:])&ipv6FragmentMask != 0 {
				p.fragment = true
			}
			n = 8
		default:
			p.proto, p.payload = next, rest
			return p, ""
		}
		if n > len(rest) {
			return ipPacket{}, "IPv6 extension header length runs past the packet"
		}
		next, rest = rest[0], rest[n:]
	}
}

// udpDatagram is a UDP datagram with its header taken off.
type udpDatagram struct {
	src, dst uint16
	payload  []byte
}

// parseUDP takes the header off a UDP datagram (RFC 768), trusting its
// Length field over the IP layer's when it is shorter. The checksum is
// not verified: captures taken on the sending host hold the partial
// checksum that the kernel leaves for the NIC to complete (see
// VerifyUDPChecksum for callers that want it checked).
func parseUDP(b []byte) (udpDatagram, string) {
	if len(b) < UDPHeaderLen {
		return udpDatagram{}, "UDP header truncated"
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	if n < UDPHeaderLen {
		return udpDatagram{}, "UDP length below 8"
	}
	if n > len(b) {
		return udpDatagram{}, "UDP length runs past the IP payload"
	}
	return udpDatagram{
		src:     binary.BigEndian.Uint16(b[0:]),
		dst:     binary.BigEndian.Uint16(b[2:]),
		payload: b[UDPHeaderLen:n],
	}, ""
}
