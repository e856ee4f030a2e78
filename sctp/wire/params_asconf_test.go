package wire

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"
)

// parseParamT cuts a parameter out of raw bytes or fails the test.
func parseParamT(t *testing.T, b []byte) Param {
	t.Helper()
	p, err := ParseParam(b)
	if err != nil {
		t.Fatalf("ParseParam(%x): %v", b, err)
	}
	return p
}

func TestASCONFParamsWire(t *testing.T) {
	v4 := netip.MustParseAddr("192.0.2.1")
	v6 := netip.MustParseAddr("2001:db8::1")
	delIP := []byte{0xc0, 0x02, 0, 16, 0x01, 0x02, 0x34, 0x76, 0, 5, 0, 8, 0xc0, 0, 2, 1}
	for _, tc := range []struct {
		name string
		in   paramDecoder
		out  paramDecoder
		want []byte
	}{
		// The examples of RFC 5061 §4.2.1, §4.2.2 and §4.2.4.
		{"add IPv4", &AddIPAddressParam{CorrelationID: 0x01023474, Addr: v4}, new(AddIPAddressParam),
			[]byte{0xc0, 0x01, 0, 16, 0x01, 0x02, 0x34, 0x74, 0, 5, 0, 8, 0xc0, 0, 2, 1}},
		{"delete IPv4", &DeleteIPAddressParam{CorrelationID: 0x01023476, Addr: v4}, new(DeleteIPAddressParam), delIP},
		{"set primary IPv4", &SetPrimaryAddressParam{CorrelationID: 0x01023479, Addr: v4}, new(SetPrimaryAddressParam),
			[]byte{0xc0, 0x04, 0, 16, 0x01, 0x02, 0x34, 0x79, 0, 5, 0, 8, 0xc0, 0, 2, 1}},
		{"add IPv6", &AddIPAddressParam{CorrelationID: 1, Addr: v6}, new(AddIPAddressParam),
			[]byte{0xc0, 0x01, 0, 28, 0, 0, 0, 1, 0, 6, 0, 20, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
		// The example of RFC 5061 §4.3.1: the Delete IP Address request
		// refused with Request to Delete Last Remaining IP Address.
		{"error cause indication", &ErrorCauseIndicationParam{CorrelationID: 0x01023476,
			Causes: MakeCauses((&DeleteLastRemainingAddressCause{Param: delIP}).Append(nil))}, new(ErrorCauseIndicationParam),
			append([]byte{0xc0, 0x03, 0, 28, 0x01, 0x02, 0x34, 0x76, 0, 0xa0, 0, 20}, delIP...)},
		{"error cause indication, padded cause", &ErrorCauseIndicationParam{CorrelationID: 2,
			Causes: MakeCauses((&UnsupportedHMACIdentifierCause{HMACID: 9}).Append(nil))}, new(ErrorCauseIndicationParam),
			[]byte{0xc0, 0x03, 0, 14, 0, 0, 0, 2, 0x01, 0x05, 0, 6, 0, 9, 0, 0}},
		// RFC 5061 §4.2.5.
		{"success indication", &SuccessIndicationParam{CorrelationID: 0x01023474}, new(SuccessIndicationParam),
			[]byte{0xc0, 0x05, 0, 8, 0x01, 0x02, 0x34, 0x74}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			enc := roundTripParam(t, tc.in, tc.out)
			if !bytes.Equal(enc, tc.want) {
				t.Fatalf("got  %x\nwant %x", enc, tc.want)
			}
			if tc.out.Len() != tc.in.Len() || tc.out.Len() != int(tc.want[2])<<8|int(tc.want[3]) {
				t.Fatalf("Len %d / %d, length field %x", tc.in.Len(), tc.out.Len(), tc.want[2:4])
			}
		})
	}
}

func TestASCONFParamsAddresses(t *testing.T) {
	// An IPv4-mapped address goes out as an IPv4 Address parameter, and
	// the zero Addr as the IPv6 wildcard, which RFC 5061 §4.2.4 reads as
	// "the source address of the packet".
	for _, tc := range []struct {
		in, out netip.Addr
		n       int
	}{
		{netip.MustParseAddr("::ffff:10.0.0.1"), netip.MustParseAddr("10.0.0.1"), 16},
		{netip.Addr{}, netip.IPv6Unspecified(), 28},
		{netip.MustParseAddr("0.0.0.0"), netip.MustParseAddr("0.0.0.0"), 16},
	} {
		in := SetPrimaryAddressParam{CorrelationID: 3, Addr: tc.in}
		var out SetPrimaryAddressParam
		roundTripParam(t, &in, &out)
		if in.Len() != tc.n || out.Addr != tc.out || out.CorrelationID != 3 {
			t.Fatalf("%v: Len %d, decoded %+v", tc.in, in.Len(), out)
		}
	}
	// The decoded causes of an Error Cause Indication read back.
	in := ErrorCauseIndicationParam{CorrelationID: 4, Causes: MakeCauses(AppendCauses(nil, &OutOfResourceCause{}, &NoAuthorizationCause{Param: []byte{0xc0, 5, 0, 8, 0, 0, 0, 4}}))}
	var out ErrorCauseIndicationParam
	roundTripParam(t, &in, &out)
	it := out.Causes.Iter()
	c1, _ := it.Next()
	c2, ok := it.Next()
	if !ok || c1.Code() != CauseOutOfResource || c2.Code() != CauseNoAuthorization || c2.Offset() != 12 || out.CorrelationID != 4 {
		t.Fatalf("causes %v %v at %d", c1.Code(), c2.Code(), c2.Offset())
	}
}

func TestASCONFParamsErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		dec  paramDecoder
		b    []byte
		off  int
		rule string
	}{
		{"wrong type", new(AddIPAddressParam), []byte{0xc0, 0x02, 0, 8, 0, 0, 0, 1}, 0, "parameter is a Delete IP Address"},
		{"add short", new(AddIPAddressParam), []byte{0xc0, 0x01, 0, 6, 0, 0}, 2, "parameter length below 8"},
		{"add no address", new(AddIPAddressParam), []byte{0xc0, 0x01, 0, 8, 0, 0, 0, 1}, 8, "no address parameter"},
		{"add partial address header", new(AddIPAddressParam), []byte{0xc0, 0x01, 0, 10, 0, 0, 0, 1, 0, 5}, 8, "fewer than 4 bytes left for a header"},
		{"add state cookie", new(AddIPAddressParam), []byte{0xc0, 0x01, 0, 16, 0, 0, 0, 1, 0, 7, 0, 8, 1, 2, 3, 4}, 8, "parameter is a State Cookie"},
		{"add IPv4 of length 12", new(AddIPAddressParam), []byte{0xc0, 0x01, 0, 20, 0, 0, 0, 1, 0, 5, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8}, 10, "parameter length not 8"},
		{"add address past end", new(AddIPAddressParam), []byte{0xc0, 0x01, 0, 16, 0, 0, 0, 1, 0, 6, 0, 20, 1, 2, 3, 4}, 10,
			"length runs past the end of the enclosing structure"},
		{"delete no address", new(DeleteIPAddressParam), []byte{0xc0, 0x02, 0, 8, 0, 0, 0, 1}, 8, "no address parameter"},
		{"error indication short", new(ErrorCauseIndicationParam), []byte{0xc0, 0x03, 0, 4}, 2, "parameter length below 8"},
		{"error indication bad cause", new(ErrorCauseIndicationParam), []byte{0xc0, 0x03, 0, 12, 0, 0, 0, 1, 0, 4, 0, 2}, 10, "length below 4"},
		{"success indication short", new(SuccessIndicationParam), []byte{0xc0, 0x05, 0, 4}, 2, "parameter length below 8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantParseError(t, tc.dec.Decode(parseParamT(t, tc.b)), tc.off, tc.rule)
		})
	}
}

func TestASCONFRequestHostNameAddress(t *testing.T) {
	// RFC 5061 §4.1.1: a host name address in an ASCONF is ignored. The
	// request decodes to an error matching ErrHostNameAddress, at the
	// host name parameter, with the correlation ID filled in.
	for _, tc := range []struct {
		dec paramDecoder
		typ byte
	}{
		{new(AddIPAddressParam), 0x01},
		{new(DeleteIPAddressParam), 0x02},
		{new(SetPrimaryAddressParam), 0x04},
	} {
		b := []byte{0xc0, tc.typ, 0, 16, 0, 0, 0, 5, 0, 11, 0, 8, 'a', '.', 'b', 0}
		err := tc.dec.Decode(parseParamT(t, b))
		wantParseError(t, err, 8, "request with a host name address")
		if !errors.Is(err, ErrHostNameAddress) {
			t.Fatalf("%v does not match ErrHostNameAddress", err)
		}
		var id uint32
		var addr netip.Addr
		switch r := tc.dec.(type) {
		case *AddIPAddressParam:
			id, addr = r.CorrelationID, r.Addr
		case *DeleteIPAddressParam:
			id, addr = r.CorrelationID, r.Addr
		case *SetPrimaryAddressParam:
			id, addr = r.CorrelationID, r.Addr
		}
		if id != 5 || addr.IsValid() {
			t.Fatalf("%v: correlation ID %d, address %v", tc.dec.ParamType(), id, addr)
		}
	}
	// Malformed bytes stay a plain parse error.
	var r AddIPAddressParam
	if err := r.Decode(parseParamT(t, []byte{0xc0, 0x01, 0, 8, 0, 0, 0, 1})); errors.Is(err, ErrHostNameAddress) {
		t.Fatal("missing address matches ErrHostNameAddress")
	}
}

func TestASCONFRequestTrailingBytes(t *testing.T) {
	// The fields are read and bytes after the address parameter are
	// ignored (see the package documentation); re-encoding drops them.
	for _, tc := range []struct {
		dec paramDecoder
		b   []byte
	}{
		{new(AddIPAddressParam), []byte{0xc0, 0x01, 0, 20, 0, 0, 0, 1, 0, 5, 0, 8, 1, 2, 3, 4, 9, 9, 9, 9}},
		{new(SetPrimaryAddressParam), []byte{0xc0, 0x04, 0, 18, 0, 0, 0, 1, 0, 5, 0, 8, 1, 2, 3, 4, 9, 9}},
	} {
		if err := tc.dec.Decode(parseParamT(t, tc.b)); err != nil {
			t.Fatalf("%x: %v", tc.b, err)
		}
		want := append([]byte{tc.b[0], tc.b[1], 0, 16}, tc.b[4:16]...)
		if got := tc.dec.Append(nil); !bytes.Equal(got, want) {
			t.Fatalf("re-encoded %x, want %x", got, want)
		}
	}
}

func TestErrorCauseIndicationWithoutCause(t *testing.T) {
	// RFC 5061 §4.2.3 has a sender wrap one or more causes, but the
	// correlation ID alone tells which request failed (§5.1 rule A7), so
	// an indication without a cause decodes, with no cause.
	var out ErrorCauseIndicationParam
	out.Causes = MakeCauses((&OutOfResourceCause{}).Append(nil))
	enc := roundTripParam(t, &ErrorCauseIndicationParam{CorrelationID: 0x01023476}, &out)
	if !bytes.Equal(enc, []byte{0xc0, 0x03, 0, 8, 0x01, 0x02, 0x34, 0x76}) {
		t.Fatalf("encoded %x", enc)
	}
	it := out.Causes.Iter()
	if _, ok := it.Next(); ok || it.Err() != nil || out.CorrelationID != 0x01023476 || out.Causes.Len() != 0 {
		t.Fatalf("decoded %+v", out)
	}
}
