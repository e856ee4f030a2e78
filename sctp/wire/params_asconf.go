package wire

import (
	"encoding/binary"
	"errors"
	"net/netip"
)

// This file holds the parameters of ASCONF requests and ASCONF-ACK
// responses (RFC 5061 §4.2.1-§4.2.5). Each carries the correlation ID that
// ties a response to its request.
//
// The three requests wrap a whole IPv4 or IPv6 Address parameter; Addr
// holds its address. The encoder picks the parameter by address family
// (AppendAddressParam), so the zero Addr is sent as the IPv6 wildcard ::.
// A wildcard (0.0.0.0 or ::) stands for the source address of the
// packet, each request in its own way: in Add IP Address the source
// address "MUST be added" (§4.2.1); in Delete IP Address "all addresses of
// the peer except the source address of the packet MUST be deleted"
// (§4.2.2); in Set Primary Address the receiver "MAY mark the source
// address of the packet as its primary" (§4.2.4). A received wildcard
// decodes as 0.0.0.0 or ::, never as the zero Addr.
//
// The fields of a request are read and bytes after its address parameter
// are ignored, the rule the package documentation gives for fixed fields;
// the Linux kernel, too, only checks that a request is long enough.

// ErrHostNameAddress marks an ASCONF request parameter (Add IP Address,
// Delete IP Address, Set Primary Address) whose address is a Host Name
// Address. RFC 5061 §4.1.1: "The host name address MUST NOT be sent and
// MUST be ignored if received in any ASCONF message." Such a request is
// well-formed but to be ignored, so the receiver skips it and goes on
// with the others, while any other error means malformed bytes. The
// error is a *ParseError (it matches ErrMalformed too) whose Err is this
// sentinel. The decoder fills in the CorrelationID and leaves Addr the
// zero netip.Addr before returning it; the host name itself is not read.
var ErrHostNameAddress = errors.New("host name address")

const asconfCorrIDLen = 4

// asconfCutAddr decodes the IPv4 or IPv6 Address parameter at the start
// of v, found at offset base of the packet, and returns the address and
// the bytes it took. A Host Name Address is cut out too, unread (RFC 5061
// §4.1.1 has it ignored): the address is then the zero Addr and host is
// true.
func asconfCutAddr(v []byte, base int) (a netip.Addr, n int, host bool, err error) {
	it := newTLVIter(v, base, "parameter", paramName)
	t, ok := it.next()
	if !ok {
		if it.err != nil {
			return netip.Addr{}, 0, false, it.err
		}
		return netip.Addr{}, 0, false, parseErr(base, "address parameter", "no address parameter")
	}
	if Param(t).Type() == ParamHostNameAddress {
		return netip.Addr{}, it.Rest(), true, nil
	}
	a, err = DecodeAddressParam(Param(t))
	if err != nil {
		return netip.Addr{}, 0, false, err
	}
	return a, it.Rest(), false, nil
}

// asconfAddrParamLen returns the length of the address parameter that
// AppendAddressParam writes for a.
func asconfAddrParamLen(a netip.Addr) int {
	if a.Unmap().Is4() {
		return tlvHeaderLen + 4
	}
	return tlvHeaderLen + 16
}

// asconfAppendAddrReq appends a request parameter of type t.
func asconfAppendAddrReq(b []byte, t ParamType, corrID uint32, a netip.Addr) []byte {
	b = appendTLVHeader(b, uint16(t), tlvHeaderLen+asconfCorrIDLen+asconfAddrParamLen(a))
	b = binary.BigEndian.AppendUint32(b, corrID)
	return AppendAddressParam(b, a)
}

// asconfDecodeAddrReq reads a request parameter of type t: a correlation
// ID and an address parameter; bytes after that parameter are ignored.
// filled reports whether the ID and address are to be stored: on success,
// and on ErrHostNameAddress, with the zero address.
func asconfDecodeAddrReq(p Param, t ParamType) (id uint32, a netip.Addr, filled bool, err error) {
	if err := p.expect(t); err != nil {
		return 0, netip.Addr{}, false, err
	}
	const head = tlvHeaderLen + asconfCorrIDLen
	if p.Len() < head {
		return 0, netip.Addr{}, false, p.err(2, "parameter length below 8")
	}
	a, _, host, err := asconfCutAddr(p.b[head:], p.off+head)
	if err != nil {
		return 0, netip.Addr{}, false, err
	}
	id = binary.BigEndian.Uint32(p.b[tlvHeaderLen:])
	if host {
		return id, netip.Addr{}, true, &ParseError{Offset: p.off + head, What: t.String() + " parameter",
			Rule: "request with a host name address", Err: ErrHostNameAddress}
	}
	return id, a, true, nil
}

// AddIPAddressParam asks the peer to add an address to the association
// (RFC 5061 §4.2.1).
type AddIPAddressParam struct {
	CorrelationID uint32
	Addr          netip.Addr
}

// ParamType returns ParamAddIPAddress.
func (r *AddIPAddressParam) ParamType() ParamType { return ParamAddIPAddress }

// Len returns the parameter length field: 16 for IPv4, 28 for IPv6.
func (r *AddIPAddressParam) Len() int {
	return tlvHeaderLen + asconfCorrIDLen + asconfAddrParamLen(r.Addr)
}

// Append appends the parameter.
func (r *AddIPAddressParam) Append(b []byte) []byte {
	return asconfAppendAddrReq(b, ParamAddIPAddress, r.CorrelationID, r.Addr)
}

// Decode reads the parameter. A Host Name Address in place of the address
// gives an error matching ErrHostNameAddress, with CorrelationID filled in
// and Addr zero: the receiver ignores the request (RFC 5061 §4.1.1).
func (r *AddIPAddressParam) Decode(p Param) error {
	id, a, filled, err := asconfDecodeAddrReq(p, ParamAddIPAddress)
	if filled {
		r.CorrelationID, r.Addr = id, a
	}
	return err
}

// DeleteIPAddressParam asks the peer to remove an address from the
// association (RFC 5061 §4.2.2).
type DeleteIPAddressParam struct {
	CorrelationID uint32
	Addr          netip.Addr
}

// ParamType returns ParamDeleteIPAddress.
func (r *DeleteIPAddressParam) ParamType() ParamType { return ParamDeleteIPAddress }

// Len returns the parameter length field: 16 for IPv4, 28 for IPv6.
func (r *DeleteIPAddressParam) Len() int {
	return tlvHeaderLen + asconfCorrIDLen + asconfAddrParamLen(r.Addr)
}

// Append appends the parameter.
func (r *DeleteIPAddressParam) Append(b []byte) []byte {
	return asconfAppendAddrReq(b, ParamDeleteIPAddress, r.CorrelationID, r.Addr)
}

// Decode reads the parameter. A Host Name Address in place of the address
// gives an error matching ErrHostNameAddress, with CorrelationID filled in
// and Addr zero: the receiver ignores the request (RFC 5061 §4.1.1).
func (r *DeleteIPAddressParam) Decode(p Param) error {
	id, a, filled, err := asconfDecodeAddrReq(p, ParamDeleteIPAddress)
	if filled {
		r.CorrelationID, r.Addr = id, a
	}
	return err
}

// SetPrimaryAddressParam asks the peer to send to an address as its
// primary path (RFC 5061 §4.2.4). It may also appear in INIT and INIT ACK
// as an initial preference.
type SetPrimaryAddressParam struct {
	CorrelationID uint32
	Addr          netip.Addr
}

// ParamType returns ParamSetPrimaryAddress.
func (r *SetPrimaryAddressParam) ParamType() ParamType { return ParamSetPrimaryAddress }

// Len returns the parameter length field: 16 for IPv4, 28 for IPv6.
func (r *SetPrimaryAddressParam) Len() int {
	return tlvHeaderLen + asconfCorrIDLen + asconfAddrParamLen(r.Addr)
}

// Append appends the parameter.
func (r *SetPrimaryAddressParam) Append(b []byte) []byte {
	return asconfAppendAddrReq(b, ParamSetPrimaryAddress, r.CorrelationID, r.Addr)
}

// Decode reads the parameter. A Host Name Address in place of the address
// gives an error matching ErrHostNameAddress, with CorrelationID filled in
// and Addr zero: the receiver ignores the request (RFC 5061 §4.1.1).
func (r *SetPrimaryAddressParam) Decode(p Param) error {
	id, a, filled, err := asconfDecodeAddrReq(p, ParamSetPrimaryAddress)
	if filled {
		r.CorrelationID, r.Addr = id, a
	}
	return err
}

// ErrorCauseIndicationParam reports that the request with CorrelationID
// failed, and why (RFC 5061 §4.2.3). It appears only in ASCONF-ACK.
type ErrorCauseIndicationParam struct {
	CorrelationID uint32
	// Causes holds the reasons. §4.2.3 has a sender wrap "one or more"
	// error causes, so it is not empty when sent; an empty list still
	// encodes, and decodes, since the correlation ID alone reports the
	// failure (see Decode).
	Causes Causes
}

// ParamType returns ParamErrorCauseIndication.
func (r *ErrorCauseIndicationParam) ParamType() ParamType { return ParamErrorCauseIndication }

// Len returns the parameter length field.
func (r *ErrorCauseIndicationParam) Len() int {
	return tlvHeaderLen + asconfCorrIDLen + r.Causes.Len()
}

// Append appends the parameter with its padding.
func (r *ErrorCauseIndicationParam) Append(b []byte) []byte {
	n := r.Len()
	b = appendTLVHeader(b, uint16(ParamErrorCauseIndication), n)
	b = binary.BigEndian.AppendUint32(b, r.CorrelationID)
	b = r.Causes.appendTo(b)
	return appendPad(b, n)
}

// Decode reads the parameter. §4.2.3 has it wrap one or more error
// causes, but one without any is still read, with Causes empty: its
// correlation ID names the request that failed, and that is what the
// rules of RFC 5061 §5.1 act on ("A7) If an error response is received
// for a TLV parameter, ..."); the causes only say why.
func (r *ErrorCauseIndicationParam) Decode(p Param) error {
	if err := p.expect(ParamErrorCauseIndication); err != nil {
		return err
	}
	const head = tlvHeaderLen + asconfCorrIDLen
	if p.Len() < head {
		return p.err(2, "parameter length below 8")
	}
	cs, err := parseCauses(p.b[head:], p.off+head)
	if err != nil {
		return err
	}
	r.CorrelationID = binary.BigEndian.Uint32(p.b[tlvHeaderLen:])
	r.Causes = cs
	return nil
}

// SuccessIndicationParam reports explicitly that the request with
// CorrelationID succeeded (RFC 5061 §4.2.5); success is also implied by
// the absence of an Error Cause Indication. It appears only in ASCONF-ACK.
type SuccessIndicationParam struct {
	CorrelationID uint32
}

// ParamType returns ParamSuccessIndication.
func (r *SuccessIndicationParam) ParamType() ParamType { return ParamSuccessIndication }

// Len returns the parameter length field, 8.
func (r *SuccessIndicationParam) Len() int { return tlvHeaderLen + asconfCorrIDLen }

// Append appends the parameter.
func (r *SuccessIndicationParam) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(ParamSuccessIndication), r.Len())
	return binary.BigEndian.AppendUint32(b, r.CorrelationID)
}

// Decode reads the parameter, whose length §4.2.5 fixes at 8: a shorter
// one is malformed, bytes after the correlation ID are ignored.
func (r *SuccessIndicationParam) Decode(p Param) error {
	if err := p.expect(ParamSuccessIndication); err != nil {
		return err
	}
	if p.Len() < tlvHeaderLen+asconfCorrIDLen {
		return p.err(2, "parameter length below 8")
	}
	r.CorrelationID = binary.BigEndian.Uint32(p.b[tlvHeaderLen:])
	return nil
}
