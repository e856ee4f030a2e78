package send

import (
	"cmp"
	"slices"

	"github.com/rserpool/rserpool/sctp/wire"
)

// Gap Ack Blocks are handled as runs of TSNs rather than chunk by chunk:
// the runs of the previous SACK are kept, and the difference between the
// new runs and the old ones gives the newly acknowledged TSNs (new but not
// old) and the reneged ones (old but not new), so a SACK costs
// O(blocks + chunks whose state changes) rather than a visit of every
// chunk a block covers, which a peer re-reports in every SACK.

// span is the run of TSNs lo..hi, both included, kept between SACKs.
type span struct{ lo, hi wire.TSN }

// ospan is a run of TSNs within one SACK, as offsets from its Cumulative
// TSN Ack; offsets compare as plain integers.
type ospan struct{ lo, hi uint32 }

// loadBlocks turns the Gap Ack Blocks into sorted, merged runs of offsets
// from cumNew in s.newOff. A block whose shape §3.3.4 does not allow
// (Start zero or above End) is skipped, as wire.GapBlock.Valid suggests;
// it returns false when a block acknowledges a TSN never sent (limit is
// the highest offset that was sent).
func (s *Sender) loadBlocks(l wire.GapBlockList, limit uint32) bool {
	s.newOff = s.newOff[:0]
	sorted := true
	for i := 0; i < l.Len(); i++ {
		g := l.At(i)
		if !g.Valid() {
			continue
		}
		if uint32(g.End) > limit {
			return false
		}
		o := ospan{uint32(g.Start), uint32(g.End)}
		if n := len(s.newOff); n > 0 && o.lo <= s.newOff[n-1].lo {
			sorted = false
		}
		s.newOff = append(s.newOff, o)
	}
	if !sorted {
		slices.SortFunc(s.newOff, func(a, b ospan) int { return cmp.Compare(a.lo, b.lo) })
	}
	// Merge overlapping and adjacent runs.
	w := 0
	for _, o := range s.newOff {
		if w > 0 && o.lo <= s.newOff[w-1].hi+1 {
			s.newOff[w-1].hi = max(s.newOff[w-1].hi, o.hi)
			continue
		}
		s.newOff[w] = o
		w++
	}
	s.newOff = s.newOff[:w]
	return true
}

// loadOld puts the runs of the previous SACK that lie above cumNew into
// s.oldOff, as offsets from cumNew.
func (s *Sender) loadOld(cumNew wire.TSN) {
	s.oldOff = s.oldOff[:0]
	for _, g := range s.gaps {
		if g.hi.LessEq(cumNew) {
			continue
		}
		lo := g.lo
		if lo.LessEq(cumNew) {
			lo = cumNew + 1
		}
		s.oldOff = append(s.oldOff, ospan{uint32(lo - cumNew), uint32(g.hi - cumNew)})
	}
}

// storeGaps keeps the runs of this SACK for the next one.
func (s *Sender) storeGaps(cumNew wire.TSN) {
	s.gaps = s.gaps[:0]
	for _, o := range s.newOff {
		s.gaps = append(s.gaps, span{cumNew.Add(o.lo), cumNew.Add(o.hi)})
	}
}

// diffSpans appends to dst the runs of offsets in a and not in b. Both are
// sorted, with runs neither overlapping nor adjacent.
func diffSpans(dst, a, b []ospan) []ospan {
	j := 0
	for _, x := range a {
		for j < len(b) && b[j].hi < x.lo {
			j++
		}
		lo := x.lo
		for k := j; ; k++ {
			if k >= len(b) || b[k].lo > x.hi {
				dst = append(dst, ospan{lo, x.hi})
				break
			}
			if b[k].lo > lo {
				dst = append(dst, ospan{lo, b[k].lo - 1})
			}
			if b[k].hi >= x.hi {
				break
			}
			lo = b[k].hi + 1
		}
	}
	return dst
}
