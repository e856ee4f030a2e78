package assoc

import (
	"time"

	"github.com/rserpool/rserpool/sctp/internal/send"
)

// dataChunkOverhead is the DATA chunk header (§3.3.1).
const dataChunkOverhead = 16

// Send queues a message (§10.1 SEND). Its data is taken over, not
// copied. It fails once a shutdown began (§9.2), and with
// send.ErrQueueFull when the send buffer is full: the caller waits for
// acknowledgements and tries again.
func (a *Assoc) Send(now time.Time, m send.Message) error {
	switch {
	case a.state == Closed:
		return ErrClosed
	case a.state.shuttingDown() || a.shutdownAsked:
		return ErrShutdown
	case a.snd == nil:
		return ErrNotEstablished
	}
	if err := a.snd.Queue(m); err != nil {
		return err
	}
	a.flush(now)
	return nil
}

// SendBuffered returns the bytes of user data queued or in flight.
func (a *Assoc) SendBuffered() int {
	if a.snd == nil {
		return 0
	}
	return a.snd.Queued()
}

// Flush emits what is due now: a SACK the user's reading made due
// (the window opened, §6.2), data the windows let go.
func (a *Assoc) Flush(now time.Time) { a.flush(now) }

// flush emits what is due: a SACK, retransmissions and new DATA as the
// windows allow (§6.1), bundled behind the control chunks already
// emitted (§6.10).
func (a *Assoc) flush(now time.Time) {
	if a.state == Closed {
		return
	}
	if a.windowUpdate && a.state >= Established {
		a.sackNow = true
	}
	sacked := false
	if a.state.canSendData() || a.state == ShutdownSent {
		sacked = a.sendData(now)
	}
	if a.sackNow && a.rcv != nil {
		a.appendSack()
		sacked = true
	}
	if sacked && a.state == ShutdownSent {
		// §9.2: DATA received in SHUTDOWN-SENT is acknowledged with a
		// SACK and a SHUTDOWN, and T2 restarted.
		a.sendShutdown(now)
	}
}

// dataWillGo tells whether flush is about to send DATA to path i: a
// retransmission, or new data the windows let go. It need not be exact:
// a wrong guess only sends a delayed SACK a little early.
func (a *Assoc) dataWillGo(i int) bool {
	if a.snd.HasRetransmit() {
		return true
	}
	return a.state.canSendData() && a.snd.HasNew() && a.snd.PeerRwnd() > 0 &&
		a.paths[i].CanSend(a.snd.FlightSize(i), dataChunkOverhead+1)
}

// sendData emits retransmissions, then new data (§6.1). It reports
// whether it sent the SACK that was due.
func (a *Assoc) sendData(now time.Time) (sacked bool) {
	dp := a.dataPath()
	p := a.paths[dp]
	// A SACK that is due goes first, so that DATA is bundled behind
	// it rather than the other way (§6.10 puts control chunks first).
	if a.sackNow && a.sackPath == dp {
		a.appendSack()
		sacked = true
	}
	// A delayed SACK rides with DATA about to leave for the same
	// address (§6.2, bundling §6.10): the peer learns of its data a
	// packet earlier, and a peer that holds its replies until acked
	// (Nagle, as usrsctp's examples do) is not kept waiting for the
	// SACK timer.
	if !sacked && a.sackTimer.Running() && a.sackPath == dp && a.dataWillGo(dp) {
		a.appendSack()
		sacked = true
	}
	p.OnIdle(now)
	p.LimitBurst(a.snd.FlightSize(dp))
	maxPayload := p.PMDCS() - dataChunkOverhead
	// Retransmissions (§6.3.3 E3, §7.2.4): marked chunks in TSN order;
	// fast retransmissions may exceed cwnd for one packet (§7.2.4 4).
	budget := 0
	if a.fastRtxBurst {
		budget = p.MTU()
		a.fastRtxBurst = false
	}
	for c := a.snd.NextRetransmit(); c != nil; c = a.snd.NextRetransmit() {
		// §6.4.1: a retransmission SHOULD go to another active
		// address than the one it last went to, when there is one.
		to := a.alternatePath(c.Path)
		tp := a.paths[to]
		n := c.Data.Len()
		if budget >= n {
			budget -= n
		} else if !tp.CanSend(a.snd.FlightSize(to), n) {
			break
		}
		a.emit(to, &c.Data)
		a.snd.Sent(c, to, now)
		a.stats.Retransmissions++
		tp.Counters.Retransmissions++
		tp.Counters.BytesSent += uint64(len(c.Data.UserData))
		a.stats.DataChunksSent++
		tp.NoteSend(now)
		if !tp.t3.Running() {
			tp.t3.Start(now, tp.RTO())
		}
	}
	if !a.state.canSendData() {
		return sacked
	}
	for a.snd.HasNew() {
		flight := a.snd.FlightSize(dp)
		next := min(a.snd.NextLen(), maxPayload) + dataChunkOverhead
		// §6.1 A: no new data beyond the peer's window, except one
		// chunk when nothing is in flight (zero window probe).
		if uint32(next) > a.snd.PeerRwnd() && a.snd.Outstanding() > 0 {
			break
		}
		// §6.1 B and §7.2: the congestion window.
		if !p.CanSend(flight, next) {
			break
		}
		probe := uint32(next) > a.snd.PeerRwnd()
		c := a.snd.NextNew(maxPayload)
		if c == nil {
			break
		}
		if probe {
			a.probing, a.probeTSN, a.probeLen = true, c.Data.TSN, len(c.Data.UserData)
		}
		a.emit(dp, &c.Data)
		a.snd.Sent(c, dp, now)
		a.stats.DataChunksSent++
		a.stats.BytesSent += uint64(len(c.Data.UserData))
		p.Counters.BytesSent += uint64(len(c.Data.UserData))
		p.NoteSend(now)
		// §6.3.2 R1: T3 runs while data is outstanding on the path.
		if !p.t3.Running() {
			p.t3.Start(now, p.RTO())
		}
	}
	return sacked
}

// t3Expired is §6.3.3: the congestion window collapses, the RTO backs
// off, the chunks sent on the path are retransmitted (to an alternate
// path when there is one, §6.4.1), and the error counters count it (§8.1,
// §8.2).
func (a *Assoc) t3Expired(now time.Time, i int) {
	p := a.paths[i]
	p.t3.Stop()
	a.stats.T3Expirations++
	p.OnT3Expiry()
	p.BackoffRTO()
	a.snd.T3Expired(i)
	// §6.1 A: unacknowledged zero window probes do not count as errors
	// while SACKs keep coming: the receiver may keep its window closed
	// indefinitely.
	probing := a.sackSinceT3 && a.probing
	a.sackSinceT3 = false
	if !probing {
		a.pathError(now, i, "retransmission timeout")
		if a.countError(now) {
			return
		}
	}
	// Resent by flush, to an alternate path (§6.4.1); §6.3.3 E3
	// restarts T3 when the first retransmission goes out.
}

// countError adds one to the association error counter and ends the
// association when it passes Association.Max.Retrans (§8.1). It reports
// whether it did.
func (a *Assoc) countError(now time.Time) bool {
	a.errorCount++
	if a.errorCount > a.cfg.AssocMaxRetrans {
		a.abortWith(nil, ErrTimeout)
		return true
	}
	return false
}
