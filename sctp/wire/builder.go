package wire

// Builder bundles chunks into one packet in a caller's buffer, up to a
// size limit, without allocating once the buffer has grown to that size
// (RFC 9260 §6.10). The zero Builder is unusable; call Start.
//
//	var pb wire.Builder
//	pb.Start(buf[:0], wire.Header{SrcPort: 5000, DstPort: 5000, VTag: tag}, 1452)
//	for _, c := range queued {
//		if !pb.Add(c) {
//			break // send this packet, start another
//		}
//	}
//	pkt := pb.Finish()
type Builder struct {
	buf []byte
	max int
}

// MaxPacketLen is the largest packet Builder makes, whatever limit Start
// is given. Every length field of a chunk, parameter and error cause is 16
// bits wide (RFC 9260 §3.2, §3.2.1), so a chunk longer than 65535 bytes
// cannot be encoded: its length field would wrap. With the packet capped
// here, no chunk Add accepts is longer than MaxPacketLen-HeaderLen, and
// neither is anything nested in it. It is also the most that the 16-bit
// length fields of IPv4 and IPv6 (without jumbograms) let a packet carry.
const MaxPacketLen = 65535

// Start begins a packet with header h in buf (its contents are replaced,
// its capacity reused). max is the largest packet the path carries, in
// bytes of SCTP packet (the path MTU less the IP and any UDP headers); a
// larger max counts as MaxPacketLen.
func (pb *Builder) Start(buf []byte, h Header, max int) {
	h.Checksum = 0
	pb.buf = h.Append(buf[:0])
	pb.max = min(max, MaxPacketLen)
}

// Len returns the packet's length so far.
func (pb *Builder) Len() int { return len(pb.buf) }

// Empty reports whether no chunk has been added yet.
func (pb *Builder) Empty() bool { return len(pb.buf) <= HeaderLen }

// Room returns how many more bytes, padding included, fit in the packet.
func (pb *Builder) Room() int {
	if r := pb.max - len(pb.buf); r > 0 {
		return r
	}
	return 0
}

// Fits reports whether a chunk whose length field is n would still fit,
// with its padding.
func (pb *Builder) Fits(n int) bool { return pad4(n) <= pb.Room() }

// Add appends c if it fits and reports whether it did. A chunk that does
// not fit leaves the packet as it was. Since the packet never exceeds
// MaxPacketLen, a chunk whose Len is above 65535, which would encode with
// a wrapped length field, is always refused.
func (pb *Builder) Add(c Chunker) bool {
	if !pb.Fits(c.Len()) {
		return false
	}
	pb.buf = c.Append(pb.buf)
	return true
}

// Finish computes the checksum and returns the packet. The slice aliases
// the buffer given to Start.
func (pb *Builder) Finish() []byte {
	SetChecksum(pb.buf)
	return pb.buf
}

// Truncate drops what was added after the packet was n bytes long, so
// that a chunk added last can be replaced by a newer one (a SACK
// superseded by the next). n below the common header's length, or beyond
// the packet's length, leaves the packet as it is.
func (pb *Builder) Truncate(n int) {
	if n >= HeaderLen && n <= len(pb.buf) {
		pb.buf = pb.buf[:n]
	}
}
