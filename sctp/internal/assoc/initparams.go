package assoc

import (
	"net/netip"
	"time"

	"github.com/rserpool/rserpool/sctp/wire"
)

// maxPeerAddrs bounds the addresses a peer may list in INIT or INIT ACK;
// each becomes a path with its own timers.
const maxPeerAddrs = 16

// peerInit is what an INIT or INIT ACK tells about the peer.
type peerInit struct {
	tag          wire.VTag
	rwnd         uint32
	os, mis      uint16
	tsn          wire.TSN
	addrs        []netip.AddrPort
	preservative time.Duration
	hostName     bool
	cookie       []byte
	unrecognized []byte // Unrecognized Parameter parameters (for an INIT ACK) or the params to report (for an ERROR)
}

// initKnown lists the parameters this endpoint acts on in INIT and INIT
// ACK. Everything else is handled by its upper two bits (§3.2.1): the
// ECN parameter 0x8000 that RFC 9260 reserves, and extensions not
// implemented (FORWARD-TSN, AUTH, ASCONF), are skipped, and reported
// when their bits ask for it, as a receiver without them must.
func initKnown(t wire.ParamType) bool {
	switch t {
	case wire.ParamIPv4Address, wire.ParamIPv6Address, wire.ParamCookiePreservative,
		wire.ParamHostNameAddress, wire.ParamSupportedAddressTypes:
		return true
	}
	return false
}

func initAckKnown(t wire.ParamType) bool {
	return initKnown(t) || t == wire.ParamStateCookie || t == wire.ParamUnrecognizedParameter
}

// parsePeerInit reads an INIT or INIT ACK (m is either, laid out alike).
// src is where the packet came from: it is a peer address whatever the
// chunk lists (§5.1.2), and its encapsulation port serves for the others.
func (e *Endpoint) parsePeerInit(m *wire.Init, src netip.AddrPort, isAck bool) peerInit {
	pi := peerInit{tag: m.InitiateTag, rwnd: m.ARwnd, os: m.OutStreams, mis: m.InStreams, tsn: m.InitialTSN}
	pi.addrs = append(pi.addrs, src)
	known := initKnown
	if isAck {
		known = initAckKnown
	}
	// §3.2.1: parameters after an unrecognized one of type 00 or 01 are
	// not processed.
	it := m.Params.Iter()
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		t := p.Type()
		if !known(t) {
			a := t.UnknownAction()
			if a.Report() {
				pi.unrecognized = (&wire.UnrecognizedParameterParam{Param: p.Bytes()}).Append(pi.unrecognized)
			}
			if a.Stop() {
				break
			}
			continue
		}
		switch t {
		case wire.ParamIPv4Address, wire.ParamIPv6Address:
			var addr netip.Addr
			if t == wire.ParamIPv4Address {
				var v wire.IPv4AddressParam
				if v.Decode(p) != nil {
					continue
				}
				addr = v.Addr
			} else {
				var v wire.IPv6AddressParam
				if v.Decode(p) != nil {
					continue
				}
				addr = v.Addr
			}
			e.addPeerAddr(&pi, netip.AddrPortFrom(addr, src.Port()))
		case wire.ParamCookiePreservative:
			var v wire.CookiePreservativeParam
			if v.Decode(p) == nil {
				pi.preservative = time.Duration(v.Increment) * time.Millisecond
			}
		case wire.ParamHostNameAddress:
			pi.hostName = true
		case wire.ParamStateCookie:
			if pi.cookie == nil {
				pi.cookie = p.Value()
			}
		}
	}
	return pi
}

// addPeerAddr adds a listed address unless it is unusable, a duplicate,
// of a family this endpoint has no address of, or one too many.
func (e *Endpoint) addPeerAddr(pi *peerInit, a netip.AddrPort) {
	ip := a.Addr().Unmap()
	if !ip.IsValid() || ip.IsUnspecified() || ip.IsMulticast() || !e.hasFamily(ip) || len(pi.addrs) >= maxPeerAddrs {
		return
	}
	// A loopback address listed by a peer that is not itself on
	// loopback cannot be reached (and the reverse): keep the scopes
	// apart, as RFC 9260 §5.1.2 D hints for private addresses.
	if ip.IsLoopback() != pi.addrs[0].Addr().IsLoopback() {
		return
	}
	a = netip.AddrPortFrom(ip, a.Port())
	for _, have := range pi.addrs {
		if have.Addr() == ip {
			return
		}
	}
	pi.addrs = append(pi.addrs, a)
}

// appendLocalParams appends this endpoint's addresses, listed when it has
// more than one (§5.1.2: with none listed the peer uses the packet's
// source), and its supported address types (§3.3.2.1.5).
func (e *Endpoint) appendLocalParams(b []byte) []byte {
	if len(e.locals) > 1 {
		for _, l := range e.locals {
			if l.Addr().Is4() {
				b = (&wire.IPv4AddressParam{Addr: l.Addr()}).Append(b)
			} else {
				b = (&wire.IPv6AddressParam{Addr: l.Addr()}).Append(b)
			}
		}
	}
	return b
}

// newAddresses lists the addresses of pi that a does not have: a restart
// or collision must not add any (§5.2.1, §5.2.2).
func (a *Assoc) newAddresses(pi *peerInit) []byte {
	var b []byte
	for _, ad := range pi.addrs {
		if a.pathIndex(ad.Addr()) < 0 {
			if ad.Addr().Is4() {
				b = (&wire.IPv4AddressParam{Addr: ad.Addr()}).Append(b)
			} else {
				b = (&wire.IPv6AddressParam{Addr: ad.Addr()}).Append(b)
			}
		}
	}
	return b
}
