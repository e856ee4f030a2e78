package wire

import (
	"encoding/binary"
	"slices"
)

// HeaderLen is the size of the SCTP common header (RFC 9260 §3.1).
const HeaderLen = 12

// Header is the SCTP common header (RFC 9260 §3.1).
type Header struct {
	SrcPort  uint16
	DstPort  uint16
	VTag     VTag
	Checksum uint32 // as found on the wire; Builder computes it
}

// Append appends the common header with the checksum as given.
func (h Header) Append(b []byte) []byte {
	b = binary.BigEndian.AppendUint16(b, h.SrcPort)
	b = binary.BigEndian.AppendUint16(b, h.DstPort)
	b = binary.BigEndian.AppendUint32(b, uint32(h.VTag))
	return binary.LittleEndian.AppendUint32(b, h.Checksum)
}

// Packet is a view of one SCTP packet: the common header followed by
// chunks. It references the caller's bytes; nothing is copied.
type Packet []byte

// ParsePacket checks that b holds a well-formed SCTP packet: a complete
// common header and a sequence of chunks whose lengths are at least 4 and
// whose padded ends stay inside the packet (RFC 9260 §3.2). It does not
// verify the checksum (see VerifyChecksum) nor decode the chunks' values:
// each chunk type's Decode does that. A packet with no chunks is valid
// here; RFC 9260 §3 requires at least one, which the receiver enforces.
func ParsePacket(b []byte) (Packet, error) {
	if len(b) < HeaderLen {
		return nil, errShortPacket()
	}
	it := ChunkIter{b: b, off: HeaderLen}
	for {
		if _, ok := it.Next(); !ok {
			break
		}
	}
	if it.err != nil {
		return nil, it.err
	}
	return Packet(b), nil
}

// Header returns the common header.
func (p Packet) Header() Header {
	return Header{
		SrcPort:  binary.BigEndian.Uint16(p[0:2]),
		DstPort:  binary.BigEndian.Uint16(p[2:4]),
		VTag:     VTag(binary.BigEndian.Uint32(p[4:8])),
		Checksum: binary.LittleEndian.Uint32(p[8:12]),
	}
}

// SrcPort returns the source port.
func (p Packet) SrcPort() uint16 { return binary.BigEndian.Uint16(p[0:2]) }

// DstPort returns the destination port.
func (p Packet) DstPort() uint16 { return binary.BigEndian.Uint16(p[2:4]) }

// VTag returns the verification tag.
func (p Packet) VTag() VTag { return VTag(binary.BigEndian.Uint32(p[4:8])) }

// VerifyChecksum reports whether the packet's CRC32c is correct.
func (p Packet) VerifyChecksum() bool { return VerifyChecksum(p) }

// Chunks returns an iterator over the packet's chunks. For a packet
// shorter than the common header, which ParsePacket would have refused,
// the iterator yields nothing and Err returns that framing error.
func (p Packet) Chunks() ChunkIter {
	if len(p) < HeaderLen {
		return ChunkIter{b: p, off: HeaderLen, err: errShortPacket()}
	}
	return ChunkIter{b: p, off: HeaderLen}
}

// errShortPacket is the error of a packet without a whole common header.
func errShortPacket() error {
	return parseErr(0, "common header", "packet shorter than 12 bytes")
}

// ChunkIter walks the chunks of a packet without allocating:
//
//	it := pkt.Chunks()
//	for c, ok := it.Next(); ok; c, ok = it.Next() { ... }
//	if err := it.Err(); err != nil { ... }
type ChunkIter struct {
	b   []byte
	off int
	err error
}

// Next returns the next chunk, or false at the end of the packet, on a
// malformed chunk header or on a packet too short for the common header
// (then Err says why).
func (it *ChunkIter) Next() (Chunk, bool) {
	if it.err != nil || it.off >= len(it.b) {
		return Chunk{}, false
	}
	c, next, err := splitChunk(it.b, it.off)
	if err != nil {
		it.err = err
		return Chunk{}, false
	}
	it.off = next
	return c, true
}

// Err returns the error that stopped the iteration, if any.
func (it *ChunkIter) Err() error { return it.err }

// Offset returns the offset in the packet of the chunk Next returns next.
func (it *ChunkIter) Offset() int { return it.off }

// splitChunk cuts the chunk at off out of b and returns the offset of the
// one after it. RFC 9260 §3.2: the length counts the 4-byte header and
// excludes padding up to a multiple of 4, and "the sender MUST pad the
// chunk", the last one included. So a chunk whose padding runs past the
// packet end is malformed, unlike a parameter or cause whose padding the
// end of its list cuts short (internal/tlv).
func splitChunk(b []byte, off int) (Chunk, int, error) {
	if len(b)-off < chunkHeaderLen {
		return Chunk{}, 0, parseErr(off, "chunk header", "fewer than 4 bytes left for a chunk header")
	}
	n := int(binary.BigEndian.Uint16(b[off+2:]))
	if n < chunkHeaderLen {
		return Chunk{}, 0, parseErr(off+2, ChunkType(b[off]).String()+" chunk", "chunk length below 4")
	}
	if n > len(b)-off {
		return Chunk{}, 0, parseErr(off+2, ChunkType(b[off]).String()+" chunk", "chunk length runs past the packet end")
	}
	padded := pad4(n)
	if padded > len(b)-off {
		return Chunk{}, 0, parseErr(off+n, ChunkType(b[off]).String()+" chunk", "chunk padding runs past the packet end")
	}
	return Chunk{b: b[off : off+n : off+n], off: off}, off + padded, nil
}

// appendZeros appends n zero bytes, growing b at most once and never
// allocating when b has room (unlike append(b, make([]byte, n)...), which
// only the optimizing compiler turns into a clear).
func appendZeros(b []byte, n int) []byte {
	b = slices.Grow(b, n)
	l := len(b)
	b = b[:l+n]
	clear(b[l:])
	return b
}

// Walk applies RFC 9260 §3.2 to the packet's chunks in order: it calls
// handle for each chunk whose type known accepts, and for any other chunk
// acts on the type's upper two bits: report(c) when they ask for a report
// (in an ERROR chunk with an Unrecognized Chunk Type cause), then either
// skip it or stop. Chunks handled before a stop stay handled; nothing
// after it is looked at. Walk returns stopped=true when an unrecognized
// chunk ended the walk, and the framing error, if any, of a packet that
// was not checked by ParsePacket: a packet shorter than the common header
// is such an error, not an empty packet. report may be nil.
func (p Packet) Walk(known func(ChunkType) bool, handle func(Chunk), report func(Chunk)) (stopped bool, err error) {
	it := p.Chunks()
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		if known(c.Type()) {
			handle(c)
			continue
		}
		a := c.Type().UnknownAction()
		if a.Report() && report != nil {
			report(c)
		}
		if a.Stop() {
			return true, nil
		}
	}
	return false, it.Err()
}
