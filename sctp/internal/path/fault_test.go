package path

import (
	"math"
	"testing"
	"time"
)

func TestRFC9260_8_2_PathMaxRetrans(t *testing.T) {
	p := newPath(t, nil)
	for i := 1; i <= 5; i++ {
		if p.OnError() {
			t.Fatalf("error %d made the path inactive", i)
		}
		wantInt(t, "errors", p.ErrorCount(), i)
		if p.State() != Active {
			t.Fatalf("error %d: state %v", i, p.State())
		}
	}
	if !p.OnError() {
		t.Fatal("6th error did not report the path inactive")
	}
	if p.State() != Inactive || p.Reachable() {
		t.Fatalf("state %v reachable %v", p.State(), p.Reachable())
	}
	// §8.3: the counter stops growing once the path is inactive.
	if p.OnError() {
		t.Fatal("7th error reported a change")
	}
	wantInt(t, "errors", p.ErrorCount(), 6)

	p = newPath(t, &Params{PathMaxRetrans: 2})
	for i, want := range []bool{false, false, true} {
		if got := p.OnError(); got != want {
			t.Fatalf("Path.Max.Retrans 2, error %d: became inactive %v", i+1, got)
		}
	}
}

func TestRFC9260_8_2_AckClearsErrors(t *testing.T) {
	p := newPath(t, nil)
	p.OnError()
	p.OnError()
	if p.OnAckReceived() {
		t.Fatal("active path reported becoming active")
	}
	wantInt(t, "errors", p.ErrorCount(), 0)
	for i := 0; i < 6; i++ {
		p.OnError()
	}
	if !p.OnAckReceived() {
		t.Fatal("inactive path not reported active")
	}
	if p.State() != Active || p.ErrorCount() != 0 {
		t.Fatalf("state %v errors %d", p.State(), p.ErrorCount())
	}
}

func TestRFC9260_5_4_Confirmation(t *testing.T) {
	p := New(v4, 1500, nil, false)
	if p.State() != Unconfirmed || p.Confirmed() || !p.Reachable() {
		t.Fatalf("new path: %v", p.Stats())
	}
	// Unanswered probes count as errors, but the upper layer never saw
	// the address active: no change of State to report.
	for i := 0; i < 6; i++ {
		if p.OnError() {
			t.Fatalf("error %d reported on an unconfirmed path", i+1)
		}
	}
	if p.State() != Unconfirmed || p.Reachable() {
		t.Fatalf("failed unconfirmed path: %v reachable %v", p.State(), p.Reachable())
	}
	p.Confirm()
	if p.State() != Active || p.ErrorCount() != 0 {
		t.Fatalf("confirmed: %v errors %d", p.State(), p.ErrorCount())
	}
	if got := State(9).String(); got != "State(9)" {
		t.Fatalf("String = %q", got)
	}
}

func TestRFC9260_8_3_HeartbeatTiming(t *testing.T) {
	p := newPath(t, nil) // RTO 1 s, HB.interval 30 s
	for _, tc := range []struct {
		jitter float64
		want   time.Duration
	}{
		{-0.5, 30500 * time.Millisecond},
		{0, 31 * time.Second},
		{0.25, 31250 * time.Millisecond},
		{-2, 30500 * time.Millisecond}, // clamped
		{2, 31500 * time.Millisecond},
		{math.NaN(), 30500 * time.Millisecond},
	} {
		wantDuration(t, "heartbeat delay", p.NextHeartbeat(t0, tc.jitter).Sub(t0), tc.want)
	}
	// Bounds over the whole jitter range.
	for j := -0.5; j < 0.5; j += 1.0 / 64 {
		d := p.NextHeartbeat(t0, j).Sub(t0)
		if d < 30500*time.Millisecond || d >= 31500*time.Millisecond {
			t.Fatalf("jitter %v: delay %v outside [RTO/2, 3RTO/2) + HB.interval", j, d)
		}
	}
	// The RTO includes its back-off.
	p.BackoffRTO()
	wantDuration(t, "backed-off delay", p.NextHeartbeat(t0, 0).Sub(t0), 32*time.Second)

	p = newPath(t, &Params{HBInterval: 5 * time.Second})
	wantDuration(t, "HB.interval 5 s", p.NextHeartbeat(t0, 0).Sub(t0), 6*time.Second)
	p.SetHeartbeat(true, 10*time.Second)
	wantDuration(t, "HB.interval changed", p.NextHeartbeat(t0, 0).Sub(t0), 11*time.Second)
	p.SetHeartbeat(false, 0)
	if !p.NextHeartbeat(t0, 0).IsZero() || p.HeartbeatEnabled() {
		t.Fatal("heartbeat disabled but scheduled")
	}
	if !newPath(t, &Params{HBDisabled: true}).NextHeartbeat(t0, 0).IsZero() {
		t.Fatal("HBDisabled but scheduled")
	}
}

func TestRFC9260_5_4_ProbeEachRTO(t *testing.T) {
	p := New(v4, 1500, &Params{HBDisabled: true}, false)
	wantDuration(t, "probe delay", p.NextHeartbeat(t0, 0.3).Sub(t0), time.Second)
	// A failed unconfirmed path is probed at the heartbeat rate.
	p = New(v4, 1500, nil, false)
	for i := 0; i < 6; i++ {
		p.OnError()
	}
	wantDuration(t, "probe delay when failed", p.NextHeartbeat(t0, 0).Sub(t0), 31*time.Second)
}
