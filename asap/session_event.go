package asap

import (
	"errors"
	"strconv"
	"time"
)

// SessionEventKind names a session notification.
type SessionEventKind int

// Kinds of session events.
const (
	// SessionFailoverStarted: the pool element failed (Err says how) or
	// the application asked for a failover (Forced); the session looks
	// for another.
	SessionFailoverStarted SessionEventKind = iota + 1
	// SessionFailoverCompleted: the session uses another pool element
	// (To), the cookie echoed to it if there was one.
	SessionFailoverCompleted
	// SessionUnavailable: no pool element was reached within
	// FailoverTimeout; the session keeps trying.
	SessionUnavailable
	// SessionCookie: the pool element sent a new cookie (RFC 5352 §3.8).
	SessionCookie
	// SessionBusinessCard: the pool element sent its business card (RFC
	// 5352 §3.9); Order is its failover order.
	SessionBusinessCard
)

var sessionEventNames = [...]string{"", "failover started", "failover completed", "unavailable", "cookie", "business card"}

// String returns the kind's name.
func (k SessionEventKind) String() string {
	if k > 0 && int(k) < len(sessionEventNames) {
		return sessionEventNames[k]
	}
	return "SessionEventKind(" + strconv.Itoa(int(k)) + ")"
}

// SessionEvent is a session notification.
type SessionEvent struct {
	Kind     SessionEventKind
	From     PoolElementInfo   // the pool element left (failover events)
	To       PoolElementInfo   // the pool element now used (SessionFailoverCompleted)
	Forced   bool              // the application asked for the failover
	Err      error             // why the PE was left, or why none was reached
	Took     time.Duration     // SessionFailoverCompleted: since the failover started
	Order    []PoolElementInfo // SessionBusinessCard
	Restored bool              // SessionFailoverCompleted: a cookie was echoed
}

// Errors of sessions.
var (
	// ErrNoAnswer: the pool element sent nothing for ReplyTimeout after
	// a message (SessionConfig.ReplyTimeout).
	ErrNoAnswer = errors.New("asap: pool element did not answer in time")

	// ErrFailover is matched by the *FailoverError Receive returns once
	// after each failover.
	ErrFailover = errors.New("asap: session failed over")

	// errForced is the reason of a failover the application asked for.
	errForced = errors.New("asap: failover requested")
)

// FailoverError is what Receive returns, once, after the session moved to
// another pool element: messages sent to the old one may have been lost,
// and answers to them will not come. The application sends again what
// is unanswered; the new pool element has the state of the last cookie.
type FailoverError struct {
	From, To PoolElementInfo
	Cause    error // why the old one was left
}

func (e *FailoverError) Error() string {
	s := "asap: session failed over from pool element " + e.From.ID.String() + " to " + e.To.ID.String()
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

// Is makes errors.Is(err, ErrFailover) true.
func (e *FailoverError) Is(target error) bool { return target == ErrFailover }

// Unwrap returns the cause.
func (e *FailoverError) Unwrap() error { return e.Cause }

// UnavailableError is what Send and Receive return while a failover has
// reached no pool element for longer than FailoverTimeout.
type UnavailableError struct {
	Handle string
	Since  time.Duration // how long the failover has run
	Last   error         // why the last pool element tried failed
}

func (e *UnavailableError) Error() string {
	s := "asap: pool " + quoteHandle(e.Handle) + " unavailable: no pool element reached for " + e.Since.String()
	if e.Last != nil {
		s += ": " + e.Last.Error()
	}
	return s
}

// Is makes errors.Is(err, ErrNoPoolElement) true.
func (e *UnavailableError) Is(target error) bool { return target == ErrNoPoolElement }

// Unwrap returns the last failure.
func (e *UnavailableError) Unwrap() error { return e.Last }
