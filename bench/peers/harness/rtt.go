package harness

import (
	"slices"
	"time"
)

// RoundTrips times a ping-pong: round runs one round trip; RoundTrips
// calls it f.Warmup times untimed, then as often as fits in f.Duration,
// and returns the client's result with the median and 99th percentile.
// The samples are kept in a slice sized in advance so that recording
// one costs no allocation.
func RoundTrips(f *Flags, round func() error) (Result, error) {
	for range f.Warmup {
		if err := round(); err != nil {
			return Result{}, err
		}
	}
	samples := make([]time.Duration, 0, 1<<20)
	start := time.Now()
	end := start.Add(f.Duration)
	for {
		t0 := time.Now()
		if err := round(); err != nil {
			return Result{}, err
		}
		t1 := time.Now()
		samples = append(samples, t1.Sub(t0))
		if !t1.Before(end) {
			break
		}
	}
	elapsed := time.Since(start)
	slices.Sort(samples)
	r := Result{Role: "client", Mode: RR, Size: f.Size, Msgs: int64(len(samples)),
		Bytes: int64(len(samples) * f.Size), Seconds: elapsed.Seconds(), RTTs: len(samples),
		RTTP50us: us(percentile(samples, 50)), RTTP99us: us(percentile(samples, 99))}
	return r, nil
}

// percentile is the nearest-rank percentile of sorted samples.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(i-1, 0)]
}

func us(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }
