package path

import (
	"testing"
	"time"
)

func TestTimer(t *testing.T) {
	var tm Timer
	if tm.Running() || tm.Expired(t0) || !tm.Deadline().IsZero() {
		t.Fatal("zero Timer not stopped")
	}
	tm.Start(t0, time.Second)
	if !tm.Running() || !tm.Deadline().Equal(t0.Add(time.Second)) {
		t.Fatalf("deadline %v", tm.Deadline())
	}
	if tm.Expired(t0.Add(time.Second - 1)) {
		t.Fatal("expired early")
	}
	if !tm.Expired(t0.Add(time.Second)) {
		t.Fatal("not expired at its deadline")
	}
	tm.StartIfStopped(t0, 5*time.Second) // running: unchanged
	if !tm.Deadline().Equal(t0.Add(time.Second)) {
		t.Fatal("StartIfStopped restarted a running timer")
	}
	tm.Start(t0, 5*time.Second) // restart
	if !tm.Deadline().Equal(t0.Add(5 * time.Second)) {
		t.Fatal("Start did not restart")
	}
	tm.Stop()
	if tm.Running() || tm.Expired(t0.Add(time.Hour)) {
		t.Fatal("stopped timer running")
	}
	tm.StartIfStopped(t0, 2*time.Second)
	if !tm.Deadline().Equal(t0.Add(2 * time.Second)) {
		t.Fatal("StartIfStopped did not start a stopped timer")
	}
	tm.Start(t0, -time.Second)
	if !tm.Expired(t0) {
		t.Fatal("negative duration not expired at now")
	}
	// Started at the zero instant, still running.
	tm.Start(time.Time{}, 0)
	if !tm.Running() || !tm.Expired(time.Time{}.Add(1)) {
		t.Fatal("timer started at the zero time not running")
	}
}

func TestEarliest(t *testing.T) {
	a, b := t0.Add(time.Second), t0.Add(2*time.Second)
	var z time.Time
	for _, tc := range []struct {
		ts   []time.Time
		want time.Time
	}{
		{nil, z},
		{[]time.Time{z, z}, z},
		{[]time.Time{b, z, a}, a},
		{[]time.Time{z, b}, b},
		{[]time.Time{a, z}, a},
	} {
		if got := Earliest(tc.ts...); !got.Equal(tc.want) {
			t.Errorf("Earliest(%v) = %v, want %v", tc.ts, got, tc.want)
		}
	}
	var s Soonest
	var t1, t2 Timer
	t1.Start(t0, 3*time.Second)
	s.AddTimer(&t1)
	s.AddTimer(&t2) // stopped: ignored
	s.Add(b)
	if !s.Time().Equal(b) {
		t.Fatalf("Soonest = %v, want %v", s.Time(), b)
	}
	if n := testing.AllocsPerRun(100, func() { a = Earliest(a, z, b, t1.Deadline()) }); n != 0 {
		t.Fatalf("Earliest allocates %v times", n)
	}
}
