package wire

import (
	"encoding/binary"
	"net/netip"
)

// This file holds the parameters of ASCONF requests and ASCONF-ACK
// responses (RFC 5061 §4.2.1-§4.2.5). Each carries the correlation ID that
// ties a response to its request.
//
// The three requests wrap a whole IPv4 or IPv6 Address parameter; Addr
// holds its address. The encoder picks the parameter by address family
// (AppendAddressParam), so the zero Addr is sent as the IPv6 wildcard ::,
// which §4.2.1-§4.2.4 give a meaning of its own: the packet's source
// address. A received Host Name Address is refused: an ASCONF must not
// carry one (§4.1.1).

const asconfCorrIDLen = 4

// asconfCutAddr decodes the IPv4 or IPv6 Address parameter at the start
// of v, found at offset base of the packet, and returns the address and
// the bytes it took.
func asconfCutAddr(v []byte, base int) (netip.Addr, int, error) {
	it := tlvIter{b: v, base: base, what: "parameter", name: paramName}
	t, ok := it.next()
	if !ok {
		if it.err != nil {
			return netip.Addr{}, 0, it.err
		}
		return netip.Addr{}, 0, parseErr(base, "address parameter", "no address parameter")
	}
	a, err := DecodeAddressParam(Param(t))
	if err != nil {
		return netip.Addr{}, 0, err
	}
	return a, it.off, nil
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
// ID and an address parameter that ends it.
func asconfDecodeAddrReq(p Param, t ParamType) (uint32, netip.Addr, error) {
	if err := p.expect(t); err != nil {
		return 0, netip.Addr{}, err
	}
	const head = tlvHeaderLen + asconfCorrIDLen
	if p.Len() < head {
		return 0, netip.Addr{}, p.err(2, "parameter length below 8")
	}
	a, n, err := asconfCutAddr(p.b[head:], p.off+head)
	if err != nil {
		return 0, netip.Addr{}, err
	}
	if head+n != p.Len() {
		return 0, netip.Addr{}, p.err(head+n, "bytes after the address parameter")
	}
	return binary.BigEndian.Uint32(p.b[tlvHeaderLen:]), a, nil
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

// Decode reads the parameter.
func (r *AddIPAddressParam) Decode(p Param) error {
	id, a, err := asconfDecodeAddrReq(p, ParamAddIPAddress)
	if err != nil {
		return err
	}
	r.CorrelationID, r.Addr = id, a
	return nil
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

// Decode reads the parameter.
func (r *DeleteIPAddressParam) Decode(p Param) error {
	id, a, err := asconfDecodeAddrReq(p, ParamDeleteIPAddress)
	if err != nil {
		return err
	}
	r.CorrelationID, r.Addr = id, a
	return nil
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

// Decode reads the parameter.
func (r *SetPrimaryAddressParam) Decode(p Param) error {
	id, a, err := asconfDecodeAddrReq(p, ParamSetPrimaryAddress)
	if err != nil {
		return err
	}
	r.CorrelationID, r.Addr = id, a
	return nil
}

// ErrorCauseIndicationParam reports that the request with CorrelationID
// failed, and why (RFC 5061 §4.2.3). It appears only in ASCONF-ACK.
type ErrorCauseIndicationParam struct {
	CorrelationID uint32
	Causes        Causes
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
// causes: a failure without a reason is refused as malformed.
func (r *ErrorCauseIndicationParam) Decode(p Param) error {
	if err := p.expect(ParamErrorCauseIndication); err != nil {
		return err
	}
	const head = tlvHeaderLen + asconfCorrIDLen
	if p.Len() < head {
		return p.err(2, "parameter length below 8")
	}
	if p.Len() == head {
		return p.err(2, "no error cause")
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

// Decode reads the parameter, whose length §4.2.5 fixes at 8.
func (r *SuccessIndicationParam) Decode(p Param) error {
	if err := p.expect(ParamSuccessIndication); err != nil {
		return err
	}
	if p.Len() != tlvHeaderLen+asconfCorrIDLen {
		return p.err(2, "parameter length not 8")
	}
	r.CorrelationID = binary.BigEndian.Uint32(p.b[tlvHeaderLen:])
	return nil
}
