package asap

import (
	"errors"
	"net"
	"strings"

	"github.com/rserpool/rserpool/asap/msg"
)

// Sentinels of the failures a pool element or pool user reports.
var (
	// ErrRegistrationTimeout: the home registrar did not answer a
	// registration MaxRegAttempt times in a row (RFC 5352 §3.1, T2).
	ErrRegistrationTimeout = errors.New("asap: registration not answered")

	// ErrRequestTimeout: a request to the registrars was not answered
	// after MaxRequestRetransmit retransmissions (RFC 5352 §3.7.2).
	ErrRequestTimeout = errors.New("asap: request to the registrar not answered")

	// ErrUnknownPoolHandle is matched by an *OperationFailedError whose
	// causes include Unknown Pool Handle (RFC 5354 §3.12.11): the pool
	// does not exist (RFC 5352 §3.3).
	ErrUnknownPoolHandle = errors.New("asap: unknown pool handle")

	// ErrNoPoolElement: the pool has no element left to select, or none
	// that could be reached.
	ErrNoPoolElement = errors.New("asap: no usable pool element")

	// ErrClosed is returned by the calls on a closed PoolElement or
	// PoolUser; it matches net.ErrClosed.
	ErrClosed = closedError{}
)

type closedError struct{}

func (closedError) Error() string        { return "asap: closed" }
func (closedError) Is(target error) bool { return target == net.ErrClosed }

// OperationFailedError is a registrar's refusal: a registration response
// with the R flag, a de-registration response or a handle resolution
// response with an Operation Error (RFC 5352 §2.2.3, §2.2.4, §2.2.6).
type OperationFailedError struct {
	Op     string          // "registration", "deregistration" or "handle resolution"
	Handle string          // the pool handle concerned
	Causes []msg.CauseCode // the causes the registrar gave; may be empty
}

func (e *OperationFailedError) Error() string {
	var b strings.Builder
	b.WriteString("asap: ")
	b.WriteString(e.Op)
	b.WriteString(" of pool ")
	b.WriteString(quoteHandle(e.Handle))
	b.WriteString(" refused")
	for i, c := range e.Causes {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(c.String())
	}
	return b.String()
}

// Is matches ErrUnknownPoolHandle when the causes include it.
func (e *OperationFailedError) Is(target error) bool {
	if target != ErrUnknownPoolHandle {
		return false
	}
	for _, c := range e.Causes {
		if c == msg.CauseUnknownPoolHandle {
			return true
		}
	}
	return false
}

// refusal builds the error of an operation refused with the causes of
// oe. A cause list that does not parse leaves the causes it could read.
func refusal(op string, handle []byte, oe *msg.OperationError) *OperationFailedError {
	e := &OperationFailedError{Op: op, Handle: string(handle)}
	it := oe.Causes.Iter()
	for c, ok := it.Next(); ok && len(e.Causes) < maxCausesKept; c, ok = it.Next() {
		e.Causes = append(e.Causes, c.Code)
	}
	return e
}

// maxCausesKept bounds the causes an error keeps from a peer's message.
const maxCausesKept = 16

// quoteHandle shows a pool handle: printable ASCII as it is, other bytes
// in hex, at most 64 bytes.
func quoteHandle(h string) string {
	const hex = "0123456789abcdef"
	if len(h) > 64 {
		h = h[:64]
	}
	out := make([]byte, 0, len(h)+2)
	out = append(out, '"')
	for i := 0; i < len(h); i++ {
		c := h[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			out = append(out, c)
		} else {
			out = append(out, '\\', 'x', hex[c>>4], hex[c&15])
		}
	}
	return string(append(out, '"'))
}
