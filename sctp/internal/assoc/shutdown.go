package assoc

import (
	"time"

	"github.com/rserpool/rserpool/sctp/wire"
)

// Shutdown starts a graceful shutdown (§9.2): no new data is accepted;
// what is queued and in flight is delivered first.
func (a *Assoc) Shutdown(now time.Time) {
	switch a.state {
	case Closed:
		return
	case CookieWait, CookieEchoed:
		// Shut down as soon as the association is up: the user may
		// have queued nothing, but the peer expects the handshake to
		// end.
		a.shutdownAsked = true
		return
	case Established:
		a.startShutdown(now)
	}
	a.flush(now)
}

// startShutdown enters SHUTDOWN-PENDING and sends SHUTDOWN once
// everything sent is acknowledged (§9.2).
func (a *Assoc) startShutdown(now time.Time) {
	a.shutdownAsked = true
	if a.state == Established {
		a.state = ShutdownPending
	}
	a.maybeFinishShutdown(now)
}

// maybeFinishShutdown takes the next shutdown step when the outstanding
// data is all acknowledged (§9.2).
func (a *Assoc) maybeFinishShutdown(now time.Time) {
	if a.snd == nil || !a.snd.Done() {
		return
	}
	switch a.state {
	case ShutdownPending:
		a.state = ShutdownSent
		a.t2Retrans = 0
		a.sendShutdown(now)
		// §9.2: T5-shutdown-guard bounds the whole procedure.
		a.t5.Start(now, a.cfg.ShutdownGuard)
	case ShutdownReceived:
		a.state = ShutdownAckSent
		a.t2Retrans = 0
		a.sendShutdownAck(now)
	}
}

// sendShutdown sends SHUTDOWN with our cumulative TSN ack and (re)starts
// T2-shutdown; any pending SACK goes with it (§9.2).
func (a *Assoc) sendShutdown(now time.Time) {
	p := a.dataPath()
	a.emit(p, &wire.Shutdown{CumTSNAck: a.rcv.CumTSN()})
	a.sackTimer.Stop()
	a.t2.Start(now, a.paths[p].RTO())
}

func (a *Assoc) sendShutdownAck(now time.Time) {
	p := a.dataPath()
	a.emit(p, &wire.ShutdownAck{})
	a.t2.Start(now, a.paths[p].RTO())
}

// handleShutdown is §9.2 on receipt of SHUTDOWN: its cumulative TSN ack
// is applied, and SHUTDOWN ACK follows once our data is acknowledged.
func (a *Assoc) handleShutdown(now time.Time, c wire.Chunk) {
	var s wire.Shutdown
	if s.Decode(c) != nil || a.snd == nil {
		return
	}
	switch a.state {
	case Established, ShutdownPending:
		a.state = ShutdownReceived
		a.event(Event{Kind: EventShutdownStarted})
	case ShutdownSent:
		// §9.2: SHUTDOWN received in SHUTDOWN-SENT (both shut down
		// at once): answer with SHUTDOWN ACK at once.
		a.t2.Stop()
		a.state = ShutdownAckSent
		a.t2Retrans = 0
		a.sendShutdownAck(now)
		return
	case ShutdownReceived:
	default:
		return
	}
	// §6.2 / §9.2: the SHUTDOWN's Cumulative TSN Ack acknowledges as a
	// SACK without gap blocks would.
	if !s.CumTSNAck.Less(a.snd.CumAck()) {
		a.applySack(now, &wire.Sack{CumTSNAck: s.CumTSNAck, ARwnd: a.peerARwnd})
	}
	a.maybeFinishShutdown(now)
}

// handleShutdownAck is §9.2 on SHUTDOWN ACK: SHUTDOWN COMPLETE, and the
// association is closed.
func (a *Assoc) handleShutdownAck(now time.Time) {
	switch a.state {
	case ShutdownSent, ShutdownAckSent:
		a.emit(a.dataPath(), &wire.ShutdownComplete{})
		a.finish()
	}
}

// handleShutdownComplete is §9.2: in SHUTDOWN-ACK-SENT the association
// closes; elsewhere the chunk is ignored.
func (a *Assoc) handleShutdownComplete() {
	if a.state == ShutdownAckSent {
		a.finish()
	}
}

// finish closes the association after a graceful shutdown.
func (a *Assoc) finish() {
	a.stopTimers()
	a.state = Closed
	a.event(Event{Kind: EventShutdownComplete})
}

// t2Expired resends SHUTDOWN or SHUTDOWN ACK with the RTO doubled; the
// errors count toward Association.Max.Retrans (§9.2).
func (a *Assoc) t2Expired(now time.Time) {
	a.t2.Stop()
	i := a.dataPath()
	a.paths[i].BackoffRTO()
	a.pathError(now, i, "shutdown timeout")
	if a.countError(now) {
		return
	}
	switch a.state {
	case ShutdownSent:
		a.sendShutdown(now)
	case ShutdownAckSent:
		a.sendShutdownAck(now)
	}
}

// t5Expired is the shutdown guard (§9.2): the shutdown took too long;
// the association is aborted.
func (a *Assoc) t5Expired(now time.Time) {
	a.t5.Stop()
	a.abortWith(nil, ErrTimeout)
}
