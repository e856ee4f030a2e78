package recv

import "strconv"

// Verdict is what Receiver.Data did with a DATA chunk, and so what the
// caller owes the peer.
type Verdict int

const (
	// Accepted: the chunk is new and held; its TSN is acknowledged.
	Accepted Verdict = iota
	// Duplicate: the TSN was already received (at or below the cumulative
	// TSN, or in a Gap Ack Block). It is reported in the next SACK, which
	// RFC 9260 §6.2 wants sent at once when a packet holds only
	// duplicates.
	Duplicate
	// NoRoom: the chunk did not fit in the receive window and was dropped
	// without being acknowledged (§6.2). The caller MUST send a SACK at
	// once.
	NoRoom
	// InvalidStream: the stream identifier is at or above the negotiated
	// number of inbound streams. The TSN is acknowledged as usual and the
	// data discarded; the caller sends an ERROR chunk with an Invalid
	// Stream Identifier cause (§6.5).
	InvalidStream
	// TooBig: the user message is larger than Config.MaxMessage, or its
	// fragments would need more than the whole window, so it can never be
	// reassembled. The chunk is not acknowledged; the caller aborts the
	// association.
	TooBig
	// OutOfWindow: the TSN is too far above the cumulative TSN to be
	// reported in a Gap Ack Block, or would open a Gap Ack Block beyond
	// Config.MaxGaps. The chunk is dropped without being acknowledged;
	// the peer retransmits it once the holes below have filled.
	OutOfWindow
	numVerdicts
)

var verdictNames = [numVerdicts]string{
	Accepted:      "accepted",
	Duplicate:     "duplicate",
	NoRoom:        "no room",
	InvalidStream: "invalid stream",
	TooBig:        "too big",
	OutOfWindow:   "out of window",
}

// String names the verdict.
func (v Verdict) String() string {
	if v >= 0 && v < numVerdicts {
		return verdictNames[v]
	}
	return "Verdict(" + strconv.Itoa(int(v)) + ")"
}
