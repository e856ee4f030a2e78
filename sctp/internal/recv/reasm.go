package recv

import (
	"slices"

	"github.com/rserpool/rserpool/sctp/wire"
)

// A run is a stretch of DATA fragments with consecutive TSNs that belong
// to one user message, their user data joined in TSN order (RFC 9260
// §6.9: the fragments of a message carry "strictly sequential" TSNs,
// §3.3.1). A fragment joins the run before it when that run has no E bit
// and the fragment no B bit, and the run after it when the fragment has no
// E bit and that run no B bit, provided both are on the same stream, both
// ordered or both unordered, and, for ordered ones, carry the same SSN
// (the SSN of unordered chunks is ignored, §3.3.1 U bit). A run holding
// both a B and an E fragment is a whole message.
//
// Runs are kept in a slice sorted by TSN. Since a run is one message, its
// size is known at every step, so a message too large is caught by its
// first fragment over the limit instead of after filling the window.
type run struct {
	first, last wire.TSN
	stream      wire.StreamID
	ssn         wire.SSN
	ppid        wire.PPID
	unordered   bool
	hasB, hasE  bool
	cost        int    // window charge of the fragments held
	buf         []byte // user data, in TSN order
}

// joinsAfter reports whether fragment d can follow run u.
func (u *run) joinsAfter(d *wire.Data) bool {
	return !u.hasE && !d.Beginning && u.last+1 == d.TSN && u.compatible(d)
}

// joinsBefore reports whether fragment d can precede run u.
func (u *run) joinsBefore(d *wire.Data) bool {
	return !u.hasB && !d.Ending && u.first == d.TSN+1 && u.compatible(d)
}

func (u *run) compatible(d *wire.Data) bool {
	return u.stream == d.Stream && u.unordered == d.Unordered && (d.Unordered || u.ssn == d.SSN)
}

// runPos returns the index of the first run that starts after t, with
// TSNs ordered by their distance from cum. Every run holds a TSN at or
// above cum-MaxWindow (see purgeRuns), so the signed distance orders them.
func (r *Receiver) runPos(t wire.TSN) int {
	o := t.Sub(r.tsns.cum)
	lo, hi := 0, len(r.runs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if r.runs[m].first.Sub(r.tsns.cum) <= o {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// neighbours returns the index of the run fragment d would follow and of
// the run it would precede, or -1.
func (r *Receiver) neighbours(d *wire.Data) (left, right int) {
	left, right = -1, -1
	i := r.runPos(d.TSN)
	if i > 0 && r.runs[i-1].joinsAfter(d) {
		left = i - 1
	}
	if i < len(r.runs) && r.runs[i].joinsBefore(d) {
		right = i
	}
	return left, right
}

// fragment handles a DATA chunk without both B and E bits, whose TSN is
// new and acceptable.
func (r *Receiver) fragment(d *wire.Data) Verdict {
	n := len(d.UserData)
	c := charge(n)
	left, right := r.neighbours(d)
	size, cost := n, c
	if left >= 0 {
		size += len(r.runs[left].buf)
		cost += r.runs[left].cost
	}
	if right >= 0 {
		size += len(r.runs[right].buf)
		cost += r.runs[right].cost
	}
	if size > r.maxMessage || cost > r.window {
		return r.drop(TooBig)
	}
	if !r.room(d.TSN, c) {
		return r.drop(NoRoom)
	}
	r.held += c
	// Making room may have revoked a neighbour: look again.
	left, right = r.neighbours(d)
	var i int
	switch {
	case left >= 0 && right >= 0:
		u, v := &r.runs[left], &r.runs[right]
		u.buf = append(append(u.buf, d.UserData...), v.buf...)
		u.last, u.hasE, u.cost = v.last, v.hasE, u.cost+c+v.cost
		r.putBuf(v.buf)
		r.runs = slices.Delete(r.runs, right, right+1)
		i = left
	case left >= 0:
		u := &r.runs[left]
		u.buf = append(u.buf, d.UserData...)
		u.last, u.hasE, u.cost = d.TSN, d.Ending, u.cost+c
		i = left
	case right >= 0:
		u := &r.runs[right]
		u.buf = slices.Insert(u.buf, 0, d.UserData...)
		u.first, u.hasB, u.cost = d.TSN, d.Beginning, u.cost+c
		if d.Beginning {
			u.ppid = d.PPID
		}
		i = right
	default:
		i = r.runPos(d.TSN)
		nr := run{
			first: d.TSN, last: d.TSN,
			stream: d.Stream, ssn: d.SSN, unordered: d.Unordered,
			hasB: d.Beginning, hasE: d.Ending,
			cost: c,
			buf:  append(r.getBuf(), d.UserData...),
		}
		if d.Beginning {
			nr.ppid = d.PPID
		}
		r.runs = slices.Insert(r.runs, i, nr)
	}
	if u := &r.runs[i]; u.hasB && u.hasE {
		r.complete(i)
	}
	// Recorded last: a cumulative TSN moved past a run before the fragment
	// joins it would have that run purged.
	r.accept(d.TSN)
	r.stats.Accepted++
	return Accepted
}

// complete turns run i, which holds a B and an E fragment, into a message.
// The message gets a buffer of its own, the one allocation a message
// costs; the run's buffer is kept for the next run.
func (r *Receiver) complete(i int) {
	u := r.runs[i]
	m := Message{
		Stream:    u.stream,
		PPID:      u.ppid,
		Unordered: u.unordered,
		Data:      slices.Clone(u.buf),
		FirstTSN:  u.first,
		LastTSN:   u.last,
	}
	if !u.unordered {
		m.SSN = u.ssn
	}
	r.held += charge(len(m.Data)) - u.cost
	r.putBuf(u.buf)
	r.runs = slices.Delete(r.runs, i, i+1)
	r.deliver(m)
}

// dropRun discards run i and frees its window.
func (r *Receiver) dropRun(i int) {
	r.held -= r.runs[i].cost
	r.putBuf(r.runs[i].buf)
	r.runs = slices.Delete(r.runs, i, i+1)
}

// purgeRuns drops the runs that can no longer become a message, after the
// cumulative TSN moved. A run without its B fragment whose preceding TSN is
// at or below the cumulative TSN, or one without its E fragment whose
// following TSN is, never completes: that TSN arrived and did not join it
// (it belongs to another message, which only a misbehaving peer sends), or
// it was skipped by a FORWARD TSN (RFC 3758 §3.6). Holding such a run
// would cost its window for good.
//
// Only runs starting at or below the cumulative TSN can be affected, and
// after a purge at most one of them is left (the one that holds it), so
// the scan is short. It also keeps every run within reach of the
// cumulative TSN: a live run ends at or above it and holds at most
// MaxWindow/MinCharge fragments.
func (r *Receiver) purgeRuns() {
	cum := r.tsns.cum
	for i := 0; i < len(r.runs) && r.runs[i].first.Sub(cum) <= 0; {
		u := &r.runs[i]
		if u.hasB && u.last.Sub(cum) >= 0 {
			i++
			continue
		}
		r.dropRun(i)
		r.stats.Abandoned++
	}
}

// getBuf returns an empty buffer for a new run, reusing one if it can.
func (r *Receiver) getBuf() []byte {
	if n := len(r.spare); n > 0 {
		b := r.spare[n-1]
		r.spare[n-1] = nil
		r.spare = r.spare[:n-1]
		r.spareBytes -= cap(b)
		return b[:0]
	}
	return nil
}

// putBuf keeps b for a later run, so that reassembly does not allocate
// per fragment once warm. The buffers kept total at most the window.
func (r *Receiver) putBuf(b []byte) {
	if b == nil || r.spareBytes+cap(b) > r.window || len(r.spare) >= maxSpareBufs {
		return
	}
	r.spare = append(r.spare, b)
	r.spareBytes += cap(b)
}

// maxSpareBufs bounds the number of run buffers kept for reuse.
const maxSpareBufs = 8
