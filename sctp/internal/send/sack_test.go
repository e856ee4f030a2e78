package send

import (
	"slices"
	"testing"

	"github.com/rserpool/rserpool/sctp/wire"
)

// §6.2.1: the Cumulative TSN Ack removes the chunks up to it and reports
// their bytes on the path they were sent on.
func TestRFC9260_6_2_1_CumulativeAck(t *testing.T) {
	s := newSender(1)
	queueAndSend(t, s, 2, 100, 0, t0)
	queueAndSend(t, s, 2, 100, 1, t0)
	r := s.HandleSack(sack(tsn0+2, 5000), at(10))
	if !r.CumAdvanced || s.CumAck() != tsn0+2 {
		t.Fatalf("CumAdvanced %v, CumAck %d, want %d", r.CumAdvanced, s.CumAck(), tsn0+2)
	}
	want := []PathBytes{{0, fl(2), true}, {1, fl(1), true}}
	if !slices.Equal(r.Acked, want) {
		t.Fatalf("Acked %v, want %v", r.Acked, want)
	}
	if s.FlightSize(0) != 0 || s.FlightSize(1) != fl(1) || s.Outstanding() != 100 || s.Queued() != 100 {
		t.Fatalf("flight %d/%d, outstanding %d, queued %d", s.FlightSize(0), s.FlightSize(1), s.Outstanding(), s.Queued())
	}
	if r.AllAcked {
		t.Fatal("AllAcked with data in flight on path 1")
	}
	r = s.HandleSack(sack(tsn0+3, 5000), at(10))
	if !r.AllAcked || !s.Done() {
		t.Fatalf("AllAcked %v, Done %v after everything was acknowledged", r.AllAcked, s.Done())
	}
	checkInvariants(t, s)
}

// §6.2.1 D i: "If Cumulative TSN Ack is less than the Cumulative TSN Ack
// Point, then drop the SACK chunk", a_rwnd and Gap Ack Blocks included.
func TestRFC9260_6_2_1_OutOfOrderSackDropped(t *testing.T) {
	s := newSender(1)
	queueAndSend(t, s, 5, 100, 0, t0)
	s.HandleSack(sack(tsn0+1, 8000), t0)
	r := s.HandleSack(sack(tsn0, 1000, [2]uint16{2, 4}), t0)
	if !r.Ignored {
		t.Fatal("SACK with a Cumulative TSN Ack behind the Ack Point not ignored")
	}
	if s.CumAck() != tsn0+1 || s.PeerRwnd() != 8000-300 {
		t.Fatalf("CumAck %d, PeerRwnd %d after a dropped SACK", s.CumAck(), s.PeerRwnd())
	}
	if s.atTSN(tsn0 + 4).GapAcked() {
		t.Fatal("the dropped SACK's Gap Ack Block was applied")
	}
	// The same Cumulative TSN Ack is not out of order.
	if r := s.HandleSack(sack(tsn0+1, 6000), t0); r.Ignored || s.PeerRwnd() != 6000-300 {
		t.Fatalf("SACK at the Ack Point: Ignored %v, PeerRwnd %d", r.Ignored, s.PeerRwnd())
	}
}

// §6.2.1 A-D ii: rwnd starts at the INIT's a_rwnd, loses the bytes of each
// transmission, gets back those marked for retransmission, and each SACK
// sets it to a_rwnd minus what is still outstanding.
func TestRFC9260_6_2_1_PeerRwnd(t *testing.T) {
	s := newSender(1)
	s.SetPeerRwnd(10000)
	if s.PeerRwnd() != 10000 {
		t.Fatalf("A: %d", s.PeerRwnd())
	}
	queueAndSend(t, s, 3, 1000, 0, t0)
	if s.PeerRwnd() != 7000 {
		t.Fatalf("B: %d after sending 3000 bytes, want 7000", s.PeerRwnd())
	}
	s.HandleSack(sack(tsn0, 5000, [2]uint16{2, 2}), t0)
	if s.PeerRwnd() != 4000 {
		t.Fatalf("D ii: %d, want a_rwnd 5000 minus the 1000 bytes outstanding", s.PeerRwnd())
	}
	s.T3Expired(0)
	if s.PeerRwnd() != 5000 {
		t.Fatalf("C: %d after marking 1000 bytes, want 5000", s.PeerRwnd())
	}
	c := s.NextRetransmit()
	s.Sent(c, 0, at(1))
	if s.PeerRwnd() != 4000 {
		t.Fatalf("B on retransmission: %d, want 4000", s.PeerRwnd())
	}
	s.HandleSack(sack(tsn0+2, 500), t0)
	if s.PeerRwnd() != 500 {
		t.Fatalf("%d, want 500", s.PeerRwnd())
	}
	queueAndSend(t, s, 1, 1000, 0, t0)
	if s.PeerRwnd() != 0 {
		t.Fatalf("%d with more in flight than a_rwnd, want 0", s.PeerRwnd())
	}
}

// §6.2.1: chunks acknowledged by Gap Ack Blocks leave the flight size but
// stay on the outstanding list, and are not acknowledged again when the
// Cumulative TSN Ack passes them.
func TestRFC9260_6_2_1_GapAckedStayUntilCumulative(t *testing.T) {
	s := newSender(1)
	queueAndSend(t, s, 5, 100, 0, t0)
	r := s.HandleSack(sack(tsn0, 5000, [2]uint16{2, 3}), t0)
	if !slices.Equal(r.Acked, []PathBytes{{0, fl(3), true}}) {
		t.Fatalf("Acked %v, want 3 chunks", r.Acked)
	}
	for i, want := range []bool{false, true, true, false} {
		if got := s.atTSN(tsn0 + 1 + wire.TSN(i)).GapAcked(); got != want {
			t.Errorf("TSN %d: GapAcked %v, want %v", tsn0+1+wire.TSN(i), got, want)
		}
	}
	if s.FlightSize(0) != fl(2) || s.Queued() != 400 || s.CumAck() != tsn0 {
		t.Fatalf("flight %d queued %d cum %d", s.FlightSize(0), s.Queued(), s.CumAck())
	}
	r = s.HandleSack(sack(tsn0+3, 5000), t0)
	if !slices.Equal(r.Acked, []PathBytes{{0, fl(1), true}}) {
		t.Fatalf("Acked %v, want only the 100 bytes of TSN %d", r.Acked, tsn0+1)
	}
	if s.Queued() != 100 || s.FlightSize(0) != fl(1) {
		t.Fatalf("queued %d flight %d", s.Queued(), s.FlightSize(0))
	}
	checkInvariants(t, s)
}

// Gap Ack Blocks may come in any order and overlap; what counts is the set
// of TSNs they cover.
func TestRFC9260_3_3_4_GapBlocksAnyOrder(t *testing.T) {
	s := newSender(1)
	queueAndSend(t, s, 10, 100, 0, t0)
	r := s.HandleSack(sack(tsn0-1, 5000, [2]uint16{8, 9}, [2]uint16{2, 3}, [2]uint16{3, 5}, [2]uint16{6, 6}), t0)
	if !slices.Equal(r.Acked, []PathBytes{{0, fl(7), true}}) {
		t.Fatalf("Acked %v, want 700", r.Acked)
	}
	want := []span{{tsn0 + 1, tsn0 + 5}, {tsn0 + 7, tsn0 + 8}}
	if !slices.Equal(s.gaps, want) {
		t.Fatalf("gap runs %v, want %v", s.gaps, want)
	}
	checkInvariants(t, s)
}

// §3.3.4: a block must have 1 <= Start <= End; one that does not says
// nothing usable and is skipped, while the rest of the SACK is processed.
func TestRFC9260_3_3_4_MalformedBlockSkipped(t *testing.T) {
	s := newSender(1)
	queueAndSend(t, s, 5, 100, 0, t0)
	r := s.HandleSack(sack(tsn0, 5000, [2]uint16{0, 2}, [2]uint16{4, 3}, [2]uint16{3, 3}), t0)
	if r.Violation || r.Ignored {
		t.Fatalf("Violation %v Ignored %v", r.Violation, r.Ignored)
	}
	if !slices.Equal(r.Acked, []PathBytes{{0, fl(2), true}}) {
		t.Fatalf("Acked %v, want TSNs %d and %d only", r.Acked, tsn0, tsn0+3)
	}
	if s.atTSN(tsn0+1).GapAcked() || s.atTSN(tsn0+2).GapAcked() || !s.atTSN(tsn0+3).GapAcked() {
		t.Fatal("a malformed block was applied")
	}
}

// A SACK that acknowledges a TSN never sent, by its Cumulative TSN Ack or
// a Gap Ack Block, is a protocol violation; the sender's state does not
// change.
func TestRFC9260_6_2_1_AckOfUnsentTSNIsViolation(t *testing.T) {
	s := newSender(1)
	s.SetPeerRwnd(9000)
	queueAndSend(t, s, 3, 100, 0, t0)
	mustQueue(t, s, Message{Data: payload(100)})
	if c := s.NextNew(100); c == nil { // cut, TSN tsn0+3, not sent
		t.Fatal("nil")
	}
	for _, sk := range []*wire.Sack{
		sack(tsn0+3, 1000),                    // cumulative, cut but unsent
		sack(tsn0+4, 1000),                    // cumulative, never cut
		sack(tsn0, 1000, [2]uint16{2, 3}),     // block reaching the unsent chunk
		sack(tsn0-1, 1000, [2]uint16{2, 900}), // block far beyond
		sack(tsn0-1+1<<31, 1000),              // half the TSN space away
	} {
		r := s.HandleSack(sk, t0)
		if !r.Violation {
			t.Errorf("SACK cum %d blocks %d: no violation", sk.CumTSNAck, sk.GapBlocks.Len())
		}
		if s.CumAck() != tsn0-1 || s.Outstanding() != 300 || s.PeerRwnd() != 8700 || len(s.gaps) != 0 {
			t.Fatalf("state changed: cum %d outstanding %d rwnd %d gaps %v", s.CumAck(), s.Outstanding(), s.PeerRwnd(), s.gaps)
		}
	}
	if r := s.HandleSack(sack(tsn0-1, 1000, [2]uint16{2, 3}), t0); r.Violation {
		t.Fatal("block up to the last sent TSN is a violation")
	}
	checkInvariants(t, s)
}

// §6.2.1 D iii and §6.3.2 R4: a TSN acknowledged by a Gap Ack Block and
// missing from a later SACK (the receiver reneged) is unacknowledged again:
// back in flight on its path, one miss indication, and its path reported
// so that the T3-rtx timer runs.
func TestRFC9260_6_2_1_Renege(t *testing.T) {
	s := newSender(1)
	s.SetPeerRwnd(10000)
	queueAndSend(t, s, 2, 100, 0, t0)
	queueAndSend(t, s, 3, 100, 1, t0) // tsn0+2 .. tsn0+4 on path 1
	s.HandleSack(sack(tsn0, 10000, [2]uint16{2, 4}), t0)
	if s.FlightSize(1) != 0 {
		t.Fatalf("flight on path 1: %d", s.FlightSize(1))
	}
	// The receiver drops TSN tsn0+3 and tsn0+4.
	r := s.HandleSack(sack(tsn0, 10000, [2]uint16{2, 2}), t0)
	if !slices.Equal(r.RenegedOnPath, []int{1}) {
		t.Fatalf("RenegedOnPath %v, want [1]", r.RenegedOnPath)
	}
	for _, tsn := range []wire.TSN{tsn0 + 3, tsn0 + 4} {
		c := s.atTSN(tsn)
		if c.GapAcked() || !c.InFlight() || c.MissIndications() != 1 {
			t.Errorf("TSN %d: GapAcked %v InFlight %v misses %d, want false true 1", tsn, c.GapAcked(), c.InFlight(), c.MissIndications())
		}
	}
	if s.FlightSize(1) != fl(2) || s.PeerRwnd() != 10000-300 {
		t.Fatalf("flight on path 1 %d, rwnd %d", s.FlightSize(1), s.PeerRwnd())
	}
	if len(r.Acked) != 0 {
		t.Fatalf("Acked %v on a SACK that acknowledged nothing new", r.Acked)
	}
	checkInvariants(t, s)
	// Acknowledged again later, they count as newly acknowledged.
	r = s.HandleSack(sack(tsn0+4, 10000), t0)
	if !slices.Equal(r.Acked, []PathBytes{{0, fl(1), true}, {1, fl(2), true}}) {
		t.Fatalf("Acked %v", r.Acked)
	}
	checkInvariants(t, s)
}

// §6.3.2 R3: a SACK that acknowledges the earliest outstanding chunk of a
// path restarts that path's timer; one that acknowledges only later chunks
// of the path does not.
func TestRFC9260_6_3_2_R3_EarliestOutstandingAcked(t *testing.T) {
	s := newSender(1)
	for range 6 {
		mustQueue(t, s, Message{Data: payload(100)})
	}
	for i := range 6 { // paths 0 1 0 1 0 1
		c := s.NextNew(100)
		s.Sent(c, i%2, t0)
	}
	r := s.HandleSack(sack(tsn0-1, 9000, [2]uint16{3, 4}), t0) // tsn0+2 (p0) tsn0+3 (p1)
	if len(r.AckedOnPath) != 0 {
		t.Fatalf("AckedOnPath %v; the earliest chunks of both paths are missing", r.AckedOnPath)
	}
	r = s.HandleSack(sack(tsn0, 9000, [2]uint16{2, 3}), t0) // tsn0: earliest on p0
	if !slices.Equal(r.AckedOnPath, []int{0}) {
		t.Fatalf("AckedOnPath %v, want [0]", r.AckedOnPath)
	}
	r = s.HandleSack(sack(tsn0, 9000, [2]uint16{2, 3}, [2]uint16{5, 5}), t0) // tsn0+5 (p1), tsn0+1 missing
	if len(r.AckedOnPath) != 0 {
		t.Fatalf("AckedOnPath %v; path 1's earliest is missing", r.AckedOnPath)
	}
	r = s.HandleSack(sack(tsn0+5, 9000), t0)
	if !slices.Equal(r.AckedOnPath, []int{1, 0}) && !slices.Equal(r.AckedOnPath, []int{0, 1}) {
		t.Fatalf("AckedOnPath %v, want paths 0 and 1", r.AckedOnPath)
	}
	if !r.AllAcked {
		t.Fatal("AllAcked false")
	}
}
