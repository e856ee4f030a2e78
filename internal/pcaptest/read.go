package pcaptest

import (
	"encoding/binary"
	"net/netip"
	"path/filepath"
	"slices"
	"time"

	"github.com/rserpool/rserpool/ip"
)

// Packet is one SCTP packet found in a capture.
type Packet struct {
	File  string    // base name of the pcap
	Index int       // 1-based frame number, as tshark counts
	Time  time.Time // capture timestamp
	Encap bool      // true when the SCTP packet came inside UDP (RFC 6951)
	// Src and Dst are the IP addresses with the SCTP ports of the common
	// header, for plain and encapsulated packets alike.
	Src, Dst netip.AddrPort
	// UDPSrcPort and UDPDstPort are the ports of the encapsulating UDP
	// header; zero when Encap is false.
	UDPSrcPort, UDPDstPort uint16
	SCTP                   []byte // the SCTP packet: common header + chunks
}

// Datagram is the payload of one UDP datagram found in a capture.
type Datagram struct {
	File     string
	Index    int // 1-based frame number, as tshark counts
	Time     time.Time
	Src, Dst netip.AddrPort // IP addresses and UDP ports
	Payload  []byte
}

// sctpHeaderLen is the size of the SCTP common header (RFC 9260 §3.1).
const sctpHeaderLen = 12

// ReadSCTP returns every SCTP packet of a pcap file, in frame
// order. Link types: Ethernet (with VLAN tags), Linux cooked v1 and v2,
// raw IPv4/IPv6 and BSD loopback. SCTP is taken from IP protocol 132 and
// from UDP datagrams to or from port 9899, the registered SCTP-over-UDP
// port (RFC 6951 §7); other UDP traffic, such as the ASAP and ENRP
// multicast announcements of RSerPool (RFC 5352 §3.6, RFC 5353 §3.1), is
// left alone (see ReadUDP). The SCTP checksum is not checked: the packets
// are test vectors, and some tests want the broken ones.
//
// Fragments of SCTP or UDP packets, and such packets cut short by the
// capture, are errors (see FrameError, ErrFragment).
func ReadSCTP(path string) ([]Packet, error) {
	return ReadSCTPPorts(path, ip.SCTPOverUDPPort)
}

// ReadSCTPPorts is ReadSCTP taking UDP datagrams to or from any of
// udpPorts as encapsulated SCTP; with no ports, only SCTP directly over
// IP is returned.
func ReadSCTPPorts(path string, udpPorts ...uint16) ([]Packet, error) {
	var out []Packet
	name := filepath.Base(path)
	err := readFrames(path, func(f frame) error {
		p, ok, err := transport(name, f)
		if err != nil || !ok {
			return err
		}
		fail := func(rule string) error { return &FrameError{File: name, Index: f.index, Rule: rule} }
		pkt := Packet{File: name, Index: f.index, Time: f.ts}
		sctp := p.payload
		switch p.proto {
		case protoSCTP:
		case protoUDP:
			u, rule := parseUDP(p.payload)
			if rule != "" {
				return fail(rule)
			}
			if !slices.Contains(udpPorts, u.src) && !slices.Contains(udpPorts, u.dst) {
				return nil
			}
			pkt.Encap, pkt.UDPSrcPort, pkt.UDPDstPort = true, u.src, u.dst
			sctp = u.payload
		default:
			return nil
		}
		if len(sctp) < sctpHeaderLen {
			return fail("SCTP packet shorter than its 12-byte common header")
		}
		pkt.Src = netip.AddrPortFrom(p.src, binary.BigEndian.Uint16(sctp[0:]))
		pkt.Dst = netip.AddrPortFrom(p.dst, binary.BigEndian.Uint16(sctp[2:]))
		pkt.SCTP = sctp
		out = append(out, pkt)
		return nil
	})
	return out, err
}

// ReadUDP returns the payload of every UDP datagram of a capture sent to
// or from port, in frame order: for instance the ASAP Server Announce
// messages (port 3863) and ENRP presence messages (port 9901) that
// RSerPool servers multicast over plain UDP.
func ReadUDP(path string, port uint16) ([]Datagram, error) {
	var out []Datagram
	name := filepath.Base(path)
	err := readFrames(path, func(f frame) error {
		p, ok, err := transport(name, f)
		if err != nil || !ok || p.proto != protoUDP {
			return err
		}
		u, rule := parseUDP(p.payload)
		if rule != "" {
			return &FrameError{File: name, Index: f.index, Rule: rule}
		}
		if u.src != port && u.dst != port {
			return nil
		}
		out = append(out, Datagram{
			File: name, Index: f.index, Time: f.ts,
			Src:     netip.AddrPortFrom(p.src, u.src),
			Dst:     netip.AddrPortFrom(p.dst, u.dst),
			Payload: u.payload,
		})
		return nil
	})
	return out, err
}

// transport takes a frame down to its IP packet. ok is false for frames
// that carry no IP, and for IP packets of protocols other than SCTP and
// UDP, which are skipped whatever state they are in.
func transport(name string, f frame) (ipPacket, bool, error) {
	fail := func(rule string, err error) error {
		return &FrameError{File: name, Index: f.index, Rule: rule, Err: err}
	}
	nb, rule := network(f.link, f.data)
	if rule != "" {
		return ipPacket{}, false, fail(rule, nil)
	}
	if nb == nil {
		return ipPacket{}, false, nil
	}
	p, rule := parseIP(nb)
	if rule != "" {
		return ipPacket{}, false, fail(rule, nil)
	}
	if p.proto != protoSCTP && p.proto != protoUDP {
		return ipPacket{}, false, nil
	}
	if p.fragment {
		return ipPacket{}, false, fail("fragment of an IP packet carrying "+protoName(p.proto)+"; reassembly is not supported", ErrFragment)
	}
	if p.short != "" {
		if f.trunc {
			return ipPacket{}, false, fail(protoName(p.proto)+" packet cut short by the capture's snapshot length", nil)
		}
		return ipPacket{}, false, fail(p.short, nil)
	}
	return p, true, nil
}

func protoName(p uint8) string {
	if p == protoSCTP {
		return "SCTP"
	}
	return "UDP"
}

type udpDatagram struct {
	src, dst uint16
	payload  []byte
}

// parseUDP takes the header off a UDP datagram (RFC 768), trusting its
// Length field over the IP layer's when it is shorter. The checksum is
// not verified: captures taken on the sending host hold the partial
// checksum that the kernel leaves for the NIC to complete.
func parseUDP(b []byte) (udpDatagram, string) {
	if len(b) < ip.UDPHeaderLen {
		return udpDatagram{}, "UDP header truncated"
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	if n < ip.UDPHeaderLen {
		return udpDatagram{}, "UDP length below 8"
	}
	if n > len(b) {
		return udpDatagram{}, "UDP length runs past the IP payload"
	}
	return udpDatagram{
		src:     binary.BigEndian.Uint16(b[0:]),
		dst:     binary.BigEndian.Uint16(b[2:]),
		payload: b[ip.UDPHeaderLen:n],
	}, ""
}
