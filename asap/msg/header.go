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
// decoders do.
func ParseMessage(p Protocol, b []byte) (MessageView, error) {
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

// Protocol returns the protocol the view was parsed as.
func (v MessageView) Protocol() Protocol { return v.proto }

// Type returns the message type.
func (v MessageView) Type() MessageType { return MessageType(uint16(v.proto)<<8 | uint16(v.b[0])) }

// Flags returns the message flags.
func (v MessageView) Flags() uint8 { return v.b[1] }

// Len returns the message length field.
func (v MessageView) Len() int { return len(v.b) }

// Value returns the message value.
func (v MessageView) Value() []byte { return v.b[headerLen:] }

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
	w := newWalker(v.b[start:], start, "")
	w.msg = v.Type()
	return w
}

func (v MessageView) u32(off int) uint32 { return binary.BigEndian.Uint32(v.b[off:]) }

// Message is a message ready to be encoded; each message type of this
// package implements it (with a pointer receiver).
type Message interface {
	// MessageType returns the message type.
	MessageType() MessageType
	// Len returns the message length field: header and value, no padding.
	Len() int
	// Append appends the message and its padding to b. It does not check
	// that Len fits the 16-bit length field; Encode does.
	Append(b []byte) []byte
}

// Encode appends m to b after checking that its length fits the message
// header (RFC 5354 §4).
func Encode(b []byte, m Message) ([]byte, error) {
	if m.Len() > MaxMessageLen {
		return b, ErrTooLong
	}
	return m.Append(b), nil
}

func appendHeader(b []byte, t MessageType, flags uint8, n int) []byte {
	return append(b, t.Code(), flags, byte(n>>8), byte(n))
}

func flag(set bool, bit uint8) uint8 {
	if set {
		return bit
	}
	return 0
}
