package wire

import "encoding/binary"

// This file holds SHUTDOWN (RFC 9260 §3.3.8), SHUTDOWN ACK (§3.3.9) and
// SHUTDOWN COMPLETE (§3.3.13). Their figures fix their lengths (8, 4 and
// 4) for senders; a receiver reads the fixed fields and ignores bytes
// after them (see the package documentation), so only a SHUTDOWN too
// short for its Cumulative TSN Ack is malformed.

const shutdownLen = chunkHeaderLen + 4

// shutdownCompleteTBit is the T bit of SHUTDOWN COMPLETE (RFC 9260
// §3.3.13).
const shutdownCompleteTBit = 0x01

// Shutdown is a SHUTDOWN chunk (RFC 9260 §3.3.8).
type Shutdown struct {
	CumTSNAck TSN // Cumulative TSN Ack
}

// ChunkType returns ChunkShutdown.
func (s *Shutdown) ChunkType() ChunkType { return ChunkShutdown }

// Len returns the chunk length field, 8.
func (s *Shutdown) Len() int { return shutdownLen }

// Append appends the chunk. Flags are zero.
func (s *Shutdown) Append(b []byte) []byte {
	b = appendChunkHeader(b, ChunkShutdown, 0, shutdownLen)
	return binary.BigEndian.AppendUint32(b, uint32(s.CumTSNAck))
}

// Decode reads a SHUTDOWN chunk, whose length §3.3.8 sets to 8: a shorter
// chunk is malformed, bytes after the Cumulative TSN Ack are ignored. The
// flags are ignored on receipt.
func (s *Shutdown) Decode(c Chunk) error {
	if err := c.expect(ChunkShutdown); err != nil {
		return err
	}
	if c.Len() < shutdownLen {
		return c.err(2, "chunk length below 8")
	}
	s.CumTSNAck = TSN(binary.BigEndian.Uint32(c.b[4:]))
	return nil
}

// ShutdownAck is a SHUTDOWN ACK chunk (RFC 9260 §3.3.9), which has no
// value.
type ShutdownAck struct{}

// ChunkType returns ChunkShutdownAck.
func (s *ShutdownAck) ChunkType() ChunkType { return ChunkShutdownAck }

// Len returns the chunk length field, 4.
func (s *ShutdownAck) Len() int { return chunkHeaderLen }

// Append appends the chunk. Flags are zero.
func (s *ShutdownAck) Append(b []byte) []byte {
	return appendChunkHeader(b, ChunkShutdownAck, 0, chunkHeaderLen)
}

// Decode reads a SHUTDOWN ACK chunk, whose length §3.3.9 fixes at 4 for
// senders; a value is ignored. The flags are ignored on receipt.
func (s *ShutdownAck) Decode(c Chunk) error {
	return c.expect(ChunkShutdownAck)
}

// ShutdownComplete is a SHUTDOWN COMPLETE chunk (RFC 9260 §3.3.13). TBit
// set means the packet's Verification Tag is the one received, reflected,
// rather than the peer's own tag; the receiver verifies the packet
// accordingly (§8.5.1).
type ShutdownComplete struct {
	TBit bool
}

// ChunkType returns ChunkShutdownComplete.
func (s *ShutdownComplete) ChunkType() ChunkType { return ChunkShutdownComplete }

// Len returns the chunk length field, 4.
func (s *ShutdownComplete) Len() int { return chunkHeaderLen }

// Append appends the chunk. The reserved flag bits are zero.
func (s *ShutdownComplete) Append(b []byte) []byte {
	var f uint8
	if s.TBit {
		f = shutdownCompleteTBit
	}
	return appendChunkHeader(b, ChunkShutdownComplete, f, chunkHeaderLen)
}

// Decode reads a SHUTDOWN COMPLETE chunk, whose length §3.3.13 fixes at 4
// for senders; a value is ignored. The reserved flag bits are ignored on
// receipt.
func (s *ShutdownComplete) Decode(c Chunk) error {
	if err := c.expect(ChunkShutdownComplete); err != nil {
		return err
	}
	s.TBit = c.Flags()&shutdownCompleteTBit != 0
	return nil
}
