package wire

import (
	"bytes"
	"errors"
	"testing"
)

// decoder is what every chunk, parameter and cause struct implements next
// to its encoder.
type chunkDecoder interface {
	Chunker
	Decode(Chunk) error
}

// roundTripChunk encodes in, checks the encoding's length and padding,
// decodes it into out, re-encodes out and checks the two encodings are the
// same bytes. It returns the first encoding.
func roundTripChunk(t *testing.T, in Chunker, out chunkDecoder) []byte {
	t.Helper()
	enc := in.Append(nil)
	if len(enc) != pad4(in.Len()) {
		t.Fatalf("%v: encoded %d bytes, want Len %d padded to %d", in.ChunkType(), len(enc), in.Len(), pad4(in.Len()))
	}
	c, err := ParseChunk(enc)
	if err != nil {
		t.Fatalf("%v: ParseChunk: %v", in.ChunkType(), err)
	}
	if c.Len() != in.Len() {
		t.Fatalf("%v: length field %d, Len() %d", in.ChunkType(), c.Len(), in.Len())
	}
	if err := out.Decode(c); err != nil {
		t.Fatalf("%v: Decode: %v", in.ChunkType(), err)
	}
	again := out.Append(nil)
	if !bytes.Equal(enc, again) {
		t.Fatalf("%v: re-encoding differs:\n first %x\nsecond %x", in.ChunkType(), enc, again)
	}
	return enc
}

type paramDecoder interface {
	Parameter
	Decode(Param) error
}

func roundTripParam(t *testing.T, in Parameter, out paramDecoder) []byte {
	t.Helper()
	enc := in.Append(nil)
	if len(enc) != pad4(in.Len()) {
		t.Fatalf("%v: encoded %d bytes, want %d", in.ParamType(), len(enc), pad4(in.Len()))
	}
	p, err := ParseParam(enc)
	if err != nil {
		t.Fatalf("%v: ParseParam: %v", in.ParamType(), err)
	}
	if err := out.Decode(p); err != nil {
		t.Fatalf("%v: Decode: %v", in.ParamType(), err)
	}
	if again := out.Append(nil); !bytes.Equal(enc, again) {
		t.Fatalf("%v: re-encoding differs:\n first %x\nsecond %x", in.ParamType(), enc, again)
	}
	return enc
}

type causeDecoder interface {
	ErrorCause
	Decode(Cause) error
}

func roundTripCause(t *testing.T, in ErrorCause, out causeDecoder) []byte {
	t.Helper()
	enc := in.Append(nil)
	if len(enc) != pad4(in.Len()) {
		t.Fatalf("%v: encoded %d bytes, want %d", in.CauseCode(), len(enc), pad4(in.Len()))
	}
	c, err := ParseCause(enc)
	if err != nil {
		t.Fatalf("%v: ParseCause: %v", in.CauseCode(), err)
	}
	if err := out.Decode(c); err != nil {
		t.Fatalf("%v: Decode: %v", in.CauseCode(), err)
	}
	if again := out.Append(nil); !bytes.Equal(enc, again) {
		t.Fatalf("%v: re-encoding differs:\n first %x\nsecond %x", in.CauseCode(), enc, again)
	}
	return enc
}

// wantParseError checks that err is a *ParseError at offset off whose rule
// is rule.
func wantParseError(t *testing.T, err error, off int, rule string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("got error %v, want a *ParseError (%q at %d)", err, rule, off)
	}
	if pe.Offset != off || pe.Rule != rule {
		t.Fatalf("got %q at offset %d, want %q at offset %d", pe.Rule, pe.Offset, rule, off)
	}
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("%v does not match ErrMalformed", err)
	}
}

// mustChunk cuts a chunk out of raw bytes or fails the test.
func mustChunk(t *testing.T, b []byte) Chunk {
	t.Helper()
	c, err := ParseChunk(b)
	if err != nil {
		t.Fatalf("ParseChunk(%x): %v", b, err)
	}
	return c
}

// inPacket puts chunk bytes behind a common header and returns the first
// chunk as the packet iterator yields it, at offset 12, so that error
// offsets can be checked in the packet's coordinates.
func inPacket(t *testing.T, chunk []byte) Chunk {
	t.Helper()
	pkt, err := ParsePacket(append(make([]byte, HeaderLen), chunk...))
	if err != nil {
		t.Fatalf("ParsePacket: %v", err)
	}
	it := pkt.Chunks()
	c, ok := it.Next()
	if !ok {
		t.Fatalf("no chunk: %v", it.Err())
	}
	return c
}
