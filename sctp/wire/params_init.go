package wire

import (
	"bytes"
	"encoding/binary"
	"net/netip"
)

// This file holds the parameters that INIT and INIT ACK carry (RFC 9260
// §3.3.2.1, §3.3.3.1, and the extensions' additions: RFC 3758 §3.1,
// RFC 4820 §4, RFC 5061 §4.2.6 and §4.2.7), and Heartbeat Info (RFC 9260
// §3.3.5). The AUTH parameters are in auth.go.
//
// Where a figure fixes a parameter's length, a shorter one is rejected and
// bytes after the fixed fields are ignored (see the package
// documentation), except for the IPv4 and IPv6 Address parameters, whose
// length must match the address family exactly: a longer address could be
// either. Lists whose entries are wider than a byte must hold whole
// entries.

// paramExactLen checks a parameter whose length must be exactly n.
func paramExactLen(p Param, n int, rule string) error {
	if p.Len() != n {
		return p.err(2, rule)
	}
	return nil
}

// paramMinLen checks that a parameter holds its n bytes of fixed fields.
func paramMinLen(p Param, n int, rule string) error {
	if p.Len() < n {
		return p.err(2, rule)
	}
	return nil
}

// HeartbeatInfoParam is the Heartbeat Info parameter (RFC 9260 §3.3.5):
// sender-specific data a HEARTBEAT carries and its HEARTBEAT ACK reflects.
// Heartbeat and HeartbeatAck hold it directly; this type serves callers
// that handle the parameter on its own. Info aliases the decoded bytes.
type HeartbeatInfoParam struct {
	Info []byte
}

// ParamType returns ParamHeartbeatInfo.
func (h *HeartbeatInfoParam) ParamType() ParamType { return ParamHeartbeatInfo }

// Len returns the parameter length field.
func (h *HeartbeatInfoParam) Len() int { return tlvHeaderLen + len(h.Info) }

// Append appends the parameter with its padding.
func (h *HeartbeatInfoParam) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(ParamHeartbeatInfo), h.Len())
	b = append(b, h.Info...)
	return appendPad(b, h.Len())
}

// Decode reads a Heartbeat Info parameter. Any length is valid: the
// content is opaque to everyone but its sender.
func (h *HeartbeatInfoParam) Decode(p Param) error {
	if err := p.expect(ParamHeartbeatInfo); err != nil {
		return err
	}
	h.Info = p.Value()
	return nil
}

// IPv4AddressParam is the IPv4 Address parameter (RFC 9260 §3.3.2.1.1).
// Addr must be an IPv4 address (an IPv4-mapped IPv6 address is unmapped);
// the encoder writes any other value as 0.0.0.0 rather than fail, since a
// length of 8 is what the parameter must have.
type IPv4AddressParam struct {
	Addr netip.Addr
}

// ParamType returns ParamIPv4Address.
func (a *IPv4AddressParam) ParamType() ParamType { return ParamIPv4Address }

// Len returns the parameter length field, 8.
func (a *IPv4AddressParam) Len() int { return tlvHeaderLen + 4 }

// Append appends the parameter.
func (a *IPv4AddressParam) Append(b []byte) []byte {
	var ip [4]byte
	if x := a.Addr.Unmap(); x.Is4() {
		ip = x.As4()
	}
	b = appendTLVHeader(b, uint16(ParamIPv4Address), a.Len())
	return append(b, ip[:]...)
}

// Decode reads an IPv4 Address parameter, whose length the RFC fixes at 8.
// Any other length is refused: a value of another size is not an IPv4
// address, and cutting it to one would be a guess.
func (a *IPv4AddressParam) Decode(p Param) error {
	if err := p.expect(ParamIPv4Address); err != nil {
		return err
	}
	if err := paramExactLen(p, tlvHeaderLen+4, "parameter length not 8"); err != nil {
		return err
	}
	a.Addr = netip.AddrFrom4([4]byte(p.Value()))
	return nil
}

// IPv6AddressParam is the IPv6 Address parameter (RFC 9260 §3.3.2.1.2).
// An IPv4 Addr encodes as its IPv4-mapped form, which the RFC tells
// senders not to use: callers pick the parameter by address family (see
// AppendAddressParam). A received IPv4-mapped address is kept as it is;
// what to make of it is the receiver's business, not the codec's.
type IPv6AddressParam struct {
	Addr netip.Addr
}

// ParamType returns ParamIPv6Address.
func (a *IPv6AddressParam) ParamType() ParamType { return ParamIPv6Address }

// Len returns the parameter length field, 20.
func (a *IPv6AddressParam) Len() int { return tlvHeaderLen + 16 }

// Append appends the parameter. The zero Addr encodes as ::.
func (a *IPv6AddressParam) Append(b []byte) []byte {
	ip := a.Addr.As16()
	b = appendTLVHeader(b, uint16(ParamIPv6Address), a.Len())
	return append(b, ip[:]...)
}

// Decode reads an IPv6 Address parameter, whose length the RFC fixes at
// 20. Any other length is refused, as for IPv4AddressParam.
func (a *IPv6AddressParam) Decode(p Param) error {
	if err := p.expect(ParamIPv6Address); err != nil {
		return err
	}
	if err := paramExactLen(p, tlvHeaderLen+16, "parameter length not 20"); err != nil {
		return err
	}
	a.Addr = netip.AddrFrom16([16]byte(p.Value()))
	return nil
}

// AppendAddressParam appends the IPv4 Address parameter for an IPv4 (or
// IPv4-mapped) address and the IPv6 Address parameter otherwise, as RFC
// 9260 §3.3.2.1.2 asks of senders.
func AppendAddressParam(b []byte, a netip.Addr) []byte {
	if x := a.Unmap(); x.Is4() {
		p := IPv4AddressParam{Addr: x}
		return p.Append(b)
	}
	p := IPv6AddressParam{Addr: a}
	return p.Append(b)
}

// DecodeAddressParam reads an IPv4 or IPv6 Address parameter, the two
// forms a transport address takes in INIT, INIT ACK and ASCONF.
func DecodeAddressParam(p Param) (netip.Addr, error) {
	if p.b == nil {
		return netip.Addr{}, parseErr(p.off, "address parameter", "no parameter")
	}
	switch p.Type() {
	case ParamIPv4Address:
		var a IPv4AddressParam
		err := a.Decode(p)
		return a.Addr, err
	case ParamIPv6Address:
		var a IPv6AddressParam
		err := a.Decode(p)
		return a.Addr, err
	}
	return netip.Addr{}, parseErr(p.off, "address parameter", "parameter is a "+p.Type().String())
}

// StateCookieParam is the State Cookie parameter (RFC 9260 §3.3.3.1.1).
// The cookie is opaque here; its maker checks it (§5.1.5). Cookie aliases
// the decoded bytes.
type StateCookieParam struct {
	Cookie []byte
}

// ParamType returns ParamStateCookie.
func (s *StateCookieParam) ParamType() ParamType { return ParamStateCookie }

// Len returns the parameter length field.
func (s *StateCookieParam) Len() int { return tlvHeaderLen + len(s.Cookie) }

// Append appends the parameter with its padding.
func (s *StateCookieParam) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(ParamStateCookie), s.Len())
	b = append(b, s.Cookie...)
	return appendPad(b, s.Len())
}

// Decode reads a State Cookie parameter of any length.
func (s *StateCookieParam) Decode(p Param) error {
	if err := p.expect(ParamStateCookie); err != nil {
		return err
	}
	s.Cookie = p.Value()
	return nil
}

// UnrecognizedParameterParam is the Unrecognized Parameter parameter of
// INIT ACK (RFC 9260 §3.3.3.1.2). Param holds the whole parameter that was
// not recognized, header included, as copied from the INIT; it aliases the
// decoded bytes.
type UnrecognizedParameterParam struct {
	Param []byte
}

// ParamType returns ParamUnrecognizedParameter.
func (u *UnrecognizedParameterParam) ParamType() ParamType { return ParamUnrecognizedParameter }

// Len returns the parameter length field.
func (u *UnrecognizedParameterParam) Len() int { return tlvHeaderLen + len(u.Param) }

// Append appends the parameter with its padding.
func (u *UnrecognizedParameterParam) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(ParamUnrecognizedParameter), u.Len())
	b = append(b, u.Param...)
	return appendPad(b, u.Len())
}

// Decode reads an Unrecognized Parameter parameter. Its value must start
// with a well-formed parameter, whose type is what the report is about.
// Bytes after that parameter are tolerated: some senders copy the
// reported parameter with its padding, and the report is advisory.
func (u *UnrecognizedParameterParam) Decode(p Param) error {
	if err := p.expect(ParamUnrecognizedParameter); err != nil {
		return err
	}
	v := p.Value()
	if len(v) == 0 {
		return p.err(2, "no parameter inside")
	}
	it := newTLVIter(v, p.off+tlvHeaderLen, "parameter", paramName)
	if _, ok := it.next(); !ok {
		return it.err
	}
	u.Param = v
	return nil
}

// UnrecognizedType returns the type of the reported parameter, or 0 when
// Param is too short to hold one.
func (u *UnrecognizedParameterParam) UnrecognizedType() ParamType {
	if len(u.Param) < 2 {
		return 0
	}
	return ParamType(binary.BigEndian.Uint16(u.Param))
}

// CookiePreservativeParam is the Cookie Preservative parameter (RFC 9260
// §3.3.2.1.3): how many milliseconds the sender asks the receiver to add
// to its cookie life span after a stale cookie.
type CookiePreservativeParam struct {
	Increment uint32 // milliseconds
}

// ParamType returns ParamCookiePreservative.
func (c *CookiePreservativeParam) ParamType() ParamType { return ParamCookiePreservative }

// Len returns the parameter length field, 8.
func (c *CookiePreservativeParam) Len() int { return tlvHeaderLen + 4 }

// Append appends the parameter.
func (c *CookiePreservativeParam) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(ParamCookiePreservative), c.Len())
	return binary.BigEndian.AppendUint32(b, c.Increment)
}

// Decode reads a Cookie Preservative parameter, whose length the RFC fixes
// at 8: a shorter one is malformed, bytes after the increment are ignored.
func (c *CookiePreservativeParam) Decode(p Param) error {
	if err := p.expect(ParamCookiePreservative); err != nil {
		return err
	}
	if err := paramMinLen(p, tlvHeaderLen+4, "parameter length below 8"); err != nil {
		return err
	}
	c.Increment = binary.BigEndian.Uint32(p.Value())
	return nil
}

// HostNameAddressParam is the deprecated Host Name Address parameter (RFC
// 9260 §3.3.2.1.4). Senders must not use it and a receiver of one aborts;
// the codec exists so that the receiver can tell what it got and report
// it. HostName holds the name without its null terminator and aliases the
// decoded bytes.
//
// The RFC says at least one null terminator is included and counted in
// the length: the encoder appends exactly one (HostName must not contain a
// NUL), and the decoder cuts the name at the first NUL and rejects a value
// that has none.
type HostNameAddressParam struct {
	// HostName is the name without its terminator, and must not contain
	// a NUL: the encoder writes it as given, but the decoder cuts the
	// name at the first NUL, so such a name decodes shorter than it was
	// sent and does not re-encode to the same bytes.
	HostName []byte
}

// ParamType returns ParamHostNameAddress.
func (h *HostNameAddressParam) ParamType() ParamType { return ParamHostNameAddress }

// Len returns the parameter length field, counting the terminator.
func (h *HostNameAddressParam) Len() int { return tlvHeaderLen + len(h.HostName) + 1 }

// Append appends the parameter, the name's terminator and the padding.
func (h *HostNameAddressParam) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(ParamHostNameAddress), h.Len())
	b = append(b, h.HostName...)
	b = append(b, 0)
	return appendPad(b, h.Len())
}

// Decode reads a Host Name Address parameter.
func (h *HostNameAddressParam) Decode(p Param) error {
	if err := p.expect(ParamHostNameAddress); err != nil {
		return err
	}
	v := p.Value()
	i := bytes.IndexByte(v, 0)
	if i < 0 {
		return p.err(2, "host name without a null terminator")
	}
	h.HostName = v[:i]
	return nil
}

// ParamTypes is a list of 16-bit parameter types in network byte order:
// the value of the Supported Address Types parameter. It is a view; the
// decoder points it into the received bytes.
type ParamTypes []byte

// MakeParamTypes encodes a list of parameter types.
func MakeParamTypes(ts ...ParamType) ParamTypes {
	l := make(ParamTypes, 0, 2*len(ts))
	for _, t := range ts {
		l = binary.BigEndian.AppendUint16(l, uint16(t))
	}
	return l
}

// Len returns the number of entries.
func (l ParamTypes) Len() int { return len(l) / 2 }

// At returns entry i, 0 <= i < Len().
func (l ParamTypes) At(i int) ParamType { return ParamType(binary.BigEndian.Uint16(l[2*i:])) }

// Has reports whether t is listed.
func (l ParamTypes) Has(t ParamType) bool {
	for i := 0; i+1 < len(l); i += 2 {
		if ParamType(binary.BigEndian.Uint16(l[i:])) == t {
			return true
		}
	}
	return false
}

// SupportedAddressTypesParam is the Supported Address Types parameter (RFC
// 9260 §3.3.2.1.5): the address parameter types (5, 6) the sender of an
// INIT can use. Its absence means any.
type SupportedAddressTypesParam struct {
	Types ParamTypes // whole 2-byte entries; Decode refuses an odd length
}

// ParamType returns ParamSupportedAddressTypes.
func (s *SupportedAddressTypesParam) ParamType() ParamType { return ParamSupportedAddressTypes }

// Len returns the parameter length field.
func (s *SupportedAddressTypesParam) Len() int { return tlvHeaderLen + len(s.Types) }

// Append appends the parameter with its padding.
func (s *SupportedAddressTypesParam) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(ParamSupportedAddressTypes), s.Len())
	b = append(b, s.Types...)
	return appendPad(b, s.Len())
}

// Decode reads a Supported Address Types parameter. Entries are 16 bits,
// so a value of odd length is malformed.
func (s *SupportedAddressTypesParam) Decode(p Param) error {
	if err := p.expect(ParamSupportedAddressTypes); err != nil {
		return err
	}
	v := p.Value()
	if len(v)%2 != 0 {
		return p.err(2, "address type list of odd length")
	}
	s.Types = ParamTypes(v)
	return nil
}

// Supports reports whether the sender listed address type t. The Host
// Name Address type never counts: RFC 9260 §3.3.2.1.5 says it is ignored
// on receipt.
func (s *SupportedAddressTypesParam) Supports(t ParamType) bool {
	return t != ParamHostNameAddress && s.Types.Has(t)
}

// ChunkTypes is a list of one-byte chunk types: the value of the
// Supported Extensions (RFC 5061 §4.2.7) and Chunk List (RFC 4895 §3.2)
// parameters. It is a view; the decoder points it into the received bytes.
type ChunkTypes []byte

// MakeChunkTypes encodes a list of chunk types.
func MakeChunkTypes(ts ...ChunkType) ChunkTypes {
	l := make(ChunkTypes, len(ts))
	for i, t := range ts {
		l[i] = byte(t)
	}
	return l
}

// Len returns the number of entries.
func (l ChunkTypes) Len() int { return len(l) }

// At returns entry i, 0 <= i < Len().
func (l ChunkTypes) At(i int) ChunkType { return ChunkType(l[i]) }

// Has reports whether t is listed.
func (l ChunkTypes) Has(t ChunkType) bool { return bytes.IndexByte(l, byte(t)) >= 0 }

// SupportedExtensionsParam is the Supported Extensions parameter (RFC 5061
// §4.2.7): the extension chunk types its sender can send and receive.
type SupportedExtensionsParam struct {
	Chunks ChunkTypes
}

// ParamType returns ParamSupportedExtensions.
func (s *SupportedExtensionsParam) ParamType() ParamType { return ParamSupportedExtensions }

// Len returns the parameter length field, which RFC 5061 §4.2.7 says
// excludes the padding.
func (s *SupportedExtensionsParam) Len() int { return tlvHeaderLen + len(s.Chunks) }

// Append appends the parameter with its padding.
func (s *SupportedExtensionsParam) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(ParamSupportedExtensions), s.Len())
	b = append(b, s.Chunks...)
	return appendPad(b, s.Len())
}

// Decode reads a Supported Extensions parameter; any number of entries,
// none included, is well-formed.
func (s *SupportedExtensionsParam) Decode(p Param) error {
	if err := p.expect(ParamSupportedExtensions); err != nil {
		return err
	}
	s.Chunks = ChunkTypes(p.Value())
	return nil
}

// Has reports whether the sender supports chunk type t.
func (s *SupportedExtensionsParam) Has(t ChunkType) bool { return s.Chunks.Has(t) }

// ForwardTSNSupportedParam is the Forward-TSN-Supported parameter (RFC
// 3758 §3.1), which has no value.
type ForwardTSNSupportedParam struct{}

// ParamType returns ParamForwardTSNSupported.
func (f *ForwardTSNSupportedParam) ParamType() ParamType { return ParamForwardTSNSupported }

// Len returns the parameter length field, 4.
func (f *ForwardTSNSupportedParam) Len() int { return tlvHeaderLen }

// Append appends the parameter.
func (f *ForwardTSNSupportedParam) Append(b []byte) []byte {
	return appendTLVHeader(b, uint16(ParamForwardTSNSupported), tlvHeaderLen)
}

// Decode reads a Forward-TSN-Supported parameter, whose length RFC 3758
// §3.1 fixes at 4 for senders; a value is ignored.
func (f *ForwardTSNSupportedParam) Decode(p Param) error {
	return p.expect(ParamForwardTSNSupported)
}

// AdaptationLayerIndicationParam is the Adaptation Layer Indication
// parameter (RFC 5061 §4.2.6): a code point SCTP passes to the upper layer
// without looking at it.
type AdaptationLayerIndicationParam struct {
	Indication uint32 // the Adaptation Code point
}

// ParamType returns ParamAdaptationLayerIndication.
func (a *AdaptationLayerIndicationParam) ParamType() ParamType {
	return ParamAdaptationLayerIndication
}

// Len returns the parameter length field, 8.
func (a *AdaptationLayerIndicationParam) Len() int { return tlvHeaderLen + 4 }

// Append appends the parameter.
func (a *AdaptationLayerIndicationParam) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(ParamAdaptationLayerIndication), a.Len())
	return binary.BigEndian.AppendUint32(b, a.Indication)
}

// Decode reads an Adaptation Layer Indication parameter, whose length RFC
// 5061 §4.2.6 fixes at 8: a shorter one is malformed, bytes after the
// code point are ignored.
func (a *AdaptationLayerIndicationParam) Decode(p Param) error {
	if err := p.expect(ParamAdaptationLayerIndication); err != nil {
		return err
	}
	if err := paramMinLen(p, tlvHeaderLen+4, "parameter length below 8"); err != nil {
		return err
	}
	a.Indication = binary.BigEndian.Uint32(p.Value())
	return nil
}

// maxPadSize is the most padding data a PAD chunk or Padding parameter can
// hold: its 16-bit length field counts the 4-byte header too.
const maxPadSize = 0xffff - 4

// clampPadSize keeps a caller's padding size within what a length field
// can express, so that Len and Append always agree.
func clampPadSize(n int) int {
	return max(0, min(n, maxPadSize))
}

// PaddingParam is the Padding parameter (RFC 4820 §4), which enlarges an
// INIT. The receiver ignores the padding data, so only its size is kept:
// the encoder writes Size zero bytes (clamped to 0..65531), and the decoder
// records how many there were.
type PaddingParam struct {
	Size int // bytes of padding data, not counting the header
}

// ParamType returns ParamPadding.
func (p *PaddingParam) ParamType() ParamType { return ParamPadding }

// Len returns the parameter length field.
func (p *PaddingParam) Len() int { return tlvHeaderLen + clampPadSize(p.Size) }

// Append appends the parameter, its zero padding data and the padding.
func (p *PaddingParam) Append(b []byte) []byte {
	n := p.Len()
	b = appendTLVHeader(b, uint16(ParamPadding), n)
	b = appendZeros(b, n-tlvHeaderLen)
	return appendPad(b, n)
}

// Decode reads a Padding parameter of any length.
func (p *PaddingParam) Decode(q Param) error {
	if err := q.expect(ParamPadding); err != nil {
		return err
	}
	p.Size = len(q.Value())
	return nil
}
