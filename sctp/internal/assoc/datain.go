package assoc

import (
	"errors"
	"time"

	"github.com/rserpool/rserpool/sctp/internal/recv"
	"github.com/rserpool/rserpool/sctp/wire"
)

// handleData is §6.2 for one DATA chunk. It reports whether the chunk was
// new (not a duplicate).
func (a *Assoc) handleData(now time.Time, c wire.Chunk, src int) bool {
	switch a.state {
	case Established, ShutdownPending, ShutdownSent:
	default:
		// §9.2: after the peer's SHUTDOWN it sends no new DATA; in
		// the handshake states DATA cannot be acknowledged yet.
		return false
	}
	var d wire.Data
	if err := d.Decode(c); err != nil {
		if errors.Is(err, wire.ErrNoUserData) {
			// §6.2: DATA without user data: ABORT with the No User
			// Data cause.
			a.abortWith(&wire.NoUserDataCause{TSN: d.TSN}, ErrProtocolViolation)
		}
		return false
	}
	a.stats.DataChunksRecv++
	a.sackPath = src
	if d.Immediate {
		a.sackNow = true // RFC 7053 §4
	}
	switch v := a.rcv.Data(&d); v {
	case recv.Accepted:
		a.stats.BytesReceived += uint64(len(d.UserData))
		return true
	case recv.Duplicate:
		return false
	case recv.InvalidStream:
		// §6.5: the TSN is acknowledged, the data dropped, and an
		// ERROR with Invalid Stream Identifier sent.
		ec := wire.ErrorChunk{Causes: wire.MakeCauses((&wire.InvalidStreamIdentifierCause{Stream: d.Stream}).Append(nil))}
		a.emit(src, &ec)
		return true
	case recv.TooBig:
		// A message larger than the reassembly limit can never be
		// delivered: abort rather than stall the stream.
		a.abortWith(&wire.OutOfResourceCause{}, ErrResources)
		return false
	default:
		// NoRoom, OutOfWindow: dropped unacknowledged; the peer
		// retransmits. A SACK goes at once so that a zero window
		// probe is answered with the window (§6.1 A, §6.2).
		a.sackNow = true
		return false
	}
}

// afterData decides when to SACK after a packet with DATA (§6.2): the
// first DATA of the association at once (§5.1), on every second packet,
// at once on a duplicate-only packet or when gaps exist or close, else
// within SACK.Delay.
func (a *Assoc) afterData(now time.Time, hadNew bool) {
	a.dataPackets++
	switch {
	case a.stats.DataChunksRecv == 1 && hadNew:
		a.sackNow = true
	case !hadNew:
		a.sackNow = true // duplicates only
	case a.rcv.HasGaps() || a.hadGaps:
		a.sackNow = true // §6.7: report gaps, and their filling, at once
	case a.dataPackets >= a.cfg.SackFreq:
		a.sackNow = true
	case a.state == ShutdownSent:
		// §9.2: in SHUTDOWN-SENT every DATA is acknowledged at once,
		// with a SHUTDOWN.
		a.sackNow = true
	}
	a.hadGaps = a.rcv.HasGaps()
	if !a.sackNow && !a.sackTimer.Running() {
		a.sackTimer.Start(now, a.cfg.SackDelay)
	}
}

// Read returns the next message received, in delivery order.
func (a *Assoc) Read() (recv.Message, bool) {
	if a.rcv == nil {
		return recv.Message{}, false
	}
	rw := a.rcv.Rwnd()
	m, ok := a.rcv.Read()
	// §6.2: when reading opens the window from below one MTU (or by
	// a lot), tell the peer at once, so it need not probe.
	if ok && a.state != Closed && rw < uint32(a.paths[a.primary].MTU()) && a.rcv.Rwnd() >= uint32(a.paths[a.primary].MTU()) {
		a.windowUpdate = true
	}
	return m, ok
}

// Readable returns how many messages are ready to Read.
func (a *Assoc) Readable() int {
	if a.rcv == nil {
		return 0
	}
	return a.rcv.Ready()
}

// appendSack emits a SACK (§6.2) to the path the last DATA came from
// (§6.4), with as many gap blocks and duplicates as fit.
func (a *Assoc) appendSack() {
	// The chunk lives in the association: passed to emit as an
	// interface, a local would escape and cost an allocation per SACK.
	s := &a.sackChunk
	p := a.paths[a.sackPath]
	room := p.MTU() - wire.HeaderLen
	a.rcv.AppendSack(s, a.sackGaps[:0], a.sackDups[:0], room)
	a.emit(a.sackPath, s)
	a.stats.SacksSent++
	a.sackNow, a.windowUpdate = false, false
	a.dataPackets = 0
	a.sackTimer.Stop()
}
