package wire

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"testing"
)

func TestSerialArithmetic(t *testing.T) {
	// RFC 1982 §3.2 as RFC 9260 §1.6 applies it: wrap-around comparisons.
	if !TSN(0xffffffff).Less(0) || !TSN(0).Greater(0xffffffff) || TSN(5).Less(5) || !TSN(5).LessEq(5) {
		t.Fatal("TSN serial comparisons")
	}
	if !TSN(1).Less(1<<31) || TSN(0).Less(1<<31+1) || !TSN(0).Less(1<<31-1) || !TSN(1<<31+1).Less(0) {
		t.Fatal("TSN comparisons near the half-way point")
	}
	// RFC 1982 §3.2 leaves numbers 2^(SERIAL_BITS-1) apart undefined:
	// neither precedes the other, in either direction.
	for _, p := range [][2]TSN{{0, 1 << 31}, {1 << 31, 0}, {5, 1<<31 + 5}, {0xffffffff, 1<<31 - 1}} {
		if p[0].Less(p[1]) || p[0].Greater(p[1]) || p[0].LessEq(p[1]) {
			t.Fatalf("TSN %d and %d compare", p[0], p[1])
		}
	}
	if TSN(0xfffffffe).Add(3) != 1 || TSN(1).Sub(0xffffffff) != 2 {
		t.Fatal("TSN add/sub")
	}
	if !TSN(3).InWindow(0xfffffffe, 6) || TSN(4).InWindow(0xfffffffe, 6) {
		t.Fatal("TSN InWindow")
	}
	if !SSN(0xffff).Less(0) || !SSN(0).Greater(0xffff) || SSN(0xffff).Add(2) != 1 || SSN(1).Sub(0xffff) != 2 {
		t.Fatal("SSN serial arithmetic")
	}
	if SSN(0).Less(1<<15) || SSN(1<<15).Less(0) || SSN(0).Greater(1<<15) || SSN(1<<15).Greater(0) || !SSN(1).Less(1<<15) || !SSN(0).Less(1<<15-1) {
		t.Fatal("SSN comparisons at the half-way point")
	}
	if !MID(0xffffffff).Less(0) || !MID(3).LessEq(3) || MID(2).Greater(3) || MID(0xffffffff).Add(1) != 0 || MID(0).Sub(0xffffffff) != 1 {
		t.Fatal("MID serial arithmetic")
	}
	if MID(0).Less(1<<31) || MID(1<<31).Less(0) || MID(0).Greater(1<<31) || MID(1<<31).Greater(0) {
		t.Fatal("MID comparisons at the half-way point")
	}
	// RFC 8260 §2.1: FSNs are 32-bit serial numbers too.
	if !FSN(0xffffffff).Less(0) || !FSN(0).Greater(0xffffffff) || !FSN(3).LessEq(3) || FSN(3).Less(3) || FSN(0xffffffff).Add(2) != 1 || FSN(1).Sub(0xffffffff) != 2 {
		t.Fatal("FSN serial arithmetic")
	}
	if FSN(0).Less(1<<31) || FSN(1<<31).Less(0) || FSN(0).Greater(1<<31) || FSN(1<<31).Greater(0) || FSN(0).LessEq(1<<31) {
		t.Fatal("FSN comparisons at the half-way point")
	}
}

func TestChecksum(t *testing.T) {
	// The CRC32c check value of RFC 3720 §B.4: 32 zero bytes give 0x8a9136aa.
	if got := crc32.Checksum(make([]byte, 32), castagnoli); got != 0x8a9136aa {
		t.Fatalf("castagnoli table: %#x", got)
	}
	var pb Builder
	pb.Start(nil, Header{SrcPort: 1, DstPort: 2, VTag: 3}, 1500)
	pb.Add(&Data{TSN: 1, UserData: []byte("abc")})
	pkt := pb.Finish()
	if !VerifyChecksum(pkt) {
		t.Fatal("checksum does not verify")
	}
	// The field is the CRC of the packet with a zero field, sent least
	// significant byte first (RFC 9260 Appendix A).
	c := append([]byte(nil), pkt...)
	binary.LittleEndian.PutUint32(c[8:], 0)
	if binary.LittleEndian.Uint32(pkt[8:]) != crc32.Checksum(c, castagnoli) {
		t.Fatal("checksum field")
	}
	pkt[len(pkt)-1] ^= 1
	if VerifyChecksum(pkt) || VerifyChecksum(pkt[:11]) {
		t.Fatal("corrupt packet verifies")
	}
}

func TestParsePacketErrors(t *testing.T) {
	hdr := make([]byte, 12)
	for _, tc := range []struct {
		name   string
		chunks []byte
		off    int
		rule   string
	}{
		{"short header", nil, 0, "packet shorter than 12 bytes"},
		{"partial chunk header", []byte{0, 0}, 12, "fewer than 4 bytes left for a chunk header"},
		{"length below 4", []byte{0, 0, 0, 3}, 14, "chunk length below 4"},
		{"length past end", []byte{0, 0, 0, 9, 1, 2, 3, 4}, 14, "chunk length runs past the packet end"},
		{"padding past end", []byte{0, 0, 0, 5, 1}, 17, "chunk padding runs past the packet end"},
	} {
		b := append(append([]byte(nil), hdr...), tc.chunks...)
		if tc.name == "short header" {
			b = b[:11]
		}
		_, err := ParsePacket(b)
		wantParseError(t, err, tc.off, tc.rule)
	}
}

func TestPacketChunksAndBuilder(t *testing.T) {
	var pb Builder
	buf := make([]byte, 0, 64)
	pb.Start(buf, Header{SrcPort: 5000, DstPort: 5001, VTag: 0xdeadbeef}, 48)
	if !pb.Empty() || pb.Room() != 36 {
		t.Fatalf("fresh builder: empty %v room %d", pb.Empty(), pb.Room())
	}
	d := &Data{TSN: 1, UserData: []byte("a")} // 17 bytes, 20 padded
	if !pb.Add(d) || pb.Room() != 16 {
		t.Fatalf("first DATA: room %d", pb.Room())
	}
	if pb.Add(d) {
		t.Fatal("second DATA does not fit in 16 bytes but was added")
	}
	if !pb.Add(&RawChunk{Type: ChunkCookieAck}) {
		t.Fatal("COOKIE ACK fits")
	}
	pkt, err := ParsePacket(pb.Finish())
	if err != nil {
		t.Fatal(err)
	}
	if h := pkt.Header(); h.SrcPort != 5000 || h.DstPort != 5001 || h.VTag != 0xdeadbeef || !pkt.VerifyChecksum() {
		t.Fatalf("header %+v", h)
	}
	it := pkt.Chunks()
	var types []ChunkType
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		types = append(types, c.Type())
	}
	if it.Err() != nil || len(types) != 2 || types[0] != ChunkData || types[1] != ChunkCookieAck {
		t.Fatalf("chunks %v err %v", types, it.Err())
	}
	if &pkt[0] != &buf[:1][0] {
		t.Fatal("builder did not reuse the caller's buffer")
	}
}

func TestBuilderCapsAt16BitLengths(t *testing.T) {
	// RFC 9260 §3.2: lengths are 16 bits, so a limit above 65535 counts
	// as MaxPacketLen, and a chunk whose length field would wrap is
	// refused however large the limit.
	var pb Builder
	pb.Start(nil, Header{}, 1<<20)
	if pb.Room() != MaxPacketLen-HeaderLen {
		t.Fatalf("room %d, want %d", pb.Room(), MaxPacketLen-HeaderLen)
	}
	big := &Data{TSN: 1, UserData: make([]byte, 65520)} // Len 65536
	if pb.Add(big) || !pb.Empty() {
		t.Fatalf("DATA of length %d added", big.Len())
	}
	if pb.Fits(65535) || pb.Fits(65524) {
		t.Fatal("chunk past MaxPacketLen fits")
	}
	// The largest chunk that fits: 65523 bytes of room hold 65520 padded.
	most := &Data{TSN: 1, UserData: make([]byte, 65520-dataHeaderLen)}
	if !pb.Add(most) || pb.Len() != HeaderLen+65520 {
		t.Fatalf("DATA of length %d refused (packet %d)", most.Len(), pb.Len())
	}
	pkt, err := ParsePacket(pb.Finish())
	if err != nil {
		t.Fatal(err)
	}
	it := pkt.Chunks()
	if c, ok := it.Next(); !ok || c.Len() != 65520 {
		t.Fatalf("chunk %v %v", c.Len(), it.Err())
	}
}

func TestUnknownActions(t *testing.T) {
	// RFC 9260 §3.2 Table 2 and §3.2.1 Table 3: the upper two bits.
	for _, tc := range []struct {
		a            UnknownAction
		stop, report bool
	}{
		{ChunkType(0x3f).UnknownAction(), true, false},
		{ChunkType(0x7f).UnknownAction(), true, true},
		{ChunkType(0xbf).UnknownAction(), false, false},
		{ChunkType(0xff).UnknownAction(), false, true},
		{ParamType(0x3fff).UnknownAction(), true, false},
		{ParamType(0x7fff).UnknownAction(), true, true},
		{ParamType(0xbfff).UnknownAction(), false, false},
		{ParamType(0xffff).UnknownAction(), false, true},
	} {
		if tc.a.Stop() != tc.stop || tc.a.Report() != tc.report {
			t.Fatalf("action %d: stop %v report %v", tc.a, tc.a.Stop(), tc.a.Report())
		}
	}
}

func TestCheckUnrecognized(t *testing.T) {
	list := AppendParams(nil,
		&RawParam{Type: ParamForwardTSNSupported},
		&RawParam{Type: 0xbf00, Value: []byte{1}},    // skip silently
		&RawParam{Type: 0xff00, Value: []byte{2, 3}}, // skip, report
		&RawParam{Type: 0x7f00},                      // stop, report
		&RawParam{Type: 0xff01},                      // never reached
	)
	var reported []ParamType
	stopped, err := MakeParams(list).CheckUnrecognized(func(t ParamType) bool { return t == ParamForwardTSNSupported },
		func(p Param) { reported = append(reported, p.Type()) })
	if err != nil || !stopped || len(reported) != 2 || reported[0] != 0xff00 || reported[1] != 0x7f00 {
		t.Fatalf("stopped %v reported %v err %v", stopped, reported, err)
	}
}

func TestParamListPadding(t *testing.T) {
	// The last parameter's padding is not counted by the chunk (§3.2):
	// Len drops it, and a list without it still walks.
	list := AppendParams(nil, &RawParam{Type: 11, Value: []byte("ab")}, &RawParam{Type: 11, Value: []byte("c")})
	ps := MakeParams(list)
	if len(list) != 16 || ps.Len() != 13 {
		t.Fatalf("list %d bytes, Len %d", len(list), ps.Len())
	}
	got, err := parseParams(list[:13], 100)
	if err != nil {
		t.Fatal(err)
	}
	it := got.Iter()
	p1, _ := it.Next()
	p2, ok := it.Next()
	if !ok || p1.Offset() != 100 || p2.Offset() != 108 || !bytes.Equal(p2.Value(), []byte("c")) {
		t.Fatalf("walk: %v %v", p1, p2)
	}
	// A length that counts 1 or 2 of the last parameter's 3 padding
	// bytes: the receiver ignores padding (RFC 9260 §3.2.1), so the list
	// walks and Len still leaves the padding out.
	for _, n := range []int{14, 15} {
		got, err := parseParams(list[:n], 100)
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		it := got.Iter()
		_, _ = it.Next()
		p2, ok := it.Next()
		if _, more := it.Next(); !ok || more || it.Err() != nil || p2.Offset() != 108 || p2.Len() != 5 || got.Len() != 13 {
			t.Fatalf("%d bytes: second %v, more %v, err %v, Len %d", n, p2, more, it.Err(), got.Len())
		}
	}
}

func TestWalkUnknownChunks(t *testing.T) {
	// RFC 9260 §3.2, Table 2: 10 skips silently, 11 skips and reports,
	// 01 reports and stops, 00 stops silently; the chunks before a stop
	// are processed, the ones after it are not.
	build := func(types ...ChunkType) Packet {
		var pb Builder
		pb.Start(nil, Header{}, 1500)
		for _, ct := range types {
			pb.Add(&RawChunk{Type: ct, Value: []byte{byte(ct)}})
		}
		pkt, err := ParsePacket(pb.Finish())
		if err != nil {
			t.Fatal(err)
		}
		return pkt
	}
	known := func(ct ChunkType) bool { return ct.Known() }
	for _, tc := range []struct {
		name              string
		types             []ChunkType
		handled, reported []ChunkType
		stopped           bool
	}{
		{"skip", []ChunkType{ChunkCookieAck, 0xbf, ChunkShutdownAck}, []ChunkType{ChunkCookieAck, ChunkShutdownAck}, nil, false},
		{"skip and report", []ChunkType{0xff, ChunkCookieAck}, []ChunkType{ChunkCookieAck}, []ChunkType{0xff}, false},
		{"stop and report", []ChunkType{ChunkCookieAck, 0x7f, ChunkShutdownAck, 0xff}, []ChunkType{ChunkCookieAck}, []ChunkType{0x7f}, true},
		{"stop", []ChunkType{0x3f, ChunkCookieAck}, nil, nil, true},
	} {
		var handled, reported []ChunkType
		stopped, err := build(tc.types...).Walk(known,
			func(c Chunk) { handled = append(handled, c.Type()) },
			func(c Chunk) { reported = append(reported, c.Type()) })
		if err != nil || stopped != tc.stopped || fmt.Sprint(handled) != fmt.Sprint(tc.handled) || fmt.Sprint(reported) != fmt.Sprint(tc.reported) {
			t.Errorf("%s: handled %v reported %v stopped %v err %v", tc.name, handled, reported, stopped, err)
		}
	}
}

func TestDecodeZeroViews(t *testing.T) {
	// The zero views have no type to dispatch on: a ParseError, no panic.
	d, err := DecodeChunk(Chunk{})
	wantParseError(t, err, 0, "no chunk")
	if d != nil {
		t.Fatalf("DecodeChunk returned %T", d)
	}
	p, err := DecodeParam(Param{})
	wantParseError(t, err, 0, "no parameter")
	if p != nil {
		t.Fatalf("DecodeParam returned %T", p)
	}
	c, err := DecodeCause(Cause{})
	wantParseError(t, err, 0, "no error cause")
	if c != nil {
		t.Fatalf("DecodeCause returned %T", c)
	}
}

func TestWalkShortPacket(t *testing.T) {
	// A packet without a whole common header is a framing error, not an
	// empty packet, for Walk and for the chunk iterator alike.
	handle := func(Chunk) { t.Fatal("chunk handled") }
	for _, p := range []Packet{nil, make(Packet, 11)} {
		stopped, err := p.Walk(func(ChunkType) bool { return true }, handle, nil)
		if stopped {
			t.Fatalf("%d bytes: stopped", len(p))
		}
		wantParseError(t, err, 0, "packet shorter than 12 bytes")
		it := p.Chunks()
		if _, ok := it.Next(); ok {
			t.Fatalf("%d bytes: a chunk", len(p))
		}
		wantParseError(t, it.Err(), 0, "packet shorter than 12 bytes")
	}
	// A bare common header is a packet without chunks.
	if stopped, err := make(Packet, HeaderLen).Walk(func(ChunkType) bool { return true }, handle, nil); stopped || err != nil {
		t.Fatalf("header only: stopped %v err %v", stopped, err)
	}
}

func TestBuilderTruncate(t *testing.T) {
	var pb Builder
	pb.Start(nil, Header{SrcPort: 1, DstPort: 2, VTag: 3}, 1500)
	pb.Add(&CookieAck{})
	n := pb.Len()
	pb.Add(&Sack{CumTSNAck: 1, ARwnd: 1500})
	pb.Truncate(n)
	pb.Add(&Sack{CumTSNAck: 2, ARwnd: 1500})
	p, err := ParsePacket(pb.Finish())
	if err != nil {
		t.Fatal(err)
	}
	it := p.Chunks()
	var types []ChunkType
	var s Sack
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		types = append(types, c.Type())
		if c.Type() == ChunkSack {
			s.Decode(c)
		}
	}
	if len(types) != 2 || s.CumTSNAck != 2 {
		t.Fatalf("chunks %v, SACK cum %d", types, s.CumTSNAck)
	}
	pb.Truncate(2) // below the header: ignored
	if pb.Len() != len(p) {
		t.Fatal("Truncate below the header changed the packet")
	}
}
