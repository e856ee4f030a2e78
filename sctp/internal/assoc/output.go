package assoc

import (
	"net/netip"

	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/wire"
)

// encodedChunk is a chunk kept in its wire form, such as the INIT or
// COOKIE ECHO an association retransmits as it first sent it.
type encodedChunk []byte

func (c encodedChunk) ChunkType() wire.ChunkType { return wire.ChunkType(c[0]) }
func (c encodedChunk) Len() int                  { return len(c) }
func (c encodedChunk) Append(b []byte) []byte {
	b = append(b, c...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// outbox collects the packets an association or endpoint emits until the
// runtime takes them. Buffers are reused from one Take to the next, so a
// taken packet is valid until the next call that emits.
type outbox struct {
	pkts []lower.Packet
	free [][]byte

	pb     wire.Builder
	open   bool
	src    netip.AddrPort
	dst    netip.AddrPort
	tag    wire.VTag
	sport  uint16
	dport  uint16
	maxLen int

	// sackEnd is where the last SACK added to the open packet ends,
	// while nothing followed it.
	sackEnd int
}

// add appends chunk c to the packet being built for (src, dst, tag),
// starting a new packet when the open one goes elsewhere or is full.
// A chunk larger than maxLen goes alone in a packet of its own size: a
// chunk is never dropped here (§6.9 fragments DATA before it gets here,
// control chunks are small).
func (o *outbox) add(src, dst netip.AddrPort, sport, dport uint16, tag wire.VTag, maxLen int, c wire.Chunker) {
	if o.open && (o.src != src || o.dst != dst || o.tag != tag || o.sport != sport || o.dport != dport) {
		o.finish()
	}
	if o.open && !o.pb.Fits(c.Len()) {
		o.finish()
	}
	if !o.open {
		o.start(src, dst, sport, dport, tag, max(maxLen, wire.HeaderLen+((c.Len()+3)&^3)))
	}
	if c.ChunkType() == wire.ChunkSack && o.sackEnd > 0 && o.pb.Len() == o.sackEnd {
		// A second SACK goes in a packet of its own. §6.2 asks for a
		// SACK every second packet, and the sender's ack clock needs
		// them all: the SACKs of a batch of received packets folded
		// into one would let the sender's Max.Burst (§6.1 D) release
		// only four packets per round trip.
		o.finish()
		o.start(src, dst, sport, dport, tag, max(maxLen, wire.HeaderLen+((c.Len()+3)&^3)))
	}
	o.pb.Add(c)
	o.sackEnd = 0
	if c.ChunkType() == wire.ChunkSack {
		o.sackEnd = o.pb.Len()
	}
}

func (o *outbox) start(src, dst netip.AddrPort, sport, dport uint16, tag wire.VTag, maxLen int) {
	var buf []byte
	if n := len(o.free); n > 0 {
		buf, o.free = o.free[n-1], o.free[:n-1]
	} else {
		buf = make([]byte, 0, max(maxLen, 1500))
	}
	o.pb.Start(buf, wire.Header{SrcPort: sport, DstPort: dport, VTag: tag}, maxLen)
	o.open, o.src, o.dst, o.tag, o.sport, o.dport, o.maxLen = true, src, dst, tag, sport, dport, maxLen
}

// finish closes the open packet, computing its checksum.
func (o *outbox) finish() {
	if !o.open {
		return
	}
	o.open = false
	o.sackEnd = 0
	if o.pb.Empty() {
		return
	}
	o.pkts = append(o.pkts, lower.Packet{Buf: o.pb.Finish(), Src: o.src, Dst: o.dst})
}

// discard drops what was emitted and not taken.
func (o *outbox) discard() {
	o.take()
}

// take returns the packets emitted so far. They stay valid until the
// next take; their buffers are then reused.
func (o *outbox) take() []lower.Packet {
	o.finish()
	pkts := o.pkts
	for i := range o.pkts {
		o.free = append(o.free, o.pkts[i].Buf[:0])
	}
	o.pkts = o.pkts[:0]
	return pkts
}
