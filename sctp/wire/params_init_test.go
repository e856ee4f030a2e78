package wire

import (
	"bytes"
	"net/netip"
	"testing"
)

// mustParam cuts a parameter out of raw bytes or fails the test.
func mustParam(t *testing.T, b []byte) Param {
	t.Helper()
	p, err := ParseParam(b)
	if err != nil {
		t.Fatalf("ParseParam(%x): %v", b, err)
	}
	return p
}

// paramInInit returns the first parameter of an INIT carrying the given
// parameter bytes, placed in a packet: the parameter sits at offset
// 12 + 20 = 32, so decoder errors can be checked in packet coordinates.
func paramInInit(t *testing.T, param []byte) Param {
	t.Helper()
	in := Init{InitiateTag: 1, ARwnd: 1500, OutStreams: 1, InStreams: 1, Params: MakeParams(param)}
	var m Init
	if err := m.Decode(inPacket(t, in.Append(nil))); err != nil {
		t.Fatal(err)
	}
	it := m.Params.Iter()
	p, ok := it.Next()
	if !ok || p.Offset() != 32 {
		t.Fatalf("parameter at %d (%v)", p.Offset(), it.Err())
	}
	return p
}

func TestParamsInitWire(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    Parameter
		want []byte
	}{
		// RFC 9260 §3.3.2.1.1 to §3.3.3.1.2 figures.
		{"IPv4", &IPv4AddressParam{Addr: netip.MustParseAddr("192.0.2.1")}, []byte{0, 5, 0, 8, 192, 0, 2, 1}},
		{"IPv4 from mapped", &IPv4AddressParam{Addr: netip.MustParseAddr("::ffff:192.0.2.1")}, []byte{0, 5, 0, 8, 192, 0, 2, 1}},
		{"IPv6", &IPv6AddressParam{Addr: netip.MustParseAddr("2001:db8::1")},
			[]byte{0, 6, 0, 20, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
		{"Cookie Preservative", &CookiePreservativeParam{Increment: 0x01020304}, []byte{0, 9, 0, 8, 1, 2, 3, 4}},
		{"Host Name", &HostNameAddressParam{HostName: []byte("ab")}, []byte{0, 11, 0, 7, 'a', 'b', 0, 0}},
		{"Supported Address Types", &SupportedAddressTypesParam{Types: MakeParamTypes(ParamIPv4Address, ParamIPv6Address, ParamHostNameAddress)},
			[]byte{0, 12, 0, 10, 0, 5, 0, 6, 0, 11, 0, 0}},
		{"State Cookie", &StateCookieParam{Cookie: []byte{1, 2, 3, 4, 5}}, []byte{0, 7, 0, 9, 1, 2, 3, 4, 5, 0, 0, 0}},
		{"Unrecognized Parameter", &UnrecognizedParameterParam{Param: []byte{0x40, 0x99, 0, 5, 7}},
			[]byte{0, 8, 0, 9, 0x40, 0x99, 0, 5, 7, 0, 0, 0}},
		{"Heartbeat Info", &HeartbeatInfoParam{Info: []byte{9, 8}}, []byte{0, 1, 0, 6, 9, 8, 0, 0}},
		// RFC 3758 §3.1.
		{"Forward-TSN-Supported", &ForwardTSNSupportedParam{}, []byte{0xc0, 0, 0, 4}},
		// RFC 5061 §4.2.6 and §4.2.7: the length excludes the padding.
		{"Adaptation Layer Indication", &AdaptationLayerIndicationParam{Indication: 0xdeadbeef}, []byte{0xc0, 6, 0, 8, 0xde, 0xad, 0xbe, 0xef}},
		{"Supported Extensions", &SupportedExtensionsParam{Chunks: MakeChunkTypes(ChunkForwardTSN, ChunkAuth, ChunkASCONF, ChunkASCONFAck, ChunkReconfig)},
			[]byte{0x80, 8, 0, 9, 0xc0, 0x0f, 0xc1, 0x80, 0x82, 0, 0, 0}},
		// RFC 4820 §4.
		{"Padding", &PaddingParam{Size: 6}, []byte{0x80, 5, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0}},
		{"Padding empty", &PaddingParam{}, []byte{0x80, 5, 0, 4}},
	} {
		if got := tc.p.Append(nil); !bytes.Equal(got, tc.want) {
			t.Errorf("%s: got %x want %x", tc.name, got, tc.want)
		}
		if tc.p.Len() != int(tc.want[2])<<8|int(tc.want[3]) {
			t.Errorf("%s: Len %d", tc.name, tc.p.Len())
		}
	}
}

func TestParamsInitRoundTrip(t *testing.T) {
	for _, a := range []string{"0.0.0.0", "10.1.2.3", "255.255.255.255"} {
		in := IPv4AddressParam{Addr: netip.MustParseAddr(a)}
		var out IPv4AddressParam
		roundTripParam(t, &in, &out)
		if out.Addr != in.Addr {
			t.Fatalf("IPv4 %v, want %v", out.Addr, in.Addr)
		}
	}
	for _, a := range []string{"::", "fe80::1", "::ffff:10.0.0.1"} {
		in := IPv6AddressParam{Addr: netip.MustParseAddr(a)}
		var out IPv6AddressParam
		roundTripParam(t, &in, &out)
		if out.Addr != in.Addr {
			t.Fatalf("IPv6 %v, want %v", out.Addr, in.Addr)
		}
	}
	{
		in := CookiePreservativeParam{Increment: 0xffffffff}
		var out CookiePreservativeParam
		roundTripParam(t, &in, &out)
		if out != in {
			t.Fatalf("Cookie Preservative %+v", out)
		}
	}
	for _, n := range []string{"", "h", "host.example"} {
		in := HostNameAddressParam{HostName: []byte(n)}
		var out HostNameAddressParam
		roundTripParam(t, &in, &out)
		if string(out.HostName) != n {
			t.Fatalf("Host Name %q, want %q", out.HostName, n)
		}
	}
	for _, c := range [][]byte{nil, {1}, make([]byte, 100)} {
		in := StateCookieParam{Cookie: c}
		var out StateCookieParam
		roundTripParam(t, &in, &out)
		if !bytes.Equal(out.Cookie, c) {
			t.Fatalf("State Cookie %x", out.Cookie)
		}
		hb := HeartbeatInfoParam{Info: c}
		var hbOut HeartbeatInfoParam
		roundTripParam(t, &hb, &hbOut)
		if !bytes.Equal(hbOut.Info, c) {
			t.Fatalf("Heartbeat Info %x", hbOut.Info)
		}
	}
	{
		inner := (&CookiePreservativeParam{Increment: 1}).Append(nil)
		inner[0] = 0x80 // make it an unknown type 0x8009
		in := UnrecognizedParameterParam{Param: inner}
		var out UnrecognizedParameterParam
		roundTripParam(t, &in, &out)
		if !bytes.Equal(out.Param, inner) || out.UnrecognizedType() != 0x8009 {
			t.Fatalf("Unrecognized Parameter %x, type %v", out.Param, out.UnrecognizedType())
		}
	}
	for _, ts := range [][]ParamType{nil, {ParamIPv6Address}, {ParamIPv4Address, ParamIPv6Address}} {
		in := SupportedAddressTypesParam{Types: MakeParamTypes(ts...)}
		var out SupportedAddressTypesParam
		roundTripParam(t, &in, &out)
		if out.Types.Len() != len(ts) {
			t.Fatalf("Supported Address Types %x", []byte(out.Types))
		}
		for i, want := range ts {
			if out.Types.At(i) != want || !out.Supports(want) {
				t.Fatalf("Supported Address Types %x, want %v", []byte(out.Types), ts)
			}
		}
	}
	for _, cs := range [][]ChunkType{nil, {ChunkIData}, {ChunkIData, ChunkIForwardTSN, ChunkReconfig, ChunkPad}} {
		in := SupportedExtensionsParam{Chunks: MakeChunkTypes(cs...)}
		var out SupportedExtensionsParam
		roundTripParam(t, &in, &out)
		if out.Chunks.Len() != len(cs) {
			t.Fatalf("Supported Extensions %x", []byte(out.Chunks))
		}
		for i, want := range cs {
			if out.Chunks.At(i) != want || !out.Has(want) {
				t.Fatalf("Supported Extensions %x, want %v", []byte(out.Chunks), cs)
			}
		}
	}
	{
		var out ForwardTSNSupportedParam
		roundTripParam(t, &ForwardTSNSupportedParam{}, &out)
		in := AdaptationLayerIndicationParam{Indication: 7}
		var outA AdaptationLayerIndicationParam
		roundTripParam(t, &in, &outA)
		if outA != in {
			t.Fatalf("Adaptation Layer Indication %+v", outA)
		}
	}
	for _, n := range []int{0, 1, 4, 1000} {
		in := PaddingParam{Size: n}
		var out PaddingParam
		roundTripParam(t, &in, &out)
		if out.Size != n {
			t.Fatalf("Padding size %d, want %d", out.Size, n)
		}
	}
}

func TestParamsInitErrors(t *testing.T) {
	// Each parameter placed in an INIT in a packet, at offset 32.
	for _, tc := range []struct {
		name  string
		param []byte
		dec   paramDecoder
		off   int
		rule  string
	}{
		{"IPv4 short", rawParamBytes(ParamIPv4Address, 1, 2, 3), new(IPv4AddressParam), 34, "parameter length not 8"},
		{"IPv4 long", rawParamBytes(ParamIPv4Address, 1, 2, 3, 4, 5), new(IPv4AddressParam), 34, "parameter length not 8"},
		{"IPv6 IPv4-sized", rawParamBytes(ParamIPv6Address, 1, 2, 3, 4), new(IPv6AddressParam), 34, "parameter length not 20"},
		{"Cookie Preservative short", rawParamBytes(ParamCookiePreservative, 1, 2), new(CookiePreservativeParam), 34, "parameter length below 8"},
		{"Host Name without NUL", rawParamBytes(ParamHostNameAddress, 'a', 'b'), new(HostNameAddressParam), 34, "host name without a null terminator"},
		{"Host Name empty", rawParamBytes(ParamHostNameAddress), new(HostNameAddressParam), 34, "host name without a null terminator"},
		{"Supported Address Types odd", rawParamBytes(ParamSupportedAddressTypes, 0, 5, 0), new(SupportedAddressTypesParam), 34, "address type list of odd length"},
		{"Adaptation Layer Indication short", rawParamBytes(ParamAdaptationLayerIndication, 1, 2, 3), new(AdaptationLayerIndicationParam), 34, "parameter length below 8"},
		{"Unrecognized empty", rawParamBytes(ParamUnrecognizedParameter), new(UnrecognizedParameterParam), 34, "no parameter inside"},
		{"Unrecognized partial header", rawParamBytes(ParamUnrecognizedParameter, 0x80, 0x09), new(UnrecognizedParameterParam), 36, "fewer than 4 bytes left for a header"},
		{"Unrecognized inner length below 4", rawParamBytes(ParamUnrecognizedParameter, 0x80, 0x09, 0, 3), new(UnrecognizedParameterParam), 38, "length below 4"},
		{"Unrecognized inner length past end", rawParamBytes(ParamUnrecognizedParameter, 0x80, 0x09, 0, 8, 1), new(UnrecognizedParameterParam), 38, "length runs past the end of the enclosing structure"},
		{"wrong type", rawParamBytes(ParamStateCookie, 1), new(IPv4AddressParam), 32, "parameter is a State Cookie"},
		{"wrong type for Padding", rawParamBytes(ParamIPv4Address, 1, 2, 3, 4), new(PaddingParam), 32, "parameter is a IPv4 Address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantParseError(t, tc.dec.Decode(paramInInit(t, tc.param)), tc.off, tc.rule)
		})
	}
	// Every decoder checks the type, and the zero Param.
	for typ := range paramNames {
		d := newSetupParam(typ)
		if d == nil {
			continue
		}
		wrong := ParamHeartbeatInfo
		if typ == ParamHeartbeatInfo {
			wrong = ParamStateCookie
		}
		wantParseError(t, d.Decode(mustParam(t, rawParamBytes(wrong, 0, 0, 0, 0))), 0, "parameter is a "+wrong.String())
		wantParseError(t, d.Decode(Param{}), 0, "no parameter")
	}
}

func TestUnrecognizedParameterTolerance(t *testing.T) {
	// A reported parameter copied with its padding inside the length.
	b := rawParamBytes(ParamUnrecognizedParameter, 0x80, 0x09, 0, 5, 1, 0, 0, 0)
	var u UnrecognizedParameterParam
	if err := u.Decode(mustParam(t, b)); err != nil {
		t.Fatal(err)
	}
	if u.UnrecognizedType() != 0x8009 || len(u.Param) != 8 {
		t.Fatalf("got %x", u.Param)
	}
	var empty UnrecognizedParameterParam
	if empty.UnrecognizedType() != 0 {
		t.Fatal("type of an empty report")
	}
}

// rawParamBytes encodes a parameter of any type and value.
func rawParamBytes(typ ParamType, v ...byte) []byte {
	return (&RawParam{Type: typ, Value: v}).Append(nil)
}

func TestHostNameCutAtFirstNUL(t *testing.T) {
	// RFC 9260 §3.3.2.1.4: at least one terminator, maybe more.
	var h HostNameAddressParam
	if err := h.Decode(mustParam(t, rawParamBytes(ParamHostNameAddress, 'a', 0, 0, 'x'))); err != nil {
		t.Fatal(err)
	}
	if string(h.HostName) != "a" {
		t.Fatalf("host name %q", h.HostName)
	}
}

func TestSupportedAddressTypesIgnoresHostName(t *testing.T) {
	// RFC 9260 §3.3.2.1.5: the Host Name Address type is ignored on receipt.
	var s SupportedAddressTypesParam
	if err := s.Decode(mustParam(t, rawParamBytes(ParamSupportedAddressTypes, 0, 11, 0, 5))); err != nil {
		t.Fatal(err)
	}
	if s.Supports(ParamHostNameAddress) || !s.Types.Has(ParamHostNameAddress) || !s.Supports(ParamIPv4Address) || s.Supports(ParamIPv6Address) {
		t.Fatalf("Supports on %x", []byte(s.Types))
	}
}

func TestAddressParamHelpers(t *testing.T) {
	for _, tc := range []struct {
		addr string
		typ  ParamType
		want string
	}{
		{"192.0.2.7", ParamIPv4Address, "192.0.2.7"},
		{"::ffff:192.0.2.7", ParamIPv4Address, "192.0.2.7"}, // §3.3.2.1.2: no mapped addresses
		{"2001:db8::7", ParamIPv6Address, "2001:db8::7"},
	} {
		b := AppendAddressParam(nil, netip.MustParseAddr(tc.addr))
		p := mustParam(t, b)
		if p.Type() != tc.typ {
			t.Fatalf("%s: parameter type %v", tc.addr, p.Type())
		}
		got, err := DecodeAddressParam(p)
		if err != nil || got != netip.MustParseAddr(tc.want) {
			t.Fatalf("%s: decoded %v, %v", tc.addr, got, err)
		}
	}
	_, err := DecodeAddressParam(mustParam(t, rawParamBytes(ParamStateCookie)))
	wantParseError(t, err, 0, "parameter is a State Cookie")
	_, err = DecodeAddressParam(Param{})
	wantParseError(t, err, 0, "no parameter")
	_, err = DecodeAddressParam(mustParam(t, rawParamBytes(ParamIPv6Address, 1, 2, 3, 4)))
	wantParseError(t, err, 2, "parameter length not 20")
}

func TestAddressParamEncodeOddInputs(t *testing.T) {
	// Encoders do not panic on addresses of the wrong family: the length
	// stays what the RFC fixes, and the address is the unspecified one.
	for _, a := range []netip.Addr{{}, netip.MustParseAddr("2001:db8::1")} {
		p := IPv4AddressParam{Addr: a}
		if got := p.Append(nil); !bytes.Equal(got, []byte{0, 5, 0, 8, 0, 0, 0, 0}) {
			t.Fatalf("IPv4 parameter for %v: %x", a, got)
		}
	}
	p := IPv6AddressParam{}
	if got := p.Append(nil); len(got) != 20 || !bytes.Equal(got[4:], make([]byte, 16)) {
		t.Fatalf("IPv6 parameter for the zero Addr: %x", got)
	}
}

func TestPaddingParamSizeClamped(t *testing.T) {
	for _, tc := range []struct{ size, len int }{{-5, 4}, {0, 4}, {65531, 65535}, {70000, 65535}} {
		p := PaddingParam{Size: tc.size}
		if p.Len() != tc.len || len(p.Append(nil)) != pad4(tc.len) {
			t.Fatalf("size %d: Len %d, encoded %d bytes", tc.size, p.Len(), len(p.Append(nil)))
		}
	}
	// The content of received padding is ignored.
	var p PaddingParam
	if err := p.Decode(mustParam(t, rawParamBytes(ParamPadding, 1, 2, 3))); err != nil || p.Size != 3 {
		t.Fatalf("size %d, %v", p.Size, err)
	}
}

func TestListViews(t *testing.T) {
	pt := MakeParamTypes(ParamIPv6Address, ParamIPv4Address)
	if pt.Len() != 2 || pt.At(0) != ParamIPv6Address || pt.At(1) != ParamIPv4Address || !pt.Has(ParamIPv4Address) || pt.Has(ParamHostNameAddress) {
		t.Fatalf("ParamTypes %x", []byte(pt))
	}
	// A dangling byte is not an entry.
	if ParamTypes([]byte{0, 5, 0}).Has(0x0500) || ParamTypes([]byte{0, 5, 0}).Len() != 1 {
		t.Fatal("odd ParamTypes")
	}
	ct := MakeChunkTypes(ChunkASCONF, ChunkAuth)
	if ct.Len() != 2 || ct.At(1) != ChunkAuth || !ct.Has(ChunkASCONF) || ct.Has(ChunkData) {
		t.Fatalf("ChunkTypes %x", []byte(ct))
	}
}

func TestParamsInitDecodeDoesNotAllocate(t *testing.T) {
	for typ := range paramNames {
		d := newSetupParam(typ)
		if d == nil {
			continue
		}
		var b []byte
		switch typ {
		case ParamIPv4Address:
			b = rawParamBytes(typ, 1, 2, 3, 4)
		case ParamIPv6Address:
			b = rawParamBytes(typ, make([]byte, 16)...)
		case ParamCookiePreservative, ParamAdaptationLayerIndication:
			b = rawParamBytes(typ, 0, 0, 0, 1)
		case ParamForwardTSNSupported:
			b = rawParamBytes(typ)
		case ParamRandom:
			b = rawParamBytes(typ, make([]byte, 32)...)
		case ParamUnrecognizedParameter:
			b = rawParamBytes(typ, 0x80, 0x09, 0, 4)
		default:
			b = rawParamBytes(typ, 'a', 0, 'b', 0)
		}
		p := mustParam(t, b)
		if err := d.Decode(p); err != nil {
			t.Fatalf("%v: %v", typ, err)
		}
		noAllocs(t, typ.String(), func() { _ = d.Decode(p) })
	}
	var a netip.Addr
	p6 := mustParam(t, rawParamBytes(ParamIPv6Address, make([]byte, 16)...))
	noAllocs(t, "DecodeAddressParam", func() { a, _ = DecodeAddressParam(p6) })
	_ = a
}
