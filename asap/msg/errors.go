package msg

import (
	"errors"
	"strconv"
)

// ErrMalformed is matched by every *ParseError with errors.Is, so callers
// can tell "the peer sent bytes that break the format" apart from the
// other outcomes of a decode: a message or parameter this package does not
// know (ErrUnrecognizedMessage, ErrUnrecognizedParameter).
var ErrMalformed = errors.New("malformed")

// ErrUnrecognizedMessage is matched by *UnrecognizedMessageError.
var ErrUnrecognizedMessage = errors.New("unrecognized message type")

// ErrUnrecognizedParameter is matched by *UnrecognizedParamError.
var ErrUnrecognizedParameter = errors.New("unrecognized parameter type")

// ErrPolicyNotSupported is matched by *PolicyError: a policy parameter
// well formed on the wire whose type this package does not implement.
var ErrPolicyNotSupported = errors.New("pool policy type not supported")

// ErrTooLong is matched by the *EncodeError that Encode returns for a
// message with a length, its own or that of a parameter or error cause at
// any depth, that does not fit its 16-bit field (RFC 5354 §3, §3.12, §4).
var ErrTooLong = errors.New("asap/msg: length does not fit 16 bits")

// ErrInvalidMessage is matched by the *EncodeError that Encode returns for
// a message its RFC forbids a sender to send.
var ErrInvalidMessage = errors.New("asap/msg: message not allowed on the wire")

// ErrUnknownProtocol is returned by ParseMessage and DecodeMessage for a
// Protocol other than ASAP and ENRP.
var ErrUnknownProtocol = errors.New("asap/msg: protocol is neither ASAP nor ENRP")

// EncodeError says why Encode refused a message. It matches ErrTooLong or
// ErrInvalidMessage with errors.Is.
type EncodeError struct {
	Type MessageType // the message refused
	Rule string      // the rule it breaks, with the RFC section
	Err  error       // ErrTooLong or ErrInvalidMessage
}

func (e *EncodeError) Error() string {
	return "asap/msg: cannot encode " + e.Type.String() + ": " + e.Rule
}

// Unwrap returns ErrTooLong or ErrInvalidMessage.
func (e *EncodeError) Unwrap() error { return e.Err }

// ParseError reports bytes that break a rule of the wire format. Offset is
// the byte offset of the offending field, counted from the first byte of
// the message (for message decoders) or of the outermost parameter handed
// to a standalone parser.
type ParseError struct {
	Offset int    // byte offset of the field that broke the rule
	What   string // the structure being parsed, e.g. "Pool Element parameter"
	Rule   string // the rule broken, e.g. "length below 16"
	Err    error  // a more specific sentinel, or nil
}

func (e *ParseError) Error() string {
	return "asap/msg: " + e.What + " at offset " + strconv.Itoa(e.Offset) + ": " + e.Rule
}

// Is makes errors.Is(err, ErrMalformed) true for every ParseError.
func (e *ParseError) Is(target error) bool { return target == ErrMalformed }

// Unwrap returns the specific sentinel, if any.
func (e *ParseError) Unwrap() error { return e.Err }

func parseErr(off int, what, rule string) error {
	return &ParseError{Offset: off, What: what, Rule: rule}
}

// UnrecognizedMessageError is returned for a message whose type the
// decoder does not know. RFC 5354 §4 has the receiver discard it, and
// report it in an Unrecognized Message error when the type's upper two
// bits are 01.
type UnrecognizedMessageError struct {
	Protocol Protocol
	Type     uint8  // the message type code
	Message  []byte // the message (header and value), aliasing the input
}

func (e *UnrecognizedMessageError) Error() string {
	return "asap/msg: unrecognized " + e.Protocol.String() + " message type " + strconv.Itoa(int(e.Type))
}

// Is makes errors.Is(err, ErrUnrecognizedMessage) true.
func (e *UnrecognizedMessageError) Is(target error) bool { return target == ErrUnrecognizedMessage }

// Action returns what the type's upper two bits ask for (RFC 5354 §4).
// The codes 10 and 11 are reserved there; they are treated as 00.
func (e *UnrecognizedMessageError) Action() UnknownAction {
	if a := UnknownAction(e.Type >> 6); a == StopReport {
		return a
	}
	return StopDiscard
}

// Cause returns the Unrecognized Message cause that reports the message
// (RFC 5354 §3.12.3). The cause carries the message, cut to its first
// MaxCauseInfo bytes when longer (see MaxCauseInfo).
func (e *UnrecognizedMessageError) Cause() Cause {
	return Cause{Code: CauseUnrecognizedMessage, Info: causeInfo(e.Message)}
}

// MaxCauseInfo is the most cause-specific information an error cause
// carries when it is to reach the sender alone in an ASAP_ERROR or an
// ENRP_ERROR: 65535 bytes of message less the ENRP_ERROR's header and
// server identifiers (RFC 5353 §2.10), the Operation Error's header and
// the cause's own (RFC 5354 §3.12). RFC 5354 §3.12.2 and §3.12.3 put the
// complete unrecognized parameter or message into the cause and say
// nothing of one too long for that, as a message of up to 65535 bytes or
// a parameter of up to 65531 bytes can be. The causes built by
// UnrecognizedMessageError.Cause, UnrecognizedParamError.Cause and
// UnrecognizedParameterCause then carry its first MaxCauseInfo bytes,
// which still hold its type and length.
const MaxCauseInfo = MaxMessageLen - headerLen - serversLen - 2*tlvHeaderLen

// causeInfo returns b, cut to MaxCauseInfo bytes.
func causeInfo(b []byte) []byte {
	if len(b) > MaxCauseInfo {
		return b[:MaxCauseInfo:MaxCauseInfo]
	}
	return b
}

// UnrecognizedParamError is returned when a message carries a parameter of
// an unknown type whose upper two bits say to stop processing the message
// (RFC 5354 §3: 00 and 01). Unknown types that say to skip are not errors:
// decoders keep them in the message's Unrecognized field.
type UnrecognizedParamError struct {
	Offset int    // offset of the parameter in the message
	What   string // the message or parameter that carried it
	Param  Param  // the parameter, aliasing the input
}

func (e *UnrecognizedParamError) Error() string {
	return "asap/msg: " + e.What + " at offset " + strconv.Itoa(e.Offset) + ": unrecognized parameter type " +
		strconv.Itoa(int(e.Param.Type())) + " stops processing"
}

// Is makes errors.Is(err, ErrUnrecognizedParameter) true.
func (e *UnrecognizedParamError) Is(target error) bool { return target == ErrUnrecognizedParameter }

// Report reports whether the sender is to be told, in an Unrecognized
// Parameter error (type bits 01).
func (e *UnrecognizedParamError) Report() bool { return e.Param.Type().UnknownAction().Report() }

// Cause returns the Unrecognized Parameter cause that reports the
// parameter (RFC 5354 §3.12.2). The cause carries the parameter TLV, cut
// to its first MaxCauseInfo bytes when longer (see MaxCauseInfo).
func (e *UnrecognizedParamError) Cause() Cause { return UnrecognizedParameterCause(e.Param) }
