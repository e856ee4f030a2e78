package msg

// This file holds the generic decoder: from the bytes of one SCTP user
// message (or UDP datagram) and the protocol its PPID (or port) names, to
// the typed message. ASAP and ENRP number their messages independently
// (RFC 5352 §2.2, RFC 5353 §2), so the protocol has to be given.

// Decoder is a message that can decode itself from a view; every message
// type of this package implements it with a pointer receiver.
type Decoder interface {
	Message
	Decode(MessageView) error
}

// New returns a new, empty message of type t, or nil when this package
// does not know t.
func New(t MessageType) Decoder {
	switch t {
	case ASAPRegistration:
		return new(Registration)
	case ASAPDeregistration:
		return new(Deregistration)
	case ASAPRegistrationResponse:
		return new(RegistrationResponse)
	case ASAPDeregistrationResponse:
		return new(DeregistrationResponse)
	case ASAPHandleResolution:
		return new(HandleResolution)
	case ASAPHandleResolutionResponse:
		return new(HandleResolutionResponse)
	case ASAPEndpointKeepAlive:
		return new(EndpointKeepAlive)
	case ASAPEndpointKeepAliveAck:
		return new(EndpointKeepAliveAck)
	case ASAPEndpointUnreachable:
		return new(EndpointUnreachable)
	case ASAPServerAnnounce:
		return new(ServerAnnounce)
	case ASAPCookie:
		return new(Cookie)
	case ASAPCookieEcho:
		return new(CookieEcho)
	case ASAPBusinessCard:
		return new(BusinessCard)
	case ASAPErrorMessage:
		return new(ASAPError)
	case ENRPPresence:
		return new(Presence)
	case ENRPHandleTableRequest:
		return new(HandleTableRequest)
	case ENRPHandleTableResponse:
		return new(HandleTableResponse)
	case ENRPHandleUpdate:
		return new(HandleUpdate)
	case ENRPListRequest:
		return new(ListRequest)
	case ENRPListResponse:
		return new(ListResponse)
	case ENRPInitTakeover:
		return new(InitTakeover)
	case ENRPInitTakeoverAck:
		return new(InitTakeoverAck)
	case ENRPTakeoverServer:
		return new(TakeoverServer)
	case ENRPErrorMessage:
		return new(ENRPError)
	}
	return nil
}

// DecodeMessage decodes one message of protocol p (ASAP or ENRP) from b.
// The message's byte fields alias b. Errors are a *ParseError for
// malformed bytes, an *UnrecognizedMessageError for a type this package
// does not know, or an *UnrecognizedParamError for an unknown parameter
// whose type bits say to discard the message; the last two carry what an
// ASAP_ERROR or ENRP_ERROR reporting them needs.
func DecodeMessage(p Protocol, b []byte) (Message, error) {
	v, err := ParseMessage(p, b)
	if err != nil {
		return nil, err
	}
	m := New(v.Type())
	if m == nil {
		return nil, &UnrecognizedMessageError{Protocol: p, Type: v.b[0], Message: v.b}
	}
	if err := m.Decode(v); err != nil {
		return nil, err
	}
	return m, nil
}

// DecodeASAP decodes one ASAP message (SCTP PPID 11, port 3863).
func DecodeASAP(b []byte) (Message, error) { return DecodeMessage(ASAP, b) }

// DecodeENRP decodes one ENRP message (SCTP PPID 12, port 9901).
func DecodeENRP(b []byte) (Message, error) { return DecodeMessage(ENRP, b) }
