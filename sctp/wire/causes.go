package wire

import "encoding/binary"

// This file holds the error causes of RFC 9260 §3.3.10.1-§3.3.10.13, RFC
// 4895 §4.1 and RFC 5061 §4.3. ABORT, ERROR and the Error Cause
// Indication parameter carry them in a Causes list.
//
// Where a figure fixes a cause's length, a shorter one is refused and
// bytes after the fixed fields are ignored (see the package
// documentation). Causes that copy a parameter must hold a well-formed
// one, so that the receiver can tell what is being reported; bytes after
// it are tolerated, as some senders copy the parameter's padding and the
// report is advisory.

// causeMinLen checks that a cause holds its n bytes of fixed fields.
func causeMinLen(c Cause, n int, rule string) error {
	if c.Len() < n {
		return c.err(2, rule)
	}
	return nil
}

// causeCopiedParam checks that the value of c starts with a well-formed
// parameter and returns the whole value.
func causeCopiedParam(c Cause) ([]byte, error) {
	v := c.Value()
	if len(v) == 0 {
		return nil, c.err(2, "no parameter inside")
	}
	it := newTLVIter(v, c.off+tlvHeaderLen, "parameter", paramName)
	if _, ok := it.next(); !ok {
		return nil, it.err
	}
	return v, nil
}

// causeParamList checks that the value of c is a non-empty list of
// well-formed parameters.
func causeParamList(c Cause) (Params, error) {
	if c.Len() == tlvHeaderLen {
		return Params{}, c.err(2, "no parameter inside")
	}
	return parseParams(c.Value(), c.off+tlvHeaderLen)
}

// appendCauseBytes appends a cause made of a header and an opaque value.
func appendCauseBytes(b []byte, code CauseCode, v []byte) []byte {
	n := tlvHeaderLen + len(v)
	b = appendTLVHeader(b, uint16(code), n)
	b = append(b, v...)
	return appendPad(b, n)
}

// InvalidStreamIdentifierCause reports a DATA chunk sent on a stream that
// does not exist (RFC 9260 §3.3.10.1).
type InvalidStreamIdentifierCause struct {
	Stream StreamID
}

// CauseCode returns CauseInvalidStreamIdentifier.
func (e *InvalidStreamIdentifierCause) CauseCode() CauseCode { return CauseInvalidStreamIdentifier }

// Len returns the cause length field, 8.
func (e *InvalidStreamIdentifierCause) Len() int { return 8 }

// Append appends the cause; the reserved field is zero.
func (e *InvalidStreamIdentifierCause) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(CauseInvalidStreamIdentifier), 8)
	return append(b, byte(e.Stream>>8), byte(e.Stream), 0, 0)
}

// Decode reads the cause; the reserved field and any bytes after it are
// ignored.
func (e *InvalidStreamIdentifierCause) Decode(c Cause) error {
	if err := c.expect(CauseInvalidStreamIdentifier); err != nil {
		return err
	}
	if err := causeMinLen(c, 8, "cause length below 8"); err != nil {
		return err
	}
	e.Stream = StreamID(binary.BigEndian.Uint16(c.b[4:]))
	return nil
}

// MissingMandatoryParameterCause lists the mandatory parameters an INIT or
// INIT ACK lacked (RFC 9260 §3.3.10.2). Missing aliases the decoded bytes.
type MissingMandatoryParameterCause struct {
	Missing ParamTypes
}

// CauseCode returns CauseMissingMandatoryParameter.
func (e *MissingMandatoryParameterCause) CauseCode() CauseCode {
	return CauseMissingMandatoryParameter
}

// Len returns the cause length field, 8 + 2N.
func (e *MissingMandatoryParameterCause) Len() int { return 8 + 2*e.Missing.Len() }

// Append appends the cause with its padding. The count is written from
// the list, which holds whole entries only.
func (e *MissingMandatoryParameterCause) Append(b []byte) []byte {
	n := e.Len()
	b = appendTLVHeader(b, uint16(CauseMissingMandatoryParameter), n)
	b = binary.BigEndian.AppendUint32(b, uint32(e.Missing.Len()))
	b = append(b, e.Missing[:2*e.Missing.Len()]...)
	return appendPad(b, n)
}

// Decode reads the cause. The count is 32 bits wide and the length must
// hold that many entries; bytes after them are ignored, as after the
// entries of a SACK (see the package documentation).
func (e *MissingMandatoryParameterCause) Decode(c Cause) error {
	if err := c.expect(CauseMissingMandatoryParameter); err != nil {
		return err
	}
	if c.Len() < 8 {
		return c.err(2, "cause length below 8")
	}
	count := uint64(binary.BigEndian.Uint32(c.b[4:]))
	if uint64(c.Len()) < 8+2*count {
		return c.err(4, "cause length below 8 + 2 * number of missing parameters")
	}
	end := 8 + 2*int(count)
	e.Missing = ParamTypes(c.b[8:end:end])
	return nil
}

// StaleCookieCause reports a valid State Cookie that had expired (RFC 9260
// §3.3.10.3).
type StaleCookieCause struct {
	// Staleness is how long past its expiry the cookie was, in
	// microseconds rounded up; zero when the sender does not say.
	Staleness uint32
}

// CauseCode returns CauseStaleCookie.
func (e *StaleCookieCause) CauseCode() CauseCode { return CauseStaleCookie }

// Len returns the cause length field, 8.
func (e *StaleCookieCause) Len() int { return 8 }

// Append appends the cause.
func (e *StaleCookieCause) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(CauseStaleCookie), 8)
	return binary.BigEndian.AppendUint32(b, e.Staleness)
}

// Decode reads the cause; bytes after the staleness are ignored.
func (e *StaleCookieCause) Decode(c Cause) error {
	if err := c.expect(CauseStaleCookie); err != nil {
		return err
	}
	if err := causeMinLen(c, 8, "cause length below 8"); err != nil {
		return err
	}
	e.Staleness = binary.BigEndian.Uint32(c.b[4:])
	return nil
}

// OutOfResourceCause reports that the sender is out of resources (RFC
// 9260 §3.3.10.4). It carries nothing.
type OutOfResourceCause struct{}

// CauseCode returns CauseOutOfResource.
func (e *OutOfResourceCause) CauseCode() CauseCode { return CauseOutOfResource }

// Len returns the cause length field, 4.
func (e *OutOfResourceCause) Len() int { return tlvHeaderLen }

// Append appends the cause.
func (e *OutOfResourceCause) Append(b []byte) []byte {
	return appendTLVHeader(b, uint16(CauseOutOfResource), tlvHeaderLen)
}

// Decode reads the cause; a value is ignored.
func (e *OutOfResourceCause) Decode(c Cause) error {
	return c.expect(CauseOutOfResource)
}

// UnresolvableAddressCause reports an address parameter (or Host Name
// Address) the sender cannot resolve (RFC 9260 §3.3.10.5). Address is the
// whole parameter, header included, and aliases the decoded bytes.
type UnresolvableAddressCause struct {
	Address []byte
}

// CauseCode returns CauseUnresolvableAddress.
func (e *UnresolvableAddressCause) CauseCode() CauseCode { return CauseUnresolvableAddress }

// Len returns the cause length field.
func (e *UnresolvableAddressCause) Len() int { return tlvHeaderLen + len(e.Address) }

// Append appends the cause with its padding.
func (e *UnresolvableAddressCause) Append(b []byte) []byte {
	return appendCauseBytes(b, CauseUnresolvableAddress, e.Address)
}

// Decode reads the cause; the value must start with a well-formed
// parameter.
func (e *UnresolvableAddressCause) Decode(c Cause) error {
	if err := c.expect(CauseUnresolvableAddress); err != nil {
		return err
	}
	v, err := causeCopiedParam(c)
	if err != nil {
		return err
	}
	e.Address = v
	return nil
}

// UnrecognizedChunkTypeCause returns a chunk the sender did not recognize
// to its originator (RFC 9260 §3.3.10.6). Chunk is the chunk as copied,
// header included, and aliases the decoded bytes.
type UnrecognizedChunkTypeCause struct {
	Chunk []byte
}

// CauseCode returns CauseUnrecognizedChunkType.
func (e *UnrecognizedChunkTypeCause) CauseCode() CauseCode { return CauseUnrecognizedChunkType }

// Len returns the cause length field.
func (e *UnrecognizedChunkTypeCause) Len() int { return tlvHeaderLen + len(e.Chunk) }

// Append appends the cause with its padding.
func (e *UnrecognizedChunkTypeCause) Append(b []byte) []byte {
	return appendCauseBytes(b, CauseUnrecognizedChunkType, e.Chunk)
}

// Decode reads the cause. The copy must hold at least a chunk header, so
// that the reported type can be read; its length field is not checked
// against the copy, which a sender may have cut short to fit the packet
// or padded.
func (e *UnrecognizedChunkTypeCause) Decode(c Cause) error {
	if err := c.expect(CauseUnrecognizedChunkType); err != nil {
		return err
	}
	if c.Len() < tlvHeaderLen+chunkHeaderLen {
		return c.err(2, "cause length below 8")
	}
	e.Chunk = c.Value()
	return nil
}

// UnrecognizedType returns the type of the reported chunk, or 0 when Chunk
// is empty.
func (e *UnrecognizedChunkTypeCause) UnrecognizedType() ChunkType {
	if len(e.Chunk) == 0 {
		return 0
	}
	return ChunkType(e.Chunk[0])
}

// InvalidMandatoryParameterCause reports a mandatory INIT or INIT ACK
// parameter set to an invalid value (RFC 9260 §3.3.10.7). It carries
// nothing.
type InvalidMandatoryParameterCause struct{}

// CauseCode returns CauseInvalidMandatoryParameter.
func (e *InvalidMandatoryParameterCause) CauseCode() CauseCode {
	return CauseInvalidMandatoryParameter
}

// Len returns the cause length field, 4.
func (e *InvalidMandatoryParameterCause) Len() int { return tlvHeaderLen }

// Append appends the cause.
func (e *InvalidMandatoryParameterCause) Append(b []byte) []byte {
	return appendTLVHeader(b, uint16(CauseInvalidMandatoryParameter), tlvHeaderLen)
}

// Decode reads the cause; a value is ignored.
func (e *InvalidMandatoryParameterCause) Decode(c Cause) error {
	return c.expect(CauseInvalidMandatoryParameter)
}

// UnrecognizedParametersCause returns the optional INIT ACK parameters the
// sender did not recognize, each a whole TLV (RFC 9260 §3.3.10.8), usually
// in an ERROR chunk bundled with COOKIE ECHO. Params is the list as
// copied; build it with MakeParams.
type UnrecognizedParametersCause struct {
	Params Params
}

// CauseCode returns CauseUnrecognizedParameters.
func (e *UnrecognizedParametersCause) CauseCode() CauseCode { return CauseUnrecognizedParameters }

// Len returns the cause length field.
func (e *UnrecognizedParametersCause) Len() int { return tlvHeaderLen + e.Params.Len() }

// Append appends the cause with its padding.
func (e *UnrecognizedParametersCause) Append(b []byte) []byte {
	n := e.Len()
	b = appendTLVHeader(b, uint16(CauseUnrecognizedParameters), n)
	b = e.Params.appendTo(b)
	return appendPad(b, n)
}

// Decode reads the cause; it must hold one or more well-formed parameters.
func (e *UnrecognizedParametersCause) Decode(c Cause) error {
	if err := c.expect(CauseUnrecognizedParameters); err != nil {
		return err
	}
	ps, err := causeParamList(c)
	if err != nil {
		return err
	}
	e.Params = ps
	return nil
}

// NoUserDataCause reports a DATA chunk without user data (RFC 9260
// §3.3.10.9), normally in an ABORT (§6.2).
type NoUserDataCause struct {
	TSN TSN // the TSN of the empty DATA chunk
}

// CauseCode returns CauseNoUserData.
func (e *NoUserDataCause) CauseCode() CauseCode { return CauseNoUserData }

// Len returns the cause length field, 8.
func (e *NoUserDataCause) Len() int { return 8 }

// Append appends the cause.
func (e *NoUserDataCause) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(CauseNoUserData), 8)
	return binary.BigEndian.AppendUint32(b, uint32(e.TSN))
}

// Decode reads the cause; bytes after the TSN are ignored.
func (e *NoUserDataCause) Decode(c Cause) error {
	if err := c.expect(CauseNoUserData); err != nil {
		return err
	}
	if err := causeMinLen(c, 8, "cause length below 8"); err != nil {
		return err
	}
	e.TSN = TSN(binary.BigEndian.Uint32(c.b[4:]))
	return nil
}

// CookieWhileShuttingDownCause reports a COOKIE ECHO received in the
// SHUTDOWN-ACK-SENT state (RFC 9260 §3.3.10.10). It carries nothing.
type CookieWhileShuttingDownCause struct{}

// CauseCode returns CauseCookieWhileShuttingDown.
func (e *CookieWhileShuttingDownCause) CauseCode() CauseCode { return CauseCookieWhileShuttingDown }

// Len returns the cause length field, 4.
func (e *CookieWhileShuttingDownCause) Len() int { return tlvHeaderLen }

// Append appends the cause.
func (e *CookieWhileShuttingDownCause) Append(b []byte) []byte {
	return appendTLVHeader(b, uint16(CauseCookieWhileShuttingDown), tlvHeaderLen)
}

// Decode reads the cause; a value is ignored.
func (e *CookieWhileShuttingDownCause) Decode(c Cause) error {
	return c.expect(CauseCookieWhileShuttingDown)
}

// RestartWithNewAddressesCause refuses an INIT that restarts an
// association with addresses it did not have (RFC 9260 §3.3.10.11, §5.2).
// Addresses holds exact copies of the new address parameters of the INIT;
// build it with MakeParams.
type RestartWithNewAddressesCause struct {
	Addresses Params
}

// CauseCode returns CauseRestartWithNewAddresses.
func (e *RestartWithNewAddressesCause) CauseCode() CauseCode { return CauseRestartWithNewAddresses }

// Len returns the cause length field.
func (e *RestartWithNewAddressesCause) Len() int { return tlvHeaderLen + e.Addresses.Len() }

// Append appends the cause with its padding.
func (e *RestartWithNewAddressesCause) Append(b []byte) []byte {
	n := e.Len()
	b = appendTLVHeader(b, uint16(CauseRestartWithNewAddresses), n)
	b = e.Addresses.appendTo(b)
	return appendPad(b, n)
}

// Decode reads the cause; it must hold one or more well-formed parameters.
func (e *RestartWithNewAddressesCause) Decode(c Cause) error {
	if err := c.expect(CauseRestartWithNewAddresses); err != nil {
		return err
	}
	ps, err := causeParamList(c)
	if err != nil {
		return err
	}
	e.Addresses = ps
	return nil
}

// UserInitiatedAbortCause carries the upper layer's reason for an ABORT
// (RFC 9260 §3.3.10.12), opaque to SCTP. Reason aliases the decoded bytes
// and may be empty.
type UserInitiatedAbortCause struct {
	Reason []byte
}

// CauseCode returns CauseUserInitiatedAbort.
func (e *UserInitiatedAbortCause) CauseCode() CauseCode { return CauseUserInitiatedAbort }

// Len returns the cause length field.
func (e *UserInitiatedAbortCause) Len() int { return tlvHeaderLen + len(e.Reason) }

// Append appends the cause with its padding.
func (e *UserInitiatedAbortCause) Append(b []byte) []byte {
	return appendCauseBytes(b, CauseUserInitiatedAbort, e.Reason)
}

// Decode reads the cause; any length is valid.
func (e *UserInitiatedAbortCause) Decode(c Cause) error {
	if err := c.expect(CauseUserInitiatedAbort); err != nil {
		return err
	}
	e.Reason = c.Value()
	return nil
}

// ProtocolViolationCause reports a protocol violation no other cause
// covers (RFC 9260 §3.3.10.13). Info is the optional description, opaque
// here; it aliases the decoded bytes.
type ProtocolViolationCause struct {
	Info []byte
}

// CauseCode returns CauseProtocolViolation.
func (e *ProtocolViolationCause) CauseCode() CauseCode { return CauseProtocolViolation }

// Len returns the cause length field.
func (e *ProtocolViolationCause) Len() int { return tlvHeaderLen + len(e.Info) }

// Append appends the cause with its padding.
func (e *ProtocolViolationCause) Append(b []byte) []byte {
	return appendCauseBytes(b, CauseProtocolViolation, e.Info)
}

// Decode reads the cause; any length is valid.
func (e *ProtocolViolationCause) Decode(c Cause) error {
	if err := c.expect(CauseProtocolViolation); err != nil {
		return err
	}
	e.Info = c.Value()
	return nil
}

// UnsupportedHMACIdentifierCause reports an AUTH chunk whose HMAC
// identifier the sender does not support (RFC 4895 §4.1). Its length is 6;
// the two bytes of padding after it are outside the length.
type UnsupportedHMACIdentifierCause struct {
	HMACID HMACID
}

// CauseCode returns CauseUnsupportedHMACIdentifier.
func (e *UnsupportedHMACIdentifierCause) CauseCode() CauseCode {
	return CauseUnsupportedHMACIdentifier
}

// Len returns the cause length field, 6.
func (e *UnsupportedHMACIdentifierCause) Len() int { return 6 }

// Append appends the cause with its padding.
func (e *UnsupportedHMACIdentifierCause) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(CauseUnsupportedHMACIdentifier), 6)
	return append(b, byte(e.HMACID>>8), byte(e.HMACID), 0, 0)
}

// Decode reads the cause. Bytes after the identifier are ignored: a
// sender that counts the two bytes of padding in the length (8) is read
// all the same.
func (e *UnsupportedHMACIdentifierCause) Decode(c Cause) error {
	if err := c.expect(CauseUnsupportedHMACIdentifier); err != nil {
		return err
	}
	if err := causeMinLen(c, 6, "cause length below 6"); err != nil {
		return err
	}
	e.HMACID = HMACID(binary.BigEndian.Uint16(c.b[4:]))
	return nil
}

// The causes of RFC 5061 §4.3.1-§4.3.3 and §4.3.5 answer one ASCONF
// request inside an Error Cause Indication parameter, and carry that
// request parameter (Add IP Address, Delete IP Address, Set Primary
// Address) as copied from the ASCONF, header included. Param aliases the
// decoded bytes.

// DeleteLastRemainingAddressCause refuses a request to delete the last
// address of an association (RFC 5061 §4.3.1).
type DeleteLastRemainingAddressCause struct {
	Param []byte
}

// CauseCode returns CauseDeleteLastRemainingAddress.
func (e *DeleteLastRemainingAddressCause) CauseCode() CauseCode {
	return CauseDeleteLastRemainingAddress
}

// Len returns the cause length field.
func (e *DeleteLastRemainingAddressCause) Len() int { return tlvHeaderLen + len(e.Param) }

// Append appends the cause with its padding.
func (e *DeleteLastRemainingAddressCause) Append(b []byte) []byte {
	return appendCauseBytes(b, CauseDeleteLastRemainingAddress, e.Param)
}

// Decode reads the cause; the value must start with a well-formed
// parameter.
func (e *DeleteLastRemainingAddressCause) Decode(c Cause) error {
	if err := c.expect(CauseDeleteLastRemainingAddress); err != nil {
		return err
	}
	v, err := causeCopiedParam(c)
	if err != nil {
		return err
	}
	e.Param = v
	return nil
}

// ResourceShortageCause refuses an ASCONF request for lack of resources
// (RFC 5061 §4.3.2).
type ResourceShortageCause struct {
	Param []byte
}

// CauseCode returns CauseResourceShortage.
func (e *ResourceShortageCause) CauseCode() CauseCode { return CauseResourceShortage }

// Len returns the cause length field.
func (e *ResourceShortageCause) Len() int { return tlvHeaderLen + len(e.Param) }

// Append appends the cause with its padding.
func (e *ResourceShortageCause) Append(b []byte) []byte {
	return appendCauseBytes(b, CauseResourceShortage, e.Param)
}

// Decode reads the cause; the value must start with a well-formed
// parameter.
func (e *ResourceShortageCause) Decode(c Cause) error {
	if err := c.expect(CauseResourceShortage); err != nil {
		return err
	}
	v, err := causeCopiedParam(c)
	if err != nil {
		return err
	}
	e.Param = v
	return nil
}

// DeleteSourceAddressCause refuses a request to delete the source address
// of the ASCONF's packet (RFC 5061 §4.3.3).
type DeleteSourceAddressCause struct {
	Param []byte
}

// CauseCode returns CauseDeleteSourceAddress.
func (e *DeleteSourceAddressCause) CauseCode() CauseCode { return CauseDeleteSourceAddress }

// Len returns the cause length field.
func (e *DeleteSourceAddressCause) Len() int { return tlvHeaderLen + len(e.Param) }

// Append appends the cause with its padding.
func (e *DeleteSourceAddressCause) Append(b []byte) []byte {
	return appendCauseBytes(b, CauseDeleteSourceAddress, e.Param)
}

// Decode reads the cause; the value must start with a well-formed
// parameter.
func (e *DeleteSourceAddressCause) Decode(c Cause) error {
	if err := c.expect(CauseDeleteSourceAddress); err != nil {
		return err
	}
	v, err := causeCopiedParam(c)
	if err != nil {
		return err
	}
	e.Param = v
	return nil
}

// IllegalASCONFAckCause is put in the ABORT sent after an unexpected
// ASCONF-ACK with a sequence number ahead of the last one acknowledged
// (RFC 5061 §4.3.4, §5.3 rule F0). It carries nothing.
type IllegalASCONFAckCause struct{}

// CauseCode returns CauseIllegalASCONFAck.
func (e *IllegalASCONFAckCause) CauseCode() CauseCode { return CauseIllegalASCONFAck }

// Len returns the cause length field, 4.
func (e *IllegalASCONFAckCause) Len() int { return tlvHeaderLen }

// Append appends the cause.
func (e *IllegalASCONFAckCause) Append(b []byte) []byte {
	return appendTLVHeader(b, uint16(CauseIllegalASCONFAck), tlvHeaderLen)
}

// Decode reads the cause; a value is ignored.
func (e *IllegalASCONFAckCause) Decode(c Cause) error {
	return c.expect(CauseIllegalASCONFAck)
}

// NoAuthorizationCause refuses an ASCONF request by local security policy
// (RFC 5061 §4.3.5).
type NoAuthorizationCause struct {
	Param []byte
}

// CauseCode returns CauseNoAuthorization.
func (e *NoAuthorizationCause) CauseCode() CauseCode { return CauseNoAuthorization }

// Len returns the cause length field.
func (e *NoAuthorizationCause) Len() int { return tlvHeaderLen + len(e.Param) }

// Append appends the cause with its padding.
func (e *NoAuthorizationCause) Append(b []byte) []byte {
	return appendCauseBytes(b, CauseNoAuthorization, e.Param)
}

// Decode reads the cause; the value must start with a well-formed
// parameter.
func (e *NoAuthorizationCause) Decode(c Cause) error {
	if err := c.expect(CauseNoAuthorization); err != nil {
		return err
	}
	v, err := causeCopiedParam(c)
	if err != nil {
		return err
	}
	e.Param = v
	return nil
}
