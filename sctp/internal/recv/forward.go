package recv

import "github.com/rserpool/rserpool/sctp/wire"

// ForwardTSN applies a FORWARD TSN chunk (RFC 3758 §3.6). The cumulative
// TSN moves to newCum and on over any TSNs received after it; fragments at
// or below newCum are dropped, since the messages they belong to were
// abandoned by the peer and can never be completed; and on each listed
// stream the messages up to the listed SSN are made ready, after which the
// stream waits for the SSN that follows.
//
// A newCum at or below the cumulative TSN is out of date: §3.6 says the
// receiver "MUST NOT update its Cumulative TSN", and the chunk is ignored.
// The caller SACKs it as it would a DATA chunk, at once when it is out of
// date (§3.6: "such a duplicate may indicate the previous SACK was lost").
// Entries for streams at or above Config.InStreams are ignored.
func (r *Receiver) ForwardTSN(newCum wire.TSN, streams []StreamSSN) {
	d := newCum.Sub(r.tsns.cum)
	if d <= 0 {
		return
	}
	// Runs are compared with the old cumulative TSN, which they are all
	// near, before it moves, perhaps far.
	for i := 0; i < len(r.runs); {
		if r.runs[i].first.Sub(r.tsns.cum) > d {
			break // sorted: the rest start after newCum
		}
		r.dropRun(i)
		r.stats.Abandoned++
	}
	r.tsns.forward(newCum)
	r.purgeRuns()
	for _, e := range streams {
		r.skipTo(e.Stream, e.SSN)
	}
}
