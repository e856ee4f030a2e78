package send

import (
	"time"

	"github.com/rserpool/rserpool/sctp/wire"
)

// SackResult is what a SACK changed that the paths and timers need. Its
// slices are scratch space of the Sender, valid until the next
// HandleSack; at most one entry per path in each.
//
// Running the T3-rtx timers from it (RFC 9260 §6.3.2):
//   - R2: for every path with FlightSize(path) == 0, stop its timer
//     (AllAcked: all of them).
//   - R3: for every path in AckedOnPath with FlightSize(path) > 0, restart
//     its timer with its current RTO.
//   - R4: for every path in RenegedOnPath, start its timer if it is not
//     running.
type SackResult struct {
	// CumAdvanced: the Cumulative TSN Ack Point moved.
	CumAdvanced bool

	// Acked holds, per path, the bytes newly acknowledged by this SACK,
	// cumulatively or by Gap Ack Blocks, counted on the path each chunk
	// was last sent on: what §7.2.1 and §7.2.2 grow cwnd and
	// partial_bytes_acked by.
	Acked []PathBytes

	// RTT holds at most one sample per path, from the newly acknowledged
	// chunk with the highest TSN that was sent exactly once and not first
	// sent before a retransmission of a lower TSN (Karn's algorithm,
	// §6.3.1 C5): now minus its SentAt.
	RTT []PathRTT

	// FastRetransmit lists the paths whose ssthresh and cwnd §7.2.3 cuts
	// because chunks last sent there reached three miss indications
	// (§7.2.4 step 2). It is empty when the sender was already in Fast
	// Recovery; the chunks are marked for retransmission either way.
	FastRetransmit []int

	// EnteredFastRecovery: this SACK started Fast Recovery (§7.2.4 step
	// 6); the caller sends one packet of the marked chunks at once,
	// ignoring cwnd (step 3).
	EnteredFastRecovery bool

	// AllAcked: nothing is in flight on any path any more. Chunks may
	// still be gap-acknowledged or marked for retransmission.
	AllAcked bool

	// AckedOnPath lists the paths whose earliest outstanding chunk (the
	// lowest TSN in flight there before this SACK) the SACK acknowledged:
	// §6.3.2 R3 and §7.2.4 step 4 restart their T3-rtx timer if data is
	// still in flight there.
	AckedOnPath []int

	// RenegedOnPath lists the paths of chunks that an earlier SACK
	// acknowledged by a Gap Ack Block and this one reports missing: §6.2.1
	// D iii and §6.3.2 R4 start their T3-rtx timer if it is not running.
	// The chunks are in flight again.
	RenegedOnPath []int

	// Ignored: the SACK's Cumulative TSN Ack is below the Cumulative TSN
	// Ack Point, so it is an out-of-order SACK and was dropped whole,
	// a_rwnd included (§6.2.1 D i).
	Ignored bool

	// Violation: the Cumulative TSN Ack or a Gap Ack Block acknowledges a
	// TSN never sent. Nothing was changed; the caller aborts the
	// association with a Protocol Violation cause (§3.3.10.13).
	Violation bool
}

// PathBytes is a byte count on one path.
type PathBytes struct {
	Path, Bytes int
	// Sole: some of the chunks were sent to this path only, so their
	// acknowledgement proves the path works (RFC 7829 §3.2 rules 9, 10).
	Sole bool
}

// PathRTT is an RTT sample on one path.
type PathRTT struct {
	Path int
	RTT  time.Duration
}

// pathScratch is one path's state during one SACK.
type pathScratch struct {
	seq      uint32 // the SACK it belongs to; stale entries are reset on first use
	acked    int    // index in Acked, or -1
	rtt      int    // index in RTT, or -1
	fr       bool   // in FastRetransmit
	reneged  bool   // in RenegedOnPath
	hasMin   bool   // a chunk in flight here was newly acknowledged
	minAcked wire.TSN
	missed   bool // a chunk in flight here below minAcked was not
}

// sackScratch is the Sender's memory for HandleSack, reused so that
// processing a SACK allocates nothing in steady state.
type sackScratch struct {
	seq     uint32 // SACKs processed
	res     SackResult
	paths   []pathScratch
	touched []int
	newOff  []ospan
	oldOff  []ospan
	addOff  []ospan
	remOff  []ospan
	htna    wire.TSN
	hasHTNA bool
}

// HandleSack processes a SACK chunk (RFC 9260 §6.2.1, §7.2.4).
func (s *Sender) HandleSack(sk *wire.Sack, now time.Time) SackResult {
	r := &s.res
	*r = SackResult{
		Acked:          r.Acked[:0],
		RTT:            r.RTT[:0],
		FastRetransmit: r.FastRetransmit[:0],
		AckedOnPath:    r.AckedOnPath[:0],
		RenegedOnPath:  r.RenegedOnPath[:0],
	}
	if sk == nil {
		r.Ignored = true
		return *r
	}
	cumNew := sk.CumTSNAck
	// §6.2.1 D i: "If Cumulative TSN Ack is less than the Cumulative TSN
	// Ack Point, then drop the SACK chunk."
	if cumNew.Less(s.cum) {
		r.Ignored = true
		return *r
	}
	// Everything up to firstUnsent-1 was sent; a SACK acknowledging more
	// breaks the protocol. Checked before anything changes.
	sentTop := s.firstUnsent - 1
	if uint32(cumNew-s.cum) > uint32(sentTop-s.cum) ||
		!s.loadBlocks(sk.GapBlocks, uint32(sentTop-cumNew)) {
		r.Violation = true
		return *r
	}

	s.seq++
	if s.seq == 0 {
		s.seq = 1 // 0 is the stamp of chunks and paths never touched
	}
	s.touched = s.touched[:0]
	s.hasHTNA = false
	s.arwnd = sk.ARwnd
	// §6.2.1 D iv and §7.2.4 step 6: Fast Recovery ends once the exit
	// point is acknowledged.
	if s.inFR && s.frExit.LessEq(cumNew) {
		s.inFR = false
	}
	s.loadOld(cumNew)
	s.advanceCum(cumNew, now)
	s.applyGaps(cumNew, now)
	s.storeGaps(cumNew)
	s.countMisses(cumNew)

	if len(r.FastRetransmit) > 0 {
		if s.inFR {
			// §7.2.4 step 2 and 6: no further cut while in Fast Recovery.
			r.FastRetransmit = r.FastRetransmit[:0]
		} else {
			s.inFR = true
			s.frExit = sentTop
			r.EnteredFastRecovery = true
		}
	}
	for _, p := range s.touched {
		if ps := &s.paths[p]; ps.hasMin && !ps.missed {
			r.AckedOnPath = append(r.AckedOnPath, p)
		}
	}
	r.AllAcked = s.total == 0
	return *r
}

// touch returns path p's scratch entry for the current SACK.
func (s *Sender) touch(p int) *pathScratch {
	ps := &s.paths[p]
	if ps.seq != s.seq {
		*ps = pathScratch{seq: s.seq, acked: -1, rtt: -1}
		s.touched = append(s.touched, p)
	}
	return ps
}

// advanceCum removes the chunks up to cumNew from the outstanding list.
func (s *Sender) advanceCum(cumNew wire.TSN, now time.Time) {
	for s.cum != cumNew {
		c := s.out.pop()
		s.cum++
		s.res.CumAdvanced = true
		if !c.gapAcked {
			s.newlyAcked(c, now)
		}
		s.unmark(c)
		s.queued -= c.size
		if c.last {
			s.popMessage()
		}
		s.pool.put(c)
	}
	if s.karnActive && !s.cum.Add(1).Less(s.karnFence) {
		s.karnActive = false
	}
}

// applyGaps acknowledges the TSNs the blocks newly cover and un-acknowledges
// those they no longer cover (§6.2.1 D iii, renege).
func (s *Sender) applyGaps(cumNew wire.TSN, now time.Time) {
	s.addOff = diffSpans(s.addOff[:0], s.newOff, s.oldOff)
	s.remOff = diffSpans(s.remOff[:0], s.oldOff, s.newOff)
	for _, o := range s.addOff {
		for off := o.lo; off <= o.hi; off++ {
			c := *s.out.at(int(off - 1))
			c.gapAcked = true
			s.newlyAcked(c, now)
			// Acknowledged: retransmitting it would be wasted.
			s.unmark(c)
		}
	}
	for _, o := range s.remOff {
		for off := o.lo; off <= o.hi; off++ {
			c := *s.out.at(int(off - 1))
			s.renege(c)
		}
	}
}

// newlyAcked accounts a chunk acknowledged for the first time since its
// last transmission.
func (s *Sender) newlyAcked(c *Chunk, now time.Time) {
	r := &s.res
	ps := s.touch(c.fpath)
	if c.inFlight {
		s.leaveFlight(c)
		// Chunks arrive here in increasing TSN order, so the first one in
		// flight on a path is the lowest.
		if !ps.hasMin {
			ps.hasMin, ps.minAcked = true, c.tsn
		}
	}
	if ps.acked < 0 {
		ps.acked = len(r.Acked)
		r.Acked = append(r.Acked, PathBytes{Path: c.fpath})
	}
	r.Acked[ps.acked].Bytes += c.flightLen()
	if !c.multiPath {
		r.Acked[ps.acked].Sole = true
	}
	// §6.3.1 C5. The highest TSN wins: the most recent transmission.
	if c.Sends == 1 && !s.karnExcludes(c.tsn) && !now.Before(c.SentAt) {
		if ps.rtt < 0 {
			ps.rtt = len(r.RTT)
			r.RTT = append(r.RTT, PathRTT{Path: c.fpath})
		}
		r.RTT[ps.rtt].RTT = now.Sub(c.SentAt)
	}
	s.htna, s.hasHTNA = c.tsn, true
}

// renege handles a chunk acknowledged by an earlier Gap Ack Block and
// missing from this SACK: it is outstanding again, on the path it was sent
// on, and gets one miss indication (§6.2.1 D iii).
func (s *Sender) renege(c *Chunk) {
	c.gapAcked = false
	c.reneged = s.seq
	s.enterFlight(c)
	if ps := s.touch(c.fpath); !ps.reneged {
		ps.reneged = true
		s.res.RenegedOnPath = append(s.res.RenegedOnPath, c.fpath)
	}
	s.addMiss(c)
}

// countMisses gives a miss indication to every chunk the SACK reports
// missing below the Highest TSN Newly Acknowledged (§7.2.4 HTNA); in Fast
// Recovery a SACK that advances the Cumulative TSN Ack gives one to every
// chunk it reports missing. On the way it finds the paths whose earliest
// outstanding chunk was not acknowledged (for AckedOnPath): such a chunk
// lies below a newly acknowledged one, so it is among those visited.
//
// Chunks marked for retransmission and not yet resent get no miss
// indication: they are not outstanding (§1.3), and the indications count
// against a transmission. Chunks already fast retransmitted get none
// either, being ineligible for another (step 5).
func (s *Sender) countMisses(cumNew wire.TSN) {
	var limit uint32 // offsets below limit are examined
	if s.hasHTNA && cumNew.Less(s.htna) {
		limit = uint32(s.htna - cumNew)
	}
	if s.inFR && s.res.CumAdvanced && len(s.newOff) > 0 {
		limit = max(limit, s.newOff[len(s.newOff)-1].hi)
	}
	lo := uint32(1)
	for _, o := range s.newOff {
		if lo >= limit {
			break
		}
		s.missRange(lo, min(o.lo, limit))
		lo = o.hi + 1
	}
	s.missRange(lo, limit)
}

// missRange visits the missing chunks at offsets lo .. hi-1 from cumNew,
// which is s.cum now.
func (s *Sender) missRange(lo, hi uint32) {
	for off := lo; off < hi; off++ {
		c := *s.out.at(int(off - 1))
		if c.reneged == s.seq {
			continue // counted by renege, and not outstanding before this SACK
		}
		if c.inFlight {
			if ps := &s.paths[c.fpath]; ps.seq == s.seq && ps.hasMin && c.tsn.Less(ps.minAcked) {
				ps.missed = true
			}
		}
		if c.marked || c.fastRtx {
			continue
		}
		s.addMiss(c)
	}
}

// addMiss counts one miss indication; the third marks the chunk for Fast
// Retransmit (§7.2.4 steps 1 and 5) and names its path for the cwnd cut.
func (s *Sender) addMiss(c *Chunk) {
	if c.fastRtx || c.marked {
		return
	}
	if c.misses < 3 {
		c.misses++
	}
	if c.misses < 3 {
		return
	}
	c.fastRtx = true
	s.markRtx(c)
	if ps := s.touch(c.fpath); !ps.fr {
		ps.fr = true
		s.res.FastRetransmit = append(s.res.FastRetransmit, c.fpath)
	}
}
