package wire

import (
	"encoding/binary"
	"strconv"
)

const chunkHeaderLen = 4

// ChunkType is the type of a chunk (RFC 9260 §3.2, Table 1, and the
// extensions' registrations).
type ChunkType uint8

// Chunk types of RFC 9260 §3.3 and of the extensions this package speaks.
const (
	ChunkData             ChunkType = 0   // RFC 9260 §3.3.1
	ChunkInit             ChunkType = 1   // RFC 9260 §3.3.2
	ChunkInitAck          ChunkType = 2   // RFC 9260 §3.3.3
	ChunkSack             ChunkType = 3   // RFC 9260 §3.3.4
	ChunkHeartbeat        ChunkType = 4   // RFC 9260 §3.3.5
	ChunkHeartbeatAck     ChunkType = 5   // RFC 9260 §3.3.6
	ChunkAbort            ChunkType = 6   // RFC 9260 §3.3.7
	ChunkShutdown         ChunkType = 7   // RFC 9260 §3.3.8
	ChunkShutdownAck      ChunkType = 8   // RFC 9260 §3.3.9
	ChunkError            ChunkType = 9   // RFC 9260 §3.3.10
	ChunkCookieEcho       ChunkType = 10  // RFC 9260 §3.3.11
	ChunkCookieAck        ChunkType = 11  // RFC 9260 §3.3.12
	ChunkShutdownComplete ChunkType = 14  // RFC 9260 §3.3.13
	ChunkAuth             ChunkType = 15  // RFC 4895 §5.1
	ChunkIData            ChunkType = 64  // RFC 8260 §2.1
	ChunkASCONFAck        ChunkType = 128 // RFC 5061 §4.1.2
	ChunkReconfig         ChunkType = 130 // RFC 6525 §3.1
	ChunkPad              ChunkType = 132 // RFC 4820 §3
	ChunkForwardTSN       ChunkType = 192 // RFC 3758 §3.2
	ChunkASCONF           ChunkType = 193 // RFC 5061 §4.1.1
	ChunkIForwardTSN      ChunkType = 194 // RFC 8260 §2.3.1
)

var chunkNames = map[ChunkType]string{
	ChunkData:             "DATA",
	ChunkInit:             "INIT",
	ChunkInitAck:          "INIT ACK",
	ChunkSack:             "SACK",
	ChunkHeartbeat:        "HEARTBEAT",
	ChunkHeartbeatAck:     "HEARTBEAT ACK",
	ChunkAbort:            "ABORT",
	ChunkShutdown:         "SHUTDOWN",
	ChunkShutdownAck:      "SHUTDOWN ACK",
	ChunkError:            "ERROR",
	ChunkCookieEcho:       "COOKIE ECHO",
	ChunkCookieAck:        "COOKIE ACK",
	ChunkShutdownComplete: "SHUTDOWN COMPLETE",
	ChunkAuth:             "AUTH",
	ChunkIData:            "I-DATA",
	ChunkASCONFAck:        "ASCONF-ACK",
	ChunkReconfig:         "RE-CONFIG",
	ChunkPad:              "PAD",
	ChunkForwardTSN:       "FORWARD-TSN",
	ChunkASCONF:           "ASCONF",
	ChunkIForwardTSN:      "I-FORWARD-TSN",
}

// String returns the chunk type's name, or "chunk type N" when unknown.
func (t ChunkType) String() string {
	if s, ok := chunkNames[t]; ok {
		return s
	}
	return "chunk type " + strconv.Itoa(int(t))
}

// Known reports whether this package has a codec for the chunk type.
func (t ChunkType) Known() bool {
	_, ok := chunkNames[t]
	return ok
}

// UnknownAction is what RFC 9260 §3.2 (chunks) and §3.2.1 (parameters)
// tell a receiver to do with a type it does not recognize, encoded in the
// type's two highest-order bits.
type UnknownAction uint8

const (
	// StopDiscard (00): stop processing the packet (for a chunk) or the
	// chunk's parameters (for a parameter); report nothing.
	StopDiscard UnknownAction = 0
	// StopReport (01): stop as with StopDiscard and report the type.
	StopReport UnknownAction = 1
	// Skip (10): skip it and carry on.
	Skip UnknownAction = 2
	// SkipReport (11): skip it, carry on, and report it.
	SkipReport UnknownAction = 3
)

// Stop reports whether processing of the enclosing packet or chunk ends.
func (a UnknownAction) Stop() bool { return a&2 == 0 }

// Report reports whether the unrecognized item is to be reported: for a
// chunk in an ERROR chunk with an Unrecognized Chunk Type cause, for a
// parameter as RFC 9260 §3.2.2 says.
func (a UnknownAction) Report() bool { return a&1 != 0 }

// UnknownAction returns what to do with this chunk type when it is not
// recognized (RFC 9260 §3.2, Table 2).
func (t ChunkType) UnknownAction() UnknownAction { return UnknownAction(t >> 6) }

// Chunk is a view of one chunk: its header and value, without padding. It
// remembers its offset in the buffer it was cut from, so that the errors
// of its decoders name offsets in that buffer.
type Chunk struct {
	b   []byte
	off int
}

// ParseChunk checks that b starts with a well-formed chunk (length at least
// 4, not past the end of b) and returns it. Padding is not required here.
func ParseChunk(b []byte) (Chunk, error) {
	if len(b) < chunkHeaderLen {
		return Chunk{}, parseErr(0, "chunk header", "fewer than 4 bytes left for a chunk header")
	}
	n := int(binary.BigEndian.Uint16(b[2:]))
	if n < chunkHeaderLen {
		return Chunk{}, parseErr(2, ChunkType(b[0]).String()+" chunk", "chunk length below 4")
	}
	if n > len(b) {
		return Chunk{}, parseErr(2, ChunkType(b[0]).String()+" chunk", "chunk length runs past the buffer end")
	}
	return Chunk{b: b[:n:n]}, nil
}

// Type returns the chunk type.
func (c Chunk) Type() ChunkType { return ChunkType(c.b[0]) }

// Flags returns the chunk flags.
func (c Chunk) Flags() uint8 { return c.b[1] }

// Len returns the chunk length field: header and value, without padding.
func (c Chunk) Len() int { return len(c.b) }

// Value returns the chunk value.
func (c Chunk) Value() []byte { return c.b[chunkHeaderLen:] }

// Bytes returns the chunk's header and value, without padding.
func (c Chunk) Bytes() []byte { return c.b }

// Offset returns the chunk's offset in the buffer it was cut from.
func (c Chunk) Offset() int { return c.off }

// IsZero reports whether c is the zero Chunk (no bytes).
func (c Chunk) IsZero() bool { return c.b == nil }

// err builds a ParseError at offset rel inside this chunk.
func (c Chunk) err(rel int, rule string) error {
	return parseErr(c.off+rel, c.Type().String()+" chunk", rule)
}

// expect checks the chunk's type before a typed decoder reads it.
func (c Chunk) expect(t ChunkType) error {
	if c.b == nil {
		return parseErr(c.off, t.String()+" chunk", "no chunk")
	}
	if c.Type() != t {
		return parseErr(c.off, t.String()+" chunk", "chunk is a "+c.Type().String())
	}
	return nil
}

// Chunker is a chunk ready to be encoded: each chunk type's struct
// implements it, so Builder can bundle any of them.
type Chunker interface {
	// ChunkType returns the chunk type.
	ChunkType() ChunkType
	// Len returns the chunk length field: header and value, no padding.
	Len() int
	// Append appends the chunk, with its padding, to b. The encoding is
	// valid only while Len() is at most 65535: the length field is 16
	// bits (RFC 9260 §3.2) and a larger Len is written wrapped. Builder
	// refuses any chunk that would not fit (see MaxPacketLen).
	Append(b []byte) []byte
}

// appendChunkHeader appends a chunk header whose length field is n.
func appendChunkHeader(b []byte, t ChunkType, flags uint8, n int) []byte {
	return append(b, byte(t), flags, byte(n>>8), byte(n))
}

// RawChunk is a chunk of any type kept as its undecoded value: the form an
// unrecognized chunk takes, and an escape hatch for tests that need a chunk
// the typed encoders would refuse to make.
type RawChunk struct {
	Type  ChunkType
	Flags uint8
	Value []byte
}

// ChunkType returns the chunk type.
func (r *RawChunk) ChunkType() ChunkType { return r.Type }

// Len returns the chunk length field.
func (r *RawChunk) Len() int { return chunkHeaderLen + len(r.Value) }

// Append appends the chunk with its padding.
func (r *RawChunk) Append(b []byte) []byte {
	n := r.Len()
	b = appendChunkHeader(b, r.Type, r.Flags, n)
	b = append(b, r.Value...)
	return appendPad(b, n)
}

// Decode takes any chunk as raw type, flags and value (aliasing c).
func (r *RawChunk) Decode(c Chunk) error {
	if c.b == nil {
		return parseErr(c.off, "chunk", "no chunk")
	}
	r.Type, r.Flags, r.Value = c.Type(), c.Flags(), c.Value()
	return nil
}
