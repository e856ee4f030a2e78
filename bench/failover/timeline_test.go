package failover

import (
	"net/netip"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp"
)

const ms1 = time.Millisecond

// timeline builds a timeline cut at 100 ms from delivery times (0 for a
// lost message) and copy counts.
func timeline(delivered []time.Duration, copies []int, events ...PathEvent) *Timeline {
	tl := &Timeline{Primary: simB1.Addr(), Cut: 100 * ms1, End: 1000 * ms1, Events: events}
	for i, d := range delivered {
		tl.Records = append(tl.Records, Record{Seq: uint64(i), Sent: time.Duration(i) * 10 * ms1, Delivered: d, Copies: copies[i]})
	}
	return tl
}

func pathEvent(at time.Duration, addr netip.AddrPort, st sctp.PathState) PathEvent {
	return PathEvent{At: at, Kind: sctp.EventPath, Addr: addr, State: st}
}

// The outage is the longest gap between deliveries in the order they
// happened, whatever the order of the sequence numbers.
func TestResultOutage(t *testing.T) {
	tl := timeline(
		[]time.Duration{10 * ms1, 20 * ms1, 95 * ms1, 30 * ms1, 165 * ms1, 170 * ms1},
		[]int{1, 1, 1, 1, 1, 1})
	r := tl.Result()
	if r.Outage != 70*ms1 || r.OutageFrom != 95*ms1 {
		t.Fatalf("outage %v from %v, want 70ms from 95ms", r.Outage, r.OutageFrom)
	}
	if r.Lost != 0 || r.Duplicated != 0 || r.Sent != 6 || r.Delivered != 6 {
		t.Fatalf("%+v", r)
	}
	if r.SendGap != 10*ms1 {
		t.Fatalf("send gap %v, want 10ms", r.SendGap)
	}
}

// Lost messages stretch the outage to the end of the run; duplicates are
// messages handed over twice or more, counted once each.
func TestResultLostAndDuplicated(t *testing.T) {
	tl := timeline(
		[]time.Duration{10 * ms1, 20 * ms1, 0, 30 * ms1, 0},
		[]int{1, 3, 0, 2, 0})
	r := tl.Result()
	if r.Lost != 2 || r.Duplicated != 2 || r.Delivered != 3 {
		t.Fatalf("lost %d duplicated %d delivered %d, want 2 2 3", r.Lost, r.Duplicated, r.Delivered)
	}
	if r.Outage != 970*ms1 || r.OutageFrom != 30*ms1 {
		t.Fatalf("outage %v from %v, want 970ms from 30ms", r.Outage, r.OutageFrom)
	}
	if r.AtCut != 970*ms1 {
		t.Fatalf("at the cut %v, want 970ms", r.AtCut)
	}
}

// Detection is the first event after the cut that takes the primary out
// of active; the alternate's events and the primary's return to active
// do not count, and leaving active before the cut is a false alarm.
func TestResultDetection(t *testing.T) {
	tl := timeline([]time.Duration{10 * ms1, 20 * ms1}, []int{1, 1},
		pathEvent(40*ms1, simB1, sctp.PathPotentiallyFailed),
		pathEvent(45*ms1, simB1, sctp.PathActive),
		pathEvent(110*ms1, simB2, sctp.PathPotentiallyFailed),
		pathEvent(120*ms1, simB1, sctp.PathActive),
		PathEvent{At: 125 * ms1, Kind: sctp.EventPrimary, Addr: simB1},
		pathEvent(130*ms1, simB1, sctp.PathPotentiallyFailed),
		pathEvent(900*ms1, simB1, sctp.PathInactive),
	)
	r := tl.Result()
	if !r.Detected || r.Detection != 30*ms1 {
		t.Fatalf("detection %v %v, want 30ms", r.Detected, r.Detection)
	}
	if r.FalseAlarms != 1 {
		t.Fatalf("false alarms %d, want 1", r.FalseAlarms)
	}
	none := timeline([]time.Duration{10 * ms1}, []int{1}, pathEvent(130*ms1, simB2, sctp.PathInactive))
	if r := none.Result(); r.Detected {
		t.Fatalf("detected %v from the alternate's event", r.Detection)
	}
}

// The outage at the cut is the longest gap overlapping the time from the
// cut to the detection, even when a longer one lies elsewhere.
func TestResultAtCut(t *testing.T) {
	tl := timeline(
		[]time.Duration{10 * ms1, 90 * ms1, 130 * ms1, 140 * ms1, 300 * ms1},
		[]int{1, 1, 1, 1, 1},
		pathEvent(120*ms1, simB1, sctp.PathPotentiallyFailed))
	r := tl.Result()
	if r.Outage != 160*ms1 {
		t.Fatalf("outage %v, want 160ms", r.Outage)
	}
	if r.AtCut != 40*ms1 {
		t.Fatalf("at the cut %v, want 40ms (90 to 130 ms)", r.AtCut)
	}
}
