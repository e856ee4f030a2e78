package send

import (
	"time"

	"github.com/rserpool/rserpool/sctp/wire"
)

// Chunk is one DATA chunk on the outstanding list, from the moment NextNew
// assigns its TSN until a SACK acknowledges it cumulatively. Its exported
// fields are for the caller to read: Data to encode it, Path to choose
// where to send it, SentAt and Sends for the RTT and timers.
type Chunk struct {
	Data   wire.Data // TSN, stream, SSN, PPID, flags; UserData is a sub-slice of the message
	Path   int       // path it was last sent on; after MovePath, the path it is to be retransmitted on
	SentAt time.Time // last transmission
	Sends  int       // transmissions so far

	// The sender's own state. Copies of the TSN, size and flight path are
	// kept here so that the accounting does not depend on exported fields.
	owner     *Sender
	next      *Chunk // free list link while in the pool
	tsn       wire.TSN
	size      int
	fpath     int  // path whose flight size counts the chunk while inFlight
	last      bool // last fragment of its message
	sent      bool
	multiPath bool // sent to more than one path
	inFlight  bool
	gapAcked  bool
	marked    bool   // marked for retransmission, not resent since
	fastRtx   bool   // fast retransmitted once: ineligible for another (§7.2.4 step 5)
	misses    uint8  // miss indications (§7.2.4)
	reneged   uint32 // number of the SACK that found it reneged, so that SACK counts one miss only
}

// GapAcked reports whether the peer's latest SACK acknowledged the chunk by
// a Gap Ack Block. Such a chunk stays on the outstanding list until the
// Cumulative TSN Ack covers it, because the peer may still renege on it
// (RFC 9260 §6.2.1 D iii).
func (c *Chunk) GapAcked() bool { return c.gapAcked }

// MarkedForRetransmission reports whether the chunk waits to be
// retransmitted (T3-rtx expiry or Fast Retransmit).
func (c *Chunk) MarkedForRetransmission() bool { return c.marked }

// FastRetransmitted reports whether the chunk was once marked for Fast
// Retransmit, which makes it ineligible for another (RFC 9260 §7.2.4
// step 5).
func (c *Chunk) FastRetransmitted() bool { return c.fastRtx }

// MissIndications returns the miss indications counted towards Fast
// Retransmit (RFC 9260 §7.2.4) since the chunk was last marked by T3-rtx.
func (c *Chunk) MissIndications() int { return int(c.misses) }

// InFlight reports whether the chunk counts in its path's flight size.
func (c *Chunk) InFlight() bool { return c.inFlight }

// slabSize is how many Chunks the pool allocates at once.
const slabSize = 64

// chunkPool recycles Chunks so that sending and acknowledging allocate
// nothing once the pool has grown to the largest outstanding list.
type chunkPool struct{ free *Chunk }

func (p *chunkPool) get(owner *Sender) *Chunk {
	if p.free == nil {
		slab := make([]Chunk, slabSize)
		for i := range slab {
			slab[i].next = p.free
			p.free = &slab[i]
		}
	}
	c := p.free
	p.free = c.next
	c.next = nil
	c.owner = owner
	return c
}

// put clears c, dropping its reference to the message's bytes, and
// returns it to the pool. A stale pointer the caller still holds then
// fails Sent's ownership check.
func (p *chunkPool) put(c *Chunk) {
	*c = Chunk{next: p.free}
	p.free = c
}
