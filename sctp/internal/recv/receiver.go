package recv

import (
	"slices"

	"github.com/rserpool/rserpool/sctp/wire"
)

// Message is a user message ready for the upper layer.
type Message struct {
	Stream    wire.StreamID
	SSN       wire.SSN // zero for an unordered message, whose SSN has no meaning (RFC 9260 §3.3.1)
	PPID      wire.PPID
	Unordered bool
	Data      []byte // owned by the receiver of Message
	// FirstTSN and LastTSN are the TSNs of the first and last fragments.
	FirstTSN, LastTSN wire.TSN
}

// StreamSSN is one stream entry of a FORWARD TSN chunk: the largest SSN
// the peer skipped on an ordered stream (RFC 3758 §3.2).
type StreamSSN struct {
	Stream wire.StreamID
	SSN    wire.SSN
}

// Receiver is the receive side of one association. It is not safe for
// concurrent use: the association that owns it serializes the calls.
type Receiver struct {
	window     int
	inStreams  int
	maxMessage int
	maxDups    int

	tsns tsnSet
	dups []wire.TSN // duplicate TSNs for the next SACK, at most maxDups
	held int        // window charge of everything held; at most window

	runs       []run    // fragments being reassembled, sorted by TSN
	spare      [][]byte // run buffers kept for reuse
	spareBytes int

	streams streams
	ready   readyQueue

	cands []revokeCand // scratch for makeRoom

	stats Stats
}

// New returns a Receiver for an association whose peer announced
// peerInitialTSN in its INIT or INIT ACK: the cumulative TSN ack point
// starts one below it (RFC 9260 §3.3.4).
func New(cfg Config, peerInitialTSN wire.TSN) *Receiver {
	cfg = cfg.normalized()
	return &Receiver{
		window:     int(cfg.Window),
		inStreams:  int(cfg.InStreams),
		maxMessage: cfg.MaxMessage,
		maxDups:    cfg.MaxDups,
		tsns:       tsnSet{cum: peerInitialTSN - 1, high: peerInitialTSN - 1, maxRanges: cfg.MaxGaps},
		streams:    streams{pending: make(map[wire.StreamID]*streamQueue)},
	}
}

// Data takes one DATA chunk and says what became of it. d.UserData may
// alias the packet: what is kept is copied. An empty UserData is taken as
// an empty fragment; the caller answers such a chunk as RFC 9260 §6.2 says
// (wire.Data.Decode reports it as wire.ErrNoUserData).
func (r *Receiver) Data(d *wire.Data) Verdict {
	r.stats.Chunks++
	t := d.TSN
	if r.tsns.has(t) {
		// §6.2: "The duplicate TSN number(s) SHOULD be reported in the
		// SACK chunk as duplicate."
		r.stats.Duplicates++
		if len(r.dups) < r.maxDups {
			r.dups = append(r.dups, t)
		}
		return Duplicate
	}
	if t.Sub(r.tsns.cum) > maxTSNAhead || !r.tsns.canAdd(t) {
		return r.drop(OutOfWindow)
	}
	if int(d.Stream) >= r.inStreams {
		// §6.5: "it SHOULD acknowledge the reception of the DATA chunk
		// following the normal procedure, immediately send an ERROR
		// chunk with cause set to "Invalid Stream Identifier" ..., and
		// discard the DATA chunk."
		r.stats.InvalidStream++
		r.accept(t)
		return InvalidStream
	}
	if d.Beginning && d.Ending {
		return r.single(d)
	}
	return r.fragment(d)
}

// single handles an unfragmented message (B and E bits set) whose TSN is
// new and acceptable. Its copy is the only allocation.
func (r *Receiver) single(d *wire.Data) Verdict {
	n := len(d.UserData)
	c := charge(n)
	if n > r.maxMessage || c > r.window {
		return r.drop(TooBig)
	}
	if !r.room(d.TSN, c) {
		return r.drop(NoRoom)
	}
	r.held += c
	m := Message{
		Stream:    d.Stream,
		PPID:      d.PPID,
		Unordered: d.Unordered,
		Data:      slices.Clone(d.UserData),
		FirstTSN:  d.TSN,
		LastTSN:   d.TSN,
	}
	if !d.Unordered {
		m.SSN = d.SSN
	}
	r.deliver(m)
	r.accept(d.TSN)
	r.stats.Accepted++
	return Accepted
}

// accept records TSN t as received and lets the cumulative TSN advance.
func (r *Receiver) accept(t wire.TSN) {
	cum := r.tsns.cum
	r.tsns.add(t)
	if r.tsns.cum != cum {
		r.purgeRuns()
	}
}

// drop counts a chunk dropped with verdict v.
func (r *Receiver) drop(v Verdict) Verdict {
	switch v {
	case NoRoom:
		r.stats.NoRoom++
	case TooBig:
		r.stats.TooBig++
	case OutOfWindow:
		r.stats.OutOfWindow++
	}
	return v
}

// Read returns the next message ready for the user, in delivery order,
// and frees its bytes from the window.
func (r *Receiver) Read() (Message, bool) {
	m, ok := r.ready.pop()
	if ok {
		r.held -= charge(len(m.Data))
		r.stats.Messages++
	}
	return m, ok
}

// Ready returns how many messages Read can return.
func (r *Receiver) Ready() int { return r.ready.len() }

// Rwnd returns the a_rwnd to advertise (RFC 9260 §6.2 B, C): the window
// less the bytes held in reassembly, waiting for their turn in a stream,
// or ready but not yet read. Each message or fragment held is charged at
// least MinCharge bytes.
func (r *Receiver) Rwnd() uint32 {
	if r.held >= r.window {
		return 0
	}
	return uint32(r.window - r.held)
}

// CumTSN returns the cumulative TSN ack point (RFC 9260 §3.3.4).
func (r *Receiver) CumTSN() wire.TSN { return r.tsns.cum }

// HighestTSN returns the highest TSN received and still acknowledged; it
// is CumTSN when nothing above it is held.
func (r *Receiver) HighestTSN() wire.TSN { return r.tsns.highest() }

// HasGaps reports whether TSNs above the cumulative TSN have arrived, so
// that a SACK would carry Gap Ack Blocks (RFC 9260 §6.7 wants one sent at
// once while there are).
func (r *Receiver) HasGaps() bool { return r.tsns.nranges > 0 }
