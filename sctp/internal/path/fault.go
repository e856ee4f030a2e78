package path

import "time"

// ErrorCount returns the error counter of the address (RFC 9260 §8.2).
func (p *Path) ErrorCount() int { return p.errors }

// OnError counts one error against the address: T3-rtx expired on it, or
// a HEARTBEAT chunk sent to it (a probe of §5.4 included) was not
// acknowledged within an RTO (§8.2, §8.3). When the counter exceeds
// 'Path.Max.Retrans' the address becomes unreachable: with the default of
// 5 the sixth error does it. With SCTP-PF on, the counter first passes
// PFMR and the address becomes PotentiallyFailed (RFC 7829 §3.2 rule 2).
//
// Past 'Path.Max.Retrans' the counter stops growing (§8.3: "SHOULD
// continue sending HEARTBEAT chunks on this destination address but
// SHOULD stop increasing the counter"), except with SCTP-PF, whose
// dormant state procedure (RFC 7829 §4.1 rule 3) picks the inactive
// address with the fewest errors and so lets the counter run up to ten
// times further.
//
// It reports whether State changed, which §8.2 and RFC 7829 §3.2 rule
// 12 say to notify. An Unconfirmed address that fails stays Unconfirmed
// (nothing to tell the upper layer, which never saw it active) but is no
// longer Reachable, and its probing slows to the heartbeat rate (§5.4).
func (p *Path) OnError() (changed bool) {
	limit := p.params.PathMaxRetrans + 1
	if p.params.PF {
		limit *= 10
	}
	if p.errors >= limit {
		return false
	}
	before := p.State()
	p.errors++
	if p.errors > p.params.PathMaxRetrans {
		p.reachable = false
	}
	return p.State() != before
}

// OnAckReceived clears the error counter: a DATA chunk sent to the
// address only was acknowledged, or a HEARTBEAT chunk sent to it was
// answered (§8.2, §8.3; RFC 7829 §3.2 rules 7 and 10). An unreachable or
// PotentiallyFailed address becomes active again. It reports whether
// State changed, which §8.2 says to notify.
func (p *Path) OnAckReceived() (changed bool) {
	before := p.State()
	p.errors = 0
	p.reachable = true
	return p.State() != before
}

// Confirm marks the address confirmed: a HEARTBEAT ACK chunk came back
// with the nonce sent to it (§5.4). That answer also proves it reachable,
// so the error counter is cleared. Confirming a confirmed address does
// nothing.
func (p *Path) Confirm() {
	if p.confirmed {
		return
	}
	p.confirmed = true
	p.errors = 0
	p.reachable = true
}

// SetHeartbeat turns the heartbeats of the address on or off and changes
// its 'HB.interval' (§8.3, functions A to C); an interval of zero or less
// keeps the current one.
func (p *Path) SetHeartbeat(enabled bool, interval time.Duration) {
	p.hbDisabled = !enabled
	if interval > 0 {
		p.hbInterval = min(interval, MaxDuration)
	}
}

// HeartbeatEnabled reports whether heartbeats monitor the address.
func (p *Path) HeartbeatEnabled() bool { return !p.hbDisabled }

// NextHeartbeat returns when the next HEARTBEAT chunk is due on the
// address if it stays idle from now on (§8.3): "it is RECOMMENDED that a
// HEARTBEAT chunk is sent once per RTO of that destination address plus
// the protocol parameter 'HB.interval', with jittering of +/- 50% of the
// RTO value and exponential backoff of the RTO if the previous HEARTBEAT
// chunk is unanswered." That is now + RTO + HB.interval + jitter*RTO,
// where RTO includes any back-off and jitter is the caller's random
// number in [-0.5, 0.5) (a value outside is clamped to the interval, NaN
// taken as -0.5).
//
// An Unconfirmed address that is reachable is probed once per RTO
// instead, without HB.interval or jitter (§5.4: "In each RTO, a probe MAY
// be sent on an active UNCONFIRMED path"), even with heartbeats disabled:
// it cannot carry data before it is confirmed. Otherwise, with
// heartbeats disabled the result is the zero time.
func (p *Path) NextHeartbeat(now time.Time, jitter float64) time.Time {
	if !p.confirmed && p.reachable {
		return now.Add(p.rto)
	}
	if p.hbDisabled {
		return time.Time{}
	}
	if !(jitter >= -0.5) {
		jitter = -0.5
	}
	jitter = min(jitter, 0.5)
	j := time.Duration(jitter * float64(p.rto))
	return now.Add(p.rto + p.hbInterval + j)
}
