package send

import (
	"slices"
	"testing"
	"time"
)

// §6.3.1 C5 (Karn's algorithm): "RTT measurements MUST NOT be made using
// chunks that were retransmitted."
func TestRFC9260_6_3_1_C5_NoSampleFromRetransmittedChunk(t *testing.T) {
	s := newSender(1)
	queueAndSend(t, s, 1, 100, 0, t0)
	s.T3Expired(0)
	s.Sent(s.NextRetransmit(), 0, at(1000))
	r := s.HandleSack(sack(k(1), 10000), at(1100))
	if len(r.RTT) != 0 {
		t.Fatalf("RTT %v from a retransmitted chunk", r.RTT)
	}
	queueAndSend(t, s, 1, 100, 0, at(2000))
	r = s.HandleSack(sack(k(2), 10000), at(2150))
	if !slices.Equal(r.RTT, []PathRTT{{0, 150 * time.Millisecond}}) {
		t.Fatalf("RTT %v, want 150ms on path 0", r.RTT)
	}
}

// §6.3.1 C5: "RTT measurements SHOULD only be made using a DATA chunk with
// TSN r if no DATA chunk with TSN less than or equal to r was retransmitted
// since the DATA chunk with TSN r was sent first."
func TestRFC9260_6_3_1_C5_NoSampleAfterLowerRetransmission(t *testing.T) {
	s := newSender(1)
	queueAndSend(t, s, 3, 100, 0, t0) // k1 k2 k3
	s.HandleSack(sack(k(0), 10000, [2]uint16{3, 3}), t0)
	// k2 is retransmitted directly, without being marked (the caller may
	// resend an in-flight chunk).
	s.Sent(s.atTSN(k(2)), 0, at(500))
	queueAndSend(t, s, 1, 100, 0, at(600)) // k4, first sent after the retransmission
	r := s.HandleSack(sack(k(0), 10000, [2]uint16{3, 4}), at(700))
	// k4 gives a sample; nothing else was newly acknowledged.
	if !slices.Equal(r.RTT, []PathRTT{{0, 100 * time.Millisecond}}) {
		t.Fatalf("RTT %v, want 100ms from k4", r.RTT)
	}
	// k1 was sent once, before k2 (above it) was retransmitted: it gives a
	// sample. k2 itself was retransmitted: none.
	r = s.HandleSack(sack(k(1), 10000, [2]uint16{2, 3}), at(800))
	if !slices.Equal(r.RTT, []PathRTT{{0, 800 * time.Millisecond}}) {
		t.Fatalf("RTT %v, want 800ms from k1", r.RTT)
	}

	s2 := newSender(1)
	queueAndSend(t, s2, 3, 100, 0, t0)  // k1 k2 k3
	s2.Sent(s2.atTSN(k(1)), 0, at(500)) // k1 retransmitted
	r = s2.HandleSack(sack(k(0), 10000, [2]uint16{3, 3}), at(700))
	if len(r.RTT) != 0 {
		t.Fatalf("RTT %v from k3, sent before k1 was retransmitted", r.RTT)
	}
}

// §6.3.1 C4 limits measurements to about one per round trip; a SACK gives
// at most one sample per path, from the chunk sent last.
func TestRFC9260_6_3_1_C4_OneSamplePerPathPerSack(t *testing.T) {
	s := newSender(1)
	queueAndSend(t, s, 1, 100, 0, at(0))
	queueAndSend(t, s, 1, 100, 1, at(10))
	queueAndSend(t, s, 1, 100, 0, at(20))
	r := s.HandleSack(sack(k(3), 10000), at(100))
	want := []PathRTT{{0, 80 * time.Millisecond}, {1, 90 * time.Millisecond}}
	if !slices.Equal(r.RTT, want) {
		t.Fatalf("RTT %v, want %v", r.RTT, want)
	}
}
