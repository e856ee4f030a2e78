package wire

// abortFlagT is the T bit of ABORT (RFC 9260 §3.3.7).
const abortFlagT = 0x01

// Abort is an ABORT chunk (RFC 9260 §3.3.7). Causes may be empty: an
// ABORT need not say why.
type Abort struct {
	// TBit set means the packet's Verification Tag is the one received,
	// reflected, rather than the peer's own tag: what an endpoint sends
	// when it has no TCB for the packet it answers (§8.4, §8.5.1).
	TBit   bool
	Causes Causes
}

// ChunkType returns ChunkAbort.
func (a *Abort) ChunkType() ChunkType { return ChunkAbort }

// Len returns the chunk length field.
func (a *Abort) Len() int { return chunkHeaderLen + a.Causes.Len() }

// Append appends the chunk with its padding.
func (a *Abort) Append(b []byte) []byte {
	var flags uint8
	if a.TBit {
		flags = abortFlagT
	}
	n := a.Len()
	b = appendChunkHeader(b, ChunkAbort, flags, n)
	b = a.Causes.appendTo(b)
	return appendPad(b, n)
}

// Decode reads an ABORT chunk and checks that its causes are well-formed
// TLVs; each cause's own Decode reads its value. The reserved flag bits
// are ignored. §3.3.7 has a receiver silently discard an ABORT with a
// format error, so the caller drops the chunk on any error.
func (a *Abort) Decode(c Chunk) error {
	if err := c.expect(ChunkAbort); err != nil {
		return err
	}
	cs, err := parseCauses(c.Value(), c.off+chunkHeaderLen)
	if err != nil {
		return err
	}
	a.TBit = c.Flags()&abortFlagT != 0
	a.Causes = cs
	return nil
}
