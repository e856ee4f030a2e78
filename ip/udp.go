package ip

import (
	"encoding/binary"
	"net/netip"
)

// UDPHeaderLen is the length of the UDP header (RFC 768).
const UDPHeaderLen = 8

// MaxUDPPayload is the largest payload the 16-bit UDP Length field, which
// counts the header, describes.
const MaxUDPPayload = 0xffff - UDPHeaderLen

// SCTPOverUDPPort is the port IANA registered for SCTP over UDP
// (RFC 6951 §7). Implementations use it as the source and destination
// port unless configured otherwise; RFC 6951 §5.1 lets the local port
// differ, so the pcap writer takes both ports from its arguments.
const SCTPOverUDPPort = 9899

// AppendUDP appends a UDP header (RFC 768) and the payload, with the
// checksum computed over the pseudo-header of src and dst's family. The
// checksum is always sent: RFC 6951 §5.3 says the UDP checksum SHOULD be
// computed for encapsulated SCTP, and over IPv6 it is mandatory
// (RFC 8200 §8.1). A computed checksum of zero is sent as 0xffff, since
// zero means "no checksum" (RFC 768). IPv4-mapped addresses count as IPv4.
func AppendUDP(b []byte, src, dst netip.AddrPort, payload []byte) ([]byte, error) {
	sa, da := src.Addr().Unmap(), dst.Addr().Unmap()
	if !sa.IsValid() || sa.Is4() != da.Is4() || !da.IsValid() {
		return b, ErrAddress
	}
	if len(payload) > MaxUDPPayload {
		return b, ErrTooLong
	}
	n := UDPHeaderLen + len(payload)
	start := len(b)
	b = binary.BigEndian.AppendUint16(b, src.Port())
	b = binary.BigEndian.AppendUint16(b, dst.Port())
	b = binary.BigEndian.AppendUint16(b, uint16(n))
	b = append(b, 0, 0)
	b = append(b, payload...)
	sum := Fold(Sum(PseudoHeaderSum(sa, da, ProtoUDP, n), b[start:]))
	if sum == 0 {
		sum = 0xffff
	}
	binary.BigEndian.PutUint16(b[start+6:], sum)
	return b, nil
}

// VerifyUDPChecksum reports whether the checksum of the UDP datagram udp
// (header and payload, as found after the IP header) sent from src to dst
// is present and correct: the one's complement sum over the pseudo-header
// and the datagram, checksum field included, is then all ones (RFC 1071
// §1). A zero checksum field, which over IPv4 means that none was sent,
// does not verify.
func VerifyUDPChecksum(src, dst netip.Addr, udp []byte) bool {
	src, dst = src.Unmap(), dst.Unmap()
	if len(udp) < UDPHeaderLen || !src.IsValid() || src.Is4() != dst.Is4() {
		return false
	}
	if binary.BigEndian.Uint16(udp[6:]) == 0 {
		return false
	}
	return Fold(Sum(PseudoHeaderSum(src, dst, ProtoUDP, len(udp)), udp)) == 0
}

// AppendIPPacket appends an IP header for src and dst's family followed by
// payload, a complete packet of protocol proto.
func AppendIPPacket(b []byte, src, dst netip.Addr, proto uint8, payload []byte, ttl uint8) ([]byte, error) {
	b, err := AppendIPHeader(b, src, dst, proto, len(payload), ttl)
	if err != nil {
		return b, err
	}
	return append(b, payload...), nil
}

// AppendUDPPacket appends a complete IP packet carrying one UDP datagram
// from src to dst.
func AppendUDPPacket(b []byte, src, dst netip.AddrPort, payload []byte, ttl uint8) ([]byte, error) {
	if len(payload) > MaxUDPPayload {
		return b, ErrTooLong
	}
	start := len(b)
	b, err := AppendIPHeader(b, src.Addr(), dst.Addr(), ProtoUDP, UDPHeaderLen+len(payload), ttl)
	if err != nil {
		return b, err
	}
	b2, err := AppendUDP(b, src, dst, payload)
	if err != nil {
		return b[:start], err
	}
	return b2, nil
}
