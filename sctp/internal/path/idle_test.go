package path

import (
	"testing"
	"time"
)

func TestRFC9260_7_2_1_IdleDecay(t *testing.T) {
	p := newPath(t, nil) // RTO 1 s
	p.cwnd = 20 * pmdcs1500
	p.NoteSend(t0)
	if !p.LastSend().Equal(t0) {
		t.Fatalf("LastSend = %v", p.LastSend())
	}
	p.OnIdle(t0.Add(time.Second - 1))
	wantInt(t, "cwnd before one RTO", p.Cwnd(), 20*pmdcs1500)
	wantInt(t, "ssthresh before one RTO", p.Ssthresh(), MaxWindow)

	p.OnIdle(t0.Add(time.Second))
	wantInt(t, "ssthresh after one RTO", p.Ssthresh(), 20*pmdcs1500)
	wantInt(t, "cwnd after one RTO", p.Cwnd(), 10*pmdcs1500)
	p.OnIdle(t0.Add(1500 * time.Millisecond)) // same RTO: once only
	wantInt(t, "cwnd called again", p.Cwnd(), 10*pmdcs1500)

	p.OnIdle(t0.Add(3 * time.Second)) // two more: 5, then max(2.5, 4)
	wantInt(t, "cwnd after three RTOs", p.Cwnd(), 4*pmdcs1500)
	wantInt(t, "ssthresh after three RTOs", p.Ssthresh(), 20*pmdcs1500)

	// Sending ends the idle period; the next one sets ssthresh again.
	p.cwnd = 16 * pmdcs1500
	p.NoteSend(t0.Add(10 * time.Second))
	p.OnIdle(t0.Add(11 * time.Second))
	wantInt(t, "ssthresh of a new idle period", p.Ssthresh(), 16*pmdcs1500)
	wantInt(t, "cwnd of a new idle period", p.Cwnd(), 8*pmdcs1500)
}

func TestRFC9260_7_2_1_IdleDecayNeverRaisesCwnd(t *testing.T) {
	p := newPath(t, nil)
	p.NoteSend(t0)
	p.OnT3Expiry()
	p.OnIdle(t0.Add(time.Hour))
	wantInt(t, "cwnd", p.Cwnd(), pmdcs1500)
}

func TestRFC9260_7_2_1_IdleDecayNeedsASend(t *testing.T) {
	p := newPath(t, &Params{InitialCwnd: func(m int) int { return 20 * m }})
	p.OnIdle(t0.Add(time.Hour))
	wantInt(t, "cwnd", p.Cwnd(), 20*pmdcs1500)
}
