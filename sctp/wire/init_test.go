package wire

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// Chunks captured from real stacks (see /work/shared/captures): a Linux
// INIT, a usrsctp INIT with the AUTH, ADD-IP, PR-SCTP and RE-CONFIG
// parameters, and the Linux INIT ACK that answered it.
const (
	linuxInitHex = "01000034b9aea3de0001a000000affff1fe2d375000500080a630002000500080a630102000c00060005000080000004c0000004"

	usrsctpInitHex = "010000b8c53f8e4a00020000000a0800390f601c80000004c000000480080009" +
		"c00fc18082000000800200249d4c23103815df54f235554acadf0e711edb6496" +
		"3409fd57f5996f45e07a8d2780040006000100008003000680c10000000c0008" +
		"0005000600060014fd000099000100000000000000000001000500080a630101" +
		"00060014fd000099000000000000000000000001000500080a63000100060014" +
		"fd00000000000000000000000000000200050008c0000202"

	linuxInitAckHex = "020001b4ef06b0ed0001a000000a000aa40b51f3000500080a63000200050008" +
		"0a63010200070188018826b91a9872db601ddc0dab76d00ef02a5ad300000000" +
		"000000000000000000000000edb006ef4a8e3fc5000000000000000036df6106" +
		"f0deea180a000a00f3510ba40200c7a70a630101000000000000000000000000" +
		"0000000000000000891301000000000080020024c09a8f0642e76a6c77dfc2ed" +
		"d64bbeb4db97e2a612336c53cd81de3a0325d6c3000000000000000000000000" +
		"000000000000000000000000000000000000000010000000010000b8c53f8e4a" +
		"00020000000a0800390f601c80000004c000000480080009c00fc18082000000" +
		"800200249d4c23103815df54f235554acadf0e711edb64963409fd57f5996f45" +
		"e07a8d2780040006000100008003000680c10000000c00080005000600060014" +
		"fd000099000100000000000000000001000500080a63010100060014fd000099" +
		"000000000000000000000001000500080a63000100060014fd00000000000000" +
		"000000000000000200050008c0000202000500080a630002000500080a630102" +
		"00000000000000000000000080000004c0000004"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// noAllocs fails the test when f allocates.
func noAllocs(t *testing.T, name string, f func()) {
	t.Helper()
	if n := testing.AllocsPerRun(100, f); n != 0 {
		t.Errorf("%s: %v allocations per run, want 0", name, n)
	}
}

func TestInitWireLinux(t *testing.T) {
	// RFC 9260 §3.3.2 figure, as Linux sends it: two IPv4 addresses, a
	// Supported Address Types parameter whose single entry is padded, the
	// reserved ECN Capable parameter and Forward-TSN-Supported.
	want := unhex(t, linuxInitHex)
	in := Init{
		InitiateTag: 0xb9aea3de, ARwnd: 0x1a000, OutStreams: 10, InStreams: 0xffff, InitialTSN: 0x1fe2d375,
		Params: MakeParams(AppendParams(nil,
			&IPv4AddressParam{Addr: netip.MustParseAddr("10.99.0.2")},
			&IPv4AddressParam{Addr: netip.MustParseAddr("10.99.1.2")},
			&SupportedAddressTypesParam{Types: MakeParamTypes(ParamIPv4Address)},
			&RawParam{Type: ParamECNCapable},
			&ForwardTSNSupportedParam{},
		)),
	}
	if got := in.Append(nil); !bytes.Equal(got, want) {
		t.Fatalf("encoded\n %x\nwant\n %x", got, want)
	}
	var out Init
	if err := out.Decode(mustChunk(t, want)); err != nil {
		t.Fatal(err)
	}
	if out.InitiateTag != in.InitiateTag || out.ARwnd != in.ARwnd || out.OutStreams != 10 || out.InStreams != 0xffff || out.InitialTSN != in.InitialTSN {
		t.Fatalf("decoded %+v", out)
	}
	if !bytes.Equal(out.Params.Bytes(), in.Params.Bytes()) {
		t.Fatalf("params %x, want %x", out.Params.Bytes(), in.Params.Bytes())
	}
}

func TestInitWireUsrsctp(t *testing.T) {
	b := unhex(t, usrsctpInitHex)
	var m Init
	if err := m.Decode(mustChunk(t, b)); err != nil {
		t.Fatal(err)
	}
	if m.InitiateTag != 0xc53f8e4a || m.ARwnd != 131072 || m.OutStreams != 10 || m.InStreams != 2048 || m.InitialTSN != 0x390f601c {
		t.Fatalf("fixed fields %+v", m)
	}
	if again := m.Append(nil); !bytes.Equal(again, b) {
		t.Fatalf("re-encoding differs:\n %x\n %x", again, b)
	}
	var (
		addrs []netip.Addr
		types []ParamType
	)
	it := m.Params.Iter()
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		types = append(types, p.Type())
		switch p.Type() {
		case ParamIPv4Address, ParamIPv6Address:
			a, err := DecodeAddressParam(p)
			if err != nil {
				t.Fatal(err)
			}
			addrs = append(addrs, a)
		case ParamSupportedExtensions:
			var s SupportedExtensionsParam
			if err := s.Decode(p); err != nil {
				t.Fatal(err)
			}
			for _, c := range []ChunkType{ChunkForwardTSN, ChunkAuth, ChunkASCONF, ChunkASCONFAck, ChunkReconfig} {
				if !s.Has(c) {
					t.Errorf("Supported Extensions lacks %v", c)
				}
			}
			if s.Has(ChunkIData) || s.Chunks.Len() != 5 {
				t.Errorf("Supported Extensions %x", []byte(s.Chunks))
			}
		case ParamRandom:
			var r RandomParam
			if err := r.Decode(p); err != nil || len(r.Random) != 32 || r.Random[0] != 0x9d {
				t.Fatalf("RANDOM %x: %v", r.Random, err)
			}
		case ParamRequestedHMACAlgorithm:
			var r RequestedHMACAlgorithmParam
			if err := r.Decode(p); err != nil || r.IDs.Len() != 1 || r.IDs.At(0) != HMACSHA1 {
				t.Fatalf("HMAC-ALGO %x: %v", []byte(r.IDs), err)
			}
		case ParamChunkList:
			var c ChunkListParam
			if err := c.Decode(p); err != nil || !c.Requires(ChunkASCONF) || !c.Requires(ChunkASCONFAck) || c.Requires(ChunkData) {
				t.Fatalf("CHUNKS %x: %v", []byte(c.Chunks), err)
			}
		case ParamSupportedAddressTypes:
			var s SupportedAddressTypesParam
			if err := s.Decode(p); err != nil || !s.Supports(ParamIPv4Address) || !s.Supports(ParamIPv6Address) {
				t.Fatalf("Supported Address Types %x: %v", []byte(s.Types), err)
			}
		case ParamForwardTSNSupported:
			var f ForwardTSNSupportedParam
			if err := f.Decode(p); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	wantTypes := []ParamType{ParamECNCapable, ParamForwardTSNSupported, ParamSupportedExtensions, ParamRandom,
		ParamRequestedHMACAlgorithm, ParamChunkList, ParamSupportedAddressTypes,
		ParamIPv6Address, ParamIPv4Address, ParamIPv6Address, ParamIPv4Address, ParamIPv6Address, ParamIPv4Address}
	if len(types) != len(wantTypes) {
		t.Fatalf("parameter types %v, want %v", types, wantTypes)
	}
	for i := range types {
		if types[i] != wantTypes[i] {
			t.Fatalf("parameter types %v, want %v", types, wantTypes)
		}
	}
	wantAddrs := []string{"fd00:99:1::1", "10.99.1.1", "fd00:99::1", "10.99.0.1", "fd00::2", "192.0.2.2"}
	for i, a := range addrs {
		if a != netip.MustParseAddr(wantAddrs[i]) {
			t.Fatalf("addresses %v, want %v", addrs, wantAddrs)
		}
	}
}

func TestInitAckWireLinux(t *testing.T) {
	b := unhex(t, linuxInitAckHex)
	var m InitAck
	if err := m.Decode(mustChunk(t, b)); err != nil {
		t.Fatal(err)
	}
	if m.InitiateTag != 0xef06b0ed || m.ARwnd != 0x1a000 || m.OutStreams != 10 || m.InStreams != 10 || m.InitialTSN != 0xa40b51f3 {
		t.Fatalf("fixed fields %+v", m)
	}
	cookie, ok := m.StateCookie()
	if !ok || len(cookie) != 0x188-4 || !bytes.Equal(cookie, b[40:40+len(cookie)]) {
		t.Fatalf("state cookie: ok %v, %d bytes", ok, len(cookie))
	}
	if again := m.Append(nil); !bytes.Equal(again, b) {
		t.Fatalf("re-encoding differs:\n %x\n %x", again, b)
	}
	// RFC 9260 §3.3.11: a COOKIE ECHO is the State Cookie parameter with
	// its first two bytes changed.
	echo := append([]byte(nil), b[36:36+0x188]...)
	echo[0], echo[1] = byte(ChunkCookieEcho), 0
	var ce CookieEcho
	if err := ce.Decode(mustChunk(t, echo)); err != nil || !bytes.Equal(ce.Cookie, cookie) {
		t.Fatalf("COOKIE ECHO from the State Cookie: %v", err)
	}
	var none InitAck
	if _, ok := none.StateCookie(); ok {
		t.Fatal("StateCookie found in an empty list")
	}
}

func TestInitRoundTrip(t *testing.T) {
	ps := MakeParams(AppendParams(nil,
		&IPv6AddressParam{Addr: netip.MustParseAddr("2001:db8::1")},
		&CookiePreservativeParam{Increment: 5000},
		&SupportedExtensionsParam{Chunks: MakeChunkTypes(ChunkIData)}, // 5 bytes: padded inside the list
		&PaddingParam{Size: 3},
	))
	for _, in := range []Init{
		{InitiateTag: 1, ARwnd: 1500, OutStreams: 1, InStreams: 1},
		{InitiateTag: 0xffffffff, ARwnd: 0xffffffff, OutStreams: 0xffff, InStreams: 0xffff, InitialTSN: 0xffffffff, Params: ps},
	} {
		var out Init
		enc := roundTripChunk(t, &in, &out)
		if out.InitiateTag != in.InitiateTag || out.ARwnd != in.ARwnd || out.OutStreams != in.OutStreams || out.InStreams != in.InStreams || out.InitialTSN != in.InitialTSN {
			t.Fatalf("decoded %+v, want %+v", out, in)
		}
		if enc[1] != 0 {
			t.Fatalf("flags %#x, want 0", enc[1])
		}
		ack := InitAck(in)
		var outAck InitAck
		encAck := roundTripChunk(t, &ack, &outAck)
		if encAck[0] != byte(ChunkInitAck) || !bytes.Equal(encAck[1:], enc[1:]) {
			t.Fatalf("INIT ACK %x differs from INIT %x beyond the type", encAck, enc)
		}
	}
	// The last parameter's padding is the chunk's: 20 + 20 + 8 + 8 + 7.
	in := Init{InitiateTag: 1, OutStreams: 1, InStreams: 1, Params: ps}
	if in.Len() != 63 {
		t.Fatalf("Len %d, want 63", in.Len())
	}
}

func TestInitFlagsIgnored(t *testing.T) {
	b := unhex(t, linuxInitHex)
	b[1] = 0xff
	var m Init
	if err := m.Decode(mustChunk(t, b)); err != nil {
		t.Fatal(err)
	}
	if m.Append(nil)[1] != 0 {
		t.Fatal("flags not cleared on send")
	}
}

func TestInitErrors(t *testing.T) {
	good := (&Init{InitiateTag: 7, ARwnd: 1500, OutStreams: 2, InStreams: 3, InitialTSN: 9}).Append(nil)
	for _, typ := range []ChunkType{ChunkInit, ChunkInitAck} {
		var dec chunkDecoder = new(Init)
		if typ == ChunkInitAck {
			dec = new(InitAck)
		}
		name := typ.String()
		mk := func(edit func(b []byte)) []byte {
			b := append([]byte(nil), good...)
			b[0] = byte(typ)
			edit(b)
			return b
		}
		short := mk(func(b []byte) { b[3] = 16 })[:16]
		wantParseError(t, dec.Decode(inPacket(t, short)), 12+2, "chunk length below 20")

		err := dec.Decode(inPacket(t, mk(func(b []byte) { copy(b[4:8], []byte{0, 0, 0, 0}) })))
		wantParseError(t, err, 12+4, name+" with a zero initiate tag")
		if !errors.Is(err, ErrZeroInitiateTag) {
			t.Fatalf("%v does not match ErrZeroInitiateTag", err)
		}

		// RFC 9260 §3.3.2, §3.3.3: a_rwnd below 1500, with the fixed
		// fields filled in for the ABORT that answers it.
		err = dec.Decode(inPacket(t, mk(func(b []byte) { copy(b[8:12], []byte{0, 0, 0x05, 0xdb}) })))
		wantParseError(t, err, 12+8, name+" with a_rwnd below 1500")
		if !errors.Is(err, ErrSmallWindow) {
			t.Fatalf("%v does not match ErrSmallWindow", err)
		}
		var got Init
		switch d := dec.(type) {
		case *Init:
			got = *d
		case *InitAck:
			got = Init(*d)
		}
		if got.InitiateTag != 7 || got.ARwnd != 1499 || got.OutStreams != 2 || got.InStreams != 3 || got.InitialTSN != 9 || got.Params.Len() != 0 {
			t.Fatalf("%s: decoded %+v after ErrSmallWindow", name, got)
		}

		err = dec.Decode(inPacket(t, mk(func(b []byte) { b[12], b[13] = 0, 0 })))
		wantParseError(t, err, 12+12, name+" with zero outbound streams")
		if !errors.Is(err, ErrZeroStreams) {
			t.Fatalf("%v does not match ErrZeroStreams", err)
		}
		err = dec.Decode(inPacket(t, mk(func(b []byte) { b[14], b[15] = 0, 0 })))
		wantParseError(t, err, 12+14, name+" with zero inbound streams")
		if !errors.Is(err, ErrZeroStreams) {
			t.Fatalf("%v does not match ErrZeroStreams", err)
		}
		// The fixed fields are there for the ABORT that answers it.
		var tag VTag
		switch d := dec.(type) {
		case *Init:
			tag = d.InitiateTag
		case *InitAck:
			tag = d.InitiateTag
		}
		if tag != 7 {
			t.Fatalf("%s: initiate tag %d after ErrZeroStreams, want 7", name, tag)
		}

		// A parameter whose length runs past the chunk, at packet offset
		// 12 + 20 + 2.
		bad := append(mk(func(b []byte) { b[3] = 28 }), 0, 5, 0, 12, 1, 2, 3, 4)
		wantParseError(t, dec.Decode(inPacket(t, bad)), 12+20+2, "length runs past the end of the enclosing structure")
		// Trailing bytes too few for a parameter header.
		bad = append(mk(func(b []byte) { b[3] = 22 }), 0, 0, 0, 0)
		wantParseError(t, dec.Decode(inPacket(t, bad)), 12+20, "fewer than 4 bytes left for a header")
	}
	var m Init
	wantParseError(t, m.Decode(inPacket(t, unhex(t, linuxInitAckHex))), 12, "chunk is a INIT ACK")
	var a InitAck
	wantParseError(t, a.Decode(inPacket(t, unhex(t, linuxInitHex))), 12, "chunk is a INIT")
	wantParseError(t, m.Decode(Chunk{}), 0, "no chunk")
}

func TestInitDecodeDoesNotAllocate(t *testing.T) {
	c := mustChunk(t, unhex(t, usrsctpInitHex))
	ca := mustChunk(t, unhex(t, linuxInitAckHex))
	var m Init
	var a InitAck
	noAllocs(t, "INIT", func() { _ = m.Decode(c) })
	noAllocs(t, "INIT ACK", func() { _ = a.Decode(ca); _, _ = a.StateCookie() })
	buf := make([]byte, 0, 512)
	noAllocs(t, "INIT encode", func() { buf = m.Append(buf[:0]) })
}

// FuzzInitDecode feeds arbitrary chunk values to the INIT and INIT ACK
// decoders and to the decoder of every parameter they contain: none may
// panic, and whatever decodes must re-encode to bytes that decode to the
// same encoding again.
func FuzzInitDecode(f *testing.F) {
	f.Add(mustHex(linuxInitHex))
	f.Add(mustHex(usrsctpInitHex))
	f.Add(mustHex(linuxInitAckHex))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseChunk(b)
		if err != nil {
			return
		}
		var m Init
		if c.Type() == ChunkInitAck {
			var a InitAck
			err = a.Decode(c)
			m = Init(a)
		} else {
			err = m.Decode(c)
		}
		if err != nil {
			return
		}
		enc := m.Append(nil)
		var again Init
		if err := again.Decode(mustChunk(t, enc)); err != nil {
			t.Fatalf("re-encoded INIT does not decode: %v", err)
		}
		if !bytes.Equal(again.Append(nil), enc) {
			t.Fatal("second encoding differs")
		}
		it := m.Params.Iter()
		for p, ok := it.Next(); ok; p, ok = it.Next() {
			d := newSetupParam(p.Type())
			if d == nil || d.Decode(p) != nil {
				continue
			}
			pe := d.Append(nil)
			q, err := ParseParam(pe)
			if err != nil {
				t.Fatalf("%v: re-encoded parameter does not parse: %v", p.Type(), err)
			}
			d2 := newSetupParam(p.Type())
			if err := d2.Decode(q); err != nil {
				t.Fatalf("%v: re-encoded parameter does not decode: %v", p.Type(), err)
			}
			if !bytes.Equal(d2.Append(nil), pe) {
				t.Fatalf("%v: second encoding differs", p.Type())
			}
		}
	})
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// setupParams are the parameter types of the connection setup and AUTH
// families, whose tests live here.
var setupParams = []ParamType{
	ParamHeartbeatInfo, ParamIPv4Address, ParamIPv6Address, ParamStateCookie,
	ParamUnrecognizedParameter, ParamCookiePreservative, ParamHostNameAddress,
	ParamSupportedAddressTypes, ParamForwardTSNSupported, ParamSupportedExtensions,
	ParamAdaptationLayerIndication, ParamPadding, ParamRandom, ParamChunkList,
	ParamRequestedHMACAlgorithm,
}

// newSetupParam returns a zero struct for the setup parameter types, nil
// for the others.
func newSetupParam(t ParamType) paramDecoder {
	if !slices.Contains(setupParams, t) {
		return nil
	}
	return NewParam(t)
}
