package sctp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"

	"github.com/rserpool/rserpool/sctp/internal/assoc"
	"github.com/rserpool/rserpool/sctp/internal/send"
)

// Reasons an association ends or a call fails. Calls return them wrapped
// in an *OpError; test with errors.Is.
var (
	// ErrAborted: the peer sent an ABORT (RFC 9260 §9.1). The error is
	// an *AbortError with the peer's reason.
	ErrAborted = assoc.ErrAborted
	// ErrTimeout: the peer stopped answering: Max.Init.Retransmits
	// (§5.1) during Dial, Association.Max.Retrans (§8.1) later, or the
	// shutdown guard (§9.2). An *OpError holding it reports Timeout().
	ErrTimeout = assoc.ErrTimeout
	// ErrShutdown: a graceful shutdown began (§9.2); no new message is
	// accepted.
	ErrShutdown = assoc.ErrShutdown
	// ErrProtocolViolation: the peer broke the protocol and was aborted.
	ErrProtocolViolation = assoc.ErrProtocolViolation
	// ErrResources: a limit was reached (a message too large to
	// reassemble, too many associations) and the association aborted.
	ErrResources = assoc.ErrResources
	// ErrRestarted: the peer restarted (§5.2.4); what was queued to it
	// is lost and reported by EventSendFailed.
	ErrRestarted = assoc.ErrRestarted
	// ErrMessageTooLarge: the message is larger than Config.SendBuffer,
	// so waiting would never make room for it.
	ErrMessageTooLarge = send.ErrTooBig
	// ErrInvalidStream: the stream is not below the number of outbound
	// streams the peer granted (§6.5).
	ErrInvalidStream = send.ErrInvalidStream
	// ErrEmptyMessage: a message needs at least one byte (§6.2).
	ErrEmptyMessage = send.ErrEmptyMessage
	// ErrNotListening: Accept before Listen.
	ErrNotListening = errors.New("sctp: endpoint is not listening")
)

// errLocalAbort is what the calls of an association aborted by its own
// side (Abort, Close, Endpoint.Close) return: it is closed, as a net.Conn
// would say.
var errLocalAbort = fmt.Errorf("sctp: association aborted locally: %w", net.ErrClosed)

// OpError is the error of a call: the operation, the peer's primary
// address when known, and the reason. It implements net.Error: Timeout
// reports a context deadline, a net.Conn deadline, or a peer that stopped
// answering (ErrTimeout).
type OpError struct {
	Op   string         // "dial", "accept", "send", "receive", "shutdown", "read", "write", "listen"
	Peer netip.AddrPort // the peer's primary address; zero when unknown
	Err  error
}

func (e *OpError) Error() string {
	s := "sctp " + e.Op
	if e.Peer.IsValid() {
		s += " " + e.Peer.String()
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the reason.
func (e *OpError) Unwrap() error { return e.Err }

// Timeout reports whether the call failed because time ran out.
func (e *OpError) Timeout() bool {
	return errors.Is(e.Err, ErrTimeout) || errors.Is(e.Err, context.DeadlineExceeded) ||
		errors.Is(e.Err, os.ErrDeadlineExceeded)
}

// Temporary is false: net.Error asks for it, and no failure here goes
// away by retrying the same call.
func (e *OpError) Temporary() bool { return false }

var _ net.Error = (*OpError)(nil)

// AbortError is the reason the peer gave in its ABORT (RFC 9260 §9.1).
// errors.Is(err, ErrAborted) holds for it.
type AbortError struct {
	// Reason is the text of a User-Initiated Abort cause (§3.3.10.12),
	// empty when the ABORT carried none.
	Reason string
	// Causes are the ABORT's error causes as encoded; package wire
	// parses them (wire.MakeCauses).
	Causes []byte
}

func (e *AbortError) Error() string {
	if e.Reason != "" {
		return "association aborted by peer: " + e.Reason
	}
	return "association aborted by peer"
}

// Unwrap makes errors.Is(err, ErrAborted) true.
func (e *AbortError) Unwrap() error { return ErrAborted }

// PeerError holds the causes of an ERROR chunk the peer sent (§3.3.10),
// reported by EventPeerError; the association goes on.
type PeerError struct {
	Causes []byte // encoded error causes; package wire parses them
}

func (e *PeerError) Error() string { return "sctp: peer reported an error" }

// publicError turns an error of the engine into the package's own.
func publicError(err error) error {
	var pa *assoc.PeerAbortError
	var pe *assoc.PeerErrorError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pa):
		return &AbortError{Reason: pa.Reason, Causes: pa.Causes}
	case errors.As(err, &pe):
		return &PeerError{Causes: pe.Causes}
	case errors.Is(err, assoc.ErrUserAbort):
		return errLocalAbort
	case errors.Is(err, assoc.ErrClosed):
		return net.ErrClosed
	}
	return err
}
