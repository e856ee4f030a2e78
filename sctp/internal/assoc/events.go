package assoc

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/rserpool/rserpool/sctp/internal/path"
	"github.com/rserpool/rserpool/sctp/internal/send"
)

// EventKind names a notification to the user (RFC 9260 §11.2).
type EventKind int

// Kinds of events.
const (
	// EventUp: the association is established (COMMUNICATION UP, §11.2.1).
	EventUp EventKind = iota + 1
	// EventRestart: the peer restarted (§5.2.4); queued data was lost.
	EventRestart
	// EventDown: the association ended without a graceful shutdown
	// (COMMUNICATION LOST or CANNOT START); Err says why.
	EventDown
	// EventShutdownComplete: the graceful shutdown finished (§9.2).
	EventShutdownComplete
	// EventSendFailed: a message could not be delivered (§11.2.4).
	EventSendFailed
	// EventPath: a peer address changed state (§11.2.2).
	EventPath
	// EventPeerError: the peer sent an ERROR chunk (§3.3.10); Err holds it.
	EventPeerError
	// EventShutdownStarted: the peer began a graceful shutdown (§9.2).
	EventShutdownStarted
	// EventPrimary: the primary path changed to Path (RFC 7829 §5, or
	// the user's SetPrimary).
	EventPrimary
)

var eventNames = [...]string{"", "up", "restart", "down", "shutdown complete", "send failed", "path", "peer error", "shutdown started", "primary"}

func (k EventKind) String() string {
	if k > 0 && int(k) < len(eventNames) {
		return eventNames[k]
	}
	return "event?"
}

// Event is one notification.
type Event struct {
	Kind      EventKind
	Err       error          // EventDown, EventSendFailed, EventPeerError
	Path      netip.AddrPort // EventPath, EventPrimary
	PathState path.State     // EventPath: the address's new state
	Reason    string         // EventPath, EventPrimary: what caused the change
	Message   *send.Message  // EventSendFailed
}

// ExistsError: Dial found an association with one of the peer's
// addresses and its port already; two endpoints have one association
// between them (RFC 9260 §1.4).
type ExistsError struct {
	Remote netip.AddrPort
	Port   uint16
	Assoc  *Assoc // the association there is
}

func (e *ExistsError) Error() string {
	return fmt.Sprintf("sctp: an association with %v port %d exists", e.Remote, e.Port)
}

// Closing reports whether the association there is shutting down or
// closed, so that a new one can be made once it has ended.
func (e *ExistsError) Closing() bool {
	return e.Assoc.state == Closed || e.Assoc.state.shuttingDown()
}

// Errors an association ends with, or a call returns.
var (
	// ErrAborted: the peer sent an ABORT (§9.1); a *PeerAbortError wraps it.
	ErrAborted = errors.New("association aborted by peer")
	// ErrTimeout: the peer stopped answering: Association.Max.Retrans
	// (§8.1) or Max.Init.Retransmits (§5.1) reached.
	ErrTimeout = errors.New("peer unreachable")
	// ErrUserAbort: the association was aborted locally.
	ErrUserAbort = errors.New("association aborted")
	// ErrShutdown: no new data is accepted once a shutdown began (§9.2).
	ErrShutdown = errors.New("association is shutting down")
	// ErrClosed: the association is closed.
	ErrClosed = errors.New("association closed")
	// ErrNotEstablished: the call needs an established association.
	ErrNotEstablished = errors.New("association not established")
	// ErrProtocolViolation: the peer broke the protocol and the
	// association was aborted with a Protocol Violation cause.
	ErrProtocolViolation = errors.New("peer protocol violation")
	// ErrResources: a limit was reached (message too large to reassemble,
	// too many associations); the association was aborted.
	ErrResources = errors.New("resource limit reached")
	// ErrRestarted: the peer restarted; what was queued is lost (§5.2.4).
	ErrRestarted = errors.New("peer restarted")
)

// PeerAbortError is the reason an ABORT gave, as causes.
type PeerAbortError struct {
	Causes []byte // the encoded error causes, possibly empty
	Reason string // the text of a User-Initiated Abort cause, if any
}

func (e *PeerAbortError) Error() string {
	if e.Reason != "" {
		return "association aborted by peer: " + e.Reason
	}
	return "association aborted by peer"
}

// Unwrap makes errors.Is(err, ErrAborted) true.
func (e *PeerAbortError) Unwrap() error { return ErrAborted }
