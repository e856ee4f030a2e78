package wire

// This file holds COOKIE ECHO (RFC 9260 §3.3.11) and COOKIE ACK
// (§3.3.12).

// CookieEcho is a COOKIE ECHO chunk (RFC 9260 §3.3.11). Its whole value is
// the cookie taken from the State Cookie parameter of the INIT ACK, so any
// length is well-formed here; the cookie's maker judges it (§5.1.5).
// Cookie aliases the decoded packet.
type CookieEcho struct {
	Cookie []byte
}

// ChunkType returns ChunkCookieEcho.
func (e *CookieEcho) ChunkType() ChunkType { return ChunkCookieEcho }

// Len returns the chunk length field.
func (e *CookieEcho) Len() int { return chunkHeaderLen + len(e.Cookie) }

// Append appends the chunk with its padding. Flags are zero.
func (e *CookieEcho) Append(b []byte) []byte {
	n := e.Len()
	b = appendChunkHeader(b, ChunkCookieEcho, 0, n)
	b = append(b, e.Cookie...)
	return appendPad(b, n)
}

// Decode reads a COOKIE ECHO chunk. The flags are ignored on receipt.
func (e *CookieEcho) Decode(c Chunk) error {
	if err := c.expect(ChunkCookieEcho); err != nil {
		return err
	}
	e.Cookie = c.Value()
	return nil
}

// CookieAck is a COOKIE ACK chunk (RFC 9260 §3.3.12), which has no value.
type CookieAck struct{}

// ChunkType returns ChunkCookieAck.
func (a *CookieAck) ChunkType() ChunkType { return ChunkCookieAck }

// Len returns the chunk length field, 4.
func (a *CookieAck) Len() int { return chunkHeaderLen }

// Append appends the chunk. Flags are zero.
func (a *CookieAck) Append(b []byte) []byte {
	return appendChunkHeader(b, ChunkCookieAck, 0, chunkHeaderLen)
}

// Decode reads a COOKIE ACK chunk. The figure of §3.3.12 fixes its length
// at 4 for senders; a value is ignored (see the package documentation).
// The flags are ignored.
func (a *CookieAck) Decode(c Chunk) error {
	return c.expect(ChunkCookieAck)
}
