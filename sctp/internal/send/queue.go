package send

import "github.com/rserpool/rserpool/sctp/wire"

// Message is a user message handed to Queue.
type Message struct {
	Stream    wire.StreamID
	PPID      wire.PPID
	Unordered bool
	Immediate bool   // set the I bit (RFC 7053) on its last fragment
	Data      []byte // taken over by the sender, not copied
}

// message is a queued Message with its SSN and how far it has been cut.
type message struct {
	Message
	ssn wire.SSN
	off int // bytes already cut into chunks
}

// streamState is one outbound stream.
type streamState struct {
	next wire.SSN // SSN of the next ordered message (§6.5)
	held int      // ordered messages queued or not fully acknowledged (§6.1)
}

// Queue accepts a user message. An ordered message takes its stream's
// next SSN now, so SSNs follow the order of Queue calls on that stream
// (RFC 9260 §6.5); an unordered one carries SSN 0, which the receiver
// ignores (§6.6), and leaves the stream's counter alone.
func (s *Sender) Queue(m Message) error {
	if m.Stream >= wire.StreamID(s.outStreams) {
		return ErrInvalidStream
	}
	n := len(m.Data)
	if n == 0 {
		return ErrEmptyMessage
	}
	if n > s.maxQueued {
		return ErrTooBig
	}
	if s.queued+n > s.maxQueued || s.msgs.len() >= s.maxMessages {
		return ErrQueueFull
	}
	var ssn wire.SSN
	if !m.Unordered {
		st := s.stream(m.Stream)
		if st.held >= maxOrderedHeld {
			return ErrQueueFull
		}
		ssn = st.next
		st.next++
		st.held++
	}
	s.msgs.push(message{Message: m, ssn: ssn})
	s.queued += n
	return nil
}

// stream returns the state of stream id, growing the table on first use so
// that an association with many streams pays only for those it uses.
func (s *Sender) stream(id wire.StreamID) *streamState {
	for int(id) >= len(s.streams) {
		s.streams = append(s.streams, streamState{})
	}
	return &s.streams[id]
}

// Queued returns the bytes of user data accepted and not yet cumulatively
// acknowledged: queued, in flight, gap-acknowledged or marked for
// retransmission. Gap-acknowledged bytes count because the peer may still
// renege on them (RFC 9260 §6.2.1 D iii).
func (s *Sender) Queued() int { return s.queued }

// HasNew reports whether some queued bytes have not been cut into chunks
// yet. NextNew can still return nil when the TSN window is full.
func (s *Sender) HasNew() bool { return s.curr < s.msgs.len() }

// popMessage drops the oldest message once its last fragment is
// cumulatively acknowledged.
func (s *Sender) popMessage() {
	m := s.msgs.pop()
	s.curr--
	if !m.Unordered && int(m.Stream) < len(s.streams) {
		s.streams[m.Stream].held--
	}
}

// Failed is a message given back by Drain.
type Failed struct {
	Message
	// Sent is false when no part of the message was ever transmitted
	// (RFC 6458 SCTP_DATA_UNSENT) and true when some part was and the
	// whole is not cumulatively acknowledged (SCTP_DATA_SENT).
	Sent bool
}

// Drain empties the Sender when the association ends (ABORT, or a failure
// of all paths) and gives back every message not fully acknowledged, in
// the order queued, for the SEND FAILURE notification of RFC 9260
// §11.2.2. A message some fragments of which were acknowledged is given
// back whole; its Data is the slice Queue took. The Sender is left with
// nothing queued or outstanding and its TSNs abandoned: CumAck becomes
// NextTSN-1.
func (s *Sender) Drain() []Failed {
	if s.msgs.len() == 0 {
		s.discard()
		return nil
	}
	out := make([]Failed, s.msgs.len())
	for i := range out {
		out[i].Message = s.msgs.at(i).Message
	}
	// The chunks on the outstanding list belong to the messages from the
	// oldest on, in order. Bytes of the oldest message cut but no longer
	// on the list were acknowledged, hence sent.
	mi, onList := 0, 0
	for k := 0; k < s.out.len() && mi < len(out); k++ {
		c := *s.out.at(k)
		if c.sent {
			out[mi].Sent = true
		}
		if mi == 0 {
			onList += c.size
		}
		if c.last {
			mi++
		}
	}
	if s.msgs.at(0).off > onList {
		out[0].Sent = true
	}
	s.discard()
	return out
}

// Unsent is Drain without the Sent flags: the messages not fully
// acknowledged, in the order queued.
func (s *Sender) Unsent() []Message {
	f := s.Drain()
	if f == nil {
		return nil
	}
	out := make([]Message, len(f))
	for i := range f {
		out[i] = f[i].Message
	}
	return out
}

// discard drops every message and chunk.
func (s *Sender) discard() {
	for s.out.len() > 0 {
		s.pool.put(s.out.pop())
	}
	s.out.reset()
	s.msgs.reset()
	s.curr, s.queued = 0, 0
	for i := range s.streams {
		s.streams[i].held = 0
	}
	s.cum = s.next - 1
	s.firstUnsent = s.next
	clear(s.flight)
	s.total = 0
	s.nMarked = 0
	s.karnActive = false
	s.inFR = false
	s.gaps = s.gaps[:0]
}
