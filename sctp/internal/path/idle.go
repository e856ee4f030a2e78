package path

import "time"

// NoteSend records that DATA chunks (new or retransmitted) were sent to
// the address at now. It ends an idle period of §7.2.1, and LastSend
// gives the time to the association's heartbeat logic (§8.3: an address
// is idle when nothing usable for an RTT measurement was sent to it in the
// current heartbeat period).
func (p *Path) NoteSend(now time.Time) {
	p.lastSend = now
	p.idleRef = now
	p.idleAdjusted = false
}

// LastSend returns the time given to the last NoteSend; zero if none.
func (p *Path) LastSend() time.Time { return p.lastSend }

// OnIdle applies the decay of cwnd on an address that carries no data
// (§7.2.1): "While the endpoint does not transmit data on a given
// transport address, the cwnd of the transport address SHOULD be adjusted
// to max(cwnd / 2, 4 * PMDCS) once per RTO. Before the first cwnd
// adjustment, the ssthresh of the transport address SHOULD be set to the
// cwnd." (§7.2.2 repeats it for congestion avoidance.)
//
// OnIdle counts the whole RTOs between the last NoteSend (or the last
// decay it applied) and now, and halves cwnd once for each, so it may be
// called at any time, as often as wished; the association calls it at
// least before sending new data on the address. A path that never sent
// data keeps its initial window, which is the one meant for unknown
// conditions. The adjustment never raises cwnd: after a T3-rtx expiry
// cwnd can be below 4*PMDCS, and taking it up to 4*PMDCS because the
// path was idle would be more aggressive than §7.2 allows (RFC 5681
// §4.1 likewise restarts TCP with no more than the current cwnd).
func (p *Path) OnIdle(now time.Time) {
	if p.lastSend.IsZero() || p.rto <= 0 {
		return
	}
	elapsed := now.Sub(p.idleRef)
	if elapsed < p.rto {
		return
	}
	n := elapsed / p.rto
	p.idleRef = p.idleRef.Add(n * p.rto)
	floor := 4 * p.pmdcs
	// cwnd <= MaxWindow halves to floor in at most 31 steps.
	for ; n > 0 && p.cwnd > floor; n-- {
		if !p.idleAdjusted {
			p.idleAdjusted = true
			p.ssthresh = p.cwnd
		}
		p.cwnd = max(p.cwnd/2, floor)
	}
}
