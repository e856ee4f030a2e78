package msg

import "encoding/binary"

// This file holds the remaining ASAP messages of RFC 5352: the server
// announcement that lets PEs and PUs find registrars (§2.2.10, §3.6), the
// PE-to-PU control channel messages for failover (§2.2.11-§2.2.13, §3.8,
// §3.9), and ASAP_ERROR (§2.2.14).

// ServerAnnounce is ASAP_SERVER_ANNOUNCE (RFC 5352 §2.2.10), sent by a
// registrar to the announce group over UDP, and in that case the same
// bytes as over SCTP (rsplib sends it to 239.0.0.50:3863). Only SCTP and
// TCP transports may be listed ("Only SCTP and TCP Transport parameters
// are allowed", §2.2.10; Encode refuses others, as the decoder does);
// with none (what rsplib sends), the receiver uses the datagram's source
// address, SCTP and port 3863 (§3.6).
type ServerAnnounce struct {
	ServerID     ServerID
	Transports   Transports
	Unrecognized Unrecognized
}

// MessageType returns ASAPServerAnnounce.
func (m *ServerAnnounce) MessageType() MessageType { return ASAPServerAnnounce }

// Len returns the message length field.
func (m *ServerAnnounce) Len() int {
	s := sizer{n: headerLen + 4}
	m.Transports.size(&s)
	m.Unrecognized.size(&s)
	return s.total()
}

// Append appends the message and its padding.
func (m *ServerAnnounce) Append(b []byte) []byte {
	b = appendHeader(b, ASAPServerAnnounce, 0, m.Len())
	b = binary.BigEndian.AppendUint32(b, uint32(m.ServerID))
	b = m.Transports.appendTo(b)
	return m.Unrecognized.appendTo(b)
}

// check applies RFC 5352 §2.2.10: "Only SCTP and TCP Transport
// parameters are allowed".
func (m *ServerAnnounce) check() error {
	it := m.Transports.l.iter(transportType)
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		if t := p.Type(); t != ParamSCTPTransport && t != ParamTCPTransport {
			return encodeErr(ASAPServerAnnounce, t.String()+" parameter, not SCTP or TCP (RFC 5352 §2.2.10)")
		}
	}
	return nil
}

// Decode reads the message.
func (m *ServerAnnounce) Decode(v MessageView) error {
	if err := v.expect(ASAPServerAnnounce, 4); err != nil {
		return err
	}
	var bd body
	if err := bd.decode(v, 4, 0, pSCTP|pTCP); err != nil {
		return err
	}
	*m = ServerAnnounce{ServerID: ServerID(v.u32(headerLen)), Unrecognized: bd.unk}
	if bd.has(pSCTP | pTCP) {
		m.Transports = Transports{bd.all}
	}
	return nil
}

// Cookie is ASAP_COOKIE (RFC 5352 §2.2.11): state a PE hands its user over
// the control channel, for the user to give a new PE after a failover.
type Cookie struct {
	Cookie       []byte
	Unrecognized Unrecognized
}

// MessageType returns ASAPCookie.
func (m *Cookie) MessageType() MessageType { return ASAPCookie }

// Len returns the message length field.
func (m *Cookie) Len() int { return cookieLen(m.Cookie, m.Unrecognized) }

// Append appends the message and its padding.
func (m *Cookie) Append(b []byte) []byte {
	return appendCookie(b, ASAPCookie, m.Cookie, m.Unrecognized)
}

// Decode reads the message: one Cookie parameter.
func (m *Cookie) Decode(v MessageView) error {
	c, u, err := decodeCookie(v, ASAPCookie)
	*m = Cookie{Cookie: c, Unrecognized: u}
	return err
}

// CookieEcho is ASAP_COOKIE_ECHO (RFC 5352 §2.2.12): the user hands the
// last cookie of a failed PE to its replacement.
type CookieEcho struct {
	Cookie       []byte
	Unrecognized Unrecognized
}

// MessageType returns ASAPCookieEcho.
func (m *CookieEcho) MessageType() MessageType { return ASAPCookieEcho }

// Len returns the message length field.
func (m *CookieEcho) Len() int { return cookieLen(m.Cookie, m.Unrecognized) }

// Append appends the message and its padding.
func (m *CookieEcho) Append(b []byte) []byte {
	return appendCookie(b, ASAPCookieEcho, m.Cookie, m.Unrecognized)
}

// Decode reads the message: one Cookie parameter.
func (m *CookieEcho) Decode(v MessageView) error {
	c, u, err := decodeCookie(v, ASAPCookieEcho)
	*m = CookieEcho{Cookie: c, Unrecognized: u}
	return err
}

func cookieLen(c []byte, u Unrecognized) int {
	s := sizer{n: headerLen}
	s.add(tlvHeaderLen + len(c))
	u.size(&s)
	return s.total()
}

func appendCookie(b []byte, t MessageType, c []byte, u Unrecognized) []byte {
	b = appendHeader(b, t, 0, cookieLen(c, u))
	b = appendBytesParam(b, ParamCookie, c)
	return u.appendTo(b)
}

func decodeCookie(v MessageView, t MessageType) ([]byte, Unrecognized, error) {
	if err := v.expect(t, 0); err != nil {
		return nil, Unrecognized{}, err
	}
	var bd body
	if err := bd.decode(v, 0, pCookie, 0); err != nil {
		return nil, Unrecognized{}, err
	}
	if err := bd.need(v, pCookie); err != nil {
		return nil, Unrecognized{}, err
	}
	return bd.cookie, bd.unk, nil
}

// BusinessCard is ASAP_BUSINESS_CARD (RFC 5352 §2.2.13): a pool handle and
// the pool elements to fail over to, in the preferred order.
type BusinessCard struct {
	PoolHandle   []byte
	PoolElements PoolElements
	Unrecognized Unrecognized
}

// MessageType returns ASAPBusinessCard.
func (m *BusinessCard) MessageType() MessageType { return ASAPBusinessCard }

// Len returns the message length field.
func (m *BusinessCard) Len() int {
	s := sizer{n: headerLen}
	s.add(tlvHeaderLen + len(m.PoolHandle))
	m.PoolElements.size(&s)
	m.Unrecognized.size(&s)
	return s.total()
}

// Append appends the message and its padding.
func (m *BusinessCard) Append(b []byte) []byte {
	b = appendHeader(b, ASAPBusinessCard, 0, m.Len())
	b = appendHandle(b, m.PoolHandle)
	b = m.PoolElements.appendTo(b)
	return m.Unrecognized.appendTo(b)
}

// Decode reads the message: a Pool Handle and one or more Pool Elements.
func (m *BusinessCard) Decode(v MessageView) error {
	if err := v.expect(ASAPBusinessCard, 0); err != nil {
		return err
	}
	var bd body
	if err := bd.decode(v, 0, pHandle, pPE); err != nil {
		return err
	}
	if err := bd.need(v, pHandle|pPE); err != nil {
		return err
	}
	*m = BusinessCard{PoolHandle: bd.handle, PoolElements: PoolElements{bd.all}, Unrecognized: bd.unk}
	return nil
}

// ASAPError is ASAP_ERROR (RFC 5352 §2.2.14): the report of an unknown
// message or parameter to the ASAP endpoint that sent it. Its Operation
// Error is mandatory and holds "one or more Error Causes" (RFC 5354
// §3.12): Encode refuses an ASAPError without a cause.
type ASAPError struct {
	Error        OperationError
	Unrecognized Unrecognized
}

// MessageType returns ASAPErrorMessage.
func (m *ASAPError) MessageType() MessageType { return ASAPErrorMessage }

// Len returns the message length field.
func (m *ASAPError) Len() int { return errorLen(headerLen, &m.Error, m.Unrecognized) }

// Append appends the message and its padding.
func (m *ASAPError) Append(b []byte) []byte {
	b = appendHeader(b, ASAPErrorMessage, 0, m.Len())
	b = m.Error.Append(b)
	return m.Unrecognized.appendTo(b)
}

func (m *ASAPError) check() error { return checkOpError(ASAPErrorMessage, &m.Error) }

// Decode reads the message: one Operation Error parameter.
func (m *ASAPError) Decode(v MessageView) error {
	if err := v.expect(ASAPErrorMessage, 0); err != nil {
		return err
	}
	var bd body
	if err := bd.decode(v, 0, pOpErr, 0); err != nil {
		return err
	}
	if err := bd.need(v, pOpErr); err != nil {
		return err
	}
	*m = ASAPError{Error: bd.opErr, Unrecognized: bd.unk}
	return nil
}

// checkOpError refuses the Operation Error of an error message without a
// cause: RFC 5354 §3.12 draws it as "one or more Error Causes", and the
// decoders refuse an empty one.
func checkOpError(t MessageType, e *OperationError) error {
	if e.IsZero() {
		return encodeErr(t, "Operation Error without an error cause (RFC 5354 §3.12)")
	}
	return nil
}

func errorLen(fixed int, e *OperationError, u Unrecognized) int {
	s := sizer{n: fixed}
	s.add(e.Len())
	u.size(&s)
	return s.total()
}
