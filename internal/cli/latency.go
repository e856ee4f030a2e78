package cli

import (
	"math/bits"
	"time"
)

// Latency records durations in a histogram of bounded size, for
// percentiles over runs of any length: each power of two of nanoseconds
// is cut into latencySub buckets, so a percentile is within 1/latencySub
// (about 1.6%) of the true value, in 64×64 counters whatever the count.
type Latency struct {
	counts [64 * latencySub]uint64
	n      uint64
	min    time.Duration
	max    time.Duration
}

const (
	latencyBits = 6
	latencySub  = 1 << latencyBits
)

// bucket returns the index of d's bucket. Durations below latencySub ns
// have a bucket each; above, the latencyBits bits after the leading one
// choose the bucket within its power of two.
func bucket(d time.Duration) int {
	v := uint64(max(d, 0))
	if v < latencySub {
		return int(v)
	}
	exp := bits.Len64(v) - 1 // ≥ latencyBits
	sub := (v >> (exp - latencyBits)) & (latencySub - 1)
	return (exp-latencyBits+1)*latencySub + int(sub)
}

// bucketValue returns the middle of bucket i, the value a percentile in
// it reports.
func bucketValue(i int) time.Duration {
	if i < latencySub {
		return time.Duration(i)
	}
	exp := i/latencySub + latencyBits - 1
	sub := uint64(i % latencySub)
	lo := (uint64(1) << exp) | sub<<(exp-latencyBits)
	width := uint64(1) << (exp - latencyBits)
	return time.Duration(lo + width/2)
}

// Add records d; negative durations count as zero.
func (l *Latency) Add(d time.Duration) {
	d = max(d, 0)
	if l.n == 0 || d < l.min {
		l.min = d
	}
	if d > l.max {
		l.max = d
	}
	l.counts[bucket(d)]++
	l.n++
}

// Count returns the number of durations recorded.
func (l *Latency) Count() uint64 { return l.n }

// Min and Max return the extremes, exact; zero when nothing was
// recorded.
func (l *Latency) Min() time.Duration { return l.min }

// Max returns the longest duration recorded.
func (l *Latency) Max() time.Duration { return l.max }

// Percentile returns the p-th percentile (0 < p ≤ 100) by nearest rank:
// the smallest recorded value at least p percent of them do not exceed,
// as its bucket's middle, kept within Min and Max; the last rank is Max
// itself. Zero when nothing was recorded.
func (l *Latency) Percentile(p float64) time.Duration {
	if l.n == 0 {
		return 0
	}
	rank := uint64(p / 100 * float64(l.n))
	if float64(rank) < p/100*float64(l.n) {
		rank++ // ceiling
	}
	rank = min(max(rank, 1), l.n)
	if rank == l.n {
		return l.max
	}
	var seen uint64
	for i, c := range l.counts {
		seen += c
		if seen >= rank {
			return min(max(bucketValue(i), l.min), l.max)
		}
	}
	return l.max
}
