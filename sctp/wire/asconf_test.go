package wire

import (
	"bytes"
	"net/netip"
	"testing"
)

func TestASCONFWire(t *testing.T) {
	// RFC 5061 §4.1.1: Sequence Number, the sender's address parameter,
	// then the requests; here the Add IP Address example of §4.2.1.
	a := ASCONF{
		Seq:    0x11223344,
		Addr:   netip.MustParseAddr("192.0.2.2"),
		Params: MakeParams((&AddIPAddressParam{CorrelationID: 0x01023474, Addr: netip.MustParseAddr("192.0.2.1")}).Append(nil)),
	}
	want := []byte{
		0xc1, 0, 0, 32,
		0x11, 0x22, 0x33, 0x44,
		0, 5, 0, 8, 192, 0, 2, 2,
		0xc0, 0x01, 0, 16, 0x01, 0x02, 0x34, 0x74, 0, 5, 0, 8, 0xc0, 0, 2, 1,
	}
	if got := a.Append(nil); !bytes.Equal(got, want) {
		t.Fatalf("got  %x\nwant %x", got, want)
	}
	var out ASCONF
	if err := out.Decode(inPacket(t, want)); err != nil {
		t.Fatal(err)
	}
	it := out.Params.Iter()
	p, ok := it.Next()
	var add AddIPAddressParam
	if !ok || out.Seq != 0x11223344 || out.Addr != a.Addr || p.Offset() != 12+16 || add.Decode(p) != nil || add.Addr != netip.MustParseAddr("192.0.2.1") {
		t.Fatalf("decoded %+v, request %+v at %d", out, add, p.Offset())
	}
}

func TestASCONFAckWire(t *testing.T) {
	// RFC 5061 §4.1.2: complete success may be an ASCONF-ACK of length 8.
	if got := (&ASCONFAck{Seq: 0x11223344}).Append(nil); !bytes.Equal(got, []byte{0x80, 0, 0, 8, 0x11, 0x22, 0x33, 0x44}) {
		t.Fatalf("bare ASCONF-ACK %x", got)
	}
	// With the Error Cause Indication example of §4.3.2.
	addIP := (&AddIPAddressParam{CorrelationID: 0x01023474, Addr: netip.MustParseAddr("192.0.2.1")}).Append(nil)
	eci := ErrorCauseIndicationParam{CorrelationID: 0x01023474, Causes: MakeCauses((&ResourceShortageCause{Param: addIP}).Append(nil))}
	a := ASCONFAck{Seq: 1, Params: MakeParams(eci.Append(nil))}
	want := append([]byte{0x80, 0, 0, 36, 0, 0, 0, 1, 0xc0, 0x03, 0, 28, 0x01, 0x02, 0x34, 0x74, 0, 0xa1, 0, 20}, addIP...)
	if got := a.Append(nil); !bytes.Equal(got, want) {
		t.Fatalf("got  %x\nwant %x", got, want)
	}
}

func TestASCONFRoundTrip(t *testing.T) {
	reqs := AppendParams(nil,
		&DeleteIPAddressParam{CorrelationID: 1, Addr: netip.MustParseAddr("2001:db8::7")},
		&SetPrimaryAddressParam{CorrelationID: 2, Addr: netip.MustParseAddr("10.1.2.3")},
	)
	for _, a := range []ASCONF{
		{Seq: 0, Addr: netip.MustParseAddr("10.0.0.1"), Params: MakeParams(reqs)},
		{Seq: 0xffffffff, Addr: netip.MustParseAddr("2001:db8::1"), Params: MakeParams(reqs)},
		// No request: decoded all the same (see ASCONF).
		{Seq: 5, Addr: netip.MustParseAddr("10.0.0.1")},
	} {
		var out ASCONF
		roundTripChunk(t, &a, &out)
		if out.Seq != a.Seq || out.Addr != a.Addr || !bytes.Equal(out.Params.Bytes(), a.Params.Bytes()) {
			t.Fatalf("decoded %+v, want %+v", out, a)
		}
	}
	for _, a := range []ASCONFAck{
		{Seq: 9},
		{Seq: 10, Params: MakeParams(AppendParams(nil, &SuccessIndicationParam{CorrelationID: 1},
			&ErrorCauseIndicationParam{CorrelationID: 2, Causes: MakeCauses((&NoAuthorizationCause{Param: reqs[:28]}).Append(nil))}))},
	} {
		var out ASCONFAck
		roundTripChunk(t, &a, &out)
		if out.Seq != a.Seq || !bytes.Equal(out.Params.Bytes(), a.Params.Bytes()) {
			t.Fatalf("decoded %+v, want %+v", out, a)
		}
	}
}

func TestASCONFErrors(t *testing.T) {
	var a ASCONF
	wantParseError(t, a.Decode(mustChunk(t, []byte{0x80, 0, 0, 8, 0, 0, 0, 1})), 0, "chunk is a ASCONF-ACK")
	wantParseError(t, a.Decode(inPacket(t, []byte{0xc1, 0, 0, 4})), 14, "chunk length below 8")
	// §4.1.1: the address parameter is mandatory.
	wantParseError(t, a.Decode(inPacket(t, []byte{0xc1, 0, 0, 8, 0, 0, 0, 1})), 20, "no address parameter")
	// Any other parameter in its place is refused.
	wantParseError(t, a.Decode(inPacket(t, []byte{0xc1, 0, 0, 16, 0, 0, 0, 1, 0, 7, 0, 8, 1, 2, 3, 4})), 20,
		"parameter is a State Cookie")
	wantParseError(t, a.Decode(inPacket(t, []byte{0xc1, 0, 0, 16, 0, 0, 0, 1, 0, 6, 0, 8, 1, 2, 3, 4})), 22, "parameter length not 20")
	// A malformed request after the address: its length field is at
	// 12 + 16 + 2.
	wantParseError(t, a.Decode(inPacket(t, []byte{0xc1, 0, 0, 20, 0, 0, 0, 1, 0, 5, 0, 8, 1, 2, 3, 4, 0xc0, 1, 0, 2})), 30, "length below 4")
}

func TestASCONFAckErrors(t *testing.T) {
	var a ASCONFAck
	wantParseError(t, a.Decode(mustChunk(t, []byte{0xc1, 0, 0, 8, 0, 0, 0, 1})), 0, "chunk is a ASCONF")
	wantParseError(t, a.Decode(inPacket(t, []byte{0x80, 0, 0, 6, 0, 0, 0, 0})), 14, "chunk length below 8")
	wantParseError(t, a.Decode(inPacket(t, []byte{0x80, 0, 0, 16, 0, 0, 0, 1, 0xc0, 5, 0, 12, 0, 0, 0, 1})), 22,
		"length runs past the end of the enclosing structure")
}

func TestASCONFHostNameAddressIgnored(t *testing.T) {
	// RFC 5061 §4.1.1: "The host name address MUST NOT be sent and MUST
	// be ignored if received in any ASCONF message." The chunk decodes,
	// Addr is left zero, and the requests after it are there.
	req := (&AddIPAddressParam{CorrelationID: 7, Addr: netip.MustParseAddr("192.0.2.1")}).Append(nil)
	for _, host := range [][]byte{
		{0, 11, 0, 8, 'a', '.', 'b', 0},
		{0, 11, 0, 7, 'a', 'b', 'c', 0}, // not NUL-terminated: not looked at
	} {
		chunk := append(append([]byte{0xc1, 0, 0, byte(8 + pad4(int(host[3])) + len(req)), 0, 0, 0, 9}, host...), req...)
		var a ASCONF
		a.Addr = netip.MustParseAddr("10.0.0.1")
		if err := a.Decode(inPacket(t, chunk)); err != nil {
			t.Fatalf("%x: %v", host, err)
		}
		it := a.Params.Iter()
		p, ok := it.Next()
		var add AddIPAddressParam
		if a.Addr.IsValid() || a.Seq != 9 || !ok || p.Offset() != 12+16 || add.Decode(p) != nil || add.CorrelationID != 7 {
			t.Fatalf("%x: decoded %+v, request %+v at %d", host, a, add, p.Offset())
		}
		// Re-encoded with the wildcard in its place.
		var again ASCONF
		if err := again.Decode(mustChunk(t, a.Append(nil))); err != nil || again.Addr != netip.IPv6Unspecified() {
			t.Fatalf("re-encoded: %+v %v", again, err)
		}
	}
}
