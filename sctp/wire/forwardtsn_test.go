package wire

import (
	"bytes"
	"testing"
)

func TestForwardTSNWire(t *testing.T) {
	// RFC 3758 §3.2: New Cumulative TSN, then (Stream, Stream Sequence)
	// pairs of 16 bits each.
	f := ForwardTSN{
		NewCumulativeTSN: 0x01020304,
		Streams:          ForwardTSNStreamListOf([]ForwardTSNStream{{Stream: 1, SSN: 10}, {Stream: 0xffff, SSN: 0xfffe}}),
	}
	want := []byte{0xc0, 0, 0, 16, 1, 2, 3, 4, 0, 1, 0, 10, 0xff, 0xff, 0xff, 0xfe}
	if got := f.Append(nil); !bytes.Equal(got, want) {
		t.Fatalf("got  %x\nwant %x", got, want)
	}
	var out ForwardTSN
	if err := out.Decode(mustChunk(t, want)); err != nil {
		t.Fatal(err)
	}
	if out.NewCumulativeTSN != 0x01020304 || out.Streams.Len() != 2 || out.Streams.At(0) != (ForwardTSNStream{1, 10}) || out.Streams.At(1) != (ForwardTSNStream{0xffff, 0xfffe}) {
		t.Fatalf("decoded %+v", out)
	}
}

func TestForwardTSNRoundTrip(t *testing.T) {
	for _, f := range []ForwardTSN{
		{NewCumulativeTSN: 7},
		{NewCumulativeTSN: 0xffffffff, Streams: ForwardTSNStreamListOf([]ForwardTSNStream{{3, 4}})},
	} {
		var out ForwardTSN
		roundTripChunk(t, &f, &out)
		if out.NewCumulativeTSN != f.NewCumulativeTSN || out.Streams.Len() != f.Streams.Len() {
			t.Fatalf("decoded %+v, want %+v", out, f)
		}
	}
}

func TestForwardTSNErrors(t *testing.T) {
	var f ForwardTSN
	wantParseError(t, f.Decode(mustChunk(t, []byte{0xc0, 0, 0, 6, 0, 0})), 2, "chunk length below 8")
	wantParseError(t, f.Decode(inPacket(t, []byte{0xc0, 0, 0, 10, 0, 0, 0, 1, 0, 1, 0, 0})), 14, "stream entries do not fill the chunk length exactly")
	wantParseError(t, f.Decode(mustChunk(t, []byte{0xc2, 0, 0, 8, 0, 0, 0, 1})), 0, "chunk is a I-FORWARD-TSN")
}

func TestIForwardTSNWire(t *testing.T) {
	// RFC 8260 §2.3.1, Figure 4: Stream Identifier, 15 reserved bits and
	// the U bit, then the 32-bit MID.
	f := IForwardTSN{
		NewCumulativeTSN: 5,
		Streams: IForwardTSNStreamListOf([]IForwardTSNStream{
			{Stream: 2, Unordered: true, MID: 0x0a0b0c0d},
			{Stream: 3, MID: 7},
		}),
	}
	want := []byte{0xc2, 0, 0, 24, 0, 0, 0, 5, 0, 2, 0, 1, 0x0a, 0x0b, 0x0c, 0x0d, 0, 3, 0, 0, 0, 0, 0, 7}
	if got := f.Append(nil); !bytes.Equal(got, want) {
		t.Fatalf("got  %x\nwant %x", got, want)
	}
	var out IForwardTSN
	if err := out.Decode(mustChunk(t, want)); err != nil {
		t.Fatal(err)
	}
	if out.NewCumulativeTSN != 5 || out.Streams.Len() != 2 || out.Streams.At(0) != f.Streams.At(0) || out.Streams.At(1) != f.Streams.At(1) {
		t.Fatalf("decoded %+v", out)
	}
}

func TestIForwardTSNRoundTrip(t *testing.T) {
	for _, f := range []IForwardTSN{
		{NewCumulativeTSN: 1},
		{NewCumulativeTSN: 2, Streams: IForwardTSNStreamListOf([]IForwardTSNStream{{1, false, 0xffffffff}, {1, true, 0}})},
	} {
		var out IForwardTSN
		roundTripChunk(t, &f, &out)
		if out.NewCumulativeTSN != f.NewCumulativeTSN || out.Streams.Len() != f.Streams.Len() {
			t.Fatalf("decoded %+v, want %+v", out, f)
		}
	}
}

func TestIForwardTSNReservedIgnored(t *testing.T) {
	// The reserved bits are ignored on receipt; only the lowest is U.
	var out IForwardTSN
	b := []byte{0xc2, 0xff, 0, 24, 0, 0, 0, 5, 0, 2, 0xff, 0xfe, 0, 0, 0, 1, 0, 3, 0x80, 0x01, 0, 0, 0, 2}
	if err := out.Decode(mustChunk(t, b)); err != nil {
		t.Fatal(err)
	}
	if out.Streams.At(0) != (IForwardTSNStream{2, false, 1}) || out.Streams.At(1) != (IForwardTSNStream{3, true, 2}) {
		t.Fatalf("entries %+v %+v", out.Streams.At(0), out.Streams.At(1))
	}
}

func TestIForwardTSNErrors(t *testing.T) {
	var f IForwardTSN
	wantParseError(t, f.Decode(mustChunk(t, []byte{0xc2, 0, 0, 4})), 2, "chunk length below 8")
	// One 4-byte FORWARD-TSN-sized entry is half an I-FORWARD-TSN entry.
	wantParseError(t, f.Decode(inPacket(t, []byte{0xc2, 0, 0, 12, 0, 0, 0, 1, 0, 1, 0, 0})), 14, "stream entries do not fill the chunk length exactly")
	wantParseError(t, f.Decode(mustChunk(t, []byte{0xc0, 0, 0, 8, 0, 0, 0, 1})), 0, "chunk is a FORWARD-TSN")
}

func TestForwardTSNNoAlloc(t *testing.T) {
	entries := make([]IForwardTSNStream, 50)
	pairs := make([]ForwardTSNStream, 50)
	for i := range entries {
		entries[i] = IForwardTSNStream{Stream: StreamID(i), Unordered: i%2 == 0, MID: MID(i)}
		pairs[i] = ForwardTSNStream{Stream: StreamID(i), SSN: SSN(i)}
	}
	f := ForwardTSN{NewCumulativeTSN: 9, Streams: ForwardTSNStreamListOf(pairs)}
	fi := IForwardTSN{NewCumulativeTSN: 9, Streams: IForwardTSNStreamListOf(entries)}
	buf := make([]byte, 0, 1024)
	var out ForwardTSN
	var outI IForwardTSN
	if n := testing.AllocsPerRun(50, func() {
		c, _ := ParseChunk(f.Append(buf[:0]))
		if out.Decode(c) != nil || out.Streams.At(49).SSN != 49 {
			panic("FORWARD-TSN")
		}
		c, _ = ParseChunk(fi.Append(buf[:0]))
		if outI.Decode(c) != nil || outI.Streams.At(49).MID != 49 {
			panic("I-FORWARD-TSN")
		}
	}); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}
