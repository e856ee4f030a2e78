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

// ErrTooLong is returned by Encode for a message longer than the 16-bit
// length field can describe.
var ErrTooLong = errors.New("asap/msg: message longer than 65535 bytes")

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
// (RFC 5354 §3.12.3).
func (e *UnrecognizedMessageError) Cause() Cause {
	return Cause{Code: CauseUnrecognizedMessage, Info: e.Message}
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
// parameter (RFC 5354 §3.12.2).
func (e *UnrecognizedParamError) Cause() Cause {
	return Cause{Code: CauseUnrecognizedParameter, Info: e.Param.Bytes()}
}
