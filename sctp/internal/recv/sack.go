package recv

import "github.com/rserpool/rserpool/sctp/wire"

// AppendSack fills *s with what the next SACK chunk reports (RFC 9260
// §3.3.4, §6.2): the cumulative TSN, the current a_rwnd, the Gap Ack
// Blocks and the duplicate TSNs received since the last SACK. The lists
// are built in the caller's scratch slices (appended to gaps[:0] and
// dups[:0]) and *s refers to them until the next call; nothing is
// allocated when each has capacity for (maxLen-16)/4 entries.
//
// The chunk is kept within maxLen bytes (its header, 16 bytes, always
// goes in): Gap Ack Blocks first, lowest TSNs first, since §6.2 says the
// endpoint "MUST report as many Gap Ack Blocks as can fit in a single
// SACK chunk", and duplicates in what room is left, since they only
// "SHOULD be reported". The duplicate list then starts afresh, those that
// did not fit included: "The duplicate count is reinitialized to zero
// after sending each SACK chunk" (§3.3.4).
func (r *Receiver) AppendSack(s *wire.Sack, gaps []wire.GapBlock, dups []wire.TSN, maxLen int) {
	room := 0
	if maxLen > sackHeaderLen {
		room = min((maxLen-sackHeaderLen)/4, maxSackEntries)
	}
	ng := min(r.tsns.nranges, room)
	gaps = r.tsns.appendGaps(gaps[:0], ng)
	nd := min(len(r.dups), room-ng)
	dups = append(dups[:0], r.dups[:nd]...)
	r.dups = r.dups[:0]
	*s = wire.Sack{
		CumTSNAck: r.tsns.cum,
		ARwnd:     r.Rwnd(),
		GapBlocks: wire.GapBlockListOf(gaps),
		DupTSNs:   wire.TSNListOf(dups),
	}
}
