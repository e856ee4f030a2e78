package cookie

import (
	"math"
	"time"
)

// StaleError is returned by Open for an authentic cookie used outside its
// lifespan. RFC 9260 §5.1.5 step 4 has the packet discarded and an ERROR
// chunk with a Stale Cookie cause sent back; §5.2.4 step 3 still accepts
// such a cookie when its tags match the existing association (case E),
// which is why Open returns the decoded State along with this error.
type StaleError struct {
	// Staleness is how long ago the cookie expired. It is zero for a
	// cookie created further in the future than its lifespan, which only
	// a backward step of our own clock can produce: §3.3.10.3 lets the
	// sender report zero when it does not give a measure, and no measure
	// would mean anything to the peer there.
	Staleness time.Duration
}

func (e *StaleError) Error() string {
	if e.Staleness <= 0 {
		return "cookie: stale (created in the future)"
	}
	return "cookie: stale by " + e.Staleness.String()
}

// Micros returns the Measure of Staleness of the Stale Cookie error cause
// (RFC 9260 §3.3.10.3): the staleness "rounded up in microseconds", held
// at the largest 32-bit value (about 71.6 minutes) when it is longer.
func (e *StaleError) Micros() uint32 {
	if e.Staleness <= 0 {
		return 0
	}
	us := (e.Staleness-1)/time.Microsecond + 1
	if us > math.MaxUint32 {
		return math.MaxUint32
	}
	return uint32(us)
}

// GrantedLifetime returns the lifespan to put in a cookie: valid (the
// Valid.Cookie.Life of RFC 9260 §16) plus the increment that a Cookie
// Preservative parameter suggests, in milliseconds (§3.3.2.1.3), limited
// to maxIncrement because "the receiver MAY choose to ignore the
// suggested cookie life span increase for its own security reasons": a
// longer life widens the window for replaying the cookie (§5.2.6). A
// maxIncrement of zero or less ignores the suggestion. The sum saturates
// instead of wrapping.
func GrantedLifetime(valid time.Duration, suggestedMillis uint32, maxIncrement time.Duration) time.Duration {
	inc := time.Duration(suggestedMillis) * time.Millisecond // at most 2^32 ms, no overflow
	inc = max(min(inc, maxIncrement), 0)
	if valid > math.MaxInt64-inc {
		return math.MaxInt64
	}
	return valid + inc
}
