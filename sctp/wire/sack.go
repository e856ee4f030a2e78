package wire

import "encoding/binary"

// SACK (RFC 9260 §3.3.4) is sent for nearly every other DATA chunk, so
// both directions of its codec work without allocating: a decoded SACK's
// lists are views over the received bytes, and a SACK to be sent wraps the
// sender's own slices (GapBlockListOf, TSNListOf), which Append encodes
// straight into the packet buffer.

const sackHeaderLen = 16 // chunk header, Cumulative TSN Ack, a_rwnd, two counts

// GapBlock is one Gap Ack Block (RFC 9260 §3.3.4): the TSNs from
// CumTSNAck+Start to CumTSNAck+End, both included, have arrived.
type GapBlock struct {
	Start uint16 // offset of the lowest TSN of the block from CumTSNAck
	End   uint16 // offset of the highest TSN of the block from CumTSNAck
}

// Valid reports whether the block has the shape RFC 9260 §3.3.4 defines:
// Start names the lowest TSN and End the highest, and every TSN a block
// acknowledges follows the Cumulative TSN Ack, so 1 <= Start <= End.
//
// The decoder does not reject other blocks. Which TSNs a SACK acknowledges
// is for SACK processing (§6.2.1) to judge; refusing the whole chunk would
// also throw away its Cumulative TSN Ack and a_rwnd, which are still good.
// The receiver may skip such a block or answer it as a Protocol Violation
// (§3.3.10.13).
func (g GapBlock) Valid() bool { return g.Start != 0 && g.Start <= g.End }

// GapBlockList is the Gap Ack Block list of a SACK chunk. Decoding makes it
// a view over the received bytes; GapBlockListOf makes it wrap a slice to
// be sent. Reading and encoding either form allocate nothing. The list is
// valid only as long as the bytes or the slice behind it.
type GapBlockList struct {
	b []byte     // encoded blocks, 4 bytes each, when decoded
	s []GapBlock // the blocks, when built by a sender
}

// GapBlockListOf wraps gaps, without copying, for encoding.
func GapBlockListOf(gaps []GapBlock) GapBlockList { return GapBlockList{s: gaps} }

// Len returns the number of blocks.
func (l GapBlockList) Len() int {
	if l.s != nil {
		return len(l.s)
	}
	return len(l.b) / 4
}

// At returns block i, 0 <= i < Len().
func (l GapBlockList) At(i int) GapBlock {
	if l.s != nil {
		return l.s[i]
	}
	e := l.b[4*i : 4*i+4]
	return GapBlock{Start: binary.BigEndian.Uint16(e), End: binary.BigEndian.Uint16(e[2:])}
}

func (l GapBlockList) appendTo(b []byte) []byte {
	if l.s == nil {
		return append(b, l.b...)
	}
	for _, g := range l.s {
		b = append(b, byte(g.Start>>8), byte(g.Start), byte(g.End>>8), byte(g.End))
	}
	return b
}

// TSNList is a list of TSNs, such as the duplicate TSNs of a SACK chunk:
// a view over received bytes or, from TSNListOf, a sender's slice.
type TSNList struct {
	b []byte // encoded TSNs, 4 bytes each, when decoded
	s []TSN  // the TSNs, when built by a sender
}

// TSNListOf wraps tsns, without copying, for encoding.
func TSNListOf(tsns []TSN) TSNList { return TSNList{s: tsns} }

// Len returns the number of TSNs.
func (l TSNList) Len() int {
	if l.s != nil {
		return len(l.s)
	}
	return len(l.b) / 4
}

// At returns TSN i, 0 <= i < Len().
func (l TSNList) At(i int) TSN {
	if l.s != nil {
		return l.s[i]
	}
	return TSN(binary.BigEndian.Uint32(l.b[4*i : 4*i+4]))
}

func (l TSNList) appendTo(b []byte) []byte {
	if l.s == nil {
		return append(b, l.b...)
	}
	for _, t := range l.s {
		b = binary.BigEndian.AppendUint32(b, uint32(t))
	}
	return b
}

// Sack is a SACK chunk (RFC 9260 §3.3.4).
//
// The chunk counts its blocks and duplicates in 16-bit fields and its
// length in a 16-bit field, so a sender keeps GapBlocks.Len() +
// DupTSNs.Len() at most 16379; larger lists encode as a corrupt chunk,
// which Builder refuses. How many to send is the sender's choice: RFC
// 9260 §6.2 says it "MUST report as many Gap Ack Blocks as can fit in a
// single SACK chunk such that the size of the SCTP packet does not exceed
// the current PMTU", which concerns gap blocks only and is a lower bound
// (report at least that many when there are that many), and says of
// duplicates only that they "SHOULD be reported".
type Sack struct {
	CumTSNAck TSN          // Cumulative TSN Ack
	ARwnd     uint32       // Advertised Receiver Window Credit, in bytes
	GapBlocks GapBlockList // Gap Ack Blocks, in the order received
	DupTSNs   TSNList      // Duplicate TSNs, in the order received
}

// ChunkType returns ChunkSack.
func (s *Sack) ChunkType() ChunkType { return ChunkSack }

// Len returns the chunk length field.
func (s *Sack) Len() int { return sackHeaderLen + 4*(s.GapBlocks.Len()+s.DupTSNs.Len()) }

// Append appends the chunk. Its length is a multiple of 4, so it has no
// padding.
func (s *Sack) Append(b []byte) []byte {
	b = appendChunkHeader(b, ChunkSack, 0, s.Len())
	b = binary.BigEndian.AppendUint32(b, uint32(s.CumTSNAck))
	b = binary.BigEndian.AppendUint32(b, s.ARwnd)
	b = binary.BigEndian.AppendUint16(b, uint16(s.GapBlocks.Len()))
	b = binary.BigEndian.AppendUint16(b, uint16(s.DupTSNs.Len()))
	b = s.GapBlocks.appendTo(b)
	return s.DupTSNs.appendTo(b)
}

// Decode reads a SACK chunk. The chunk length must hold the gap blocks and
// duplicate TSNs the two counts announce; a shorter one leaves no way to
// tell which of the three is wrong, so the chunk is refused whole. Bytes
// after the counted entries are ignored, as after any fixed fields (see
// the package documentation), and dropped on re-encoding. The flags are
// ignored (§3.3.4).
func (s *Sack) Decode(c Chunk) error {
	if err := c.expect(ChunkSack); err != nil {
		return err
	}
	if c.Len() < sackHeaderLen {
		return c.err(2, "chunk length below 16")
	}
	v := c.b
	ng := int(binary.BigEndian.Uint16(v[12:]))
	nd := int(binary.BigEndian.Uint16(v[14:]))
	end := sackHeaderLen + 4*(ng+nd)
	if c.Len() < end {
		return c.err(12, "gap blocks and duplicate TSNs run past the chunk length")
	}
	g := sackHeaderLen + 4*ng
	s.CumTSNAck = TSN(binary.BigEndian.Uint32(v[4:]))
	s.ARwnd = binary.BigEndian.Uint32(v[8:])
	s.GapBlocks = GapBlockList{b: v[sackHeaderLen:g:g]}
	s.DupTSNs = TSNList{b: v[g:end:end]}
	return nil
}
