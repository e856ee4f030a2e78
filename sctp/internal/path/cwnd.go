package path

// Congestion control of one destination address (RFC 9260 §7.2). Byte
// counts are those of the DATA chunks with their headers and padding, as
// §7.2 recommends ("the length of the DATA chunk, including the padding,
// SHOULD be used").

// Cwnd returns the congestion window in bytes. A burst limit set by
// LimitBurst is not included: it is temporary (§6.1 D).
func (p *Path) Cwnd() int { return p.cwnd }

// Ssthresh returns the slow-start threshold in bytes.
func (p *Path) Ssthresh() int { return p.ssthresh }

// PartialBytesAcked returns partial_bytes_acked of §7.2.2.
func (p *Path) PartialBytesAcked() int { return p.pba }

// initialCwnd is §7.2.1: "The initial cwnd before data transmission MUST
// be set to min(4 * PMDCS, max(2 * PMDCS, 4404)) bytes if the peer
// address is an IPv4 address and to min(4 * PMDCS, max(2 * PMDCS, 4344))
// bytes if the peer address is an IPv6 address."
func (p *Path) initialCwnd() int {
	if f := p.params.InitialCwnd; f != nil {
		return min(max(f(p.pmdcs), p.pmdcs), MaxWindow)
	}
	k := 4344
	if p.ipv4 {
		k = 4404
	}
	return min(4*p.pmdcs, max(2*p.pmdcs, k))
}

// ResetCongestion puts cwnd, ssthresh and partial_bytes_acked back to
// their initial values. The association calls it when the path is used
// under new conditions (§7.2.5): a change of DSCP (§7.2.5.1) or of route,
// such as a new source address (§7.2.5.2). ssthresh starts "arbitrarily
// high" (§7.2.1), at MaxWindow.
func (p *Path) ResetCongestion() {
	p.cwnd = p.initialCwnd()
	p.ssthresh = MaxWindow
	p.pba = 0
	p.burstCap = 0
	p.idleAdjusted = false
}

// window is cwnd, or the temporary burst limit when that is lower.
func (p *Path) window() int {
	if p.burstCap > 0 && p.burstCap < p.cwnd {
		return p.burstCap
	}
	return p.cwnd
}

// CanSend reports whether a packet carrying bytes of DATA chunks may be
// sent to the address while flightSize bytes are outstanding on it.
//
// §6.1 rule B: "the sender MUST NOT transmit new data to a given transport
// address if it has cwnd + (PMDCS - 1) or more bytes of data outstanding
// to that transport address. If data is available, the sender SHOULD
// exceed cwnd by up to (PMDCS - 1) bytes on a new data transmission if the
// flightsize does not currently reach cwnd. The breach of cwnd MUST
// constitute one packet only." So a packet may go while the flight size is
// below cwnd, provided it does not take the flight size to cwnd + PMDCS
// or beyond; once the flight size reaches cwnd nothing more goes. With
// cwnd = PMDCS after a T3-rtx expiry this leaves exactly one packet in
// flight (§7.2.1, §7.2.3). The window is the temporary one of LimitBurst
// when that is lower. Retransmissions are limited the same way (§6.1 C),
// except the one packet of a fast retransmit, which ignores cwnd
// (§7.2.4 step 3).
func (p *Path) CanSend(flightSize, bytes int) bool {
	w := p.window()
	f := clampWindow(flightSize)
	if f >= w {
		return false
	}
	return satAdd(f, clampWindow(bytes)) <= satAdd(w, p.pmdcs-1)
}

// OnAck applies a SACK chunk to the window of the address:
// bytesAcked is the size of the DATA chunks sent to this address that the
// SACK chunk newly acknowledges (by the Cumulative TSN Ack, by Gap Ack
// Blocks, and the duplicates it reports, §7.2.2), and flightSizeBeforeSack
// the bytes outstanding on the address before it arrived. When the SACK
// chunk also starts a fast retransmit, OnAck comes first (§7.2.4, last
// note).
//
// In slow start (cwnd <= ssthresh), §7.2.1: "an SCTP endpoint MUST use
// the slow-start algorithm to increase cwnd only if the current
// congestion window is being fully utilized and the data sender is not in
// Fast Recovery. [...] cwnd MUST be increased by, at most, the lesser of
// 1) the total size of the previously outstanding DATA chunk(s)
// acknowledged and 2) L times the destination's PMDCS." Fully utilized
// means flightSizeBeforeSack >= cwnd. cumAdvanced is not consulted: RFC
// 4960 also required the Cumulative TSN Ack Point to advance, RFC 9260
// §7.2.1 names only the two conditions above.
//
// In congestion avoidance (cwnd > ssthresh), §7.2.2: partial_bytes_acked
// grows by bytesAcked; if it then exceeds cwnd while the flight size was
// below cwnd it is cut to cwnd; if it reaches cwnd while the flight size
// was at least cwnd, cwnd is subtracted from it and cwnd grows by one
// PMDCS.
//
// A SACK chunk is a new opportunity to transmit, so it ends any burst
// limit set by LimitBurst.
func (p *Path) OnAck(bytesAcked, flightSizeBeforeSack int, cumAdvanced, inFastRecovery bool) {
	_ = cumAdvanced
	p.burstCap = 0
	if bytesAcked <= 0 {
		return
	}
	acked := clampWindow(bytesAcked)
	flight := clampWindow(flightSizeBeforeSack)
	if p.cwnd <= p.ssthresh {
		if inFastRecovery || flight < p.cwnd {
			return
		}
		p.cwnd = satAdd(p.cwnd, min(acked, p.params.SlowStartL*p.pmdcs))
		return
	}
	p.pba = satAdd(p.pba, acked)
	if flight < p.cwnd {
		if p.pba > p.cwnd {
			p.pba = p.cwnd
		}
		return
	}
	if p.pba >= p.cwnd {
		p.pba -= p.cwnd
		p.cwnd = satAdd(p.cwnd, p.pmdcs)
	}
}

// OnAllAcked resets partial_bytes_acked. The association calls it when
// all data sent to the address has been acknowledged (§7.2.2: "When all
// of the data transmitted by the sender has been acknowledged by the
// receiver, partial_bytes_acked is initialized to 0").
func (p *Path) OnAllAcked() { p.pba = 0 }

// OnFastRetransmit cuts the window for a loss reported by SACK chunks
// (§7.2.3, applied by §7.2.4 step 2):
//
//	ssthresh = max(cwnd / 2, 4 * PMDCS)
//	cwnd = ssthresh
//	partial_bytes_acked = 0
//
// The association calls it only when not already in Fast Recovery
// (§7.2.4 step 6: no further cut while in it).
func (p *Path) OnFastRetransmit() {
	p.fastRetransmits++
	p.ssthresh = max(p.cwnd/2, 4*p.pmdcs)
	p.cwnd = p.ssthresh
	p.pba = 0
	p.burstCap = 0
}

// OnT3Expiry cuts the window when T3-rtx expires on the address (§6.3.3
// E1, §7.2.3):
//
//	ssthresh = max(cwnd / 2, 4 * PMDCS)
//	cwnd = PMDCS
//	partial_bytes_acked = 0
//
// CanSend then lets one packet be in flight until an acknowledgement
// arrives. The back-off of the timer (E2) is BackoffRTO and the error
// count (§8.2) is OnError: the association calls them too.
func (p *Path) OnT3Expiry() {
	p.t3Expiries++
	p.ssthresh = max(p.cwnd/2, 4*p.pmdcs)
	p.cwnd = p.pmdcs
	p.pba = 0
	p.burstCap = 0
}

// clampWindow keeps a byte count from the caller within [0, MaxWindow].
func clampWindow(n int) int { return min(max(n, 0), MaxWindow) }

// satAdd adds two counts in [0, MaxWindow], saturating at MaxWindow.
func satAdd(a, b int) int {
	if a > MaxWindow-b {
		return MaxWindow
	}
	return a + b
}
