package path

import (
	"math"
	"time"
)

// Params are the protocol parameters of RFC 9260 §16 that belong to a
// destination address, plus the few knobs the RFC leaves to the
// implementation. A zero field takes the default that Defaults shows.
type Params struct {
	// RTOInitial, RTOMin and RTOMax are 'RTO.Initial' (C1), 'RTO.Min'
	// (C6) and 'RTO.Max' (C7, E2) of §6.3. Defaults 1 s, 1 s and 60 s.
	// RTOMax is raised to RTOMin when below it, and RTOInitial is kept
	// within [RTOMin, RTOMax]. Durations are capped at MaxDuration.
	RTOInitial, RTOMin, RTOMax time.Duration

	// RTOAlpha and RTOBeta are the gains of rule C3. Defaults 1/8 and
	// 1/4; a value outside (0, 1] takes the default.
	RTOAlpha, RTOBeta float64

	// MaxBurst is 'Max.Burst' of §6.1 rule D, in packets. Default 4. A
	// negative value turns the limit off (the rule is a SHOULD).
	MaxBurst int

	// PathMaxRetrans is 'Path.Max.Retrans' of §8.2: the error count a
	// path may reach and still be active. Default 5; zero or negative
	// takes the default; capped at 65535.
	PathMaxRetrans int

	// PF turns on SCTP-PF (RFC 7829): an active address whose error
	// counter exceeds PFMaxRetrans is Potentially Failed, carries no
	// data while another address is active, and is probed once per RTO
	// until it answers or becomes inactive. Off by default, which is RFC
	// 9260's behaviour.
	PF bool
	// PFMaxRetrans is 'PotentiallyFailed.Max.Retrans' (PFMR, RFC 7829
	// §3.2 rule 1). Default 0, the recommended value: the first timeout
	// makes the address PF. A value of PathMaxRetrans or more leaves no
	// room for the PF state: the address goes inactive first.
	PFMaxRetrans int
	// HBInterval is 'HB.interval' of §8.3. Default 30 s; capped at
	// MaxDuration.
	HBInterval time.Duration

	// HBDisabled turns off the heartbeats that monitor an idle confirmed
	// address (§8.3 function A). The probes that confirm an address
	// (§5.4) are sent regardless: without them the address could never
	// carry data.
	HBDisabled bool

	// ClockGranularity is G of §6.3.1 rule G1, the value RTTVAR takes
	// when it computes to zero. Default 1 ms: times are nanoseconds, but
	// a sample is only as precise as the moments the runtime reads the
	// clock when a packet arrives and fires timers, which in Go is of
	// the order of a millisecond; a finer G would make G1 a no-op (an
	// RTO equal to SRTT), a coarser one would inflate the RTO of fast
	// paths when RTO.Min is set low.
	ClockGranularity time.Duration

	// SlowStartL is L of §7.2.1: slow start raises cwnd by at most L
	// times the PMDCS per SACK chunk. Default 1 (the RFC's SHOULD);
	// capped at 16.
	SlowStartL int

	// InitialCwnd computes the initial cwnd from the path's PMDCS. Nil
	// gives §7.2.1: min(4*PMDCS, max(2*PMDCS, 4404)) for an IPv4 peer
	// address and min(4*PMDCS, max(2*PMDCS, 4344)) for an IPv6 one. Its
	// result is kept within [PMDCS, MaxWindow].
	InitialCwnd func(pmdcs int) int
}

// Limits that keep every computation of the package in range whatever the
// caller passes.
const (
	// MaxDuration caps the durations of Params: no timer of a path
	// needs to run longer than a day, and below it RTO arithmetic
	// (SRTT + 4*RTTVAR, back-off doubling, float64 gains) is exact.
	MaxDuration = 24 * time.Hour

	// MaxWindow caps cwnd, ssthresh and byte counts. It is the initial
	// ssthresh ("arbitrarily high", §7.2.1); a window of 2 GiB is never
	// reached on one path, and the bound keeps int arithmetic from
	// overflowing on 32-bit platforms.
	MaxWindow = math.MaxInt32

	// MinMTU and MaxMTU bound the PMTU a path accepts. 508 is the
	// 576-byte datagram every IPv4 host accepts (RFC 791) less the
	// largest IPv4 header (60) and a UDP header (8); 65535 is the
	// largest IPv4 datagram and IPv6 payload without jumbograms.
	MinMTU = 508
	MaxMTU = 65535

	maxSlowStartL     = 16
	maxPathMaxRetrans = 65535
)

// Defaults returns the RFC 9260 §16 values, and the package's own choices
// for the parameters §16 does not list.
func Defaults() Params {
	return Params{
		RTOInitial:       time.Second,
		RTOMin:           time.Second,
		RTOMax:           60 * time.Second,
		RTOAlpha:         1.0 / 8,
		RTOBeta:          1.0 / 4,
		MaxBurst:         4,
		PathMaxRetrans:   5,
		HBInterval:       30 * time.Second,
		ClockGranularity: time.Millisecond,
		SlowStartL:       1,
	}
}

// WithDefaults returns a copy of p with every zero or out-of-range field
// replaced as its documentation says. A nil p gives Defaults().
func (p *Params) WithDefaults() Params {
	d := Defaults()
	if p == nil {
		return d
	}
	q := *p
	q.RTOMin = durationOr(q.RTOMin, d.RTOMin)
	q.RTOMax = durationOr(q.RTOMax, d.RTOMax)
	if q.RTOMax < q.RTOMin {
		q.RTOMax = q.RTOMin
	}
	q.RTOInitial = min(max(durationOr(q.RTOInitial, d.RTOInitial), q.RTOMin), q.RTOMax)
	if !(q.RTOAlpha > 0 && q.RTOAlpha <= 1) {
		q.RTOAlpha = d.RTOAlpha
	}
	if !(q.RTOBeta > 0 && q.RTOBeta <= 1) {
		q.RTOBeta = d.RTOBeta
	}
	if q.MaxBurst == 0 {
		q.MaxBurst = d.MaxBurst
	} else if q.MaxBurst < 0 {
		q.MaxBurst = -1
	}
	if q.PathMaxRetrans <= 0 {
		q.PathMaxRetrans = d.PathMaxRetrans
	}
	q.PathMaxRetrans = min(q.PathMaxRetrans, maxPathMaxRetrans)
	q.PFMaxRetrans = min(max(q.PFMaxRetrans, 0), maxPathMaxRetrans)
	q.HBInterval = durationOr(q.HBInterval, d.HBInterval)
	q.ClockGranularity = durationOr(q.ClockGranularity, d.ClockGranularity)
	if q.SlowStartL <= 0 {
		q.SlowStartL = d.SlowStartL
	}
	q.SlowStartL = min(q.SlowStartL, maxSlowStartL)
	return q
}

// durationOr returns v capped at MaxDuration, or def when v is not
// positive.
func durationOr(v, def time.Duration) time.Duration {
	if v <= 0 {
		return def
	}
	return min(v, MaxDuration)
}
