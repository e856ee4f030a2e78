package send

import (
	"testing"

	"github.com/rserpool/rserpool/sctp/wire"
)

// §6.3.3 E3: on T3-rtx expiry the chunks in flight on that path are marked
// for retransmission (leaving the flight size) and come out lowest TSN
// first; other paths and gap-acknowledged chunks are untouched.
func TestRFC9260_6_3_3_T3MarksPathInTSNOrder(t *testing.T) {
	s := newSender(1)
	for range 6 {
		mustQueue(t, s, Message{Data: payload(100)})
	}
	for i := range 6 { // k1..k6 on paths 0 1 0 1 0 1
		s.Sent(s.NextNew(100), i%2, t0)
	}
	s.HandleSack(sack(k(0), 10000, [2]uint16{3, 3}), t0) // k3 (path 0) gap-acked
	if got := s.T3Expired(0); got != fl(2) {
		t.Fatalf("T3Expired returned %d bytes, want 200 (k1, k5)", got)
	}
	if s.FlightSize(0) != 0 || s.FlightSize(1) != fl(3) {
		t.Fatalf("flight %d/%d", s.FlightSize(0), s.FlightSize(1))
	}
	var got []wire.TSN
	for c := s.NextRetransmit(); c != nil; c = s.NextRetransmit() {
		got = append(got, c.Data.TSN)
		s.Sent(c, 0, at(1))
	}
	if len(got) != 2 || got[0] != k(1) || got[1] != k(5) {
		t.Fatalf("retransmitted %v, want [%d %d]", got, k(1), k(5))
	}
	if s.FlightSize(0) != fl(2) {
		t.Fatalf("flight after retransmission %d", s.FlightSize(0))
	}
	if s.T3Expired(2) != 0 || s.T3Expired(-1) != 0 {
		t.Fatal("T3 on a path without data marked something")
	}
	checkInvariants(t, s)
}

// NextRetransmit returns the lowest marked TSN even when a later expiry
// marks chunks below those already waiting, and skips chunks acknowledged
// before they were resent.
func TestRFC9260_6_1_C_RetransmitLowestFirst(t *testing.T) {
	s := newSender(1)
	for range 4 {
		mustQueue(t, s, Message{Data: payload(100)})
	}
	for _, p := range []int{1, 0, 1, 0} { // k1 p1, k2 p0, k3 p1, k4 p0
		s.Sent(s.NextNew(100), p, t0)
	}
	s.T3Expired(0)
	if c := s.NextRetransmit(); c == nil || c.Data.TSN != k(2) {
		t.Fatalf("first %v, want k2", c)
	}
	s.T3Expired(1)
	if c := s.NextRetransmit(); c == nil || c.Data.TSN != k(1) {
		t.Fatalf("after T3 on path 1: %v, want k1", c)
	}
	s.HandleSack(sack(k(0), 10000, [2]uint16{1, 2}), t0) // k1 k2 acknowledged
	if c := s.NextRetransmit(); c == nil || c.Data.TSN != k(3) {
		t.Fatalf("after k1 k2 were acknowledged: %v, want k3", c)
	}
	checkInvariants(t, s)
}

// §6.4: chunks marked for retransmission can move to another path
// (§6.4.1), and a retransmission on another path moves the bytes between
// the two flight sizes.
func TestRFC9260_6_4_RetransmitOnAnotherPath(t *testing.T) {
	s := newSender(1)
	queueAndSend(t, s, 3, 100, 0, t0)
	queueAndSend(t, s, 1, 100, 2, t0)
	s.T3Expired(0)
	s.MovePath(0, 1)
	for c := s.NextRetransmit(); c != nil; c = s.NextRetransmit() {
		if c.Path != 1 {
			t.Fatalf("TSN %d still on path %d", c.Data.TSN, c.Path)
		}
		s.Sent(c, c.Path, at(1))
	}
	if s.FlightSize(0) != 0 || s.FlightSize(1) != fl(3) || s.FlightSize(2) != fl(1) {
		t.Fatalf("flight %d/%d/%d", s.FlightSize(0), s.FlightSize(1), s.FlightSize(2))
	}
	// Resending an in-flight chunk elsewhere moves its bytes.
	s.Sent(s.atTSN(k(4)), 1, at(2))
	if s.FlightSize(2) != 0 || s.FlightSize(1) != fl(4) || s.Outstanding() != 400 {
		t.Fatalf("flight %d/%d, outstanding %d", s.FlightSize(1), s.FlightSize(2), s.Outstanding())
	}
	checkInvariants(t, s)
}

// §6.1 / §7.2.4 step 4: the timer restarts when the earliest outstanding
// chunk of the path is retransmitted; IsFirstOnPath tells.
func TestRFC9260_6_1_IsFirstOnPath(t *testing.T) {
	s := newSender(1)
	queueAndSend(t, s, 1, 100, 1, t0) // k1 p1
	queueAndSend(t, s, 3, 100, 0, t0) // k2 k3 k4 p0
	for _, end := range []uint16{3, 4, 4} {
		s.HandleSack(sack(k(0), 10000, [2]uint16{3, end}), t0)
	}
	// k2 is missing but still in flight (two miss indications); k1 too.
	c := s.atTSN(k(2))
	if !s.IsFirstOnPath(c, 0) {
		t.Fatal("k2 is the earliest in flight on path 0")
	}
	if s.IsFirstOnPath(c, 1) {
		t.Fatal("k1 precedes k2 on path 1")
	}
}

// §7.2.4 counts miss indications against a transmission. After T3-rtx
// writes the chunks of a path off (§6.3.3) and they are sent again, the
// misses of the old transmission do not count towards Fast Retransmit of
// the new one.
func TestRFC9260_6_3_3_T3RestartsMissCount(t *testing.T) {
	s := newSender(1)
	queueAndSend(t, s, 6, 100, 0, t0)
	s.HandleSack(sack(k(0), 10000, [2]uint16{2, 2}), t0)
	s.HandleSack(sack(k(0), 10000, [2]uint16{2, 3}), t0) // k1: two misses
	s.T3Expired(0)
	for c := s.NextRetransmit(); c != nil; c = s.NextRetransmit() {
		s.Sent(c, 0, at(1000))
	}
	r := s.HandleSack(sack(k(0), 10000, [2]uint16{2, 4}), at(1100))
	if len(r.FastRetransmit) != 0 || s.HasRetransmit() {
		t.Fatal("fast retransmit on the first miss of a new transmission")
	}
	if got := s.atTSN(k(1)).MissIndications(); got != 1 {
		t.Fatalf("k1: %d miss indications, want 1", got)
	}
}

// RFC 7829 §3.2 rules 9 and 10: the acknowledgement of a chunk sent to
// one path only says that path works (Sole); of a chunk retransmitted
// elsewhere, it does not say which copy arrived.
func TestRFC7829_3_2_SoleAcknowledgement(t *testing.T) {
	s := newSender(1)
	queueAndSend(t, s, 2, 100, 0, t0) // tsn0 and tsn0+1 on path 0
	s.T3Expired(0)
	s.MovePath(0, 1)
	c := s.NextRetransmit() // tsn0 again, to path 1
	s.Sent(c, 1, at(1))
	r := s.HandleSack(sack(tsn0, 10000), at(2))
	if len(r.Acked) != 1 || r.Acked[0].Path != 1 || r.Acked[0].Sole {
		t.Fatalf("Acked %v, want path 1 not sole: the chunk went to two paths", r.Acked)
	}
	c = s.NextRetransmit() // tsn0+1, resent on its own path
	s.Sent(c, 0, at(3))
	r = s.HandleSack(sack(tsn0+1, 10000), at(4))
	if len(r.Acked) != 1 || r.Acked[0].Path != 0 || !r.Acked[0].Sole {
		t.Fatalf("Acked %v, want path 0 sole", r.Acked)
	}
	checkInvariants(t, s)
}

// MarkLost marks one outstanding chunk, not one acknowledged, gap-acked or
// already marked.
func TestMarkLost(t *testing.T) {
	s := newSender(1)
	queueAndSend(t, s, 3, 100, 0, t0)
	s.HandleSack(sack(tsn0, 10000, [2]uint16{2, 2}), t0) // tsn0 acked, tsn0+2 gap-acked
	if s.MarkLost(tsn0) || s.MarkLost(tsn0+2) || s.MarkLost(tsn0+3) {
		t.Fatal("marked an acknowledged, gap-acknowledged or unsent TSN")
	}
	if !s.IsGapAcked(tsn0+2) || s.IsGapAcked(tsn0+1) {
		t.Fatal("IsGapAcked")
	}
	if !s.MarkLost(tsn0+1) || s.MarkLost(tsn0+1) {
		t.Fatal("MarkLost of an outstanding TSN, twice")
	}
	if c := s.NextRetransmit(); c == nil || c.Data.TSN != tsn0+1 || s.FlightSize(0) != 0 {
		t.Fatalf("NextRetransmit %v, flight %d", c, s.FlightSize(0))
	}
	checkInvariants(t, s)
}
