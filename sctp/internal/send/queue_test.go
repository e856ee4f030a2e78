package send

import (
	"bytes"
	"errors"
	"testing"

	"github.com/rserpool/rserpool/sctp/wire"
)

// §6.5: one SSN counter per outbound stream, starting at 0, incremented by
// each ordered message; unordered messages leave it alone.
func TestRFC9260_6_5_SSNPerStream(t *testing.T) {
	s := newSender(4)
	type q struct {
		stream    wire.StreamID
		unordered bool
		ssn       wire.SSN
	}
	seq := []q{
		{0, false, 0}, {1, false, 0}, {0, false, 1}, {0, true, 0},
		{0, false, 2}, {1, false, 1}, {3, false, 0}, {1, true, 0}, {1, false, 2},
	}
	for _, e := range seq {
		mustQueue(t, s, Message{Stream: e.stream, Unordered: e.unordered, PPID: 7, Data: payload(10)})
	}
	for i, e := range seq {
		c := s.NextNew(100)
		s.Sent(c, 0, t0)
		if c.Data.Stream != e.stream || c.Data.SSN != e.ssn || c.Data.Unordered != e.unordered {
			t.Errorf("message %d: stream %d SSN %d U=%v, want stream %d SSN %d U=%v",
				i, c.Data.Stream, c.Data.SSN, c.Data.Unordered, e.stream, e.ssn, e.unordered)
		}
	}
}

// §6.5: "when the Stream Sequence Number reaches the value 65535, the next
// Stream Sequence Number MUST be set to 0", checked across real acks so the
// per-stream limit of §6.1 does not get in the way.
func TestRFC9260_6_5_SSNWrapsTo0(t *testing.T) {
	s := newSender(1)
	s.stream(0).next = 65534
	for _, want := range []wire.SSN{65534, 65535, 0, 1} {
		mustQueue(t, s, Message{Data: payload(1)})
		c := s.NextNew(10)
		s.Sent(c, 0, t0)
		if c.Data.SSN != want {
			t.Fatalf("SSN %d, want %d", c.Data.SSN, want)
		}
		s.HandleSack(sack(c.Data.TSN, 1000), t0)
	}
}

// §6.5: "Every DATA chunk MUST carry a valid stream identifier."
func TestRFC9260_6_5_InvalidStreamRefused(t *testing.T) {
	s := newSender(2)
	if err := s.Queue(Message{Stream: 2, Data: payload(1)}); !errors.Is(err, ErrInvalidStream) {
		t.Fatalf("stream 2 of 2: %v, want ErrInvalidStream", err)
	}
	if err := s.Queue(Message{Stream: 1, Data: payload(1)}); err != nil {
		t.Fatalf("stream 1 of 2: %v", err)
	}
	if err := newSender(0).Queue(Message{Stream: 0, Data: payload(1)}); !errors.Is(err, ErrInvalidStream) {
		t.Fatalf("stream 0 of 0: %v, want ErrInvalidStream", err)
	}
	if s.Queued() != 1 {
		t.Fatalf("Queued %d after one accepted byte", s.Queued())
	}
}

// §6.2: "An endpoint SHOULD NOT send a DATA chunk with no user data part."
func TestRFC9260_6_2_EmptyMessageRefused(t *testing.T) {
	s := newSender(1)
	if err := s.Queue(Message{}); !errors.Is(err, ErrEmptyMessage) {
		t.Fatalf("empty message: %v, want ErrEmptyMessage", err)
	}
	if s.HasNew() || s.NextNew(100) != nil {
		t.Fatal("an empty message was queued")
	}
}

// §6.6: unordered messages carry the U flag on every fragment, and their
// SSN field, which the receiver ignores, is 0.
func TestRFC9260_6_6_UnorderedFlag(t *testing.T) {
	s := newSender(1)
	mustQueue(t, s, Message{Data: payload(5)}) // SSN 0
	mustQueue(t, s, Message{Data: payload(5)}) // SSN 1
	mustQueue(t, s, Message{Unordered: true, Data: payload(25)})
	mustQueue(t, s, Message{Data: payload(5)})
	var got []wire.Data
	for c := s.NextNew(10); c != nil; c = s.NextNew(10) {
		s.Sent(c, 0, t0)
		got = append(got, c.Data)
	}
	if len(got) != 6 {
		t.Fatalf("%d chunks, want 6", len(got))
	}
	for i, d := range got {
		wantU := i >= 2 && i <= 4
		if d.Unordered != wantU {
			t.Errorf("chunk %d: U=%v, want %v", i, d.Unordered, wantU)
		}
		if wantU && d.SSN != 0 {
			t.Errorf("unordered chunk %d: SSN %d, want 0", i, d.SSN)
		}
	}
	if got[5].SSN != 2 {
		t.Errorf("ordered message after an unordered one: SSN %d, want 2", got[5].SSN)
	}
}

// §6.9: a message larger than the payload is cut into fragments with
// consecutive TSNs, the same stream, SSN and PPID, B on the first, E on
// the last and neither in between; a message that fits has both.
func TestRFC9260_6_9_Fragmentation(t *testing.T) {
	s := newSender(3)
	data := payload(2500)
	mustQueue(t, s, Message{Stream: 2, PPID: 51, Data: payload(3)})
	mustQueue(t, s, Message{Stream: 2, PPID: 99, Data: data})
	mustQueue(t, s, Message{Stream: 1, PPID: 7, Data: payload(1000)})
	type want struct {
		size   int
		b, e   bool
		ppid   wire.PPID
		ssn    wire.SSN
		stream wire.StreamID
	}
	wants := []want{
		{3, true, true, 51, 0, 2},
		{1000, true, false, 99, 1, 2},
		{1000, false, false, 99, 1, 2},
		{500, false, true, 99, 1, 2},
		{1000, true, true, 7, 0, 1},
	}
	var joined []byte
	for i, w := range wants {
		c := s.NextNew(1000)
		if c == nil {
			t.Fatalf("chunk %d: nil", i)
		}
		s.Sent(c, 0, t0)
		d := c.Data
		if d.TSN != tsn0.Add(uint32(i)) {
			t.Errorf("chunk %d: TSN %d, want %d", i, d.TSN, tsn0.Add(uint32(i)))
		}
		if len(d.UserData) != w.size || d.Beginning != w.b || d.Ending != w.e ||
			d.PPID != w.ppid || d.SSN != w.ssn || d.Stream != w.stream {
			t.Errorf("chunk %d: %d bytes B=%v E=%v PPID %d SSN %d stream %d, want %+v",
				i, len(d.UserData), d.Beginning, d.Ending, d.PPID, d.SSN, d.Stream, w)
		}
		if w.ppid == 99 {
			joined = append(joined, d.UserData...)
		}
	}
	if !bytes.Equal(joined, data) {
		t.Error("fragments do not reassemble into the message")
	}
	if s.HasNew() || s.NextNew(1000) != nil {
		t.Error("data left after the last fragment")
	}
	checkInvariants(t, s)
}

// RFC 7053 §3 / RFC 9260 §6.1: the user's request for an immediate SACK
// sets the I bit on the last DATA chunk of the message only.
func TestRFC7053_ImmediateOnLastFragment(t *testing.T) {
	s := newSender(1)
	mustQueue(t, s, Message{Immediate: true, Data: payload(30)})
	mustQueue(t, s, Message{Data: payload(5)})
	var flags []bool
	for c := s.NextNew(10); c != nil; c = s.NextNew(10) {
		s.Sent(c, 0, t0)
		flags = append(flags, c.Data.Immediate)
	}
	want := []bool{false, false, true, false}
	if len(flags) != len(want) {
		t.Fatalf("%d chunks, want %d", len(flags), len(want))
	}
	for i := range want {
		if flags[i] != want[i] {
			t.Errorf("chunk %d: I=%v, want %v", i, flags[i], want[i])
		}
	}
}

// §6.1: "For each stream, the data sender MUST NOT have more than 2^16 - 1
// ordered user messages in the current send window."
func TestRFC9260_6_1_OrderedMessagesPerStream(t *testing.T) {
	// A buffer large enough for the messages, so that the limit met is
	// the stream's.
	s := New(Config{OutStreams: 2, MaxQueued: (maxOrderedHeld + 3) * MessageCharge}, tsn0)
	for i := range maxOrderedHeld {
		if err := s.Queue(Message{Data: payload(1)}); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	if err := s.Queue(Message{Data: payload(1)}); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("ordered message 65536 on stream 0: %v, want ErrQueueFull", err)
	}
	if err := s.Queue(Message{Unordered: true, Data: payload(1)}); err != nil {
		t.Fatalf("unordered message on stream 0: %v", err)
	}
	if err := s.Queue(Message{Stream: 1, Data: payload(1)}); err != nil {
		t.Fatalf("ordered message on stream 1: %v", err)
	}
	c := s.NextNew(100)
	s.Sent(c, 0, t0)
	s.HandleSack(sack(c.Data.TSN, 1<<20), t0)
	if err := s.Queue(Message{Data: payload(1)}); err != nil {
		t.Fatalf("after one message was acknowledged: %v", err)
	}
}

// §6.1: "The data sender MUST NOT use a TSN that is more than 2^31 - 1
// above the beginning TSN of the current send window." The window is
// shrunk to 3 so that the test can reach it.
func TestRFC9260_6_1_TSNWindow(t *testing.T) {
	s := newSender(1)
	s.window = 3
	for range 6 {
		mustQueue(t, s, Message{Data: payload(1)})
	}
	cs := sendChunks(t, s, 4, 10, 0, t0) // TSNs tsn0 .. tsn0+3
	if c := s.NextNew(10); c != nil {
		t.Fatalf("TSN %d given, 4 above the first unacknowledged %d", c.Data.TSN, tsn0)
	}
	if !s.HasNew() {
		t.Fatal("HasNew false with data queued")
	}
	// Gap acknowledgements do not move the window; the cumulative one does.
	s.HandleSack(sack(tsn0-1, 1000, [2]uint16{2, 4}), t0)
	if c := s.NextNew(10); c != nil {
		t.Fatalf("TSN %d given with the window's first TSN unacknowledged", c.Data.TSN)
	}
	s.HandleSack(sack(cs[0].Data.TSN, 1000), t0)
	if c := s.NextNew(10); c == nil || c.Data.TSN != tsn0+4 {
		t.Fatalf("after the window moved: %v", c)
	}
}

// Tiny messages: each counts for MessageCharge bytes of the buffer, so
// the records the sender keeps stay proportional to the buffer.
func TestSendBufferMessageLimit(t *testing.T) {
	s := New(Config{OutStreams: 1, MaxQueued: 100 * MessageCharge}, tsn0)
	for i := range 100 {
		if err := s.Queue(Message{Unordered: true, Data: payload(1)}); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	if err := s.Queue(Message{Unordered: true, Data: payload(1)}); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("message 101 of 1 byte in a buffer of 100 charges: %v, want ErrQueueFull", err)
	}
	if s.Queued() != 100 {
		t.Fatalf("Queued %d, want the 100 bytes of user data", s.Queued())
	}
	c := s.NextNew(100)
	s.Sent(c, 0, t0)
	s.HandleSack(sack(c.Data.TSN, 1<<20), t0)
	mustQueue(t, s, Message{Unordered: true, Data: payload(1)})
	checkInvariants(t, s)
}

// The send buffer (Config.MaxQueued) bounds the bytes queued and
// outstanding, with distinct errors for "not now" and "never".
func TestSendBufferLimit(t *testing.T) {
	s := New(Config{OutStreams: 1, MaxQueued: 100}, tsn0)
	mustQueue(t, s, Message{Data: payload(60)})
	if err := s.Queue(Message{Data: payload(41)}); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("60+41 of 100: %v, want ErrQueueFull", err)
	}
	if err := s.Queue(Message{Data: payload(101)}); !errors.Is(err, ErrTooBig) {
		t.Fatalf("101 of 100: %v, want ErrTooBig", err)
	}
	mustQueue(t, s, Message{Data: payload(40)})
	if s.Queued() != 100 {
		t.Fatalf("Queued %d, want 100", s.Queued())
	}
	// Sent, even gap-acknowledged, bytes stay held; cumulatively
	// acknowledged ones are freed.
	cs := sendChunks(t, s, 3, 30, 0, t0) // 30, 30 of the first message, 30 of the second
	s.HandleSack(sack(tsn0-1, 1000, [2]uint16{2, 2}), t0)
	if err := s.Queue(Message{Data: payload(1)}); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("full buffer with gap-acked data: %v, want ErrQueueFull", err)
	}
	s.HandleSack(sack(cs[1].Data.TSN, 1000), t0)
	if s.Queued() != 40 {
		t.Fatalf("Queued %d after the first message was acknowledged, want 40", s.Queued())
	}
	mustQueue(t, s, Message{Data: payload(60)})
	checkInvariants(t, s)

	d := New(Config{OutStreams: 1}, tsn0)
	if err := d.Queue(Message{Data: make([]byte, DefaultMaxQueued+1)}); !errors.Is(err, ErrTooBig) {
		t.Fatalf("default buffer: %v, want ErrTooBig", err)
	}
	if err := d.Queue(Message{Data: make([]byte, DefaultMaxQueued)}); err != nil {
		t.Fatalf("default buffer: %v", err)
	}
}
