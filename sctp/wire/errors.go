package wire

import (
	"errors"
	"strconv"
)

// ErrMalformed is matched by every *ParseError with errors.Is, so callers
// can tell "the peer sent garbage" apart from other failures without
// inspecting the rule.
var ErrMalformed = errors.New("malformed")

// ParseError reports bytes that break a rule of the wire format. Offset is
// the byte offset of the offending field, counted from the start of the
// buffer the caller handed to the parser (the packet for ParsePacket and
// everything reached through it, the chunk or parameter for the standalone
// parsers).
type ParseError struct {
	Offset int    // byte offset of the field that broke the rule
	What   string // the structure being parsed, e.g. "DATA chunk"
	Rule   string // the rule broken, e.g. "chunk length below 4"
	Err    error  // a more specific sentinel such as ErrNoUserData, or nil
}

func (e *ParseError) Error() string {
	return "sctp/wire: " + e.What + " at offset " + strconv.Itoa(e.Offset) + ": " + e.Rule
}

// Is makes errors.Is(err, ErrMalformed) true for every ParseError.
func (e *ParseError) Is(target error) bool { return target == ErrMalformed }

// Unwrap returns the specific sentinel, if any.
func (e *ParseError) Unwrap() error { return e.Err }

// ErrNoUserData marks a DATA or I-DATA chunk without user data, which RFC
// 9260 §6.2 answers with an ABORT carrying the No User Data cause. The
// decoder fills in the chunk's header fields before returning it, so the
// receiver knows which TSN to name in that cause.
var ErrNoUserData = errors.New("no user data")

func parseErr(off int, what, rule string) error {
	return &ParseError{Offset: off, What: what, Rule: rule}
}
