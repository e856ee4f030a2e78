package assoc

import (
	"time"

	"github.com/rserpool/rserpool/sctp/wire"
)

// handleSack is §6.2.1 with the congestion control of §7.2 and the T3
// rules of §6.3.2.
func (a *Assoc) handleSack(now time.Time, c wire.Chunk) {
	if a.snd == nil || a.state < Established {
		return
	}
	var s wire.Sack
	if s.Decode(c) != nil {
		return
	}
	a.stats.SacksReceived++
	a.sackSinceT3 = true
	a.applySack(now, &s)
}

// applySack processes a SACK, or the cumulative ack of a SHUTDOWN (§9.2).
func (a *Assoc) applySack(now time.Time, s *wire.Sack) {
	a.peerARwnd = s.ARwnd
	var flightBefore [8]int
	fb := flightBefore[:0]
	for i := range a.paths {
		if i < len(flightBefore) {
			fb = append(fb, a.snd.FlightSize(i))
		}
	}
	r := a.snd.HandleSack(s, now)
	if r.Ignored {
		return
	}
	if r.Violation {
		// An ack of a TSN never sent: §6.2.1 leaves it open; the
		// peer is broken or hostile, so abort with a Protocol
		// Violation cause.
		a.abortWith(&wire.ProtocolViolationCause{Info: []byte("SACK acknowledges a TSN not sent")}, ErrProtocolViolation)
		return
	}
	inRecovery := a.snd.InFastRecovery()
	for _, pb := range r.Acked {
		if pb.Path >= len(a.paths) {
			continue
		}
		p := a.paths[pb.Path]
		before := 0
		if pb.Path < len(fb) {
			before = fb[pb.Path]
		}
		p.OnAck(pb.Bytes, before, r.CumAdvanced, inRecovery)
		// §8.2, §8.3: an ack of data sent on a path clears its
		// error counter; §8.1: so does any acknowledgement for the
		// association's.
		if p.OnAckReceived() {
			a.pathEvent(pb.Path, true)
		}
	}
	if len(r.Acked) > 0 && r.CumAdvanced {
		a.errorCount = 0
	}
	for _, rs := range r.RTT {
		if rs.Path < len(a.paths) {
			a.paths[rs.Path].RTTSample(rs.RTT)
		}
	}
	for _, i := range r.FastRetransmit {
		if i < len(a.paths) {
			a.paths[i].OnFastRetransmit()
			a.fastRtxBurst = true
		}
	}
	// §6.3.2 R2, R3: stop T3 where nothing is outstanding, restart it
	// where the earliest outstanding TSN was acknowledged.
	for i, p := range a.paths {
		switch {
		case !a.snd.OutstandingOn(i):
			p.t3.Stop()
		case r.CumAdvanced && p.t3.Running():
			p.t3.Start(now, p.RTO())
		}
	}
	a.maybeFinishShutdown(now)
}
