package path

import (
	"net/netip"
	"testing"
)

func TestRFC9260_1_3_PMDCS(t *testing.T) {
	for _, tc := range []struct {
		mtu, overhead, want int
	}{
		{1500, 0, 1488},
		{1472, 0, 1460}, // Ethernet less IPv4 and UDP headers
		{1499, 0, 1484}, // a 1487-byte chunk would pad to 1488
		{9000, 0, 8988},
		{1500, 36, 1452},     // an AUTH chunk with HMAC-SHA-1
		{1500, 1 << 20, 372}, // overhead capped: PMDCS keeps 1500/4 = 375, rounded to 4
		{100, 0, MinMTU - 12},
		{1 << 20, 0, (MaxMTU - 12) &^ 3},
	} {
		p := New(v4, tc.mtu, nil, true)
		p.SetChunkOverhead(tc.overhead)
		wantInt(t, "PMDCS", p.PMDCS(), tc.want)
	}
	p := New(v4, 1500, nil, true)
	p.SetMTU(9000)
	wantInt(t, "MTU", p.MTU(), 9000)
	wantInt(t, "PMDCS", p.PMDCS(), 8988)
	p.SetMTU(-1)
	wantInt(t, "MTU", p.MTU(), MinMTU)
}

func TestRFC9260_7_2_1_InitialCwnd(t *testing.T) {
	mapped := netip.MustParseAddrPort("[::ffff:192.0.2.1]:9899")
	for _, tc := range []struct {
		remote netip.AddrPort
		mtu    int
		want   int
	}{
		{v4, 1500, 4404},               // min(5952, max(2976, 4404))
		{v6, 1500, 4344},               // min(5952, max(2976, 4344))
		{mapped, 1500, 4404},           // an IPv4 peer seen through a dual-stack socket
		{v4, 9000, 2 * 8988},           // min(35952, max(17976, 4404))
		{v6, 9000, 2 * 8988},           // min(35952, max(17976, 4344))
		{v4, 1100, 4 * 1088},           // min(4352, max(2176, 4404))
		{netip.AddrPort{}, 1500, 4344}, // unknown family: the smaller constant
	} {
		p := New(tc.remote, tc.mtu, nil, true)
		wantInt(t, "cwnd of "+tc.remote.String(), p.Cwnd(), tc.want)
		wantInt(t, "ssthresh", p.Ssthresh(), MaxWindow)
		wantInt(t, "partial_bytes_acked", p.PartialBytesAcked(), 0)
	}
	p := New(v4, 1500, &Params{InitialCwnd: func(pmdcs int) int { return 10 * pmdcs }}, true)
	wantInt(t, "custom cwnd", p.Cwnd(), 14880)
	p = New(v4, 1500, &Params{InitialCwnd: func(int) int { return -5 }}, true)
	wantInt(t, "custom cwnd below one PMDCS", p.Cwnd(), pmdcs1500)
}

func TestRFC9260_6_1_B_CwndOverbooking(t *testing.T) {
	p := newPath(t, nil) // cwnd 4404, PMDCS 1488
	for _, tc := range []struct {
		flight, bytes int
		want          bool
	}{
		{0, pmdcs1500, true},
		{3000, pmdcs1500, true},
		{4403, pmdcs1500, true},      // 5891 = cwnd + PMDCS - 1
		{4403, pmdcs1500 + 1, false}, // would reach cwnd + PMDCS
		{4404, 1, false},             // flight size has reached cwnd
		{5000, 1, false},
		{-7, pmdcs1500, true},
		{1 << 40, 1, false},
	} {
		if got := p.CanSend(tc.flight, tc.bytes); got != tc.want {
			t.Errorf("CanSend(%d, %d) = %v, want %v", tc.flight, tc.bytes, got, tc.want)
		}
	}
}

func TestRFC9260_7_2_1_SlowStartOnlyWhenFullyUtilized(t *testing.T) {
	for _, tc := range []struct {
		name          string
		l             int
		acked, flight int
		fastRecovery  bool
		want          int
	}{
		{"not fully utilized", 1, 1000, 4403, false, 4404},
		{"fully utilized", 1, 1000, 4404, false, 5404},
		{"overbooked", 1, 1000, 5891, false, 5404},
		{"capped at PMDCS", 1, 5000, 4404, false, 4404 + pmdcs1500},
		{"in fast recovery", 1, 1000, 4404, true, 4404},
		{"L=2", 2, 5000, 4404, false, 4404 + 2*pmdcs1500},
		{"nothing acked", 1, 0, 4404, false, 4404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPath(t, &Params{SlowStartL: tc.l})
			// The Cumulative TSN Ack Point need not advance
			// (RFC 9260 dropped that condition of RFC 4960).
			p.OnAck(tc.acked, tc.flight, false, tc.fastRecovery)
			wantInt(t, "cwnd", p.Cwnd(), tc.want)
			wantInt(t, "partial_bytes_acked", p.PartialBytesAcked(), 0)
		})
	}
}

// caPath returns a path in congestion avoidance: cwnd 10 PMDCS, ssthresh 5.
func caPath(t *testing.T) *Path {
	p := newPath(t, nil)
	p.cwnd, p.ssthresh = 10*pmdcs1500, 5*pmdcs1500
	return p
}

func TestRFC9260_7_2_2_CongestionAvoidance(t *testing.T) {
	p := caPath(t)
	cwnd := p.Cwnd()
	// One PMDCS per cwnd of bytes acknowledged while cwnd is used.
	for i := 1; i < 10; i++ {
		p.OnAck(pmdcs1500, cwnd, true, false)
		wantInt(t, "cwnd", p.Cwnd(), cwnd)
		wantInt(t, "partial_bytes_acked", p.PartialBytesAcked(), i*pmdcs1500)
	}
	p.OnAck(pmdcs1500, cwnd, true, false)
	wantInt(t, "cwnd", p.Cwnd(), cwnd+pmdcs1500)
	wantInt(t, "partial_bytes_acked", p.PartialBytesAcked(), 0)

	// At most one PMDCS per SACK chunk, the remainder carried over.
	p = caPath(t)
	p.OnAck(cwnd+500, cwnd, true, false)
	wantInt(t, "cwnd", p.Cwnd(), cwnd+pmdcs1500)
	wantInt(t, "partial_bytes_acked", p.PartialBytesAcked(), 500)
}

func TestRFC9260_7_2_2_NoGrowthWhenCwndNotUsed(t *testing.T) {
	p := caPath(t)
	cwnd := p.Cwnd()
	p.OnAck(cwnd-1, cwnd-1, true, false)
	wantInt(t, "partial_bytes_acked", p.PartialBytesAcked(), cwnd-1)
	// partial_bytes_acked above cwnd with flight size below cwnd is
	// reset to cwnd, and cwnd does not grow.
	p.OnAck(5000, cwnd-1, true, false)
	wantInt(t, "partial_bytes_acked", p.PartialBytesAcked(), cwnd)
	wantInt(t, "cwnd", p.Cwnd(), cwnd)
	// Equal to cwnd with flight below cwnd: left as it is.
	p = caPath(t)
	p.OnAck(cwnd, 0, true, false)
	wantInt(t, "partial_bytes_acked", p.PartialBytesAcked(), cwnd)
	wantInt(t, "cwnd", p.Cwnd(), cwnd)
}

func TestRFC9260_7_2_2_AllAckedResetsPartialBytesAcked(t *testing.T) {
	p := caPath(t)
	p.OnAck(3000, p.Cwnd(), true, false)
	p.OnAllAcked()
	wantInt(t, "partial_bytes_acked", p.PartialBytesAcked(), 0)
}

func TestRFC9260_7_2_3_T3Expiry(t *testing.T) {
	p := caPath(t)
	p.OnAck(3000, p.Cwnd(), true, false)
	p.OnT3Expiry()
	wantInt(t, "ssthresh", p.Ssthresh(), 5*pmdcs1500) // cwnd/2
	wantInt(t, "cwnd", p.Cwnd(), pmdcs1500)
	wantInt(t, "partial_bytes_acked", p.PartialBytesAcked(), 0)
	// One packet in flight until acknowledged.
	if !p.CanSend(0, pmdcs1500) || p.CanSend(pmdcs1500, 1) {
		t.Fatal("not exactly one packet allowed after T3-rtx expiry")
	}
	// ssthresh is at least 4 PMDCS.
	p = newPath(t, nil)
	p.OnT3Expiry()
	wantInt(t, "ssthresh", p.Ssthresh(), 4*pmdcs1500)
	if got := p.Stats().T3Expiries; got != 1 {
		t.Fatalf("T3Expiries = %d", got)
	}
}

func TestRFC9260_7_2_4_FastRetransmitCut(t *testing.T) {
	p := caPath(t)
	p.OnAck(3000, p.Cwnd(), true, false)
	p.OnFastRetransmit()
	wantInt(t, "ssthresh", p.Ssthresh(), 5*pmdcs1500)
	wantInt(t, "cwnd", p.Cwnd(), 5*pmdcs1500)
	wantInt(t, "partial_bytes_acked", p.PartialBytesAcked(), 0)
	p = newPath(t, nil)
	p.OnFastRetransmit()
	wantInt(t, "ssthresh", p.Ssthresh(), 4*pmdcs1500)
	wantInt(t, "cwnd", p.Cwnd(), 4*pmdcs1500)
	if got := p.Stats().FastRetransmits; got != 1 {
		t.Fatalf("FastRetransmits = %d", got)
	}
}

func TestRFC9260_7_2_5_ResetCongestion(t *testing.T) {
	p := caPath(t)
	p.OnAck(3000, p.Cwnd(), true, false)
	p.ResetCongestion()
	wantInt(t, "cwnd", p.Cwnd(), 4404)
	wantInt(t, "ssthresh", p.Ssthresh(), MaxWindow)
	wantInt(t, "partial_bytes_acked", p.PartialBytesAcked(), 0)
}

func TestRFC9260_6_1_D_MaxBurst(t *testing.T) {
	burst := func(p *Path, flight int) (packets int) {
		for p.CanSend(flight, pmdcs1500) && packets < 1000 {
			flight += pmdcs1500
			packets++
		}
		return packets
	}
	p := newPath(t, nil)
	p.cwnd = 20 * pmdcs1500
	wantInt(t, "packets without limit", burst(p, 0), 20)
	p.LimitBurst(0)
	wantInt(t, "packets of a burst", burst(p, 0), 4)
	wantInt(t, "cwnd (not changed permanently)", p.Cwnd(), 20*pmdcs1500)
	// A new opportunity before the next SACK chunk does not renew the
	// burst: a sender handed messages one by one sends no more than one
	// handed them all at once.
	p.LimitBurst(4 * pmdcs1500)
	wantInt(t, "packets of a second burst before a SACK chunk", burst(p, 4*pmdcs1500), 0)
	p.OnAck(0, 0, false, false)
	p.LimitBurst(10 * pmdcs1500)
	wantInt(t, "packets with 10 in flight", burst(p, 10*pmdcs1500), 4)
	p.OnAck(0, 0, false, false)
	p.LimitBurst(17 * pmdcs1500) // 17 + 4 >= 20: no limit
	wantInt(t, "packets with 17 in flight", burst(p, 17*pmdcs1500), 3)
	p.LimitBurst(0)
	p.OnAck(0, 0, false, false) // a SACK chunk ends the burst
	wantInt(t, "packets after a SACK chunk", burst(p, 0), 20)

	p = newPath(t, &Params{MaxBurst: 2})
	p.cwnd = 20 * pmdcs1500
	p.LimitBurst(0)
	wantInt(t, "packets with Max.Burst 2", burst(p, 0), 2)

	p = newPath(t, &Params{MaxBurst: -1})
	p.cwnd = 20 * pmdcs1500
	p.LimitBurst(0)
	wantInt(t, "packets with the limit off", burst(p, 0), 20)
}
