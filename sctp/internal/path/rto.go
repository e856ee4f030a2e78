package path

import "time"

// RTO returns the current retransmission timeout (RFC 9260 §6.3.1),
// including any back-off (§6.3.3 E2). It is the duration of T3-rtx and
// the base of the heartbeat period of the path.
func (p *Path) RTO() time.Duration { return p.rto }

// SRTT returns the smoothed round-trip time; zero before the first
// sample.
func (p *Path) SRTT() time.Duration { return p.srtt }

// RTTVar returns the round-trip time variation; zero before the first
// sample.
func (p *Path) RTTVar() time.Duration { return p.rttvar }

// RTTSample feeds one round-trip measurement r. The caller chooses which
// chunks may be timed (Karn's algorithm, C5, and one sample per round
// trip, C4), from DATA or from the time value of a HEARTBEAT ACK chunk
// (§8.3).
//
// The first sample sets SRTT = R and RTTVAR = R/2 (C2), later ones
// smooth them with RTO.Alpha and RTO.Beta, RTTVAR first so that it uses
// the SRTT from before this sample (C3). RTTVAR is set to the clock
// granularity G when it computes to zero (G1), and RTO = SRTT + 4*RTTVAR
// is kept within [RTO.Min, RTO.Max] (C6, C7). The new RTO replaces any
// backed-off one (§6.3.3, "collapsing" RTO).
//
// A negative r can only come from a bad timestamp and is ignored. An r
// beyond RTO.Max is taken as RTO.Max: it could not raise the RTO further
// (C7), and the bound keeps the arithmetic exact.
func (p *Path) RTTSample(r time.Duration) {
	if r < 0 {
		return
	}
	r = min(r, p.params.RTOMax)
	p.rttSamples++
	if !p.measured {
		p.measured = true
		p.srtt = r
		p.rttvar = r / 2
	} else {
		diff := p.srtt - r
		if diff < 0 {
			diff = -diff
		}
		a, b := p.params.RTOAlpha, p.params.RTOBeta
		p.rttvar = time.Duration((1-b)*float64(p.rttvar) + b*float64(diff))
		p.srtt = time.Duration((1-a)*float64(p.srtt) + a*float64(r))
	}
	if p.rttvar == 0 {
		p.rttvar = p.params.ClockGranularity
	}
	p.rto = min(max(p.srtt+4*p.rttvar, p.params.RTOMin), p.params.RTOMax)
}

// BackoffRTO doubles RTO, up to RTO.Max (§6.3.3 E2). The association
// calls it when T3-rtx expires on the path and when a HEARTBEAT chunk to
// it goes unanswered (§8.3, "exponential backoff of the RTO").
func (p *Path) BackoffRTO() {
	p.rto = min(2*p.rto, p.params.RTOMax)
}
