package wire

// Decoding by type: for tools, tests and fuzzers that want any chunk,
// parameter or cause as its typed struct. Each call allocates the value it
// returns; the receive path decodes into structs of its own instead.

// DecodableChunk is a chunk type's struct: encodable and decodable.
type DecodableChunk interface {
	Chunker
	Decode(Chunk) error
}

// DecodableParam is a parameter type's struct: encodable and decodable.
type DecodableParam interface {
	Parameter
	Decode(Param) error
}

// DecodableCause is an error cause's struct: encodable and decodable.
type DecodableCause interface {
	ErrorCause
	Decode(Cause) error
}

// NewChunk returns a zero struct for chunk type t: a *RawChunk when the
// type has no codec here.
func NewChunk(t ChunkType) DecodableChunk {
	switch t {
	case ChunkData:
		return new(Data)
	case ChunkIData:
		return new(IData)
	case ChunkInit:
		return new(Init)
	case ChunkInitAck:
		return new(InitAck)
	case ChunkSack:
		return new(Sack)
	case ChunkHeartbeat:
		return new(Heartbeat)
	case ChunkHeartbeatAck:
		return new(HeartbeatAck)
	case ChunkAbort:
		return new(Abort)
	case ChunkShutdown:
		return new(Shutdown)
	case ChunkShutdownAck:
		return new(ShutdownAck)
	case ChunkError:
		return new(ErrorChunk)
	case ChunkCookieEcho:
		return new(CookieEcho)
	case ChunkCookieAck:
		return new(CookieAck)
	case ChunkShutdownComplete:
		return new(ShutdownComplete)
	case ChunkAuth:
		return new(Auth)
	case ChunkASCONF:
		return new(ASCONF)
	case ChunkASCONFAck:
		return new(ASCONFAck)
	case ChunkReconfig:
		return new(Reconfig)
	case ChunkPad:
		return new(Pad)
	case ChunkForwardTSN:
		return new(ForwardTSN)
	case ChunkIForwardTSN:
		return new(IForwardTSN)
	}
	return new(RawChunk)
}

// NewParam returns a zero struct for parameter type t: a *RawParam when
// the type has no codec here.
func NewParam(t ParamType) DecodableParam {
	switch t {
	case ParamHeartbeatInfo:
		return new(HeartbeatInfoParam)
	case ParamIPv4Address:
		return new(IPv4AddressParam)
	case ParamIPv6Address:
		return new(IPv6AddressParam)
	case ParamStateCookie:
		return new(StateCookieParam)
	case ParamUnrecognizedParameter:
		return new(UnrecognizedParameterParam)
	case ParamCookiePreservative:
		return new(CookiePreservativeParam)
	case ParamHostNameAddress:
		return new(HostNameAddressParam)
	case ParamSupportedAddressTypes:
		return new(SupportedAddressTypesParam)
	case ParamOutgoingSSNResetRequest:
		return new(OutgoingSSNResetRequestParam)
	case ParamIncomingSSNResetRequest:
		return new(IncomingSSNResetRequestParam)
	case ParamSSNTSNResetRequest:
		return new(SSNTSNResetRequestParam)
	case ParamReconfigResponse:
		return new(ReconfigResponseParam)
	case ParamAddOutgoingStreams:
		return new(AddOutgoingStreamsParam)
	case ParamAddIncomingStreams:
		return new(AddIncomingStreamsParam)
	case ParamRandom:
		return new(RandomParam)
	case ParamChunkList:
		return new(ChunkListParam)
	case ParamRequestedHMACAlgorithm:
		return new(RequestedHMACAlgorithmParam)
	case ParamPadding:
		return new(PaddingParam)
	case ParamSupportedExtensions:
		return new(SupportedExtensionsParam)
	case ParamForwardTSNSupported:
		return new(ForwardTSNSupportedParam)
	case ParamAddIPAddress:
		return new(AddIPAddressParam)
	case ParamDeleteIPAddress:
		return new(DeleteIPAddressParam)
	case ParamErrorCauseIndication:
		return new(ErrorCauseIndicationParam)
	case ParamSetPrimaryAddress:
		return new(SetPrimaryAddressParam)
	case ParamSuccessIndication:
		return new(SuccessIndicationParam)
	case ParamAdaptationLayerIndication:
		return new(AdaptationLayerIndicationParam)
	}
	return new(RawParam)
}

// NewCause returns a zero struct for cause code c: a *RawCause when the
// code has no codec here.
func NewCause(c CauseCode) DecodableCause {
	switch c {
	case CauseInvalidStreamIdentifier:
		return new(InvalidStreamIdentifierCause)
	case CauseMissingMandatoryParameter:
		return new(MissingMandatoryParameterCause)
	case CauseStaleCookie:
		return new(StaleCookieCause)
	case CauseOutOfResource:
		return new(OutOfResourceCause)
	case CauseUnresolvableAddress:
		return new(UnresolvableAddressCause)
	case CauseUnrecognizedChunkType:
		return new(UnrecognizedChunkTypeCause)
	case CauseInvalidMandatoryParameter:
		return new(InvalidMandatoryParameterCause)
	case CauseUnrecognizedParameters:
		return new(UnrecognizedParametersCause)
	case CauseNoUserData:
		return new(NoUserDataCause)
	case CauseCookieWhileShuttingDown:
		return new(CookieWhileShuttingDownCause)
	case CauseRestartWithNewAddresses:
		return new(RestartWithNewAddressesCause)
	case CauseUserInitiatedAbort:
		return new(UserInitiatedAbortCause)
	case CauseProtocolViolation:
		return new(ProtocolViolationCause)
	case CauseUnsupportedHMACIdentifier:
		return new(UnsupportedHMACIdentifierCause)
	case CauseDeleteLastRemainingAddress:
		return new(DeleteLastRemainingAddressCause)
	case CauseResourceShortage:
		return new(ResourceShortageCause)
	case CauseDeleteSourceAddress:
		return new(DeleteSourceAddressCause)
	case CauseIllegalASCONFAck:
		return new(IllegalASCONFAckCause)
	case CauseNoAuthorization:
		return new(NoAuthorizationCause)
	}
	return new(RawCause)
}

// DecodeChunk decodes c into the struct of its type. The zero Chunk has no
// type; it gives a ParseError, as the typed decoders do.
func DecodeChunk(c Chunk) (DecodableChunk, error) {
	if c.b == nil {
		return nil, parseErr(c.off, "chunk", "no chunk")
	}
	d := NewChunk(c.Type())
	if err := d.Decode(c); err != nil {
		return nil, err
	}
	return d, nil
}

// DecodeParam decodes p into the struct of its type. The zero Param gives
// a ParseError.
func DecodeParam(p Param) (DecodableParam, error) {
	if p.b == nil {
		return nil, parseErr(p.off, "parameter", "no parameter")
	}
	d := NewParam(p.Type())
	if err := d.Decode(p); err != nil {
		return nil, err
	}
	return d, nil
}

// DecodeCause decodes c into the struct of its code. The zero Cause gives
// a ParseError.
func DecodeCause(c Cause) (DecodableCause, error) {
	if c.b == nil {
		return nil, parseErr(c.off, "error cause", "no error cause")
	}
	d := NewCause(c.Code())
	if err := d.Decode(c); err != nil {
		return nil, err
	}
	return d, nil
}
