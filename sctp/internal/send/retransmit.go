package send

import "github.com/rserpool/rserpool/sctp/wire"

// markRtx marks c for retransmission. A marked chunk leaves the flight
// size: RFC 9260 §1.3 counts "a DATA chunk that is classified as lost but
// that has not yet been retransmitted" out of outstanding data, and
// §6.2.1 C gives its bytes back to the peer's rwnd.
func (s *Sender) markRtx(c *Chunk) {
	s.leaveFlight(c)
	if c.marked {
		return
	}
	c.marked = true
	s.nMarked++
	if s.nMarked == 1 || c.tsn.Less(s.rtxScan) {
		s.rtxScan = c.tsn
	}
}

// unmark clears the retransmission mark of a chunk the peer acknowledged.
func (s *Sender) unmark(c *Chunk) {
	if c.marked {
		c.marked = false
		s.nMarked--
	}
}

// T3Expired handles the expiry of path's T3-rtx timer (RFC 9260 §6.3.3):
// every chunk in flight on path is marked for retransmission and leaves the
// flight size. E3 retransmits the first K of them at once and has the rest
// "marked for retransmission and sent as soon as cwnd allows"; NextRetransmit
// gives them in TSN order, so the caller sends K of them now and the rest
// later. Chunks acknowledged by Gap Ack Blocks are not in flight and stay
// unmarked. Their miss indications start again from zero: they counted
// against a transmission that is now written off.
//
// It returns the bytes marked. The cwnd, ssthresh and RTO changes of E1
// and E2 are the path's business.
func (s *Sender) T3Expired(path int) int {
	if path < 0 || path >= len(s.flight) || s.flight[path] == 0 {
		return 0
	}
	bytes := 0
	for i := 0; i < s.out.len(); i++ {
		c := *s.out.at(i)
		if !c.inFlight || c.fpath != path {
			continue
		}
		bytes += c.flightLen()
		c.misses = 0
		s.markRtx(c)
	}
	return bytes
}

// MovePath sends the chunks marked for retransmission whose Path is from to
// path to instead (RFC 9260 §6.4: "an endpoint SHOULD try to retransmit a
// chunk that timed out to an active destination transport address that is
// different from the last destination address to which the chunk was
// sent"; §6.4.1). They are not in flight, so no flight size changes until
// Sent records the retransmission.
func (s *Sender) MovePath(from, to int) {
	if s.nMarked == 0 || from == to {
		return
	}
	for i := 0; i < s.out.len(); i++ {
		if c := *s.out.at(i); c.marked && c.Path == from {
			c.Path = to
		}
	}
}

// IsGapAcked reports whether t, an outstanding TSN, is acknowledged by a
// Gap Ack Block of the latest SACK.
func (s *Sender) IsGapAcked(t wire.TSN) bool {
	if !s.cum.Less(t) || !t.Less(s.next) {
		return false
	}
	return s.atTSN(t).gapAcked
}

// MarkLost marks the outstanding chunk with TSN t for retransmission, as
// T3Expired does for a whole path, and reports whether it did. A chunk
// acknowledged, gap-acknowledged or already marked is left alone. The
// association uses it for a zero window probe the peer dropped (RFC 9260
// §6.1 A).
func (s *Sender) MarkLost(t wire.TSN) bool {
	if !s.cum.Less(t) || !t.Less(s.next) {
		return false
	}
	c := s.atTSN(t)
	if !c.sent || c.gapAcked || c.marked {
		return false
	}
	c.misses = 0
	s.markRtx(c)
	return true
}
