package recv

// Stats counts what the receiver did.
type Stats struct {
	Chunks     uint64 // DATA chunks passed to Data
	Accepted   uint64 // chunks held (verdict Accepted)
	Duplicates uint64 // chunks whose TSN was already received
	// Dropped, by verdict.
	NoRoom        uint64
	InvalidStream uint64 // acknowledged, data discarded
	TooBig        uint64
	OutOfWindow   uint64
	// Revoked counts the fragment runs and waiting messages dropped after
	// being acknowledged in Gap Ack Blocks, to make room for a lower TSN
	// (RFC 9260 §6.2).
	Revoked uint64
	// Abandoned counts the fragment runs dropped because they can never
	// be completed: skipped by a FORWARD TSN, or cut off by a chunk that
	// does not belong to their message.
	Abandoned uint64
	// Discarded counts complete ordered messages dropped because their
	// SSN was behind their stream's or repeated one already waiting.
	Discarded uint64
	Messages  uint64 // messages returned by Read
	BytesHeld int    // window charge of everything held: Window - Rwnd()
}

// Stats returns the counters.
func (r *Receiver) Stats() Stats {
	s := r.stats
	s.BytesHeld = r.held
	return s
}
