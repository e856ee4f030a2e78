package send

// dataHeaderLen is the DATA chunk header (RFC 9260 §3.3.1).
const dataHeaderLen = 16

// flightLen is what the chunk counts for in its path's flight size: the
// chunk with its header, the unit of the PMDCS (§1.3) in which cwnd and
// the rules of §6.1 B and §7.2 count. Counting user data alone would let
// a cwnd of one PMDCS, after a T3-rtx expiry, hold two full chunks where
// §7.2.3 means one packet.
func (c *Chunk) flightLen() int { return c.size + dataHeaderLen }

// enterFlight counts c as outstanding on its path. The peer's window
// (§6.2.1) is charged the user data only, as the receiver counts it.
func (s *Sender) enterFlight(c *Chunk) {
	if c.inFlight {
		return
	}
	c.inFlight = true
	s.flight[c.fpath] += c.flightLen()
	s.total += c.size
}

// leaveFlight stops counting c as outstanding.
func (s *Sender) leaveFlight(c *Chunk) {
	if !c.inFlight {
		return
	}
	c.inFlight = false
	s.flight[c.fpath] -= c.flightLen()
	s.total -= c.size
}
