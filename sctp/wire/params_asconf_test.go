package wire

import (
	"bytes"
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
	// the zero Addr as the IPv6 wildcard, which RFC 5061 §4.2.1 reads as
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
		{"add host name", new(AddIPAddressParam), []byte{0xc0, 0x01, 0, 16, 0, 0, 0, 1, 0, 11, 0, 8, 'a', '.', 'b', 0}, 8, "parameter is a Host Name Address"},
		{"add IPv4 of length 12", new(AddIPAddressParam), []byte{0xc0, 0x01, 0, 20, 0, 0, 0, 1, 0, 5, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8}, 10, "parameter length not 8"},
		{"add address past end", new(AddIPAddressParam), []byte{0xc0, 0x01, 0, 16, 0, 0, 0, 1, 0, 6, 0, 20, 1, 2, 3, 4}, 10,
			"length runs past the end of the enclosing structure"},
		{"add bytes after address", new(AddIPAddressParam), []byte{0xc0, 0x01, 0, 20, 0, 0, 0, 1, 0, 5, 0, 8, 1, 2, 3, 4, 0, 0, 0, 0}, 16,
			"bytes after the address parameter"},
		{"delete no address", new(DeleteIPAddressParam), []byte{0xc0, 0x02, 0, 8, 0, 0, 0, 1}, 8, "no address parameter"},
		{"set primary bytes after address", new(SetPrimaryAddressParam), []byte{0xc0, 0x04, 0, 20, 0, 0, 0, 1, 0, 5, 0, 8, 1, 2, 3, 4, 0, 0, 0, 0}, 16,
			"bytes after the address parameter"},
		{"error indication short", new(ErrorCauseIndicationParam), []byte{0xc0, 0x03, 0, 4}, 2, "parameter length below 8"},
		{"error indication without cause", new(ErrorCauseIndicationParam), []byte{0xc0, 0x03, 0, 8, 0, 0, 0, 1}, 2, "no error cause"},
		{"error indication bad cause", new(ErrorCauseIndicationParam), []byte{0xc0, 0x03, 0, 12, 0, 0, 0, 1, 0, 4, 0, 2}, 10, "length below 4"},
		{"success indication long", new(SuccessIndicationParam), []byte{0xc0, 0x05, 0, 12, 0, 0, 0, 1, 0, 0, 0, 0}, 2, "parameter length not 8"},
		{"success indication short", new(SuccessIndicationParam), []byte{0xc0, 0x05, 0, 4}, 2, "parameter length not 8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantParseError(t, tc.dec.Decode(parseParamT(t, tc.b)), tc.off, tc.rule)
		})
	}
}
