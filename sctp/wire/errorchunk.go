package wire

// ErrorChunk is an ERROR chunk (RFC 9260 §3.3.10): one or more error
// causes reporting conditions that are not fatal in themselves.
//
// RFC 9260 defines no flag for ERROR (all bits are reserved: zero on
// transmit, ignored on receipt), so there is no T bit here; the flags
// are neither kept nor sent.
type ErrorChunk struct {
	Causes Causes
}

// ChunkType returns ChunkError.
func (e *ErrorChunk) ChunkType() ChunkType { return ChunkError }

// Len returns the chunk length field.
func (e *ErrorChunk) Len() int { return chunkHeaderLen + e.Causes.Len() }

// Append appends the chunk with its padding. An empty Causes encodes an
// ERROR chunk that Decode refuses; senders always include a cause.
func (e *ErrorChunk) Append(b []byte) []byte {
	n := e.Len()
	b = appendChunkHeader(b, ChunkError, 0, n)
	b = e.Causes.appendTo(b)
	return appendPad(b, n)
}

// Decode reads an ERROR chunk and checks that its causes are well-formed
// TLVs; each cause's own Decode reads its value. §3.3.10 says the chunk
// contains one or more causes, and one without any reports nothing, so
// it is refused as malformed.
func (e *ErrorChunk) Decode(c Chunk) error {
	if err := c.expect(ChunkError); err != nil {
		return err
	}
	if c.Len() == chunkHeaderLen {
		return c.err(2, "no error cause")
	}
	cs, err := parseCauses(c.Value(), c.off+chunkHeaderLen)
	if err != nil {
		return err
	}
	e.Causes = cs
	return nil
}
