package recv

import (
	"math/bits"

	"github.com/rserpool/rserpool/sctp/wire"
)

// maxTSNAhead is the furthest above the cumulative TSN a TSN is accepted.
//
// A Gap Ack Block names its TSNs by 16-bit offsets from the Cumulative TSN
// Ack (RFC 9260 §3.3.4), so a TSN more than 65535 above it could be held
// but never acknowledged, and the peer would retransmit it for nothing;
// refusing it leaves the peer to send it again once the holes below have
// filled. A tighter bound drawn from the window (at most Window TSNs of
// one byte are outstanding) would buy nothing: what the receiver keeps
// for the TSNs above the cumulative TSN is a map of fixed size and the
// bytes behind it, bounded by Config.Window, not anything that grows with
// the distance. It would also refuse legitimate data, because unordered
// messages above a hole are delivered and free their window, so a peer
// that respects a_rwnd can be further ahead than Window TSNs while one
// TSN is being retransmitted.
const maxTSNAhead = 0xffff

// tsnSet records which TSNs have arrived (RFC 9260 §6.2): every TSN up to
// cum, the cumulative TSN ack point, and those above it in a bitmap over
// the TSNs cum+1 to cum+maxTSNAhead, TSN t at bit t mod 2^16. Runs of set
// bits are the Gap Ack Blocks (§3.3.4).
//
// The map has a fixed size (8 KiB, allocated when the first TSN arrives
// out of order), so its cost does not depend on what the peer sends, and
// any TSN can be taken out of it again, which dropping data to make room
// (§6.2) needs: with a list of ranges, taking a TSN from the middle of one
// splits it, and a bound on the list could then forbid the drop that lets
// the cumulative TSN move. The number of runs is counted as bits change,
// so that new data is refused a block beyond maxRanges.
type tsnSet struct {
	cum       wire.TSN
	high      wire.TSN // highest TSN received; cum when none is above it
	bits      []uint64 // nil, or mapWords words; only bits for cum+2 to high are set
	nranges   int      // runs of set bits: the Gap Ack Blocks
	maxRanges int
}

const mapWords = (maxTSNAhead + 1) / 64

// off is t's distance above cum, modulo 2^32.
func (s *tsnSet) off(t wire.TSN) uint32 { return uint32(t - s.cum) }

// bit reports whether the map holds TSN t, which is within maxTSNAhead+1
// above cum (cum's own bit, at distance 2^16, is always clear).
func (s *tsnSet) bit(t wire.TSN) bool {
	if s.bits == nil {
		return false
	}
	i := uint16(t)
	return s.bits[i>>6]&(1<<(i&63)) != 0
}

func (s *tsnSet) set(t wire.TSN) {
	if s.bits == nil {
		s.bits = make([]uint64, mapWords)
	}
	i := uint16(t)
	s.bits[i>>6] |= 1 << (i & 63)
}

func (s *tsnSet) clear(t wire.TSN) {
	i := uint16(t)
	s.bits[i>>6] &^= 1 << (i & 63)
}

// has reports whether t has arrived.
func (s *tsnSet) has(t wire.TSN) bool {
	if t.Sub(s.cum) <= 0 {
		return true
	}
	return s.off(t) <= s.off(s.high) && s.bit(t)
}

// highest returns the highest TSN received, or cum when there is nothing
// above it.
func (s *tsnSet) highest() wire.TSN { return s.high }

// canAdd reports whether t, above cum, within maxTSNAhead and not
// received, can be recorded without opening a block beyond maxRanges.
func (s *tsnSet) canAdd(t wire.TSN) bool {
	return t == s.cum+1 || s.nranges < s.maxRanges ||
		(s.off(t) > 1 && s.bit(t-1)) || s.bit(t+1)
}

// add records t, above cum, within maxTSNAhead, not received, and allowed
// by canAdd. The cumulative TSN advances over a block that t joins to it.
func (s *tsnSet) add(t wire.TSN) {
	if s.off(t) > s.off(s.high) {
		s.high = t
	}
	if t != s.cum+1 {
		left := s.off(t) > 1 && s.bit(t-1)
		right := s.bit(t + 1)
		s.set(t)
		s.nranges += 1 - b2i(left) - b2i(right)
		return
	}
	s.cum = t
	if !s.bit(t + 1) {
		return
	}
	// The first block now follows cum: absorb it.
	s.nranges--
	for s.bit(s.cum + 1) {
		s.cum++
		s.clear(s.cum)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// remove forgets the TSNs first to last, all above cum and received, so
// that they are no longer acknowledged (RFC 9260 §6.2: dropped data "MUST
// NOT" be included in Gap Ack Blocks "until they are received again via
// retransmission"). It reports false, changing nothing, when they are not
// all in the map.
func (s *tsnSet) remove(first, last wire.TSN) bool {
	lo, hi := s.off(first), s.off(last)
	if lo < 2 || lo > hi || hi > s.off(s.high) {
		return false
	}
	for t := first; ; t++ {
		if !s.bit(t) {
			return false
		}
		if t == last {
			break
		}
	}
	for t := first; ; t++ {
		s.clear(t)
		if t == last {
			break
		}
	}
	// One block loses the TSNs: it is gone, shrinks, or splits in two.
	s.nranges += b2i(lo > 2 && s.bit(first-1)) + b2i(s.bit(last+1)) - 1
	if last == s.high {
		s.high = s.cum + wire.TSN(s.prevSet(lo-1))
	}
	return true
}

// forward moves cum to newCum, which is above it (RFC 3758 §3.6): the TSNs
// up to newCum count as received, and cum then advances over a block that
// follows.
func (s *tsnSet) forward(newCum wire.TSN) {
	d := s.off(newCum)
	if d >= s.off(s.high) {
		if s.bits != nil && s.high != s.cum {
			clear(s.bits)
		}
		s.cum, s.high, s.nranges = newCum, newCum, 0
		return
	}
	for o := uint32(1); o <= d; o++ {
		if s.bits != nil {
			s.clear(s.cum + wire.TSN(o))
		}
	}
	s.cum = newCum
	for s.bit(s.cum + 1) {
		s.cum++
		s.clear(s.cum)
	}
	s.nranges = 0
	for o := uint32(1); o <= s.off(s.high); {
		a := s.next(o, true)
		if a > s.off(s.high) {
			break
		}
		s.nranges++
		o = s.next(a, false)
	}
}

// next returns the lowest offset at or after o, and at most off(high)+1,
// whose bit is set (or clear, when set is false).
func (s *tsnSet) next(o uint32, set bool) uint32 {
	end := s.off(s.high) + 1
	for o < end {
		i := uint16(uint32(s.cum) + o)
		w := s.bits[i>>6]
		if !set {
			w = ^w
		}
		if w >>= i & 63; w != 0 {
			return min(o+uint32(bits.TrailingZeros64(w)), end)
		}
		o += 64 - uint32(i&63)
	}
	return end
}

// prevSet returns the highest offset at or below o whose bit is set, or 0.
func (s *tsnSet) prevSet(o uint32) uint32 {
	for o > 0 {
		i := uint16(uint32(s.cum) + o)
		w := s.bits[i>>6] << (63 - i&63)
		if w != 0 {
			p := o - uint32(bits.LeadingZeros64(w))
			if p > o { // wrapped below zero
				return 0
			}
			return p
		}
		step := uint32(i&63) + 1
		if step > o {
			return 0
		}
		o -= step
	}
	return 0
}

// appendGaps appends up to n Gap Ack Blocks, lowest first.
func (s *tsnSet) appendGaps(dst []wire.GapBlock, n int) []wire.GapBlock {
	if s.bits == nil {
		return dst
	}
	end := s.off(s.high)
	for o := uint32(1); n > 0 && o <= end; n-- {
		a := s.next(o, true)
		if a > end {
			break
		}
		b := s.next(a, false)
		// Offsets are within maxTSNAhead, so they fit.
		dst = append(dst, wire.GapBlock{Start: uint16(a), End: uint16(b - 1)})
		o = b
	}
	return dst
}
