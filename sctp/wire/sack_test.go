package wire

import (
	"bytes"
	"testing"
)

func sackGapsEqual(l GapBlockList, want []GapBlock) bool {
	if l.Len() != len(want) {
		return false
	}
	for i, g := range want {
		if l.At(i) != g {
			return false
		}
	}
	return true
}

func sackTSNsEqual(l TSNList, want []TSN) bool {
	if l.Len() != len(want) {
		return false
	}
	for i, t := range want {
		if l.At(i) != t {
			return false
		}
	}
	return true
}

func TestSackWire(t *testing.T) {
	// The example of RFC 9260 §3.3.4: TSNs 10-12, 14, 15 and 17 arrived,
	// a_rwnd 4660; plus one duplicate TSN 11 to show the duplicate list.
	s := Sack{
		CumTSNAck: 12,
		ARwnd:     4660,
		GapBlocks: GapBlockListOf([]GapBlock{{2, 3}, {5, 5}}),
		DupTSNs:   TSNListOf([]TSN{11}),
	}
	want := []byte{
		3, 0, 0, 28,
		0, 0, 0, 12,
		0, 0, 0x12, 0x34,
		0, 2, 0, 1,
		0, 2, 0, 3,
		0, 5, 0, 5,
		0, 0, 0, 11,
	}
	if got := s.Append(nil); !bytes.Equal(got, want) {
		t.Fatalf("got  %x\nwant %x", got, want)
	}
	var out Sack
	if err := out.Decode(mustChunk(t, want)); err != nil {
		t.Fatal(err)
	}
	if out.CumTSNAck != 12 || out.ARwnd != 4660 || !sackGapsEqual(out.GapBlocks, []GapBlock{{2, 3}, {5, 5}}) || !sackTSNsEqual(out.DupTSNs, []TSN{11}) {
		t.Fatalf("decoded %+v", out)
	}
}

func TestSackRoundTrip(t *testing.T) {
	for _, s := range []Sack{
		{CumTSNAck: 0xffffffff, ARwnd: 0},
		{CumTSNAck: 1, ARwnd: 65536, GapBlocks: GapBlockListOf([]GapBlock{{1, 1}, {3, 0xffff}})},
		{CumTSNAck: 7, ARwnd: 1, DupTSNs: TSNListOf([]TSN{5, 5, 0xfffffffe})},
		// A block with Start > End is carried as is (see GapBlock.Valid).
		{CumTSNAck: 7, ARwnd: 1, GapBlocks: GapBlockListOf([]GapBlock{{9, 4}, {0, 0}}), DupTSNs: TSNListOf([]TSN{3})},
	} {
		var out Sack
		roundTripChunk(t, &s, &out)
		if out.CumTSNAck != s.CumTSNAck || out.ARwnd != s.ARwnd || out.GapBlocks.Len() != s.GapBlocks.Len() || out.DupTSNs.Len() != s.DupTSNs.Len() {
			t.Fatalf("decoded %+v, want %+v", out, s)
		}
		for i := 0; i < s.GapBlocks.Len(); i++ {
			if out.GapBlocks.At(i) != s.GapBlocks.At(i) {
				t.Fatalf("gap %d: %v want %v", i, out.GapBlocks.At(i), s.GapBlocks.At(i))
			}
		}
		for i := 0; i < s.DupTSNs.Len(); i++ {
			if out.DupTSNs.At(i) != s.DupTSNs.At(i) {
				t.Fatalf("dup %d: %v want %v", i, out.DupTSNs.At(i), s.DupTSNs.At(i))
			}
		}
	}
}

func TestSackFlagsIgnored(t *testing.T) {
	b := (&Sack{CumTSNAck: 3, ARwnd: 9}).Append(nil)
	b[1] = 0xff
	var out Sack
	if err := out.Decode(mustChunk(t, b)); err != nil || out.CumTSNAck != 3 || out.ARwnd != 9 {
		t.Fatalf("flags set: %v %+v", err, out)
	}
	if again := out.Append(nil); again[1] != 0 {
		t.Fatalf("flags re-encoded as %#x", again[1])
	}
}

func TestGapBlockValid(t *testing.T) {
	for _, tc := range []struct {
		g    GapBlock
		want bool
	}{
		{GapBlock{1, 1}, true},
		{GapBlock{2, 9}, true},
		{GapBlock{0, 3}, false}, // would ack the Cumulative TSN Ack itself
		{GapBlock{5, 4}, false}, // lowest above highest
	} {
		if tc.g.Valid() != tc.want {
			t.Fatalf("%+v.Valid() = %v", tc.g, !tc.want)
		}
	}
}

func TestSackErrors(t *testing.T) {
	var s Sack
	wantParseError(t, s.Decode(mustChunk(t, []byte{3, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0, 1})), 2, "chunk length below 16")
	// One gap block announced, none present.
	wantParseError(t, s.Decode(mustChunk(t, []byte{3, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0})), 12,
		"gap blocks and duplicate TSNs run past the chunk length")
	// One duplicate TSN announced, two bytes of it present.
	wantParseError(t, s.Decode(mustChunk(t, []byte{3, 0, 0, 18, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0})), 12,
		"gap blocks and duplicate TSNs run past the chunk length")
	wantParseError(t, s.Decode(mustChunk(t, []byte{9, 0, 0, 4})), 0, "chunk is a ERROR")
	// Offsets are in the packet's coordinates when the chunk came from one.
	pkt := append(make([]byte, HeaderLen), 3, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1)
	p, err := ParsePacket(pkt)
	if err != nil {
		t.Fatal(err)
	}
	it := p.Chunks()
	c, _ := it.Next()
	wantParseError(t, s.Decode(c), HeaderLen+12, "gap blocks and duplicate TSNs run past the chunk length")
}

// sackBig is a SACK with 100 gap blocks and 100 duplicate TSNs, built
// from slices as a sender would.
func sackBig() (Sack, []GapBlock, []TSN) {
	gaps := make([]GapBlock, 100)
	dups := make([]TSN, 100)
	for i := range gaps {
		gaps[i] = GapBlock{Start: uint16(2 + 3*i), End: uint16(3 + 3*i)}
		dups[i] = TSN(1000 - i)
	}
	return Sack{CumTSNAck: 1 << 31, ARwnd: 1 << 20, GapBlocks: GapBlockListOf(gaps), DupTSNs: TSNListOf(dups)}, gaps, dups
}

func TestSackBigNoAlloc(t *testing.T) {
	s, gaps, dups := sackBig()
	buf := make([]byte, 0, 2048)
	if n := testing.AllocsPerRun(100, func() { buf = s.Append(buf[:0]) }); n != 0 {
		t.Fatalf("Append into a reused buffer: %v allocations", n)
	}
	if len(buf) != s.Len() || s.Len() != 16+4*200 {
		t.Fatalf("encoded %d bytes, Len %d", len(buf), s.Len())
	}
	c := mustChunk(t, buf)
	var out Sack
	var sum int
	if n := testing.AllocsPerRun(100, func() {
		if err := out.Decode(c); err != nil {
			panic(err)
		}
		for i := 0; i < out.GapBlocks.Len(); i++ {
			sum += int(out.GapBlocks.At(i).End)
		}
		for i := 0; i < out.DupTSNs.Len(); i++ {
			sum += int(out.DupTSNs.At(i))
		}
	}); n != 0 {
		t.Fatalf("Decode: %v allocations", n)
	}
	if !sackGapsEqual(out.GapBlocks, gaps) || !sackTSNsEqual(out.DupTSNs, dups) {
		t.Fatal("100+100 SACK decoded wrong")
	}
	if again := out.Append(nil); !bytes.Equal(again, buf) {
		t.Fatal("decoded SACK re-encodes differently")
	}
}

func BenchmarkSackDecode(b *testing.B) {
	s, _, _ := sackBig()
	c, err := ParseChunk(s.Append(nil))
	if err != nil {
		b.Fatal(err)
	}
	var out Sack
	var sum uint32
	b.ReportAllocs()
	for b.Loop() {
		if err := out.Decode(c); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < out.GapBlocks.Len(); i++ {
			sum += uint32(out.GapBlocks.At(i).End)
		}
		for i := 0; i < out.DupTSNs.Len(); i++ {
			sum += uint32(out.DupTSNs.At(i))
		}
	}
	_ = sum
}

func BenchmarkSackAppend(b *testing.B) {
	s, _, _ := sackBig()
	buf := make([]byte, 0, 2048)
	b.ReportAllocs()
	for b.Loop() {
		buf = s.Append(buf[:0])
	}
}
