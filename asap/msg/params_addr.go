package msg

import "net/netip"

// This file holds the IPv4 Address (RFC 5354 §3.1) and IPv6 Address
// (§3.2) parameters, which appear on their own and as the address lists of
// the transport parameters.

// AddressParam is an IPv4 or IPv6 Address parameter. Its type follows the
// address: Addr.Is4() gives an IPv4 Address parameter, anything else an
// IPv6 one (so an IPv4-mapped IPv6 address stays IPv6, as it arrived). A
// zone is not carried.
type AddressParam struct {
	Addr netip.Addr
}

// ParamType returns ParamIPv4Address or ParamIPv6Address.
func (a *AddressParam) ParamType() ParamType {
	if a.Addr.Is4() {
		return ParamIPv4Address
	}
	return ParamIPv6Address
}

// Len returns 8 or 20.
func (a *AddressParam) Len() int {
	if a.Addr.Is4() {
		return ipv4ParamLen
	}
	return ipv6ParamLen
}

// Append appends the parameter. The zero Addr encodes as ::.
func (a *AddressParam) Append(b []byte) []byte { return appendAddr(b, a.Addr) }

// Decode reads an IPv4 or IPv6 Address parameter.
func (a *AddressParam) Decode(p Param) error {
	if p.b == nil {
		return parseErr(p.off, "address parameter", "no parameter")
	}
	addr, err := decodeAddr(p)
	if err != nil {
		return err
	}
	a.Addr = addr
	return nil
}

func appendAddr(b []byte, a netip.Addr) []byte {
	if a.Is4() {
		v := a.As4()
		b = appendTLVHeader(b, ParamIPv4Address, ipv4ParamLen)
		return append(b, v[:]...)
	}
	v := a.As16()
	b = appendTLVHeader(b, ParamIPv6Address, ipv6ParamLen)
	return append(b, v[:]...)
}

// decodeAddr reads an address parameter, checking its exact length.
func decodeAddr(p Param) (netip.Addr, error) {
	switch p.Type() {
	case ParamIPv4Address:
		if p.Len() != ipv4ParamLen {
			return netip.Addr{}, p.err(2, "length is not 8")
		}
		return netip.AddrFrom4([4]byte(p.b[4:8])), nil
	case ParamIPv6Address:
		if p.Len() != ipv6ParamLen {
			return netip.Addr{}, p.err(2, "length is not 20")
		}
		return netip.AddrFrom16([16]byte(p.b[4:20])), nil
	}
	return netip.Addr{}, p.err(0, "not an address parameter")
}

// Addrs is a view of the address list of a transport parameter (RFC 5354
// §3.3-§3.7). Decoders produce it without copying; MakeAddrs builds one.
// Its iterator yields the address parameters only, whatever else the
// underlying bytes hold (a decoded list may hold skipped parameters of
// unknown types, which the transport's Unrecognized holds).
type Addrs struct{ l list }

func addressType(t ParamType) bool { return t.isAddress() }

// MakeAddrs encodes addresses into a list.
func MakeAddrs(addrs ...netip.Addr) Addrs {
	var b []byte
	for _, a := range addrs {
		b = appendAddr(b, a)
	}
	return Addrs{list{b: b}}
}

// Iter returns an iterator over the addresses.
func (as Addrs) Iter() AddrIter { return AddrIter{it: as.l.iter(addressType)} }

// Count returns the number of addresses.
func (as Addrs) Count() int { return as.l.count(addressType) }

// First returns the first address, or the zero Addr if there is none.
func (as Addrs) First() netip.Addr {
	it := as.Iter()
	a, _ := it.Next()
	return a
}

// AppendTo appends the addresses to dst and returns it.
func (as Addrs) AppendTo(dst []netip.Addr) []netip.Addr {
	it := as.Iter()
	for a, ok := it.Next(); ok; a, ok = it.Next() {
		dst = append(dst, a)
	}
	return dst
}

func (as Addrs) size(s *sizer)            { as.l.size(s, addressType) }
func (as Addrs) appendTo(b []byte) []byte { return as.l.appendTo(b, addressType) }

// AddrIter walks an address list without allocating.
type AddrIter struct {
	it  ParamIter
	err error
}

// Next returns the next address, or false at the end or on a malformed
// entry (then Err says why).
func (ai *AddrIter) Next() (netip.Addr, bool) {
	if ai.err != nil {
		return netip.Addr{}, false
	}
	p, ok := ai.it.Next()
	if !ok {
		ai.err = ai.it.Err()
		return netip.Addr{}, false
	}
	a, err := decodeAddr(p)
	if err != nil {
		ai.err = err
		return netip.Addr{}, false
	}
	return a, true
}

// Err returns the error that stopped the iteration, if any.
func (ai *AddrIter) Err() error { return ai.err }
