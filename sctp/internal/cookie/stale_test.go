package cookie

import (
	"errors"
	"math"
	"testing"
	"time"
)

// RFC 9260 §5.1.5 step 4: "If the elapsed time is longer than the
// lifespan carried in the State Cookie", the cookie is stale, and the
// Measure of Staleness (§3.3.10.3) is how long past expiry, in
// microseconds rounded up.
func TestRFC9260_5_1_5_Step4_StaleCookie(t *testing.T) {
	s, _ := newSigner(t, 1)
	st := sampleState() // 60 s lifespan from t0
	c := seal(t, s, st, t0)
	tests := []struct {
		name   string
		now    time.Time
		stale  time.Duration // 0: fresh
		micros uint32
	}{
		{"at creation", t0, 0, 0},
		{"at expiry exactly", t0.Add(60 * time.Second), 0, 0},
		{"1 ns past", t0.Add(60*time.Second + 1), 1, 1},
		{"1.5 s past", t0.Add(61500 * time.Millisecond), 1500 * time.Millisecond, 1_500_000},
		{"1 µs + 1 ns past", t0.Add(60*time.Second + time.Microsecond + 1), time.Microsecond + 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Open(c, tt.now)
			if tt.stale == 0 {
				if err != nil {
					t.Fatalf("err = %v, want fresh", err)
				}
				sameState(t, got, st)
				return
			}
			var se *StaleError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *StaleError", err)
			}
			if se.Staleness != tt.stale || se.Micros() != tt.micros {
				t.Errorf("staleness %v (%d µs), want %v (%d µs)", se.Staleness, se.Micros(), tt.stale, tt.micros)
			}
		})
	}
}

// RFC 9260 §5.2.4 step 3 accepts a stale cookie whose tags match the
// existing association (case E), so Open returns the State with the
// StaleError.
func TestRFC9260_5_2_4_Step3_StaleCookieKeepsState(t *testing.T) {
	s, _ := newSigner(t, 1)
	st := sampleState()
	got, err := s.Open(seal(t, s, st, t0), t0.Add(10*time.Minute))
	var se *StaleError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want *StaleError", err)
	}
	sameState(t, got, st)
}

// RFC 9260 §3.3.10.3: the Measure of Staleness is 32 bits of
// microseconds, rounded up; longer staleness saturates instead of
// wrapping to a small value.
func TestRFC9260_3_3_10_3_MicrosRoundsUpAndSaturates(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want uint32
	}{
		{0, 0},
		{-time.Second, 0},
		{1, 1},
		{time.Microsecond, 1},
		{time.Microsecond + 1, 2},
		{1500 * time.Millisecond, 1_500_000},
		{math.MaxUint32 * time.Microsecond, math.MaxUint32},
		{math.MaxUint32*time.Microsecond + 1, math.MaxUint32},
		{2 * time.Hour, math.MaxUint32},
		{math.MaxInt64, math.MaxUint32},
	}
	for _, tt := range tests {
		if got := (&StaleError{Staleness: tt.d}).Micros(); got != tt.want {
			t.Errorf("Micros(%v) = %d, want %d", tt.d, got, tt.want)
		}
	}
}

// A cookie created in the future (our clock stepped back) is fresh while
// it is less than its lifespan ahead, and stale with no measure beyond,
// so that a clock step cannot stretch the replay window.
func TestRFC9260_5_1_5_Step4_CreatedInFuture(t *testing.T) {
	s, _ := newSigner(t, 1)
	st := sampleState()
	st.Created = t0.Add(time.Hour)
	c := seal(t, s, st, t0)
	if _, err := s.Open(c, st.Created.Add(-st.Lifetime)); err != nil {
		t.Fatalf("one lifespan ahead: %v", err)
	}
	got, err := s.Open(c, st.Created.Add(-st.Lifetime-1))
	var se *StaleError
	if !errors.As(err, &se) {
		t.Fatalf("more than a lifespan ahead: err = %v, want *StaleError", err)
	}
	if se.Staleness != 0 || se.Micros() != 0 {
		t.Errorf("staleness %v, want 0 (no measure)", se.Staleness)
	}
	sameState(t, got, st)
}

// RFC 9260 §3.3.2.1.3: the receiver adds the suggested increment, in
// milliseconds, but "MAY choose to ignore" it for security: it is capped.
func TestRFC9260_3_3_2_1_3_GrantedLifetime(t *testing.T) {
	tests := []struct {
		valid    time.Duration
		millis   uint32
		maxInc   time.Duration
		expected time.Duration
	}{
		{60 * time.Second, 0, time.Minute, 60 * time.Second},
		{60 * time.Second, 1500, time.Minute, 61500 * time.Millisecond},
		{60 * time.Second, 120_000, time.Minute, 120 * time.Second},
		{60 * time.Second, math.MaxUint32, time.Minute, 120 * time.Second},
		{60 * time.Second, 1500, 0, 60 * time.Second},
		{60 * time.Second, 1500, -time.Second, 60 * time.Second},
		{math.MaxInt64 - 1, 1000, time.Hour, math.MaxInt64},
	}
	for _, tt := range tests {
		if got := GrantedLifetime(tt.valid, tt.millis, tt.maxInc); got != tt.expected {
			t.Errorf("GrantedLifetime(%v, %d ms, %v) = %v, want %v", tt.valid, tt.millis, tt.maxInc, got, tt.expected)
		}
	}
}
