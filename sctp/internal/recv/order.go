package recv

import (
	"slices"

	"github.com/rserpool/rserpool/sctp/wire"
)

// Ordered delivery (RFC 9260 §6.6): "Within a stream, an endpoint MUST
// deliver DATA chunks received with the U flag set to 0 to the upper layer
// according to the order of their Stream Sequence Number", holding those
// that arrive early "until they are reordered". Each stream waits only for
// its own SSNs, so a hole in one stream never holds up another.

// streams is the ordered delivery state of the inbound streams.
type streams struct {
	// next is the SSN each stream delivers next, indexed by stream and
	// grown up to the highest stream used (at most InStreams entries); a
	// stream past its end expects SSN 0 (§6.5: SSNs start from 0).
	next []wire.SSN
	// pending holds the messages that arrived ahead of their turn, only
	// for streams that have some.
	pending map[wire.StreamID]*streamQueue
	free    []*streamQueue // emptied queues kept for reuse
}

// streamQueue is a stream's messages waiting for earlier SSNs, sorted by
// their distance ahead of the stream's next SSN.
type streamQueue struct{ msgs []Message }

func (s *streams) nextSSN(id wire.StreamID) wire.SSN {
	if int(id) < len(s.next) {
		return s.next[id]
	}
	return 0
}

func (s *streams) setNext(id wire.StreamID, n wire.SSN) {
	if int(id) >= len(s.next) {
		s.next = slices.Grow(s.next, int(id)+1-len(s.next))[:int(id)+1]
	}
	s.next[id] = n
}

// ahead is how far SSN n is past the stream's next SSN, modulo 2^16.
func ahead(n, next wire.SSN) uint16 { return uint16(n - next) }

// deliver passes a complete message on: to the ready queue when it is
// unordered (§6.6: it "bypasses the ordering mechanism") or its stream's
// turn, to the stream's queue when it is early. A message whose SSN is
// behind the stream's, or repeats one already waiting, comes from a
// misbehaving peer; delivering it would break the order, so it is
// discarded and counted.
func (r *Receiver) deliver(m Message) {
	if m.Unordered {
		r.ready.push(m)
		return
	}
	id := m.Stream
	next := r.streams.nextSSN(id)
	switch a := ahead(m.SSN, next); {
	case a == 0:
		r.ready.push(m)
		r.streams.setNext(id, next+1)
		r.drainStream(id)
	case a < 1<<15:
		if !r.queue(id, next, m) {
			r.discard(m)
		}
	default:
		r.discard(m)
	}
}

// discard drops a complete message that cannot be delivered.
func (r *Receiver) discard(m Message) {
	r.held -= charge(len(m.Data))
	r.stats.Discarded++
}

// queue inserts m into its stream's waiting messages. It reports false
// when a message with the same SSN is already there.
func (r *Receiver) queue(id wire.StreamID, next wire.SSN, m Message) bool {
	q := r.streams.pending[id]
	if q == nil {
		if n := len(r.streams.free); n > 0 {
			q = r.streams.free[n-1]
			r.streams.free = r.streams.free[:n-1]
		} else {
			q = new(streamQueue)
		}
		r.streams.pending[id] = q
	}
	a := ahead(m.SSN, next)
	i, found := slices.BinarySearchFunc(q.msgs, a, func(e Message, a uint16) int {
		return int(ahead(e.SSN, next)) - int(a)
	})
	if found {
		return false
	}
	q.msgs = slices.Insert(q.msgs, i, m)
	return true
}

// drainStream moves the messages whose turn has come from the stream's
// queue to the ready queue.
func (r *Receiver) drainStream(id wire.StreamID) {
	q := r.streams.pending[id]
	if q == nil {
		return
	}
	next := r.streams.nextSSN(id)
	n := 0
	for n < len(q.msgs) && q.msgs[n].SSN == next {
		r.ready.push(q.msgs[n])
		next++
		n++
	}
	if n == 0 {
		return
	}
	r.streams.setNext(id, next)
	r.dequeue(id, q, 0, n)
}

// dequeue removes q.msgs[i:j] from stream id's queue, forgetting the queue
// when it empties.
func (r *Receiver) dequeue(id wire.StreamID, q *streamQueue, i, j int) {
	q.msgs = slices.Delete(q.msgs, i, j)
	if len(q.msgs) == 0 {
		delete(r.streams.pending, id)
		if len(r.streams.free) < maxFreeQueues {
			r.streams.free = append(r.streams.free, q)
		}
	}
}

// maxFreeQueues bounds the emptied stream queues kept for reuse.
const maxFreeQueues = 16

// skipTo makes the messages of stream id up to and including SSN n
// deliverable (RFC 3758 §3.6: the receiver "MUST ... immediately make
// available for delivery stream sequence numbers earlier than or equal
// to the stream sequence number listed"), and moves the stream past n.
func (r *Receiver) skipTo(id wire.StreamID, n wire.SSN) {
	if int(id) >= r.inStreams {
		return
	}
	next := r.streams.nextSSN(id)
	limit := ahead(n, next)
	if limit >= 1<<15 {
		return // n is behind the stream: nothing was skipped
	}
	if q := r.streams.pending[id]; q != nil {
		k := 0
		for k < len(q.msgs) && ahead(q.msgs[k].SSN, next) <= limit {
			r.ready.push(q.msgs[k])
			k++
		}
		if k > 0 {
			r.dequeue(id, q, 0, k)
		}
	}
	r.streams.setNext(id, n+1)
	r.drainStream(id)
}

// readyQueue holds the messages ready for Read, oldest first.
type readyQueue struct {
	msgs []Message
	head int
}

func (q *readyQueue) len() int { return len(q.msgs) - q.head }

func (q *readyQueue) push(m Message) {
	if q.head > 0 && len(q.msgs) == cap(q.msgs) {
		// Reuse the room of messages already read before growing.
		n := copy(q.msgs, q.msgs[q.head:])
		clear(q.msgs[n:])
		q.msgs, q.head = q.msgs[:n], 0
	}
	q.msgs = append(q.msgs, m)
}

func (q *readyQueue) pop() (Message, bool) {
	if q.head == len(q.msgs) {
		return Message{}, false
	}
	m := q.msgs[q.head]
	q.msgs[q.head] = Message{} // the user owns m.Data now
	q.head++
	if q.head == len(q.msgs) {
		q.msgs, q.head = q.msgs[:0], 0
	}
	return m, true
}
