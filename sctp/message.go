package sctp

import (
	"net/netip"
	"strconv"

	"github.com/rserpool/rserpool/sctp/internal/assoc"
	"github.com/rserpool/rserpool/sctp/internal/recv"
	"github.com/rserpool/rserpool/sctp/internal/send"
	"github.com/rserpool/rserpool/sctp/wire"
)

// Message is one user message (RFC 9260 §10.1 SEND and RECEIVE).
type Message struct {
	Stream    uint16 // stream identifier, below the negotiated stream count
	PPID      uint32 // Payload Protocol Identifier, opaque to SCTP (§3.3.1)
	Unordered bool   // delivered as soon as it is complete, outside the stream's order (§6.6)
	Data      []byte
}

func fromRecv(m recv.Message) Message {
	return Message{Stream: uint16(m.Stream), PPID: uint32(m.PPID), Unordered: m.Unordered, Data: m.Data}
}

func toSend(m Message, data []byte) send.Message {
	return send.Message{Stream: wire.StreamID(m.Stream), PPID: wire.PPID(m.PPID), Unordered: m.Unordered, Data: data}
}

// State is an association's state in the diagram of RFC 9260 §4.
type State int

// The states of §4. StateClosed is both the state before the handshake
// and after the association ended.
const (
	StateClosed State = iota
	StateCookieWait
	StateCookieEchoed
	StateEstablished
	StateShutdownPending
	StateShutdownSent
	StateShutdownReceived
	StateShutdownAckSent
)

var stateNames = [...]string{"CLOSED", "COOKIE-WAIT", "COOKIE-ECHOED", "ESTABLISHED",
	"SHUTDOWN-PENDING", "SHUTDOWN-SENT", "SHUTDOWN-RECEIVED", "SHUTDOWN-ACK-SENT"}

// String returns the state's name as the RFC writes it.
func (s State) String() string {
	if s >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}

func fromEngineState(s assoc.State) State {
	switch s {
	case assoc.CookieWait:
		return StateCookieWait
	case assoc.CookieEchoed:
		return StateCookieEchoed
	case assoc.Established:
		return StateEstablished
	case assoc.ShutdownPending:
		return StateShutdownPending
	case assoc.ShutdownSent:
		return StateShutdownSent
	case assoc.ShutdownReceived:
		return StateShutdownReceived
	case assoc.ShutdownAckSent:
		return StateShutdownAckSent
	}
	return StateClosed
}

// EventKind names a notification (RFC 9260 §11.2).
type EventKind int

// Kinds of events.
const (
	// EventUp: the association is established (COMMUNICATION UP).
	EventUp EventKind = iota + 1
	// EventRestart: the peer restarted (§5.2.4); what was queued is lost.
	EventRestart
	// EventDown: the association ended without a graceful shutdown
	// (COMMUNICATION LOST, CANNOT START); Err says why.
	EventDown
	// EventShutdownComplete: the graceful shutdown finished (§9.2).
	EventShutdownComplete
	// EventSendFailed: Message will not be delivered (§11.2.4); Err says
	// why.
	EventSendFailed
	// EventPath: the peer address Path changed state (§11.2.2; RFC
	// 7829 §3.2 rule 12): PathState is the new one, Reason what caused
	// it.
	EventPath
	// EventPeerError: the peer sent an ERROR chunk; Err is a *PeerError.
	EventPeerError
	// EventShutdownStarted: the peer began a graceful shutdown: it sends
	// nothing more, and Receive returns io.EOF once its data is read.
	EventShutdownStarted
	// EventPrimary: the primary path is now Path: set by SetPrimary, or
	// by the primary path switchover of RFC 7829 §5 (Reason says which).
	EventPrimary
)

var eventNames = [...]string{"", "up", "restart", "down", "shutdown complete", "send failed",
	"path", "peer error", "shutdown started", "primary"}

// String returns the kind's name.
func (k EventKind) String() string {
	if k > 0 && int(k) < len(eventNames) {
		return eventNames[k]
	}
	return "EventKind(" + strconv.Itoa(int(k)) + ")"
}

// Event is a notification on an association.
type Event struct {
	Kind      EventKind
	Err       error          // EventDown, EventSendFailed, EventPeerError
	Path      netip.AddrPort // EventPath, EventPrimary
	PathState PathState      // EventPath: the address's new state
	Reason    string         // EventPath, EventPrimary: why it changed
	Message   *Message       // EventSendFailed: the message not delivered
}

func fromEngineEvent(ev assoc.Event) (Event, bool) {
	out := Event{Err: publicError(ev.Err), Path: ev.Path, PathState: fromPathState(ev.PathState), Reason: ev.Reason}
	switch ev.Kind {
	case assoc.EventUp:
		out.Kind = EventUp
	case assoc.EventRestart:
		out.Kind = EventRestart
	case assoc.EventDown:
		out.Kind = EventDown
	case assoc.EventShutdownComplete:
		out.Kind = EventShutdownComplete
	case assoc.EventSendFailed:
		out.Kind = EventSendFailed
		if m := ev.Message; m != nil {
			out.Message = &Message{Stream: uint16(m.Stream), PPID: uint32(m.PPID), Unordered: m.Unordered, Data: m.Data}
		}
	case assoc.EventPath:
		out.Kind = EventPath
	case assoc.EventPeerError:
		out.Kind = EventPeerError
	case assoc.EventShutdownStarted:
		out.Kind = EventShutdownStarted
	case assoc.EventPrimary:
		out.Kind = EventPrimary
	default:
		return Event{}, false
	}
	return out, true
}
