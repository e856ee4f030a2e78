package wire

import (
	"bytes"
	"testing"
)

func TestErrorChunkWire(t *testing.T) {
	// RFC 9260 §3.3.10 with one Invalid Stream Identifier cause
	// (§3.3.10.1) naming stream 5.
	e := ErrorChunk{Causes: MakeCauses((&InvalidStreamIdentifierCause{Stream: 5}).Append(nil))}
	want := []byte{9, 0, 0, 12, 0, 1, 0, 8, 0, 5, 0, 0}
	if got := e.Append(nil); !bytes.Equal(got, want) {
		t.Fatalf("got  %x\nwant %x", got, want)
	}
}

func TestErrorChunkRoundTrip(t *testing.T) {
	for _, cs := range [][]byte{
		AppendCauses(nil, &StaleCookieCause{Staleness: 1500}),
		AppendCauses(nil, &UnrecognizedChunkTypeCause{Chunk: []byte{0xff, 0, 0, 5, 1}}, &OutOfResourceCause{}),
	} {
		e := ErrorChunk{Causes: MakeCauses(cs)}
		var out ErrorChunk
		roundTripChunk(t, &e, &out)
		if !bytes.Equal(out.Causes.Bytes(), cs[:e.Causes.Len()]) {
			t.Fatalf("causes %x, want %x", out.Causes.Bytes(), cs)
		}
	}
}

func TestErrorChunkFlagsIgnored(t *testing.T) {
	var e ErrorChunk
	if err := e.Decode(mustChunk(t, []byte{9, 0xff, 0, 8, 0, 4, 0, 4})); err != nil {
		t.Fatal(err)
	}
	if got := e.Append(nil); !bytes.Equal(got, []byte{9, 0, 0, 8, 0, 4, 0, 4}) {
		t.Fatalf("re-encoded %x", got)
	}
}

func TestErrorChunkErrors(t *testing.T) {
	var e ErrorChunk
	wantParseError(t, e.Decode(mustChunk(t, []byte{6, 0, 0, 4})), 0, "chunk is a ABORT")
	// §3.3.10: one or more causes.
	wantParseError(t, e.Decode(inPacket(t, []byte{9, 0, 0, 4})), 14, "no error cause")
	wantParseError(t, e.Decode(inPacket(t, []byte{9, 0, 0, 6, 0, 1, 0, 0})), 16, "fewer than 4 bytes left for a header")
	// The second cause runs past the chunk: its length field is at
	// 12 + 12 + 2.
	wantParseError(t, e.Decode(inPacket(t, []byte{9, 0, 0, 16, 0, 1, 0, 8, 0, 5, 0, 0, 0, 1, 0, 9})), 26, "length runs past the end of the enclosing structure")
}
