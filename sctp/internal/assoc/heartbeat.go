package assoc

import (
	"encoding/binary"
	"time"

	"github.com/rserpool/rserpool/sctp/internal/path"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/wire"
)

// hbInfoLen is the size of our Heartbeat Info: the path's address (16
// bytes), its index and a random nonce. Only we read it (§8.3:
// "sender-specific"); the send time stays in the path.
const hbInfoLen = 16 + 2 + 8

// scheduleHeartbeat arms path i's heartbeat timer: an unconfirmed path is
// probed within an RTO (§5.4), an idle one after RTO + HB.interval with
// jitter (§8.3).
func (a *Assoc) scheduleHeartbeat(now time.Time, i int) {
	p := a.paths[i]
	if p.State() == path.Unconfirmed {
		p.hb.Start(now, p.RTO())
		return
	}
	jitter := float64(a.random64()>>11)/float64(1<<53) - 0.5
	if t := p.NextHeartbeat(now, jitter); !t.IsZero() {
		p.hb.Start(now, t.Sub(now))
	} else {
		p.hb.Stop()
	}
}

// heartbeatTimer runs when path i's heartbeat timer expires: an
// unanswered heartbeat counts as an error (§8.3); a path idle for its
// interval gets a new heartbeat.
func (a *Assoc) heartbeatTimer(now time.Time, i int) {
	p := a.paths[i]
	p.hb.Stop()
	if a.state < Established {
		return
	}
	if p.hbWaiting {
		p.hbWaiting = false
		p.BackoffRTO()
		inUse := i == a.dataPath()
		a.pathError(now, i, "heartbeat timeout")
		// §8.1: unanswered heartbeats on the path in use count for
		// the association too.
		if inUse && a.countError(now) {
			return
		}
		// §8.3: the next heartbeat after RTO + HB.interval, the RTO
		// backed off; RFC 7829 §3.2 rules 5 and 6: at once on a PF
		// address, which is probed once per RTO. pathError may have
		// sent it already, on entering PF.
		if !p.hbWaiting && p.State() != path.PotentiallyFailed && p.State() != path.Unconfirmed {
			a.scheduleHeartbeat(now, i)
			return
		}
		if p.hbWaiting {
			return
		}
	} else if p.State() != path.Unconfirmed && now.Sub(p.LastSend()) < a.cfg.Path.HBInterval && a.snd.OutstandingOn(i) {
		// Data in flight tests the path already (§8.3: only idle
		// paths are probed).
		a.scheduleHeartbeat(now, i)
		return
	}
	a.sendHeartbeat(now, i)
}

// sendHeartbeat sends a HEARTBEAT with a fresh nonce on path i and waits
// one RTO for its ack.
func (a *Assoc) sendHeartbeat(now time.Time, i int) {
	p := a.paths[i]
	var info [hbInfoLen]byte
	ip := p.Remote.Addr().As16()
	copy(info[:16], ip[:])
	binary.BigEndian.PutUint16(info[16:], uint16(i))
	p.hbNonce = a.random64()
	binary.BigEndian.PutUint64(info[18:], p.hbNonce)
	a.emit(i, &wire.Heartbeat{Info: info[:]})
	p.hbSentAt, p.hbWaiting = now, true
	p.Counters.HeartbeatsSent++
	p.hb.Start(now, p.RTO())
}

// HeartbeatNow sends a heartbeat on every path at once (on-demand, §8.3).
func (a *Assoc) HeartbeatNow(now time.Time) {
	if a.state < Established {
		return
	}
	for i := range a.paths {
		a.sendHeartbeat(now, i)
	}
	a.flush(now)
}

// handleHeartbeat answers with a HEARTBEAT ACK carrying the info
// unchanged, to the address the HEARTBEAT came from (§8.3).
func (a *Assoc) handleHeartbeat(c wire.Chunk, in lower.Packet, src int) {
	var h wire.Heartbeat
	if h.Decode(c) != nil {
		return
	}
	ack := wire.HeartbeatAck(h)
	a.out.add(in.Dst, in.Src, a.localPort, a.peerPort, a.peerTag, a.paths[src].MTU(), &ack)
}

// handleHeartbeatAck checks the nonce and path (§8.3), confirms the path
// (§5.4), clears its error counter and takes an RTT sample.
func (a *Assoc) handleHeartbeatAck(now time.Time, c wire.Chunk, in lower.Packet) {
	var h wire.HeartbeatAck
	if h.Decode(c) != nil || len(h.Info) != hbInfoLen {
		return
	}
	i := int(binary.BigEndian.Uint16(h.Info[16:]))
	if i >= len(a.paths) {
		return
	}
	p := a.paths[i]
	ip := p.Remote.Addr().As16()
	if string(ip[:]) != string(h.Info[:16]) || binary.BigEndian.Uint64(h.Info[18:]) != p.hbNonce || !p.hbWaiting {
		return
	}
	p.hbWaiting = false
	p.Counters.HeartbeatsAcked++
	wasUnconfirmed := p.State() == path.Unconfirmed
	if wasUnconfirmed {
		p.Confirm()
	}
	if p.OnAckReceived() || wasUnconfirmed {
		reason := "heartbeat acknowledged"
		if wasUnconfirmed {
			reason = "confirmed by heartbeat"
		}
		a.pathEvent(i, reason)
	}
	if r := now.Sub(p.hbSentAt); r >= 0 {
		p.RTTSample(r)
	}
	if i == a.dataPath() {
		a.errorCount = 0
	}
	a.scheduleHeartbeat(now, i)
}
