package msg

import (
	"encoding/binary"
	"strconv"
)

// This file holds the common message header of RFC 5354 §4, shared by ASAP
// and ENRP: an 8-bit type, 8 bits of flags and a 16-bit length that counts
// the header and the value but not the padding that brings the message to
// a multiple of 4 bytes.

// Protocol is ASAP or ENRP. Its value is the protocol's SCTP payload
// protocol identifier (RFC 5352 §8.3, RFC 5353 §5.4).
type Protocol uint32

// String returns "ASAP", "ENRP" or "protocol N".
func (p Protocol) String() string {
	switch p {
	case ASAP:
		return "ASAP"
	case ENRP:
		return "ENRP"
	}
	return "protocol " + strconv.Itoa(int(p))
}

// PPID returns the protocol's SCTP payload protocol identifier.
func (p Protocol) PPID() uint32 { return uint32(p) }

// MessageType names a message of either protocol: the protocol in the high
// byte and the wire's type code in the low byte, since ASAP and ENRP
// number their messages independently.
type MessageType uint16

// Protocol returns the protocol the message type belongs to.
func (t MessageType) Protocol() Protocol { return Protocol(t >> 8) }

// Code returns the type code carried in the message header.
func (t MessageType) Code() uint8 { return uint8(t) }

var messageNames = map[MessageType]string{
	ASAPRegistration:             "ASAP_REGISTRATION",
	ASAPDeregistration:           "ASAP_DEREGISTRATION",
	ASAPRegistrationResponse:     "ASAP_REGISTRATION_RESPONSE",
	ASAPDeregistrationResponse:   "ASAP_DEREGISTRATION_RESPONSE",
	ASAPHandleResolution:         "ASAP_HANDLE_RESOLUTION",
	ASAPHandleResolutionResponse: "ASAP_HANDLE_RESOLUTION_RESPONSE",
	ASAPEndpointKeepAlive:        "ASAP_ENDPOINT_KEEP_ALIVE",
	ASAPEndpointKeepAliveAck:     "ASAP_ENDPOINT_KEEP_ALIVE_ACK",
	ASAPEndpointUnreachable:      "ASAP_ENDPOINT_UNREACHABLE",
	ASAPServerAnnounce:           "ASAP_SERVER_ANNOUNCE",
	ASAPCookie:                   "ASAP_COOKIE",
	ASAPCookieEcho:               "ASAP_COOKIE_ECHO",
	ASAPBusinessCard:             "ASAP_BUSINESS_CARD",
	ASAPErrorMessage:             "ASAP_ERROR",
	ENRPPresence:                 "ENRP_PRESENCE",
	ENRPHandleTableRequest:       "ENRP_HANDLE_TABLE_REQUEST",
	ENRPHandleTableResponse:      "ENRP_HANDLE_TABLE_RESPONSE",
	ENRPHandleUpdate:             "ENRP_HANDLE_UPDATE",
	ENRPListRequest:              "ENRP_LIST_REQUEST",
	ENRPListResponse:             "ENRP_LIST_RESPONSE",
	ENRPInitTakeover:             "ENRP_INIT_TAKEOVER",
	ENRPInitTakeoverAck:          "ENRP_INIT_TAKEOVER_ACK",
	ENRPTakeoverServer:           "ENRP_TAKEOVER_SERVER",
	ENRPErrorMessage:             "ENRP_ERROR",
}

// String returns the RFC's name of the message type, such as
// "ASAP_REGISTRATION", or "ASAP message type N".
func (t MessageType) String() string {
	if s, ok := messageNames[t]; ok {
		return s
	}
	return t.Protocol().String() + " message type " + strconv.Itoa(int(t.Code()))
}

// Known reports whether this package has a codec for the message type.
func (t MessageType) Known() bool {
	_, ok := messageNames[t]
	return ok
}

// MessageView is a view of one message: header and value, without the
// final padding. The typed decoders read from it; it aliases the caller's
// bytes.
type MessageView struct {
	b     []byte
	proto Protocol
}

// ParseMessage checks that b holds one message of protocol p: a complete
// header, a length of at least 4 that does not run past b, and nothing
// after the message but its padding (at most 3 bytes, whose values are
// ignored as RFC 5354 §4 says). It does not look at the value; the typed
// decoders do. A p other than ASAP and ENRP gives ErrUnknownProtocol: the
// message types of one protocol are not those of the other (RFC 5352
// §2.2, RFC 5353 §2), so the protocol cannot be guessed.
func ParseMessage(p Protocol, b []byte) (MessageView, error) {
	if p != ASAP && p != ENRP {
		return MessageView{}, ErrUnknownProtocol
	}
	if len(b) < headerLen {
		return MessageView{}, headerErr(p, 0, "fewer than 4 bytes for a message header")
	}
	n := int(binary.BigEndian.Uint16(b[2:]))
	if n < headerLen {
		return MessageView{}, headerErr(p, 2, "message length below 4")
	}
	if n > len(b) {
		return MessageView{}, headerErr(p, 2, "message length runs past the end of the buffer")
	}
	if len(b) > pad4(n) {
		return MessageView{}, headerErr(p, pad4(n), "bytes after the message and its padding")
	}
	return MessageView{b: b[:n:n], proto: p}, nil
}

func headerErr(p Protocol, off int, rule string) error {
	return parseErr(off, p.String()+" message header", rule)
}

// The accessors below also serve the zero MessageView, which holds no
// message: its protocol and type are 0, it has no flags, length or value.

// Protocol returns the protocol the view was parsed as.
func (v MessageView) Protocol() Protocol { return v.proto }

// Type returns the message type, or 0 for the zero MessageView.
func (v MessageView) Type() MessageType {
	if len(v.b) < headerLen {
		return 0
	}
	return MessageType(uint16(v.proto)<<8 | uint16(v.b[0]))
}

// Flags returns the message flags.
func (v MessageView) Flags() uint8 {
	if len(v.b) < headerLen {
		return 0
	}
	return v.b[1]
}

// Len returns the message length field.
func (v MessageView) Len() int { return len(v.b) }

// Value returns the message value.
func (v MessageView) Value() []byte {
	if len(v.b) < headerLen {
		return nil
	}
	return v.b[headerLen:]
}

// Bytes returns the message's header and value, without padding.
func (v MessageView) Bytes() []byte { return v.b }

func (v MessageView) err(off int, rule string) error {
	return parseErr(off, v.Type().String()+" message", rule)
}

// expect checks the view's type before a typed decoder reads it, and that
// the fixed part of the value (fixed bytes after the header) is there.
func (v MessageView) expect(t MessageType, fixed int) error {
	if v.b == nil {
		return parseErr(0, t.String()+" message", "no message")
	}
	if v.Type() != t {
		return parseErr(0, t.String()+" message", "message is a "+v.Type().String())
	}
	if len(v.b) < headerLen+fixed {
		return v.err(2, "message length below "+strconv.Itoa(headerLen+fixed))
	}
	return nil
}

// params returns a walker over the parameters after the fixed part.
func (v MessageView) params(fixed int) walker {
	start := headerLen + fixed
	w := newWalker(v.b[start:], start, 0)
	w.msg = v.Type()
	return w
}

func (v MessageView) u32(off int) uint32 { return binary.BigEndian.Uint32(v.b[off:]) }

// Message is a message ready to be encoded; each message type of this
// package implements it (with a pointer receiver).
//
// Every length field of RSerPool is 16 bits: the message's (RFC 5354 §4),
// each parameter's (§3) and each error cause's (§3.12). Append does not
// check them, so that the hot paths encode without an error to handle;
// Encode does. A length that does not fit is not wrapped: Append writes
// it as 0, which no receiver accepts (every length counts at least its
// 4-byte header), so that a parameter too long for its length field
// cannot frame as a shorter one. The list views (MakeCauses,
// MakeUnrecognized, MakeTransports, MakePoolElements, MakeServerInfos,
// MakePoolEntries) find their size by reading their encoded items back;
// an item whose length was written as 0 stops that reading, and the view
// then counts everything from that item on as one item, which is longer
// than 65535 bytes since it holds the item whole. So a length that does
// not fit at any depth makes every enclosing Len exceed MaxMessageLen,
// and Encode refuses the message.
type Message interface {
	// MessageType returns the message type.
	MessageType() MessageType
	// Len returns the message length field: header and value, no padding.
	// It exceeds MaxMessageLen when some length field, at any depth, does
	// not fit its 16 bits.
	Len() int
	// Append appends the message and its padding to b. It does not check
	// the message; Encode does.
	Append(b []byte) []byte
}

// checker is implemented by the messages whose fields can describe a
// message their RFC forbids a sender to send.
type checker interface {
	check() error
}

// Encode appends m to b after checking that every length fits its 16-bit
// field (RFC 5354 §3, §3.12, §4) and that m is a message its RFC lets a
// sender send; the checks are listed at each message type. It refuses m
// with an *EncodeError, leaving b as it was.
func Encode(b []byte, m Message) ([]byte, error) {
	if m.Len() > MaxMessageLen {
		return b, &EncodeError{Type: m.MessageType(),
			Rule: "a length does not fit its 16-bit field (RFC 5354 §3, §4)", Err: ErrTooLong}
	}
	if c, ok := m.(checker); ok {
		if err := c.check(); err != nil {
			return b, err
		}
	}
	return m.Append(b), nil
}

// encodeErr builds the error for a message its RFC forbids a sender to
// send.
func encodeErr(t MessageType, rule string) error {
	return &EncodeError{Type: t, Rule: rule, Err: ErrInvalidMessage}
}

// appendHeader appends a message header whose length field is n, or 0 when
// n does not fit 16 bits (see Message).
func appendHeader(b []byte, t MessageType, flags uint8, n int) []byte {
	n = fitLength(n)
	return append(b, t.Code(), flags, byte(n>>8), byte(n))
}

// fitLength returns n, or 0 when n does not fit a 16-bit length field:
// a length no receiver accepts, where the wrapped value could frame as a
// shorter, well-formed item (see Message).
func fitLength(n int) int {
	if n > MaxMessageLen {
		return 0
	}
	return n
}

func flag(set bool, bit uint8) uint8 {
	if set {
		return bit
	}
	return 0
}
