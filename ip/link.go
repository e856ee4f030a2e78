package ip

import (
	"encoding/binary"
	"strconv"
)

// linkType is a pcap link-layer header type. gopacket's LinkType has
// only 8 bits, which cannot hold LINKTYPE_LINUX_SLL2 (276), so the reader
// takes the value from the file header itself.
type linkType uint16

// Link types the reader understands (https://www.tcpdump.org/linktypes.html).
const (
	linkNull      linkType = 0   // BSD loopback, host byte order family
	linkEthernet  linkType = 1   // IEEE 802.3
	linkRawAlt    linkType = 12  // DLT_RAW as some systems write it
	linkRawAlt2   linkType = 14  // DLT_RAW on OpenBSD
	linkRaw       linkType = 101 // LINKTYPE_RAW: bare IPv4 or IPv6, what PcapWriter writes
	linkLoop      linkType = 108 // OpenBSD loopback, network byte order family
	linkLinuxSLL  linkType = 113 // Linux cooked capture v1
	linkIPv4      linkType = 228
	linkIPv6      linkType = 229
	linkLinuxSLL2 linkType = 276 // Linux cooked capture v2 ("any" device since libpcap 1.10)
)

// supported reports whether the reader can take frames of this link type
// apart. An unknown link type is refused with the file header: guessing
// would silently drop every packet of the file.
func (l linkType) supported() bool {
	switch l {
	case linkNull, linkEthernet, linkRawAlt, linkRawAlt2, linkRaw, linkLoop,
		linkLinuxSLL, linkIPv4, linkIPv6, linkLinuxSLL2:
		return true
	}
	return false
}

func (l linkType) unsupportedRule() string {
	return "unsupported link type " + strconv.Itoa(int(l))
}

// EtherTypes of the two network layers, and of the VLAN tags that may
// come before them.
const (
	etherTypeIPv4 = 0x0800
	etherTypeIPv6 = 0x86dd
	etherTypeVLAN = 0x8100 // IEEE 802.1Q
	etherTypeQinQ = 0x88a8 // IEEE 802.1ad
)

// network strips the link-layer header of a frame and returns the IP
// packet in it, or nil when the frame carries something else (ARP, for
// instance). It returns a rule when the link-layer header is cut short.
func network(link linkType, b []byte) ([]byte, string) {
	switch link {
	case linkRaw, linkRawAlt, linkRawAlt2, linkIPv4, linkIPv6:
		return b, ""
	case linkEthernet:
		// Destination and source MAC, then EtherType, possibly after VLAN tags.
		off := 12
		for {
			if len(b) < off+2 {
				return nil, "Ethernet header truncated"
			}
			et := binary.BigEndian.Uint16(b[off:])
			if et != etherTypeVLAN && et != etherTypeQinQ {
				return byEtherType(et, b[off+2:]), ""
			}
			off += 4
		}
	case linkLinuxSLL:
		// Packet type, ARPHRD type, address length, 8-byte address, protocol.
		if len(b) < 16 {
			return nil, "Linux cooked (v1) header truncated"
		}
		return byEtherType(binary.BigEndian.Uint16(b[14:]), b[16:]), ""
	case linkLinuxSLL2:
		// Protocol, reserved, interface index, ARPHRD type, packet type,
		// address length, 8-byte address.
		if len(b) < 20 {
			return nil, "Linux cooked (v2) header truncated"
		}
		return byEtherType(binary.BigEndian.Uint16(b[0:]), b[20:]), ""
	case linkNull, linkLoop:
		// A 4-byte address family whose value and byte order vary between
		// systems; the IP version nibble says what follows.
		if len(b) < 4 {
			return nil, "loopback header truncated"
		}
		return b[4:], ""
	}
	// The reader refuses other link types with the file header.
	return nil, link.unsupportedRule()
}

func byEtherType(et uint16, b []byte) []byte {
	if et == etherTypeIPv4 || et == etherTypeIPv6 {
		return b
	}
	return nil
}
