package path

import (
	"testing"
	"time"
)

// lowMin lets tests see the RTO formula without the 1 s floor of C6.
var lowMin = &Params{RTOMin: time.Nanosecond}

func TestRFC9260_6_3_1_C1_InitialRTO(t *testing.T) {
	p := newPath(t, nil)
	wantDuration(t, "RTO", p.RTO(), time.Second)
	p = newPath(t, &Params{RTOInitial: 3 * time.Second})
	wantDuration(t, "RTO", p.RTO(), 3*time.Second)
	wantDuration(t, "SRTT", p.SRTT(), 0)
	wantDuration(t, "RTTVAR", p.RTTVar(), 0)
}

func TestRFC9260_6_3_1_C2_FirstSample(t *testing.T) {
	p := newPath(t, lowMin)
	p.RTTSample(100 * time.Millisecond)
	wantDuration(t, "SRTT", p.SRTT(), 100*time.Millisecond)
	wantDuration(t, "RTTVAR", p.RTTVar(), 50*time.Millisecond)
	wantDuration(t, "RTO", p.RTO(), 300*time.Millisecond)
}

func TestRFC9260_6_3_1_C3_LaterSamples(t *testing.T) {
	for _, tc := range []struct {
		name              string
		params            Params
		second            time.Duration
		srtt, rttvar, rto time.Duration
	}{
		// RTTVAR = 3/4*50 + 1/4*|100-200| = 62.5; SRTT = 7/8*100 +
		// 1/8*200 = 112.5; RTO = 112.5 + 4*62.5. Updating SRTT
		// first would give RTTVAR = 59.375.
		{"longer", Params{RTOMin: time.Nanosecond}, 200 * time.Millisecond,
			112500 * time.Microsecond, 62500 * time.Microsecond, 362500 * time.Microsecond},
		// |SRTT - R'| is an absolute value: 3/4*50 + 1/4*80 = 57.5.
		{"shorter", Params{RTOMin: time.Nanosecond}, 20 * time.Millisecond,
			90 * time.Millisecond, 57500 * time.Microsecond, 320 * time.Millisecond},
		// Alpha = Beta = 1/2: RTTVAR = 25 + 50, SRTT = 50 + 100.
		{"gains", Params{RTOMin: time.Nanosecond, RTOAlpha: 0.5, RTOBeta: 0.5}, 200 * time.Millisecond,
			150 * time.Millisecond, 75 * time.Millisecond, 450 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPath(t, &tc.params)
			p.RTTSample(100 * time.Millisecond)
			p.RTTSample(tc.second)
			wantDuration(t, "SRTT", p.SRTT(), tc.srtt)
			wantDuration(t, "RTTVAR", p.RTTVar(), tc.rttvar)
			wantDuration(t, "RTO", p.RTO(), tc.rto)
			if got := p.Stats().RTTSamples; got != 2 {
				t.Fatalf("RTTSamples = %d, want 2", got)
			}
		})
	}
}

func TestRFC9260_6_3_1_C6_RTOMin(t *testing.T) {
	p := newPath(t, nil)
	p.RTTSample(10 * time.Millisecond) // SRTT + 4*RTTVAR = 30 ms
	wantDuration(t, "RTO", p.RTO(), time.Second)
	p = newPath(t, &Params{RTOMin: 200 * time.Millisecond})
	p.RTTSample(10 * time.Millisecond)
	wantDuration(t, "RTO", p.RTO(), 200*time.Millisecond)
}

func TestRFC9260_6_3_1_C7_RTOMax(t *testing.T) {
	p := newPath(t, nil)
	p.RTTSample(30 * time.Second) // 30 + 4*15 = 90 s
	wantDuration(t, "RTO", p.RTO(), 60*time.Second)
	p = newPath(t, &Params{RTOMax: 10 * time.Second})
	p.RTTSample(4 * time.Second) // 12 s
	wantDuration(t, "RTO", p.RTO(), 10*time.Second)
	// A sample beyond RTO.Max counts as RTO.Max.
	p = newPath(t, nil)
	p.RTTSample(1000 * time.Hour)
	wantDuration(t, "SRTT", p.SRTT(), 60*time.Second)
	wantDuration(t, "RTO", p.RTO(), 60*time.Second)
}

func TestRFC9260_6_3_1_G1_ClockGranularity(t *testing.T) {
	// A first sample of 0 gives RTTVAR = 0, which G1 turns into G.
	p := newPath(t, lowMin)
	p.RTTSample(0)
	wantDuration(t, "RTTVAR", p.RTTVar(), time.Millisecond)
	wantDuration(t, "RTO", p.RTO(), 4*time.Millisecond)

	p = newPath(t, &Params{RTOMin: time.Nanosecond, ClockGranularity: 5 * time.Millisecond})
	p.RTTSample(0)
	wantDuration(t, "RTO", p.RTO(), 20*time.Millisecond)

	// Identical samples make C3 decay RTTVAR: 4, 3, 2, 1, 0 -> G.
	p = newPath(t, lowMin)
	sawG := false
	for i := 0; i < 100; i++ {
		p.RTTSample(8)
		if p.RTTVar() == 0 {
			t.Fatalf("sample %d: RTTVAR = 0", i)
		}
		sawG = sawG || p.RTTVar() == time.Millisecond
	}
	if !sawG {
		t.Fatal("RTTVAR never set to G")
	}
}

func TestRFC9260_6_3_1_NegativeSampleIgnored(t *testing.T) {
	p := newPath(t, lowMin)
	p.RTTSample(-time.Second)
	wantDuration(t, "RTO", p.RTO(), time.Second)
	wantDuration(t, "SRTT", p.SRTT(), 0)
	p.RTTSample(100 * time.Millisecond) // still the first sample (C2)
	wantDuration(t, "RTTVAR", p.RTTVar(), 50*time.Millisecond)
}

func TestRFC9260_6_3_3_E2_Backoff(t *testing.T) {
	p := newPath(t, nil)
	for _, want := range []time.Duration{2, 4, 8, 16, 32, 60, 60} {
		p.BackoffRTO()
		wantDuration(t, "RTO", p.RTO(), want*time.Second)
	}
	// A new measurement collapses the backed-off RTO (§6.3.3).
	p.RTTSample(time.Second) // C2: 1 + 4*0.5
	wantDuration(t, "RTO", p.RTO(), 3*time.Second)
}
