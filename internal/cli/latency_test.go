package cli

import (
	"testing"
	"time"
)

func TestLatencyEmpty(t *testing.T) {
	var l Latency
	if l.Percentile(50) != 0 || l.Count() != 0 || l.Min() != 0 || l.Max() != 0 {
		t.Error("an empty histogram reports values")
	}
}

func TestLatencySmallValuesExact(t *testing.T) {
	var l Latency
	for i := 1; i <= 50; i++ {
		l.Add(time.Duration(i))
	}
	if got := l.Percentile(50); got != 25 {
		t.Errorf("p50 of 1..50 ns = %v, want 25ns", got)
	}
	if got := l.Percentile(100); got != 50 {
		t.Errorf("p100 = %v, want 50ns", got)
	}
}

func TestLatencyPercentiles(t *testing.T) {
	var l Latency
	// 1..1000 µs: the p-th percentile by nearest rank is p*10 µs.
	for i := 1; i <= 1000; i++ {
		l.Add(time.Duration(i) * time.Microsecond)
	}
	for _, p := range []float64{1, 50, 90, 99, 99.9} {
		want := time.Duration(p*10) * time.Microsecond
		got := l.Percentile(p)
		if diff := got - want; diff < -want/latencySub || diff > want/latencySub {
			t.Errorf("p%v = %v, want %v within 1/%d", p, got, want, latencySub)
		}
	}
	if l.Min() != time.Microsecond || l.Max() != time.Millisecond || l.Count() != 1000 {
		t.Errorf("min %v max %v count %d", l.Min(), l.Max(), l.Count())
	}
	if got := l.Percentile(100); got != time.Millisecond {
		t.Errorf("p100 = %v, want the maximum", got)
	}
}

func TestLatencyOutlier(t *testing.T) {
	var l Latency
	for range 99 {
		l.Add(40 * time.Microsecond)
	}
	l.Add(time.Second)
	if got := l.Percentile(99); got < 39*time.Microsecond || got > 41*time.Microsecond {
		t.Errorf("p99 = %v, want about 40µs", got)
	}
	if got := l.Percentile(99.5); got < 990*time.Millisecond {
		t.Errorf("p99.5 = %v, want about 1s", got)
	}
}

func TestLatencyExtremes(t *testing.T) {
	var l Latency
	l.Add(-time.Second) // counts as 0
	l.Add(time.Duration(1<<63 - 1))
	if l.Min() != 0 || l.Percentile(50) != 0 {
		t.Errorf("negative duration: min %v p50 %v", l.Min(), l.Percentile(50))
	}
	if got := l.Percentile(100); got != time.Duration(1<<63-1) {
		t.Errorf("p100 = %v", got)
	}
}

func TestBucketsMonotonic(t *testing.T) {
	prev := -1
	for d := time.Duration(0); d < 1<<20; d += 7 {
		b := bucket(d)
		if b < prev {
			t.Fatalf("bucket(%d) = %d after %d", d, b, prev)
		}
		prev = b
		if v := bucketValue(b); v-d > d/latencySub+1 || d-v > d/latencySub+1 {
			t.Fatalf("bucketValue(bucket(%d)) = %d: off by more than 1/%d", d, v, latencySub)
		}
	}
	if b := bucket(time.Duration(1<<63 - 1)); b >= len(Latency{}.counts) {
		t.Fatalf("largest duration's bucket %d out of range", b)
	}
}
