package asap

import (
	"net/netip"
	"strconv"

	"github.com/rserpool/rserpool/asap/msg"
)

// EventKind names a pool element notification.
type EventKind int

// Kinds of pool element events.
const (
	// EventRegistered: the home registrar accepted a registration (RFC
	// 5352 §3.1); Renewal says it was a re-registration with the same
	// registrar.
	EventRegistered EventKind = iota + 1
	// EventRegistrarChanged: another registrar is the home one now,
	// found by a server hunt (§3.6) or by a keep-alive with the H flag
	// (§3.4 KA2.4).
	EventRegistrarChanged
	// EventRegistrarLost: the association with the home registrar
	// ended; Err says why. A server hunt follows.
	EventRegistrarLost
	// EventRegistrationFailed: the registrar refused the registration
	// (Err is an *OperationFailedError; the PE waits for SetPolicy,
	// SetLoad or Reregister, as §3.1 forbids trying again unchanged), or
	// did not answer MaxRegAttempt times (ErrRegistrationTimeout; a
	// server hunt follows).
	EventRegistrationFailed
	// EventDeregistered: the registrar removed the PE without being
	// asked, as when the registration expired (§3.2); the PE registers
	// again.
	EventDeregistered
)

var eventNames = [...]string{"", "registered", "registrar changed", "registrar lost", "registration failed", "deregistered"}

// String returns the kind's name.
func (k EventKind) String() string {
	if k > 0 && int(k) < len(eventNames) {
		return eventNames[k]
	}
	return "EventKind(" + strconv.Itoa(int(k)) + ")"
}

// Event is a pool element notification.
type Event struct {
	Kind      EventKind
	Registrar netip.AddrPort // the home registrar concerned
	Server    msg.ServerID   // its identifier when known
	Renewal   bool           // EventRegistered: a re-registration with the same registrar
	Err       error          // EventRegistrarLost, EventRegistrationFailed
}
