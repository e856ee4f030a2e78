package wire

import (
	"bytes"
	"testing"
)

func TestAbortWire(t *testing.T) {
	// RFC 9260 §3.3.7: T bit 0x01; the length counts the causes but not
	// the chunk's final padding. One User-Initiated Abort cause (§3.3.10.12)
	// of length 7.
	a := Abort{TBit: true, Causes: MakeCauses((&UserInitiatedAbortCause{Reason: []byte("bye")}).Append(nil))}
	want := []byte{6, 0x01, 0, 11, 0, 12, 0, 7, 'b', 'y', 'e', 0}
	if got := a.Append(nil); !bytes.Equal(got, want) {
		t.Fatalf("got  %x\nwant %x", got, want)
	}
	if a.Len() != 11 {
		t.Fatalf("Len %d, want 11", a.Len())
	}
	// Without causes and without the T bit: the bare 4-byte chunk.
	if got := (&Abort{}).Append(nil); !bytes.Equal(got, []byte{6, 0, 0, 4}) {
		t.Fatalf("empty ABORT %x", got)
	}
}

func TestAbortRoundTrip(t *testing.T) {
	two := AppendCauses(nil, &NoUserDataCause{TSN: 9}, &ProtocolViolationCause{Info: []byte("x")})
	for _, a := range []Abort{
		{},
		{TBit: true},
		{Causes: MakeCauses(two)},
		{TBit: true, Causes: MakeCauses(two)},
	} {
		var out Abort
		roundTripChunk(t, &a, &out)
		if out.TBit != a.TBit || !bytes.Equal(out.Causes.Bytes(), a.Causes.Bytes()[:a.Causes.Len()]) {
			t.Fatalf("decoded %+v, want %+v", out, a)
		}
	}
	// The causes decode from the chunk.
	var out Abort
	if err := out.Decode(mustChunk(t, (&Abort{Causes: MakeCauses(two)}).Append(nil))); err != nil {
		t.Fatal(err)
	}
	it := out.Causes.Iter()
	c1, _ := it.Next()
	c2, ok := it.Next()
	var nud NoUserDataCause
	var pv ProtocolViolationCause
	if !ok || nud.Decode(c1) != nil || pv.Decode(c2) != nil || nud.TSN != 9 || string(pv.Info) != "x" || c2.Offset() != 12 {
		t.Fatalf("causes: %+v %+v at %d", nud, pv, c2.Offset())
	}
}

func TestAbortFlags(t *testing.T) {
	// The reserved bits are ignored on receipt and sent as zero.
	for _, tc := range []struct {
		flags uint8
		t     bool
	}{{0xfe, false}, {0xff, true}, {0x01, true}} {
		var a Abort
		if err := a.Decode(mustChunk(t, []byte{6, tc.flags, 0, 4})); err != nil || a.TBit != tc.t {
			t.Fatalf("flags %#x: T %v err %v", tc.flags, a.TBit, err)
		}
		if got := a.Append(nil)[1]; got&^abortFlagT != 0 {
			t.Fatalf("reserved flags sent: %#x", got)
		}
	}
}

func TestAbortErrors(t *testing.T) {
	var a Abort
	wantParseError(t, a.Decode(mustChunk(t, []byte{9, 0, 0, 4})), 0, "chunk is a ERROR")
	// A cause whose length runs past the chunk, reported in the packet's
	// coordinates: the cause's length field is at 12 + 4 + 2.
	c := inPacket(t, []byte{6, 0, 0, 8, 0, 12, 0, 9})
	wantParseError(t, a.Decode(c), 18, "length runs past the end of the enclosing structure")
	c = inPacket(t, []byte{6, 0, 0, 8, 0, 12, 0, 3})
	wantParseError(t, a.Decode(c), 18, "length below 4")
}
