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
// ASAP_ERROR or ENRP_ERROR reporting them needs. A p other than ASAP and
// ENRP gives ErrUnknownProtocol.
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

// Report calls fn for each parameter of the decoded message m whose
// unknown type's bits ask the receiver to report it in an Unrecognized
// Parameter error (11; RFC 5354 §3), at any depth: those of the message
// and those skipped inside its Pool Elements, Server Information and
// transport parameters. Each one takes an Unrecognized Parameter cause of
// its own (RFC 5354 §3.12.2; see UnrecognizedParameterCause).
func Report(m Message, fn func(Param)) {
	switch m := m.(type) {
	case *Registration:
		m.PoolElement.report(fn)
		m.Unrecognized.Report(fn)
	case *Deregistration:
		m.Unrecognized.Report(fn)
	case *RegistrationResponse:
		m.Unrecognized.Report(fn)
	case *DeregistrationResponse:
		m.Unrecognized.Report(fn)
	case *HandleResolution:
		m.Unrecognized.Report(fn)
	case *HandleResolutionResponse:
		m.PoolElements.report(fn)
		m.Unrecognized.Report(fn)
	case *EndpointKeepAlive:
		m.Unrecognized.Report(fn)
	case *EndpointKeepAliveAck:
		m.Unrecognized.Report(fn)
	case *EndpointUnreachable:
		m.Unrecognized.Report(fn)
	case *ServerAnnounce:
		var t Transport
		it := m.Transports.Iter()
		for it.Next(&t) {
			t.Unrecognized.Report(fn)
		}
		m.Unrecognized.Report(fn)
	case *Cookie:
		m.Unrecognized.Report(fn)
	case *CookieEcho:
		m.Unrecognized.Report(fn)
	case *BusinessCard:
		m.PoolElements.report(fn)
		m.Unrecognized.Report(fn)
	case *ASAPError:
		m.Unrecognized.Report(fn)
	case *Presence:
		m.ServerInfo.report(fn)
		m.Unrecognized.Report(fn)
	case *HandleTableRequest:
		m.Unrecognized.Report(fn)
	case *HandleTableResponse:
		PoolElements{m.Entries.l}.report(fn)
		m.Unrecognized.Report(fn)
	case *HandleUpdate:
		m.PoolElement.report(fn)
		m.Unrecognized.Report(fn)
	case *ListRequest:
		m.Unrecognized.Report(fn)
	case *ListResponse:
		var s ServerInformation
		it := m.Peers.Iter()
		for it.Next(&s) {
			s.report(fn)
		}
		m.Unrecognized.Report(fn)
	case *InitTakeover:
		m.Unrecognized.Report(fn)
	case *InitTakeoverAck:
		m.Unrecognized.Report(fn)
	case *TakeoverServer:
		m.Unrecognized.Report(fn)
	case *ENRPError:
		m.Unrecognized.Report(fn)
	}
}

func (pe *PoolElement) report(fn func(Param)) {
	pe.UserTransport.Unrecognized.Report(fn)
	pe.ASAPTransport.Unrecognized.Report(fn)
	pe.Unrecognized.Report(fn)
}

func (ps PoolElements) report(fn func(Param)) {
	var pe PoolElement
	it := ps.Iter()
	for it.Next(&pe) {
		pe.report(fn)
	}
}

func (s *ServerInformation) report(fn func(Param)) {
	s.Transport.Unrecognized.Report(fn)
	s.Unrecognized.Report(fn)
}
