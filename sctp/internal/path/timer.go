package path

import "time"

// Timer is a deadline in virtual time. The association keeps one per
// protocol timer (T1-init, T2-shutdown, T3-rtx of each address,
// T5-shutdown-guard, heartbeat, delayed SACK) and asks the runtime to
// wake it at the earliest deadline of all. The zero Timer is stopped.
type Timer struct {
	deadline time.Time
}

// Start (re)starts the timer to expire d after now. A d of zero or less
// makes it expire at now.
func (t *Timer) Start(now time.Time, d time.Duration) {
	t.deadline = now.Add(max(d, 0))
	if t.deadline.IsZero() {
		// The zero time means stopped; a timer started at the zero
		// instant expires one nanosecond later instead.
		t.deadline = t.deadline.Add(1)
	}
}

// StartIfStopped starts the timer unless it is running, as RFC 9260
// §6.3.2 R1 starts T3-rtx only when it is not already running.
func (t *Timer) StartIfStopped(now time.Time, d time.Duration) {
	if !t.Running() {
		t.Start(now, d)
	}
}

// Stop stops the timer.
func (t *Timer) Stop() { t.deadline = time.Time{} }

// Running reports whether the timer is started. An expired timer is still
// running until stopped or restarted.
func (t *Timer) Running() bool { return !t.deadline.IsZero() }

// Deadline returns when the timer expires; zero if stopped.
func (t *Timer) Deadline() time.Time { return t.deadline }

// Expired reports whether the timer is running and its deadline is not
// after now.
func (t *Timer) Expired(now time.Time) bool {
	return t.Running() && !now.Before(t.deadline)
}

// Earliest returns the earliest of ts, ignoring zero times; zero if all
// are zero. Its arguments do not escape, so a call allocates nothing.
func Earliest(ts ...time.Time) time.Time {
	var s Soonest
	for _, t := range ts {
		s.Add(t)
	}
	return s.Time()
}

// Soonest accumulates the earliest non-zero time of a sequence, for
// deadlines gathered in a loop (one T3-rtx per address). The zero
// Soonest holds no time.
type Soonest struct {
	t time.Time
}

// Add considers t; a zero t is ignored.
func (s *Soonest) Add(t time.Time) {
	if !t.IsZero() && (s.t.IsZero() || t.Before(s.t)) {
		s.t = t
	}
}

// AddTimer considers the deadline of t if it is running.
func (s *Soonest) AddTimer(t *Timer) { s.Add(t.deadline) }

// Time returns the earliest time added; zero if none.
func (s *Soonest) Time() time.Time { return s.t }
