package path

// LimitBurst limits the coming burst of new DATA chunks (RFC 9260 §6.1
// rule D): "When the time comes for the sender to transmit new DATA
// chunks, the protocol parameter 'Max.Burst' SHOULD be used to limit the
// number of packets sent. The limit MAY be applied by adjusting cwnd
// temporarily, as follows:
//
//	if ((flightsize + Max.Burst * PMDCS) < cwnd)
//	    cwnd = flightsize + Max.Burst * PMDCS
//
// [...] When calculating the number of packets to transmit, and
// particularly when using the formula above, cwnd SHOULD NOT be changed
// permanently."
//
// RFC 4960 lowered cwnd itself; RFC 9260 asks that the change be
// temporary, so LimitBurst sets a window that only CanSend sees, and Cwnd
// is unchanged. The association calls it with the address's flight size
// each time it is about to send new data. The limit lasts until the next
// OnAck, OnFastRetransmit, OnT3Expiry or ResetCongestion: a later
// LimitBurst before then keeps it, since otherwise every message the user
// hands over would open a burst of its own (Linux likewise lifts its
// limit only when a SACK arrives). With a negative Params.MaxBurst it
// does nothing.
func (p *Path) LimitBurst(flightSize int) {
	if p.params.MaxBurst < 0 || p.burstCap > 0 {
		return
	}
	c := satAdd(clampWindow(flightSize), p.params.MaxBurst*p.pmdcs)
	if c < p.cwnd {
		p.burstCap = c
	}
}
