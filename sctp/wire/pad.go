package wire

// Pad is a PAD chunk (RFC 4820 §3), which enlarges a packet, for example
// to probe the path MTU. The receiver discards it and ignores its padding
// data, so only the amount is kept: the encoder writes Size zero bytes
// (Size clamped to 0..65531, what the length field can hold), and the
// decoder records how many bytes there were. A chunk of Size n takes
// n+4 bytes of packet, plus up to 3 bytes of chunk padding.
type Pad struct {
	Size int // bytes of padding data, not counting the header
}

// ChunkType returns ChunkPad.
func (p *Pad) ChunkType() ChunkType { return ChunkPad }

// Len returns the chunk length field.
func (p *Pad) Len() int { return chunkHeaderLen + clampPadSize(p.Size) }

// Append appends the chunk, its zero padding data and its padding. Flags
// are zero.
func (p *Pad) Append(b []byte) []byte {
	n := p.Len()
	b = appendChunkHeader(b, ChunkPad, 0, n)
	b = appendZeros(b, n-chunkHeaderLen)
	return appendPad(b, n)
}

// Decode reads a PAD chunk of any length. The flags and the padding data
// are ignored on receipt (§3).
func (p *Pad) Decode(c Chunk) error {
	if err := c.expect(ChunkPad); err != nil {
		return err
	}
	p.Size = len(c.Value())
	return nil
}
