package tun

import (
	"encoding/binary"
	"net/netip"

	"github.com/rserpool/rserpool/ip"
	"github.com/rserpool/rserpool/sctp/lower"
)

// frame appends p's SCTP packet behind an IP header to b.
func (c *Conn) frame(b []byte, p *lower.Packet) ([]byte, error) {
	dst := p.Dst.Addr().Unmap().WithZone("")
	src, err := c.source(p.Src.Addr(), dst)
	if err != nil {
		return b, err
	}
	start := len(b)
	if dst.Is4() {
		b, err = ip.AppendIPv4Header(b, src, dst, ip.ProtoSCTP, len(p.Buf), ip.DefaultTTL)
		if err != nil {
			return b, err
		}
		setIPv4ID(b[start:], c.id)
		c.id++
	} else {
		b, err = ip.AppendIPv6Header(b, src, dst, ip.ProtoSCTP, len(p.Buf), ip.DefaultTTL)
		if err != nil {
			return b, err
		}
	}
	return append(b, p.Buf...), nil
}

// setIPv4ID writes the Identification of an IPv4 header and computes its
// checksum again (RFC 791 §3.1). SCTP sends with DF set, where RFC 6864
// §4.1 allows any value, even zero; a counter still helps anyone who
// reads a capture tell retransmissions from duplicates.
func setIPv4ID(h []byte, id uint16) {
	binary.BigEndian.PutUint16(h[4:], id)
	h[10], h[11] = 0, 0
	binary.BigEndian.PutUint16(h[10:], ip.Checksum(h[:ip.IPv4HeaderLen]))
}

// source picks the address a packet to dst leaves from: src when it is
// one of the endpoint's addresses of dst's family, else the first such.
func (c *Conn) source(src, dst netip.Addr) (netip.Addr, error) {
	if !dst.IsValid() {
		return netip.Addr{}, ip.ErrAddress
	}
	src = src.Unmap().WithZone("")
	if src.IsValid() && src.Is4() == dst.Is4() && c.isLocal(src) {
		return src, nil
	}
	for _, a := range c.addrs {
		if a.Is4() == dst.Is4() {
			if src.IsValid() && !src.IsUnspecified() {
				c.stats.sourceReplaced.Add(1)
			}
			return a, nil
		}
	}
	return netip.Addr{}, ErrNoSource
}
