package send

import (
	"slices"
	"testing"

	"github.com/rserpool/rserpool/sctp/wire"
)

// k names the k-th chunk sent by these tests: TSN tsn0-1+k, so that a gap
// block offset from an unmoved Cumulative TSN Ack (tsn0-1) is k itself.
func k(n int) wire.TSN { return tsn0 - 1 + wire.TSN(n) }

// §7.2.4: the third miss indication marks the chunk for retransmission,
// cuts the cwnd of the path it was sent on and enters Fast Recovery.
func TestRFC9260_7_2_4_ThreeMissIndications(t *testing.T) {
	s := newSender(1)
	s.SetPeerRwnd(10000)
	queueAndSend(t, s, 5, 100, 0, t0)
	for i, blocks := range [][2]uint16{{2, 2}, {2, 3}} {
		r := s.HandleSack(sack(k(0), 10000, blocks), t0)
		if len(r.FastRetransmit) != 0 || r.EnteredFastRecovery || s.HasRetransmit() {
			t.Fatalf("SACK %d: fast retransmit before the third miss indication", i+1)
		}
		if got := s.atTSN(k(1)).MissIndications(); got != i+1 {
			t.Fatalf("SACK %d: %d miss indications", i+1, got)
		}
	}
	r := s.HandleSack(sack(k(0), 10000, [2]uint16{2, 4}), t0)
	if !slices.Equal(r.FastRetransmit, []int{0}) || !r.EnteredFastRecovery || !s.InFastRecovery() {
		t.Fatalf("third miss: FastRetransmit %v, EnteredFastRecovery %v", r.FastRetransmit, r.EnteredFastRecovery)
	}
	c := s.NextRetransmit()
	if c == nil || c.Data.TSN != k(1) || !c.FastRetransmitted() {
		t.Fatalf("NextRetransmit %v, want TSN %d", c, k(1))
	}
	// Marked chunks are not in flight and give their bytes back to rwnd
	// (§6.2.1 C).
	if s.FlightSize(0) != fl(1) || s.PeerRwnd() != 9900 {
		t.Fatalf("flight %d, rwnd %d", s.FlightSize(0), s.PeerRwnd())
	}
	checkInvariants(t, s)
}

// §7.2.4 HTNA: "miss indications are incremented only for missing TSNs
// prior to the HTNA in the SACK chunk", and a SACK that newly acknowledges
// nothing increments none.
func TestRFC9260_7_2_4_HTNA(t *testing.T) {
	s := newSender(1)
	queueAndSend(t, s, 6, 100, 0, t0)
	s.HandleSack(sack(k(0), 10000, [2]uint16{4, 4}), t0) // HTNA k4: k1 k2 k3 missing
	for _, n := range []int{1, 2, 3} {
		if got := s.atTSN(k(n)).MissIndications(); got != 1 {
			t.Fatalf("k%d: %d miss indications, want 1", n, got)
		}
	}
	if got := s.atTSN(k(5)).MissIndications(); got != 0 {
		t.Fatalf("k5, above the HTNA: %d miss indications", got)
	}
	// Newly acknowledges k2 only: k3 is reported missing but lies above
	// the HTNA.
	s.HandleSack(sack(k(0), 10000, [2]uint16{2, 2}, [2]uint16{4, 4}), t0)
	if a, b := s.atTSN(k(1)).MissIndications(), s.atTSN(k(3)).MissIndications(); a != 2 || b != 1 {
		t.Fatalf("k1 %d, k3 %d miss indications, want 2 and 1", a, b)
	}
	// A repeated SACK acknowledges nothing new.
	s.HandleSack(sack(k(0), 10000, [2]uint16{2, 2}, [2]uint16{4, 4}), t0)
	if a, b := s.atTSN(k(1)).MissIndications(), s.atTSN(k(3)).MissIndications(); a != 2 || b != 1 {
		t.Fatalf("after a duplicate SACK: k1 %d, k3 %d miss indications, want 2 and 1", a, b)
	}
}

// §7.2.4 step 5: a chunk fast retransmitted once is ineligible for another
// Fast Retransmit.
func TestRFC9260_7_2_4_FastRetransmitOnce(t *testing.T) {
	s := newSender(1)
	queueAndSend(t, s, 8, 100, 0, t0)
	for _, end := range []uint16{2, 3, 4} {
		s.HandleSack(sack(k(0), 10000, [2]uint16{2, end}), t0)
	}
	c := s.NextRetransmit()
	if c == nil || c.Data.TSN != k(1) {
		t.Fatalf("NextRetransmit %v", c)
	}
	s.Sent(c, 0, at(5))
	// The retransmission is lost too.
	for _, end := range []uint16{5, 6, 7, 8} {
		r := s.HandleSack(sack(k(0), 10000, [2]uint16{2, end}), at(10))
		if len(r.FastRetransmit) != 0 || s.HasRetransmit() {
			t.Fatalf("k1 fast retransmitted a second time (SACK up to k%d)", end)
		}
	}
	if !c.InFlight() {
		t.Fatal("k1 left the flight without being marked")
	}
}

// §7.2.4 steps 2 and 6: Fast Recovery starts with the highest outstanding
// TSN as exit point; inside it a further Fast Retransmit cuts no cwnd; a
// SACK acknowledging the exit point ends it.
func TestRFC9260_7_2_4_FastRecovery(t *testing.T) {
	s := newSender(1)
	queueAndSend(t, s, 4, 100, 0, t0) // k1-k4 on path 0
	queueAndSend(t, s, 4, 100, 1, t0) // k5-k8 on path 1
	for _, end := range []uint16{2, 3, 4} {
		s.HandleSack(sack(k(0), 10000, [2]uint16{2, end}), t0)
	}
	if !s.InFastRecovery() || s.frExit != k(8) {
		t.Fatalf("in Fast Recovery %v, exit point %d, want %d", s.InFastRecovery(), s.frExit, k(8))
	}
	// k5 on path 1 is lost as well.
	for _, end := range []uint16{6, 7, 8} {
		r := s.HandleSack(sack(k(0), 10000, [2]uint16{2, 4}, [2]uint16{6, end}), t0)
		if len(r.FastRetransmit) != 0 || r.EnteredFastRecovery {
			t.Fatalf("cwnd cut inside Fast Recovery: %v", r.FastRetransmit)
		}
	}
	if c := s.atTSN(k(5)); !c.MarkedForRetransmission() || !c.FastRetransmitted() {
		t.Fatal("k5 not marked for Fast Retransmit inside Fast Recovery")
	}
	for c := s.NextRetransmit(); c != nil; c = s.NextRetransmit() {
		s.Sent(c, c.Path, at(1))
	}
	queueAndSend(t, s, 4, 100, 0, at(2)) // k9-k12
	s.HandleSack(sack(k(7), 10000, [2]uint16{1, 1}), at(3))
	if !s.InFastRecovery() {
		t.Fatal("Fast Recovery left before its exit point was acknowledged")
	}
	s.HandleSack(sack(k(8), 10000), at(3))
	if s.InFastRecovery() {
		t.Fatal("still in Fast Recovery with the exit point acknowledged")
	}
	// A new loss cuts cwnd again.
	var r SackResult
	for _, end := range []uint16{2, 3, 4} {
		r = s.HandleSack(sack(k(8), 10000, [2]uint16{2, end}), at(4))
	}
	if !slices.Equal(r.FastRetransmit, []int{0}) || !r.EnteredFastRecovery {
		t.Fatalf("after Fast Recovery: FastRetransmit %v EnteredFastRecovery %v", r.FastRetransmit, r.EnteredFastRecovery)
	}
}

// §7.2.4: "If an endpoint is in Fast Recovery and a SACK chunk arrives
// that advances the Cumulative TSN Ack Point, the miss indications are
// incremented for all TSNs reported missing in the SACK chunk."
func TestRFC9260_7_2_4_FastRecoveryCountsAllReportedMissing(t *testing.T) {
	s := newSender(1)
	queueAndSend(t, s, 10, 100, 0, t0)
	s.HandleSack(sack(k(0), 10000, [2]uint16{2, 2}), t0)
	s.HandleSack(sack(k(0), 10000, [2]uint16{2, 3}), t0)
	s.HandleSack(sack(k(0), 10000, [2]uint16{2, 4}, [2]uint16{8, 8}), t0) // k1: third miss; k5-k7: first
	if !s.InFastRecovery() {
		t.Fatal("not in Fast Recovery")
	}
	s.Sent(s.NextRetransmit(), 0, at(1))
	// k1 arrives: the Cumulative TSN Ack moves to k4, and k1 is the only
	// chunk newly acknowledged, so the HTNA lies below k5-k7.
	r := s.HandleSack(sack(k(4), 10000, [2]uint16{4, 4}), at(2))
	if !r.CumAdvanced {
		t.Fatal("cumulative ack did not advance")
	}
	for _, n := range []int{5, 6, 7} {
		if got := s.atTSN(k(n)).MissIndications(); got != 2 {
			t.Errorf("k%d: %d miss indications, want 2", n, got)
		}
	}
	if got := s.atTSN(k(9)).MissIndications(); got != 0 {
		t.Errorf("k9, above every reported TSN: %d miss indications", got)
	}
}

// §7.2.4 step 2: the cwnd of every path to which a chunk reaching three
// miss indications was last sent is cut.
func TestRFC9260_7_2_4_CutPathsOfMissingChunks(t *testing.T) {
	s := newSender(1)
	queueAndSend(t, s, 1, 100, 0, t0) // k1
	queueAndSend(t, s, 1, 100, 1, t0) // k2
	queueAndSend(t, s, 3, 100, 2, t0) // k3-k5
	var r SackResult
	for _, end := range []uint16{3, 4, 5} {
		r = s.HandleSack(sack(k(0), 10000, [2]uint16{3, end}), t0)
	}
	if !slices.Equal(r.FastRetransmit, []int{0, 1}) {
		t.Fatalf("FastRetransmit %v, want [0 1]", r.FastRetransmit)
	}
	if c := s.NextRetransmit(); c == nil || c.Data.TSN != k(1) {
		t.Fatalf("first retransmission %v, want k1", c)
	}
}
