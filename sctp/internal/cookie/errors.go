package cookie

import (
	"errors"
	"strconv"
)

// ErrBadMAC is returned by Open for a cookie that is not one of ours: a
// length or version we never produce, a key we no longer hold, or a MAC
// that does not match. RFC 9260 §5.1.5 steps 1 and 2 have the packet
// silently discarded in every one of these cases, so they are not told
// apart, and the error is a sentinel so that a flood of forged cookies
// allocates nothing.
var ErrBadMAC = errors.New("cookie: not authentic")

// ErrMalformed is matched by every *MalformedError with errors.Is.
var ErrMalformed = errors.New("cookie: malformed")

// ErrInitTooLong is returned by Seal for an INIT longer than MaxInitLen.
var ErrInitTooLong = errors.New("cookie: INIT too long")

// ErrInvalidState is returned by Seal for a State it cannot carry
// faithfully: a creation time outside the range of Time.UnixNano, or a
// lifetime that is negative or longer than the key rotation period.
var ErrInvalidState = errors.New("cookie: invalid state")

// MalformedError reports an authentic cookie whose fields do not decode.
// Seal never produces one; it would take a bug or a format mix-up, and
// Open reports it instead of trusting the fields.
type MalformedError struct {
	Offset int    // byte offset of the field, from the start of the cookie
	Rule   string // the rule broken
}

func (e *MalformedError) Error() string {
	return "cookie: malformed at offset " + strconv.Itoa(e.Offset) + ": " + e.Rule
}

// Is makes errors.Is(err, ErrMalformed) true.
func (e *MalformedError) Is(target error) bool { return target == ErrMalformed }
