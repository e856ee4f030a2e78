package send

import (
	"time"

	"github.com/rserpool/rserpool/sctp/wire"
)

// NextNew cuts the next fragment, at most maxPayload bytes of user data, of
// the oldest message not fully cut, gives it the next TSN and appends it to
// the outstanding list (RFC 9260 §6.9: fragments of a message take
// consecutive TSNs, the same SSN, PPID and U flag, B on the first and E on
// the last). The chunk counts as sent only once Sent records it; the
// caller passes every chunk NextNew returns to Sent, in TSN order.
//
// It returns nil when nothing is left to cut, when maxPayload is not
// positive, or when the TSN would lie more than 2^31-1 above the oldest
// unacknowledged TSN (§6.1).
func (s *Sender) NextNew(maxPayload int) *Chunk {
	if maxPayload <= 0 || s.curr >= s.msgs.len() {
		return nil
	}
	if uint32(s.next-s.cum-1) > s.window {
		return nil
	}
	m := s.msgs.at(s.curr)
	n := min(len(m.Data)-m.off, maxPayload)
	end := m.off+n == len(m.Data)
	c := s.pool.get(s)
	c.Data = wire.Data{
		DataFlags: wire.DataFlags{
			Unordered: m.Unordered,
			Beginning: m.off == 0,
			Ending:    end,
			Immediate: end && m.Immediate,
		},
		TSN:      s.next,
		Stream:   m.Stream,
		SSN:      m.ssn,
		PPID:     m.PPID,
		UserData: m.Data[m.off : m.off+n : m.off+n],
	}
	c.tsn, c.size, c.last = s.next, n, end
	s.out.push(c)
	s.next++
	m.off += n
	if end {
		s.curr++
	}
	return c
}

// HasRetransmit reports whether chunks are marked for retransmission.
func (s *Sender) HasRetransmit() bool { return s.nMarked > 0 }

// NextRetransmit returns the lowest-TSN chunk marked for retransmission
// and not resent since, or nil. It stays marked until Sent records its
// retransmission, so the caller that cannot send it now (cwnd, §6.1 C)
// simply stops asking. RFC 9260 §6.1 C has marked chunks go before new
// ones, and §6.3.3 E3 and §7.2.4 step 3 retransmit the lowest TSNs first.
func (s *Sender) NextRetransmit() *Chunk {
	if s.nMarked == 0 {
		return nil
	}
	if !s.cum.Less(s.rtxScan) {
		s.rtxScan = s.cum + 1
	}
	for t := s.rtxScan; t != s.firstUnsent; t++ {
		if c := s.atTSN(t); c.marked {
			s.rtxScan = t
			return c
		}
	}
	return nil
}

// Sent records a transmission or retransmission of c on path at now: the
// chunk is no longer marked for retransmission, Sends grows by one, and
// its bytes count in the flight size of path (moving from the path of
// its previous transmission if it was still in flight there; RFC 9260
// §6.4: "both the outstanding data counts on the new destination address
// and the old destination address ... is adjusted accordingly").
//
// A retransmission also starts the second part of Karn's algorithm
// (§6.3.1 C5): chunks first sent before it, with TSNs at or above the
// retransmitted one, give no RTT sample.
//
// Sent ignores a nil chunk, a chunk not on this Sender's outstanding list
// and a path outside [0, 8192).
func (s *Sender) Sent(c *Chunk, path int, now time.Time) {
	if c == nil || c.owner != s || path < 0 || path >= maxPaths {
		return
	}
	off := uint32(c.tsn - s.cum - 1)
	if off >= uint32(s.out.len()) || *s.out.at(int(off)) != c {
		return
	}
	s.growPaths(path)
	s.leaveFlight(c)
	if c.sent {
		s.karnRetransmit(c.tsn)
		if path != c.fpath {
			c.multiPath = true
		}
	}
	if c.marked {
		c.marked = false
		s.nMarked--
	}
	c.Path, c.fpath = path, path
	c.SentAt = now
	c.Sends++
	c.sent = true
	if !c.gapAcked {
		s.enterFlight(c)
	}
	for s.firstUnsent != s.next && s.atTSN(s.firstUnsent).sent {
		s.firstUnsent++
	}
}

// karnRetransmit notes that the chunk with TSN q is being retransmitted:
// every chunk already sent (TSN below firstUnsent) with a TSN at or above
// q gives no RTT sample (§6.3.1 C5: "RTT measurements SHOULD only be made
// using a DATA chunk with TSN r if no DATA chunk with TSN less than or
// equal to r was retransmitted since the DATA chunk with TSN r was sent
// first"). One interval holds all such retransmissions, widened to cover
// each; it may exclude a few more chunks than the rule does, never fewer.
func (s *Sender) karnRetransmit(q wire.TSN) {
	if !s.karnActive || q.Less(s.karnLow) {
		s.karnLow = q
	}
	s.karnActive = true
	s.karnFence = s.firstUnsent
}

// karnExcludes reports whether the chunk with TSN r was first sent before
// a retransmission of a chunk with a TSN at or below r.
func (s *Sender) karnExcludes(r wire.TSN) bool {
	return s.karnActive && s.karnLow.LessEq(r) && r.Less(s.karnFence)
}

// IsFirstOnPath reports whether no chunk in flight on path has a lower TSN
// than c. Called after Sent(c, path, now) for a retransmission, it tells
// whether the earliest outstanding chunk of that path is being
// retransmitted, in which case RFC 9260 §6.1 and §7.2.4 step 4 restart the
// path's T3-rtx timer. It walks the list up to c.
func (s *Sender) IsFirstOnPath(c *Chunk, path int) bool {
	if c == nil || c.owner != s {
		return false
	}
	n := int(uint32(c.tsn - s.cum - 1))
	if n > s.out.len() {
		n = s.out.len()
	}
	for i := 0; i < n; i++ {
		if o := *s.out.at(i); o.inFlight && o.fpath == path {
			return false
		}
	}
	return true
}

// NextLen returns how many bytes of user data remain of the message
// NextNew would cut from next, or 0 when nothing new is queued; the
// caller checks the peer's window against the chunk before cutting it
// (§6.1 A).
func (s *Sender) NextLen() int {
	if s.curr >= s.msgs.len() {
		return 0
	}
	m := s.msgs.at(s.curr)
	return len(m.Data) - m.off
}
