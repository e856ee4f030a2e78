package sctp

// fifo is a queue on a slice that reuses its array: popping moves a head
// index, and the live part is moved down once the dead part is large.
type fifo[T any] struct {
	buf  []T
	head int
}

func (q *fifo[T]) len() int { return len(q.buf) - q.head }

func (q *fifo[T]) push(v T) {
	if q.head >= 32 && q.head*2 >= len(q.buf) {
		n := copy(q.buf, q.buf[q.head:])
		clear(q.buf[n:])
		q.buf, q.head = q.buf[:n], 0
	}
	q.buf = append(q.buf, v)
}

func (q *fifo[T]) pop() (T, bool) {
	var zero T
	if q.head == len(q.buf) {
		return zero, false
	}
	v := q.buf[q.head]
	q.buf[q.head] = zero
	q.head++
	if q.head == len(q.buf) {
		q.buf, q.head = q.buf[:0], 0
	}
	return v, true
}

// recvQueues holds the messages the loop took from the engine until the
// user reads them. This is the demultiplexer between Receive and the
// StreamConn views:
//
//   - every stream has its own FIFO, so a view reads its stream's next
//     message without looking at the others;
//   - order lists, in delivery order, the stream of every message of an
//     unclaimed stream, so Receive returns messages in the order the
//     engine delivered them;
//   - a stream becomes claimed when its first view is made, and stays so
//     for the life of the association: from then on its messages go to
//     its views only, and Receive skips them.
//
// Guarded by Association.mu.
type recvQueues struct {
	streams map[uint16]*fifo[Message]
	order   fifo[uint16]
	claimed map[uint16]bool
	held    int // bytes charged for the messages held
}

// messageCharge is what one message costs against the queue's limit
// beyond its data, so that many tiny messages are bounded too.
const messageCharge = 64

func charge(m Message) int { return len(m.Data) + messageCharge }

// maxIdleStreams bounds the empty per-stream queues kept for reuse.
const maxIdleStreams = 64

func (r *recvQueues) push(m Message) {
	if r.streams == nil {
		r.streams = map[uint16]*fifo[Message]{}
	}
	q := r.streams[m.Stream]
	if q == nil {
		q = &fifo[Message]{}
		r.streams[m.Stream] = q
	}
	q.push(m)
	if !r.claimed[m.Stream] {
		r.order.push(m.Stream)
	}
	r.held += charge(m)
}

// popAny returns the oldest message of an unclaimed stream.
func (r *recvQueues) popAny() (Message, bool) {
	s, ok := r.order.pop()
	if !ok {
		return Message{}, false
	}
	return r.popFrom(s)
}

// popStream returns the oldest message of stream s.
func (r *recvQueues) popStream(s uint16) (Message, bool) {
	return r.popFrom(s)
}

func (r *recvQueues) popFrom(s uint16) (Message, bool) {
	q := r.streams[s]
	if q == nil {
		return Message{}, false
	}
	m, ok := q.pop()
	if !ok {
		return Message{}, false
	}
	r.held -= charge(m)
	if q.len() == 0 && !r.claimed[s] && len(r.streams) > maxIdleStreams {
		delete(r.streams, s)
	}
	return m, true
}

// claim gives stream s to its views: its messages leave the order of
// Receive, the ones already queued included.
func (r *recvQueues) claim(s uint16) {
	if r.claimed[s] {
		return
	}
	if r.claimed == nil {
		r.claimed = map[uint16]bool{}
	}
	r.claimed[s] = true
	var kept fifo[uint16]
	for v, ok := r.order.pop(); ok; v, ok = r.order.pop() {
		if v != s {
			kept.push(v)
		}
	}
	r.order = kept
}
