package wire

import "encoding/binary"

// FORWARD-TSN (RFC 3758 §3.2) and I-FORWARD-TSN (RFC 8260 §2.3.1) carry a
// new cumulative TSN and a list of per-stream entries. As with SACK, a
// decoded list is a view over the received bytes and a list to be sent
// wraps the sender's slice, so neither direction allocates.

const forwardTSNHeaderLen = 8 // chunk header, New Cumulative TSN

// ForwardTSNStream is one entry of a FORWARD-TSN chunk: the largest SSN
// skipped on an ordered stream.
type ForwardTSNStream struct {
	Stream StreamID
	SSN    SSN
}

// ForwardTSNStreamList is the entry list of a FORWARD-TSN chunk: a view
// over received bytes or, from ForwardTSNStreamListOf, a sender's slice.
type ForwardTSNStreamList struct {
	b []byte             // encoded entries, 4 bytes each, when decoded
	s []ForwardTSNStream // the entries, when built by a sender
}

// ForwardTSNStreamListOf wraps entries, without copying, for encoding.
func ForwardTSNStreamListOf(entries []ForwardTSNStream) ForwardTSNStreamList {
	return ForwardTSNStreamList{s: entries}
}

// Len returns the number of entries.
func (l ForwardTSNStreamList) Len() int {
	if l.s != nil {
		return len(l.s)
	}
	return len(l.b) / 4
}

// At returns entry i, 0 <= i < Len().
func (l ForwardTSNStreamList) At(i int) ForwardTSNStream {
	if l.s != nil {
		return l.s[i]
	}
	e := l.b[4*i : 4*i+4]
	return ForwardTSNStream{Stream: StreamID(binary.BigEndian.Uint16(e)), SSN: SSN(binary.BigEndian.Uint16(e[2:]))}
}

func (l ForwardTSNStreamList) appendTo(b []byte) []byte {
	if l.s == nil {
		return append(b, l.b...)
	}
	for _, e := range l.s {
		b = append(b, byte(e.Stream>>8), byte(e.Stream), byte(e.SSN>>8), byte(e.SSN))
	}
	return b
}

// ForwardTSN is a FORWARD-TSN chunk (RFC 3758 §3.2): the receiver is to
// treat every TSN up to NewCumulativeTSN as received, and may deliver
// what was stranded behind the listed SSNs.
type ForwardTSN struct {
	NewCumulativeTSN TSN
	Streams          ForwardTSNStreamList
}

// ChunkType returns ChunkForwardTSN.
func (f *ForwardTSN) ChunkType() ChunkType { return ChunkForwardTSN }

// Len returns the chunk length field.
func (f *ForwardTSN) Len() int { return forwardTSNHeaderLen + 4*f.Streams.Len() }

// Append appends the chunk; its length is a multiple of 4.
func (f *ForwardTSN) Append(b []byte) []byte {
	b = appendChunkHeader(b, ChunkForwardTSN, 0, f.Len())
	b = binary.BigEndian.AppendUint32(b, uint32(f.NewCumulativeTSN))
	return f.Streams.appendTo(b)
}

// Decode reads a FORWARD-TSN chunk. The entries must fill the chunk
// exactly: a partial entry means the length or the list is corrupt. The
// flags are ignored.
func (f *ForwardTSN) Decode(c Chunk) error {
	if err := c.expect(ChunkForwardTSN); err != nil {
		return err
	}
	if c.Len() < forwardTSNHeaderLen {
		return c.err(2, "chunk length below 8")
	}
	if (c.Len()-forwardTSNHeaderLen)%4 != 0 {
		return c.err(2, "stream entries do not fill the chunk length exactly")
	}
	f.NewCumulativeTSN = TSN(binary.BigEndian.Uint32(c.b[4:]))
	f.Streams = ForwardTSNStreamList{b: c.b[forwardTSNHeaderLen:]}
	return nil
}

// iForwardTSNFlagU is the U bit of an I-FORWARD-TSN entry (RFC 8260
// §2.3.1), the lowest bit of the 16-bit field after the stream.
const iForwardTSNFlagU = 0x0001

// IForwardTSNStream is one entry of an I-FORWARD-TSN chunk: the largest
// MID skipped on a stream, for its ordered or its unordered messages.
type IForwardTSNStream struct {
	Stream    StreamID
	Unordered bool // the U bit: MID counts the stream's unordered messages
	MID       MID
}

// IForwardTSNStreamList is the entry list of an I-FORWARD-TSN chunk: a
// view over received bytes or, from IForwardTSNStreamListOf, a sender's
// slice.
type IForwardTSNStreamList struct {
	b []byte              // encoded entries, 8 bytes each, when decoded
	s []IForwardTSNStream // the entries, when built by a sender
}

// IForwardTSNStreamListOf wraps entries, without copying, for encoding.
func IForwardTSNStreamListOf(entries []IForwardTSNStream) IForwardTSNStreamList {
	return IForwardTSNStreamList{s: entries}
}

// Len returns the number of entries.
func (l IForwardTSNStreamList) Len() int {
	if l.s != nil {
		return len(l.s)
	}
	return len(l.b) / 8
}

// At returns entry i, 0 <= i < Len(). The reserved bits are ignored.
func (l IForwardTSNStreamList) At(i int) IForwardTSNStream {
	if l.s != nil {
		return l.s[i]
	}
	e := l.b[8*i : 8*i+8]
	return IForwardTSNStream{
		Stream:    StreamID(binary.BigEndian.Uint16(e)),
		Unordered: binary.BigEndian.Uint16(e[2:])&iForwardTSNFlagU != 0,
		MID:       MID(binary.BigEndian.Uint32(e[4:])),
	}
}

func (l IForwardTSNStreamList) appendTo(b []byte) []byte {
	if l.s == nil {
		return append(b, l.b...)
	}
	for _, e := range l.s {
		var u byte
		if e.Unordered {
			u = iForwardTSNFlagU
		}
		b = append(b, byte(e.Stream>>8), byte(e.Stream), 0, u)
		b = binary.BigEndian.AppendUint32(b, uint32(e.MID))
	}
	return b
}

// IForwardTSN is an I-FORWARD-TSN chunk (RFC 8260 §2.3.1), the form of
// FORWARD-TSN used with I-DATA.
type IForwardTSN struct {
	NewCumulativeTSN TSN
	Streams          IForwardTSNStreamList
}

// ChunkType returns ChunkIForwardTSN.
func (f *IForwardTSN) ChunkType() ChunkType { return ChunkIForwardTSN }

// Len returns the chunk length field.
func (f *IForwardTSN) Len() int { return forwardTSNHeaderLen + 8*f.Streams.Len() }

// Append appends the chunk; its length is a multiple of 4. Reserved bits
// are zero.
func (f *IForwardTSN) Append(b []byte) []byte {
	b = appendChunkHeader(b, ChunkIForwardTSN, 0, f.Len())
	b = binary.BigEndian.AppendUint32(b, uint32(f.NewCumulativeTSN))
	return f.Streams.appendTo(b)
}

// Decode reads an I-FORWARD-TSN chunk. The 8-byte entries must fill the
// chunk exactly. The flags are ignored.
func (f *IForwardTSN) Decode(c Chunk) error {
	if err := c.expect(ChunkIForwardTSN); err != nil {
		return err
	}
	if c.Len() < forwardTSNHeaderLen {
		return c.err(2, "chunk length below 8")
	}
	if (c.Len()-forwardTSNHeaderLen)%8 != 0 {
		return c.err(2, "stream entries do not fill the chunk length exactly")
	}
	f.NewCumulativeTSN = TSN(binary.BigEndian.Uint32(c.b[4:]))
	f.Streams = IForwardTSNStreamList{b: c.b[forwardTSNHeaderLen:]}
	return nil
}
