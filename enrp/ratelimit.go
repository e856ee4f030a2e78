package enrp

import "time"

// bucket is a token bucket: burst tokens, refilled at rate per second,
// one taken per admitted event. It bounds what one peer can make the
// registrar do per unit of time (RFC 5355 §2.9, §2.10: floods of
// unreachability reports).
type bucket struct {
	rate   float64 // tokens per second
	burst  float64 // most tokens held
	tokens float64
	last   time.Time // when tokens was last brought up to date
}

func newBucket(rate float64, burst int) bucket {
	return bucket{rate: rate, burst: float64(burst), tokens: float64(burst)}
}

// take admits one event at now if a token is left.
func (b *bucket) take(now time.Time) bool {
	if !b.last.IsZero() && now.After(b.last) {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
