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
	// and must not be a host name.
	wantParseError(t, a.Decode(inPacket(t, []byte{0xc1, 0, 0, 16, 0, 0, 0, 1, 0, 11, 0, 8, 'a', '.', 'b', 0})), 20,
		"parameter is a Host Name Address")
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
