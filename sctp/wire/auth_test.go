package wire

import (
	"bytes"
	"testing"
)

func TestAuthWire(t *testing.T) {
	// RFC 4895 §5.1 Figure 5 with a 20-byte HMAC-SHA-1: length 28, no
	// padding needed.
	h := bytes.Repeat([]byte{0xab}, 20)
	a := Auth{SharedKeyID: 0x0102, HMACID: HMACSHA1, HMAC: h}
	want := append([]byte{0x0f, 0, 0, 28, 1, 2, 0, 1}, h...)
	if got := a.Append(nil); !bytes.Equal(got, want) {
		t.Fatalf("got %x want %x", got, want)
	}
	// An HMAC whose length is not a multiple of 4 is padded outside the
	// length.
	a = Auth{HMACID: 9, HMAC: []byte{1, 2, 3, 4, 5}}
	want = []byte{0x0f, 0, 0, 13, 0, 0, 0, 9, 1, 2, 3, 4, 5, 0, 0, 0}
	if got := a.Append(nil); !bytes.Equal(got, want) {
		t.Fatalf("got %x want %x", got, want)
	}
}

func TestAuthRoundTrip(t *testing.T) {
	for _, in := range []Auth{
		{},
		{SharedKeyID: 0xffff, HMACID: HMACSHA256, HMAC: bytes.Repeat([]byte{7}, 32)},
		{SharedKeyID: 1, HMACID: 0xffff, HMAC: []byte{1}},
	} {
		var out Auth
		roundTripChunk(t, &in, &out)
		if out.SharedKeyID != in.SharedKeyID || out.HMACID != in.HMACID || !bytes.Equal(out.HMAC, in.HMAC) {
			t.Fatalf("decoded %+v, want %+v", out, in)
		}
	}
	// Flags are ignored on receipt.
	var out Auth
	if err := out.Decode(mustChunk(t, []byte{0x0f, 0xff, 0, 8, 0, 1, 0, 3})); err != nil || out.HMACID != HMACSHA256 || out.SharedKeyID != 1 {
		t.Fatalf("%+v, %v", out, err)
	}
}

func TestAuthErrors(t *testing.T) {
	var a Auth
	wantParseError(t, a.Decode(inPacket(t, []byte{0x0f, 0, 0, 6, 0, 1, 0, 0})), 14, "chunk length below 8")
	wantParseError(t, a.Decode(inPacket(t, []byte{0x0e, 0, 0, 8, 0, 1, 0, 1})), 12, "chunk is a SHUTDOWN COMPLETE")
}

func TestAuthParamsWire(t *testing.T) {
	rnd := bytes.Repeat([]byte{0x5a}, 32)
	for _, tc := range []struct {
		name string
		p    Parameter
		want []byte
	}{
		// RFC 4895 §3.1 Figure 1: 32 bytes need no padding.
		{"RANDOM", &RandomParam{Random: rnd}, append([]byte{0x80, 0x02, 0, 36}, rnd...)},
		// §3.2 Figure 2, as usrsctp sends it: ASCONF-ACK and ASCONF.
		{"CHUNKS", &ChunkListParam{Chunks: MakeChunkTypes(ChunkASCONFAck, ChunkASCONF)}, []byte{0x80, 0x03, 0, 6, 0x80, 0xc1, 0, 0}},
		// §3.3 Figure 3: one identifier and 2 bytes of padding.
		{"HMAC-ALGO", &RequestedHMACAlgorithmParam{IDs: MakeHMACIDs(HMACSHA1)}, []byte{0x80, 0x04, 0, 6, 0, 1, 0, 0}},
		{"HMAC-ALGO two", &RequestedHMACAlgorithmParam{IDs: MakeHMACIDs(HMACSHA256, HMACSHA1)}, []byte{0x80, 0x04, 0, 8, 0, 3, 0, 1}},
	} {
		if got := tc.p.Append(nil); !bytes.Equal(got, tc.want) {
			t.Errorf("%s: got %x want %x", tc.name, got, tc.want)
		}
	}
}

func TestAuthParamsRoundTrip(t *testing.T) {
	{
		in := RandomParam{Random: bytes.Repeat([]byte{1}, RandomLen)}
		var out RandomParam
		roundTripParam(t, &in, &out)
		if !bytes.Equal(out.Random, in.Random) {
			t.Fatalf("RANDOM %x", out.Random)
		}
	}
	for _, cs := range [][]ChunkType{nil, {ChunkData}, {ChunkData, ChunkSack, ChunkASCONF}} {
		in := ChunkListParam{Chunks: MakeChunkTypes(cs...)}
		var out ChunkListParam
		roundTripParam(t, &in, &out)
		if !bytes.Equal(out.Chunks, in.Chunks) {
			t.Fatalf("CHUNKS %x", []byte(out.Chunks))
		}
	}
	// The longest CHUNKS: every chunk type once, length 260.
	all := make(ChunkTypes, 256)
	for i := range all {
		all[i] = byte(i)
	}
	var out ChunkListParam
	if roundTripParam(t, &ChunkListParam{Chunks: all}, &out); out.Chunks.Len() != 256 {
		t.Fatalf("CHUNKS of 256 types: %d", out.Chunks.Len())
	}
	for _, ids := range [][]HMACID{nil, {HMACSHA1}, {HMACSHA256, HMACSHA1, 0xffff}} {
		in := RequestedHMACAlgorithmParam{IDs: MakeHMACIDs(ids...)}
		var out RequestedHMACAlgorithmParam
		roundTripParam(t, &in, &out)
		if out.IDs.Len() != len(ids) {
			t.Fatalf("HMAC-ALGO %x", []byte(out.IDs))
		}
		for i, id := range ids {
			if out.IDs.At(i) != id || !out.Has(id) {
				t.Fatalf("HMAC-ALGO %x, want %v", []byte(out.IDs), ids)
			}
		}
	}
}

func TestAuthParamsErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		param []byte
		dec   paramDecoder
		off   int
		rule  string
	}{
		// RFC 4895 §6.1: the Random Number must be 32 bytes.
		{"RANDOM short", rawParamBytes(ParamRandom, make([]byte, 31)...), new(RandomParam), 34, "random number not 32 bytes"},
		{"RANDOM long", rawParamBytes(ParamRandom, make([]byte, 33)...), new(RandomParam), 34, "random number not 32 bytes"},
		{"RANDOM empty", rawParamBytes(ParamRandom), new(RandomParam), 34, "random number not 32 bytes"},
		// §3.2: at most 260 bytes.
		{"CHUNKS too long", rawParamBytes(ParamChunkList, make([]byte, 257)...), new(ChunkListParam), 34, "parameter length above 260"},
		// §3.3: two bytes per identifier.
		{"HMAC-ALGO odd", rawParamBytes(ParamRequestedHMACAlgorithm, 0, 1, 0), new(RequestedHMACAlgorithmParam), 34, "HMAC identifier list of odd length"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantParseError(t, tc.dec.Decode(paramInInit(t, tc.param)), tc.off, tc.rule)
		})
	}
}

func TestChunkListRequires(t *testing.T) {
	// RFC 4895 §3.2: INIT, INIT ACK, SHUTDOWN COMPLETE and AUTH in a
	// received list are ignored.
	c := ChunkListParam{Chunks: MakeChunkTypes(ChunkInit, ChunkInitAck, ChunkShutdownComplete, ChunkAuth, ChunkData)}
	for _, typ := range []ChunkType{ChunkInit, ChunkInitAck, ChunkShutdownComplete, ChunkAuth} {
		if c.Requires(typ) || !c.Chunks.Has(typ) {
			t.Errorf("Requires(%v) is true, or %v not listed", typ, typ)
		}
	}
	if !c.Requires(ChunkData) || c.Requires(ChunkSack) {
		t.Error("Requires on listed or unlisted types")
	}
}

func TestHMACID(t *testing.T) {
	for _, tc := range []struct {
		id   HMACID
		name string
		size int
	}{
		{HMACSHA1, "HMAC-SHA-1", 20},
		{HMACSHA256, "HMAC-SHA-256", 32},
		{0, "HMAC identifier 0", 0},
		{2, "HMAC identifier 2", 0},
	} {
		if tc.id.String() != tc.name || tc.id.Size() != tc.size {
			t.Errorf("%d: %q size %d", uint16(tc.id), tc.id.String(), tc.id.Size())
		}
	}
	l := MakeHMACIDs(HMACSHA256, HMACSHA1)
	if l.Len() != 2 || l.At(0) != HMACSHA256 || !l.Has(HMACSHA1) || l.Has(2) || HMACIDs([]byte{0, 1, 0}).Has(0x0100) {
		t.Fatalf("HMACIDs %x", []byte(l))
	}
}

func TestAuthDecodeDoesNotAllocate(t *testing.T) {
	c := mustChunk(t, (&Auth{HMACID: HMACSHA1, HMAC: make([]byte, 20)}).Append(nil))
	var a Auth
	noAllocs(t, "AUTH", func() { _ = a.Decode(c) })
}
