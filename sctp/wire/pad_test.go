package wire

import (
	"bytes"
	"testing"
)

func TestPadWire(t *testing.T) {
	// RFC 4820 §3 Figure 1: Length is the padding data plus 4; the chunk
	// is padded to a multiple of 4 like any other.
	for _, tc := range []struct {
		size int
		want []byte
	}{
		{0, []byte{0x84, 0, 0, 4}},
		{4, []byte{0x84, 0, 0, 8, 0, 0, 0, 0}},
		{5, []byte{0x84, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0}},
	} {
		p := Pad{Size: tc.size}
		if got := p.Append(nil); !bytes.Equal(got, tc.want) {
			t.Errorf("size %d: got %x want %x", tc.size, got, tc.want)
		}
	}
}

func TestPadRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 3, 4, 1400, 65531} {
		in := Pad{Size: n}
		var out Pad
		roundTripChunk(t, &in, &out)
		if out.Size != n {
			t.Fatalf("size %d, want %d", out.Size, n)
		}
	}
}

func TestPadReceipt(t *testing.T) {
	// Flags and padding data are ignored: only the amount is kept.
	var p Pad
	if err := p.Decode(mustChunk(t, []byte{0x84, 0xff, 0, 7, 1, 2, 3, 0})); err != nil || p.Size != 3 {
		t.Fatalf("size %d, %v", p.Size, err)
	}
	wantParseError(t, p.Decode(inPacket(t, []byte{0x85, 0, 0, 4})), 12, "chunk is a chunk type 133")
}

func TestPadSizeClamped(t *testing.T) {
	// The length field holds at most 65535: Size is clamped so that Len
	// and Append agree.
	for _, tc := range []struct{ size, len int }{{-1, 4}, {65531, 65535}, {65532, 65535}, {1 << 20, 65535}} {
		p := Pad{Size: tc.size}
		b := p.Append(nil)
		if p.Len() != tc.len || len(b) != pad4(tc.len) || int(b[2])<<8|int(b[3]) != tc.len {
			t.Fatalf("size %d: Len %d, %d bytes", tc.size, p.Len(), len(b))
		}
	}
}

func TestPadDecodeDoesNotAllocate(t *testing.T) {
	c := mustChunk(t, (&Pad{Size: 100}).Append(nil))
	var p Pad
	noAllocs(t, "PAD", func() { _ = p.Decode(c) })
	buf := make([]byte, 0, 2048)
	noAllocs(t, "PAD encode", func() { buf = (&Pad{Size: 1400}).Append(buf[:0]) })
}
