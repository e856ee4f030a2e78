package path

import (
	"reflect"
	"testing"
	"time"
)

func TestRFC9260_16_Defaults(t *testing.T) {
	d := Defaults()
	want := Params{
		RTOInitial: time.Second, RTOMin: time.Second, RTOMax: 60 * time.Second,
		RTOAlpha: 0.125, RTOBeta: 0.25, MaxBurst: 4, PathMaxRetrans: 5,
		HBInterval: 30 * time.Second, ClockGranularity: time.Millisecond, SlowStartL: 1,
	}
	if !reflect.DeepEqual(d, want) {
		t.Fatalf("Defaults() = %+v, want %+v", d, want)
	}
	var nilParams *Params
	if got := (&Params{}).WithDefaults(); !reflect.DeepEqual(got, want) {
		t.Fatalf("zero Params: %+v", got)
	}
	if got := nilParams.WithDefaults(); !reflect.DeepEqual(got, want) {
		t.Fatalf("nil Params: %+v", got)
	}
}

func TestParamsOutOfRange(t *testing.T) {
	got := (&Params{
		RTOMin:         2 * time.Second,
		RTOMax:         time.Second,      // below RTOMin: raised
		RTOInitial:     time.Millisecond, // below RTOMin: raised
		RTOAlpha:       1.5,
		RTOBeta:        -1,
		MaxBurst:       -9,
		PathMaxRetrans: 1 << 40,
		HBInterval:     1000 * time.Hour,
		SlowStartL:     1000,
	}).WithDefaults()
	want := Params{
		RTOInitial: 2 * time.Second, RTOMin: 2 * time.Second, RTOMax: 2 * time.Second,
		RTOAlpha: 0.125, RTOBeta: 0.25, MaxBurst: -1, PathMaxRetrans: 65535,
		HBInterval: MaxDuration, ClockGranularity: time.Millisecond, SlowStartL: 16,
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	p := New(v4, 1500, &Params{RTOInitial: time.Hour}, true)
	wantDuration(t, "RTO.Initial above RTO.Max", p.RTO(), 60*time.Second)
}

func TestStats(t *testing.T) {
	p := newPath(t, lowMin)
	p.RTTSample(100 * time.Millisecond)
	p.OnError()
	p.Counters.PacketsSent += 3
	p.Counters.BytesSent += 4500
	s := p.Stats()
	want := Stats{
		State: Active, Reachable: true, MTU: 1500, PMDCS: pmdcs1500,
		SRTT: 100 * time.Millisecond, RTTVar: 50 * time.Millisecond, RTO: 300 * time.Millisecond,
		Cwnd: 4404, Ssthresh: MaxWindow, ErrorCount: 1, RTTSamples: 1,
		Counters: Counters{PacketsSent: 3, BytesSent: 4500},
	}
	if s != want {
		t.Fatalf("Stats = %+v\nwant %+v", s, want)
	}
}
