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
	a.flightBefore = a.flightBefore[:0]
	for i := range a.paths {
		a.flightBefore = append(a.flightBefore, a.snd.FlightSize(i))
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
		p.OnAck(pb.Bytes, a.flightBefore[pb.Path], r.CumAdvanced, inRecovery)
		// §8.2, §8.3: an ack of data sent on a path clears its
		// error counter; §8.1: so does any acknowledgement for the
		// association's. RFC 7829 §3.2 rules 9 and 10: with SCTP-PF,
		// only data sent to that path alone tells that the path
		// works.
		if (pb.Sole || !p.PF()) && p.OnAckReceived() {
			a.pathEvent(pb.Path, "data acknowledged")
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
	// §6.3.2 R2: stop T3 where nothing is outstanding; R3: restart it
	// where the earliest outstanding TSN was acknowledged; R4: start it
	// where the peer reneged on a gap-acknowledged chunk.
	for _, i := range r.AckedOnPath {
		if i < len(a.paths) && a.snd.OutstandingOn(i) {
			a.paths[i].t3.Start(now, a.paths[i].RTO())
		}
	}
	for _, i := range r.RenegedOnPath {
		if i < len(a.paths) {
			a.paths[i].t3.StartIfStopped(now, a.paths[i].RTO())
		}
	}
	for i, p := range a.paths {
		if !a.snd.OutstandingOn(i) {
			p.t3.Stop()
		}
	}
	a.checkProbe(s.ARwnd)
	a.maybeFinishShutdown(now)
}

// checkProbe ends the zero window probing (§6.1 A) when the probe is
// acknowledged, and when a SACK shows the window open again without it,
// resends it at once: a probe the peer dropped for want of room would
// otherwise wait for T3, whose RTO the probing has backed off, possibly
// to RTO.Max. It costs no congestion window reduction: nothing was lost
// to congestion. If the probe was only delayed, the peer sees one
// duplicate.
func (a *Assoc) checkProbe(arwnd uint32) {
	if !a.probing {
		return
	}
	if !a.snd.CumAck().Less(a.probeTSN) || a.snd.IsGapAcked(a.probeTSN) {
		a.probing = false
		return
	}
	if arwnd < uint32(a.probeLen) {
		return
	}
	a.probing = false
	if a.snd.MarkLost(a.probeTSN) {
		a.stats.ProbesResent++
	}
}
