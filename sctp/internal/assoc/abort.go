package assoc

import (
	"time"

	"github.com/rserpool/rserpool/sctp/wire"
)

// Abort ends the association at once (§9.1): an ABORT with a
// User-Initiated Abort cause carrying reason goes to the peer, queued
// data is dropped and reported.
func (a *Assoc) Abort(now time.Time, reason string) {
	if a.state == Closed {
		return
	}
	var cause wire.ErrorCause
	if reason != "" {
		cause = &wire.UserInitiatedAbortCause{Reason: []byte(reason)}
	}
	a.abortWith(cause, ErrUserAbort)
	a.flush(now)
}

// Refuse ends an association just made from a COOKIE ECHO that the user
// cannot take (its accept queue is full): what the handshake queued, the
// COOKIE ACK, is withdrawn and an ABORT with an Out of Resource cause
// (§3.3.10.4) goes instead, so the peer's association fails in
// COOKIE-ECHOED rather than coming up and being torn down.
func (a *Assoc) Refuse(now time.Time) {
	if a.state == Closed {
		return
	}
	a.out.discard()
	a.abortWith(&wire.OutOfResourceCause{}, ErrUserAbort)
	a.flush(now)
}

// abortWith sends an ABORT (with cause when not nil) and closes the
// association with err.
func (a *Assoc) abortWith(cause wire.ErrorCause, err error) {
	if a.state == Closed {
		return
	}
	ab := wire.Abort{}
	if cause != nil {
		ab.Causes = wire.MakeCauses(cause.Append(nil))
	}
	if a.peerTag != 0 {
		a.emit(a.dataPath(), &ab)
	}
	a.close(err)
}

// close ends the association without a graceful shutdown: timers stop,
// unsent and unacknowledged messages are reported, the user hears
// COMMUNICATION LOST (or CANNOT START before ESTABLISHED).
func (a *Assoc) close(err error) {
	a.stopTimers()
	a.failQueued(err)
	a.state = Closed
	a.event(Event{Kind: EventDown, Err: err})
}

// failQueued reports every message not fully acknowledged as failed
// (§11.2.4 SEND FAILED), and drops it.
func (a *Assoc) failQueued(err error) {
	if a.snd == nil {
		return
	}
	for _, m := range a.snd.Unsent() {
		m := m
		a.event(Event{Kind: EventSendFailed, Err: err, Message: &m})
	}
}

func (a *Assoc) stopTimers() {
	a.t1.Stop()
	a.t2.Stop()
	a.t5.Stop()
	a.sackTimer.Stop()
	for _, p := range a.paths {
		p.t3.Stop()
		p.hb.Stop()
		p.hbWaiting = false
	}
}

// handleAbort is §9.1: the association ends; the causes are the reason.
func (a *Assoc) handleAbort(c wire.Chunk) {
	var ab wire.Abort
	if ab.Decode(c) != nil {
		return
	}
	pe := &PeerAbortError{Causes: append([]byte(nil), ab.Causes.Bytes()...)}
	it := ab.Causes.Iter()
	for cs, ok := it.Next(); ok; cs, ok = it.Next() {
		if cs.Code() == wire.CauseUserInitiatedAbort {
			var u wire.UserInitiatedAbortCause
			if u.Decode(cs) == nil {
				pe.Reason = string(u.Reason)
			}
		}
	}
	a.close(pe)
}

// handleError is §3.3.10 on receipt of an ERROR chunk. A Stale Cookie in
// COOKIE-ECHOED restarts the handshake with a Cookie Preservative
// (§5.2.6 option 3); other causes are reported to the user.
func (a *Assoc) handleError(now time.Time, c wire.Chunk) {
	var ec wire.ErrorChunk
	if ec.Decode(c) != nil {
		return
	}
	it := ec.Causes.Iter()
	for cs, ok := it.Next(); ok; cs, ok = it.Next() {
		if cs.Code() == wire.CauseStaleCookie {
			var sc wire.StaleCookieCause
			if a.state != CookieEchoed || sc.Decode(cs) != nil {
				continue // §5.2.6: discarded in other states
			}
			a.staleRetry++
			if a.staleRetry > a.cfg.MaxInitRetransmits {
				a.close(ErrTimeout)
				return
			}
			// §5.2.6 3: ask for the staleness plus the measured RTT,
			// no more than 1 s beyond it.
			rtt := a.paths[a.t1Path].SRTT()
			a.preservativ = time.Duration(sc.Staleness)*time.Microsecond + min(rtt, time.Second)
			a.state = CookieWait
			a.initChunk, a.cookieEcho = nil, nil
			a.t1Retrans = 0
			a.sendInit(now)
			return
		}
	}
	a.event(Event{Kind: EventPeerError, Err: &PeerErrorError{Causes: append([]byte(nil), ec.Causes.Bytes()...)}})
}

// PeerErrorError holds the causes of an ERROR chunk the peer sent.
type PeerErrorError struct{ Causes []byte }

func (e *PeerErrorError) Error() string { return "peer reported an error" }
