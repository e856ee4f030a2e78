package recv

import (
	"slices"

	"github.com/rserpool/rserpool/sctp/wire"
)

// The receive window (RFC 9260 §6.2). The receiver has "no buffer space"
// for a chunk when the window left "is smaller than the size of the next
// DATA chunk" (§6.1 A), and then §6.2 says:
//
//	When the receiver's advertised window is 0, the receiver MUST drop
//	any new incoming DATA chunk with a TSN larger than the largest TSN
//	received so far. Also, if the new incoming DATA chunk holds a TSN
//	value less than the largest TSN received so far, then the receiver
//	SHOULD drop the largest TSN held for reordering and accept the new
//	incoming DATA chunk. In either case, if such a DATA chunk is
//	dropped, the receiver MUST immediately send back a SACK chunk with
//	the current receive window showing only DATA chunks received and
//	accepted so far. The dropped DATA chunk(s) MUST NOT be included in
//	the SACK chunk, as they were not accepted.
//
// and, of data already acknowledged in Gap Ack Blocks:
//
//	If a data receiver drops DATA chunks, it MUST NOT include them in
//	Gap Ack Blocks in subsequent SACK chunks until they are received
//	again via retransmission.
//
// So a chunk that does not fit is dropped when its TSN is above the
// highest received. One below it fills a hole, and taking it lets the
// cumulative TSN move on where the data above the hole would only wait
// for it; room is made by dropping what is held for reordering above it,
// largest TSN first, and forgetting those TSNs. What is "held for
// reordering" is what has not reached the user: fragments being
// reassembled and ordered messages waiting for an earlier SSN. Messages
// ready to read are the user's already, and TSNs at or below the
// cumulative TSN cannot be taken back (§6.2 D: the sender drops them from
// its retransmission queue).

// revokeCand is something held above the new chunk's TSN that can be
// dropped to make room: the run that starts at first, or, when run is
// false, the message of stream id with SSN ssn waiting in its stream's
// queue.
type revokeCand struct {
	first, last wire.TSN
	cost        int
	run         bool
	stream      wire.StreamID
	ssn         wire.SSN
}

// room reports whether a chunk with TSN t costing c fits in the window,
// after dropping what §6.2 allows to make room.
func (r *Receiver) room(t wire.TSN, c int) bool {
	if r.held+c <= r.window {
		return true
	}
	if r.tsns.off(t) > r.tsns.off(r.tsns.highest()) {
		return false // above the largest TSN received: MUST drop
	}
	return r.makeRoom(t, r.held+c-r.window)
}

// makeRoom drops data held for reordering above TSN t, largest TSN first,
// until need bytes are free. It drops nothing when all of it would not
// free enough.
func (r *Receiver) makeRoom(t wire.TSN, need int) bool {
	ot := r.tsns.off(t)
	oh := r.tsns.off(r.tsns.highest())
	above := func(first, last wire.TSN) bool {
		f, l := r.tsns.off(first), r.tsns.off(last)
		return f > ot && f <= l && l <= oh
	}
	cands := r.cands[:0]
	for i := len(r.runs) - 1; i >= 0 && above(r.runs[i].first, r.runs[i].last); i-- {
		u := &r.runs[i]
		cands = append(cands, revokeCand{first: u.first, last: u.last, cost: u.cost, run: true})
	}
	for id, q := range r.streams.pending {
		for _, m := range q.msgs {
			if above(m.FirstTSN, m.LastTSN) {
				cands = append(cands, revokeCand{first: m.FirstTSN, last: m.LastTSN, cost: charge(len(m.Data)), stream: id, ssn: m.SSN})
			}
		}
	}
	r.cands = cands[:0]
	total := 0
	for _, c := range cands {
		total += c.cost
	}
	if total < need {
		return false
	}
	// Largest TSN first; TSNs are distinct, so the order is total and
	// does not depend on the map's iteration order.
	slices.SortFunc(cands, func(a, b revokeCand) int {
		oa, ob := r.tsns.off(a.last), r.tsns.off(b.last)
		switch {
		case oa > ob:
			return -1
		case oa < ob:
			return 1
		}
		return 0
	})
	freed := 0
	for _, c := range cands {
		if freed >= need {
			break
		}
		if !r.tsns.remove(c.first, c.last) {
			continue
		}
		freed += c.cost
		r.stats.Revoked++
		if c.run {
			r.dropRunAt(c.first)
		} else {
			r.unqueue(c.stream, c.ssn)
		}
	}
	// Dropping may have taken the TSNs next to t, so that it now needs
	// a block of its own.
	return freed >= need && r.tsns.canAdd(t)
}

// dropRunAt drops the run that starts at TSN first.
func (r *Receiver) dropRunAt(first wire.TSN) {
	if i := r.runPos(first) - 1; i >= 0 && r.runs[i].first == first {
		r.dropRun(i)
	}
}

// unqueue drops the message with SSN n waiting in stream id's queue.
func (r *Receiver) unqueue(id wire.StreamID, n wire.SSN) {
	q := r.streams.pending[id]
	if q == nil {
		return
	}
	for i := range q.msgs {
		if q.msgs[i].SSN == n {
			r.held -= charge(len(q.msgs[i].Data))
			r.dequeue(id, q, i, i+1)
			return
		}
	}
}
