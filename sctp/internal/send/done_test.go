package send

import (
	"bytes"
	"testing"
)

// §9.2: SHUTDOWN waits until nothing is queued or outstanding.
func TestRFC9260_9_2_Done(t *testing.T) {
	s := newSender(1)
	if !s.Done() {
		t.Fatal("new Sender not done")
	}
	mustQueue(t, s, Message{Data: payload(250)})
	if s.Done() {
		t.Fatal("done with a message queued")
	}
	sendChunks(t, s, 3, 100, 0, t0)
	s.HandleSack(sack(k(2), 10000, [2]uint16{1, 1}), t0)
	if s.Done() {
		t.Fatal("done with the last fragment only gap-acknowledged")
	}
	s.HandleSack(sack(k(3), 10000), t0)
	if !s.Done() || s.Queued() != 0 {
		t.Fatalf("Done %v, Queued %d after the full acknowledgement", s.Done(), s.Queued())
	}
}

// §11.2.2: when the association ends, the messages not fully acknowledged
// go back to the user, in order and whole, with whether any part was sent.
func TestRFC9260_11_2_2_UnsentMessages(t *testing.T) {
	s := newSender(2)
	a, b, c, d := payload(250), payload(50), payload(300), payload(10)
	for _, m := range []Message{
		{Stream: 0, Data: a}, {Stream: 1, Data: b}, {Stream: 0, Data: c}, {Stream: 1, Data: d},
	} {
		mustQueue(t, s, m)
	}
	sendChunks(t, s, 5, 100, 0, t0) // a: k1 k2 k3; b: k4; c: k5
	mustNext := s.NextNew(100)      // c: k6, cut but not sent
	if mustNext == nil {
		t.Fatal("nil")
	}
	s.HandleSack(sack(k(4), 10000), t0) // a and b acknowledged
	f := s.Drain()
	if len(f) != 2 {
		t.Fatalf("%d messages back, want 2", len(f))
	}
	if !bytes.Equal(f[0].Data, c) || !f[0].Sent || f[0].Stream != 0 {
		t.Errorf("first: %d bytes stream %d sent %v", len(f[0].Data), f[0].Stream, f[0].Sent)
	}
	if !bytes.Equal(f[1].Data, d) || f[1].Sent || f[1].Stream != 1 {
		t.Errorf("second: %d bytes stream %d sent %v", len(f[1].Data), f[1].Stream, f[1].Sent)
	}
	if !s.Done() || s.Queued() != 0 || s.Outstanding() != 0 || s.HasNew() || s.NextRetransmit() != nil {
		t.Fatal("Sender not empty after Drain")
	}
	if s.Sent(mustNext, 0, t0); s.Outstanding() != 0 {
		t.Fatal("a drained chunk was accepted by Sent")
	}
	checkInvariants(t, s)

	// A message partly acknowledged comes back whole and marked sent.
	s = newSender(1)
	mustQueue(t, s, Message{Data: a})
	mustQueue(t, s, Message{Data: b})
	sendChunks(t, s, 2, 100, 0, t0)
	s.HandleSack(sack(k(2), 10000), t0)
	u := s.Unsent()
	if len(u) != 2 || !bytes.Equal(u[0].Data, a) || !bytes.Equal(u[1].Data, b) {
		t.Fatalf("Unsent %d messages", len(u))
	}
	if s.Unsent() != nil {
		t.Fatal("second Unsent not empty")
	}
	// The Sender stays usable afterwards.
	mustQueue(t, s, Message{Data: d})
	cs := sendChunks(t, s, 1, 100, 0, t0)
	if r := s.HandleSack(sack(cs[0].Data.TSN, 1000), t0); r.Violation || !s.Done() {
		t.Fatalf("after Drain: Violation %v Done %v", r.Violation, s.Done())
	}
}
