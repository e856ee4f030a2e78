package wire

import (
	"bytes"
	"net/netip"
	"testing"
)

// parseCauseT cuts an error cause out of raw bytes or fails the test.
func parseCauseT(t *testing.T, b []byte) Cause {
	t.Helper()
	c, err := ParseCause(b)
	if err != nil {
		t.Fatalf("ParseCause(%x): %v", b, err)
	}
	return c
}

// The request parameters of the examples of RFC 5061 §4.3.1-§4.3.3.
var (
	causesTestAddIP = (&AddIPAddressParam{CorrelationID: 0x01023474, Addr: netip.MustParseAddr("192.0.2.1")}).Append(nil)
	causesTestDelIP = (&DeleteIPAddressParam{CorrelationID: 0x01023476, Addr: netip.MustParseAddr("192.0.2.1")}).Append(nil)
	causesTestSetIP = (&SetPrimaryAddressParam{CorrelationID: 0x01023479, Addr: netip.MustParseAddr("192.0.2.1")}).Append(nil)
)

func TestCausesWire(t *testing.T) {
	ipv4Param := []byte{0, 5, 0, 8, 192, 0, 2, 1}
	for _, tc := range []struct {
		name string
		in   causeDecoder
		out  causeDecoder
		want []byte
	}{
		{"invalid stream", &InvalidStreamIdentifierCause{Stream: 0x1234}, new(InvalidStreamIdentifierCause),
			[]byte{0, 1, 0, 8, 0x12, 0x34, 0, 0}},
		{"missing params, odd count padded", &MissingMandatoryParameterCause{Missing: MakeParamTypes(7, 9, 12)}, new(MissingMandatoryParameterCause),
			[]byte{0, 2, 0, 14, 0, 0, 0, 3, 0, 7, 0, 9, 0, 12, 0, 0}},
		{"missing params, none", &MissingMandatoryParameterCause{}, new(MissingMandatoryParameterCause),
			[]byte{0, 2, 0, 8, 0, 0, 0, 0}},
		{"stale cookie", &StaleCookieCause{Staleness: 0x01020304}, new(StaleCookieCause),
			[]byte{0, 3, 0, 8, 1, 2, 3, 4}},
		{"out of resource", &OutOfResourceCause{}, new(OutOfResourceCause),
			[]byte{0, 4, 0, 4}},
		{"unresolvable IPv4", &UnresolvableAddressCause{Address: ipv4Param}, new(UnresolvableAddressCause),
			append([]byte{0, 5, 0, 12}, ipv4Param...)},
		{"unresolvable host name", &UnresolvableAddressCause{Address: []byte{0, 11, 0, 7, 'a', '.', 0}}, new(UnresolvableAddressCause),
			[]byte{0, 5, 0, 11, 0, 11, 0, 7, 'a', '.', 0, 0}},
		{"unrecognized chunk", &UnrecognizedChunkTypeCause{Chunk: []byte{0xc5, 0, 0, 5, 0xaa}}, new(UnrecognizedChunkTypeCause),
			[]byte{0, 6, 0, 9, 0xc5, 0, 0, 5, 0xaa, 0, 0, 0}},
		{"invalid mandatory", &InvalidMandatoryParameterCause{}, new(InvalidMandatoryParameterCause),
			[]byte{0, 7, 0, 4}},
		{"unrecognized params", &UnrecognizedParametersCause{Params: MakeParams(AppendParams(nil, &RawParam{Type: 0xc123, Value: []byte("xy")}, &RawParam{Type: 0x8123, Value: []byte("z")}))},
			new(UnrecognizedParametersCause),
			[]byte{0, 8, 0, 17, 0xc1, 0x23, 0, 6, 'x', 'y', 0, 0, 0x81, 0x23, 0, 5, 'z', 0, 0, 0}},
		{"no user data", &NoUserDataCause{TSN: 0xdeadbeef}, new(NoUserDataCause),
			[]byte{0, 9, 0, 8, 0xde, 0xad, 0xbe, 0xef}},
		{"cookie while shutting down", &CookieWhileShuttingDownCause{}, new(CookieWhileShuttingDownCause),
			[]byte{0, 10, 0, 4}},
		{"restart with new addresses", &RestartWithNewAddressesCause{Addresses: MakeParams(ipv4Param)}, new(RestartWithNewAddressesCause),
			append([]byte{0, 11, 0, 12}, ipv4Param...)},
		{"user-initiated abort", &UserInitiatedAbortCause{Reason: []byte("no")}, new(UserInitiatedAbortCause),
			[]byte{0, 12, 0, 6, 'n', 'o', 0, 0}},
		{"user-initiated abort, no reason", &UserInitiatedAbortCause{}, new(UserInitiatedAbortCause),
			[]byte{0, 12, 0, 4}},
		{"protocol violation", &ProtocolViolationCause{Info: []byte("bad!")}, new(ProtocolViolationCause),
			[]byte{0, 13, 0, 8, 'b', 'a', 'd', '!'}},
		// RFC 4895 §4.1, Figure 4: code 0x0105, length 6, two bytes of
		// zero padding.
		{"unsupported HMAC", &UnsupportedHMACIdentifierCause{HMACID: 2}, new(UnsupportedHMACIdentifierCause),
			[]byte{0x01, 0x05, 0, 6, 0, 2, 0, 0}},
		// RFC 5061 §4.3.1-§4.3.3: the examples' causes, 20 bytes each.
		{"delete last address", &DeleteLastRemainingAddressCause{Param: causesTestDelIP}, new(DeleteLastRemainingAddressCause),
			[]byte{0, 0xa0, 0, 20, 0xc0, 0x02, 0, 16, 0x01, 0x02, 0x34, 0x76, 0, 5, 0, 8, 0xc0, 0, 2, 1}},
		{"resource shortage", &ResourceShortageCause{Param: causesTestAddIP}, new(ResourceShortageCause),
			[]byte{0, 0xa1, 0, 20, 0xc0, 0x01, 0, 16, 0x01, 0x02, 0x34, 0x74, 0, 5, 0, 8, 0xc0, 0, 2, 1}},
		{"delete source address", &DeleteSourceAddressCause{Param: causesTestDelIP}, new(DeleteSourceAddressCause),
			[]byte{0, 0xa2, 0, 20, 0xc0, 0x02, 0, 16, 0x01, 0x02, 0x34, 0x76, 0, 5, 0, 8, 0xc0, 0, 2, 1}},
		{"illegal ASCONF-ACK", &IllegalASCONFAckCause{}, new(IllegalASCONFAckCause),
			[]byte{0, 0xa3, 0, 4}},
		{"no authorization", &NoAuthorizationCause{Param: causesTestSetIP}, new(NoAuthorizationCause),
			[]byte{0, 0xa4, 0, 20, 0xc0, 0x04, 0, 16, 0x01, 0x02, 0x34, 0x79, 0, 5, 0, 8, 0xc0, 0, 2, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			enc := roundTripCause(t, tc.in, tc.out)
			if !bytes.Equal(enc, tc.want) {
				t.Fatalf("got  %x\nwant %x", enc, tc.want)
			}
			if tc.out.CauseCode() != tc.in.CauseCode() || tc.out.Len() != tc.in.Len() {
				t.Fatalf("decoded %v length %d, want %v length %d", tc.out.CauseCode(), tc.out.Len(), tc.in.CauseCode(), tc.in.Len())
			}
		})
	}
}

func TestCausesDecodedFields(t *testing.T) {
	var is InvalidStreamIdentifierCause
	// The reserved field is ignored on receipt.
	if err := is.Decode(parseCauseT(t, []byte{0, 1, 0, 8, 0, 7, 0xff, 0xff})); err != nil || is.Stream != 7 {
		t.Fatalf("invalid stream: %v %+v", err, is)
	}
	var mm MissingMandatoryParameterCause
	if err := mm.Decode(parseCauseT(t, []byte{0, 2, 0, 12, 0, 0, 0, 2, 0, 7, 0x80, 0x02})); err != nil ||
		mm.Missing.Len() != 2 || mm.Missing.At(0) != ParamStateCookie || mm.Missing.At(1) != ParamRandom {
		t.Fatalf("missing params: %v %x", err, mm.Missing)
	}
	var uc UnrecognizedChunkTypeCause
	if err := uc.Decode(parseCauseT(t, []byte{0, 6, 0, 8, 0xc9, 0, 0, 4})); err != nil || uc.UnrecognizedType() != 0xc9 {
		t.Fatalf("unrecognized chunk: %v %v", err, uc.UnrecognizedType())
	}
	if (&UnrecognizedChunkTypeCause{}).UnrecognizedType() != 0 {
		t.Fatal("empty copy has a type")
	}
	var up UnrecognizedParametersCause
	if err := up.Decode(parseCauseT(t, []byte{0, 8, 0, 16, 0xc1, 0x23, 0, 6, 'x', 'y', 0, 0, 0x81, 0x23, 0, 4})); err != nil {
		t.Fatal(err)
	}
	it := up.Params.Iter()
	p1, _ := it.Next()
	p2, ok := it.Next()
	if !ok || p1.Type() != 0xc123 || p2.Type() != 0x8123 || p2.Offset() != 12 {
		t.Fatalf("unrecognized params: %v %v at %d", p1.Type(), p2.Type(), p2.Offset())
	}
	var hm UnsupportedHMACIdentifierCause
	if err := hm.Decode(parseCauseT(t, []byte{0x01, 0x05, 0, 6, 0, 3})); err != nil || hm.HMACID != HMACSHA256 {
		t.Fatalf("unsupported HMAC: %v %+v", err, hm)
	}
	// A copied parameter may be followed by its padding, in whole or in
	// part (RFC 9260 §3.2.1: padding is ignored).
	var rs ResourceShortageCause
	if err := rs.Decode(parseCauseT(t, []byte{0, 0xa1, 0, 12, 0xc0, 0x05, 0, 5, 1, 0, 0, 0})); err != nil || len(rs.Param) != 8 {
		t.Fatalf("padded copy: %v %x", err, rs.Param)
	}
	if err := rs.Decode(parseCauseT(t, []byte{0, 0xa1, 0, 10, 0xc0, 0x05, 0, 5, 1, 0})); err != nil || len(rs.Param) != 6 {
		t.Fatalf("partly padded copy: %v %x", err, rs.Param)
	}
}

func TestCausesErrors(t *testing.T) {
	badParam := []byte{0, 5, 0, 3} // parameter length below 4
	for _, tc := range []struct {
		name string
		dec  causeDecoder
		b    []byte
		off  int
		rule string
	}{
		{"wrong code", new(StaleCookieCause), []byte{0, 4, 0, 4}, 0, "error cause is a Out of Resource"},
		{"invalid stream short", new(InvalidStreamIdentifierCause), []byte{0, 1, 0, 6, 0, 1}, 2, "cause length below 8"},
		{"missing params short", new(MissingMandatoryParameterCause), []byte{0, 2, 0, 6, 0, 0}, 2, "cause length below 8"},
		{"missing params count above length", new(MissingMandatoryParameterCause), []byte{0, 2, 0, 10, 0, 0, 0, 2, 0, 7}, 4,
			"cause length below 8 + 2 * number of missing parameters"},
		{"missing params huge count", new(MissingMandatoryParameterCause), []byte{0, 2, 0, 8, 0xff, 0xff, 0xff, 0xff}, 4,
			"cause length below 8 + 2 * number of missing parameters"},
		{"stale cookie short", new(StaleCookieCause), []byte{0, 3, 0, 6, 0, 0}, 2, "cause length below 8"},
		{"unresolvable empty", new(UnresolvableAddressCause), []byte{0, 5, 0, 4}, 2, "no parameter inside"},
		{"unresolvable short header", new(UnresolvableAddressCause), []byte{0, 5, 0, 6, 0, 5}, 4, "fewer than 4 bytes left for a header"},
		{"unresolvable bad parameter", new(UnresolvableAddressCause), append([]byte{0, 5, 0, 8}, badParam...), 6, "length below 4"},
		{"unresolvable parameter past end", new(UnresolvableAddressCause), []byte{0, 5, 0, 12, 0, 5, 0, 12, 1, 2, 3, 4}, 6,
			"length runs past the end of the enclosing structure"},
		{"unrecognized chunk short", new(UnrecognizedChunkTypeCause), []byte{0, 6, 0, 7, 0xc5, 0, 0}, 2, "cause length below 8"},
		{"unrecognized params empty", new(UnrecognizedParametersCause), []byte{0, 8, 0, 4}, 2, "no parameter inside"},
		{"unrecognized params bad second", new(UnrecognizedParametersCause), []byte{0, 8, 0, 12, 0xc0, 1, 0, 4, 0xc0, 2, 0, 2}, 10, "length below 4"},
		{"no user data short", new(NoUserDataCause), []byte{0, 9, 0, 4}, 2, "cause length below 8"},
		{"restart empty", new(RestartWithNewAddressesCause), []byte{0, 11, 0, 4}, 2, "no parameter inside"},
		{"restart bad parameter", new(RestartWithNewAddressesCause), append([]byte{0, 11, 0, 8}, badParam...), 6, "length below 4"},
		{"unsupported HMAC short", new(UnsupportedHMACIdentifierCause), []byte{0x01, 0x05, 0, 5, 0}, 2, "cause length below 6"},
		{"delete last empty", new(DeleteLastRemainingAddressCause), []byte{0, 0xa0, 0, 4}, 2, "no parameter inside"},
		{"delete last bad parameter", new(DeleteLastRemainingAddressCause), append([]byte{0, 0xa0, 0, 8}, badParam...), 6, "length below 4"},
		{"resource shortage empty", new(ResourceShortageCause), []byte{0, 0xa1, 0, 4}, 2, "no parameter inside"},
		{"delete source empty", new(DeleteSourceAddressCause), []byte{0, 0xa2, 0, 4}, 2, "no parameter inside"},
		{"no authorization empty", new(NoAuthorizationCause), []byte{0, 0xa4, 0, 4}, 2, "no parameter inside"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantParseError(t, tc.dec.Decode(parseCauseT(t, tc.b)), tc.off, tc.rule)
		})
	}
}

func TestCausesErrorOffsetsInPacket(t *testing.T) {
	// A Stale Cookie cause of length 6 inside an ERROR chunk: the cause
	// starts at 12 + 4, its length field at 18.
	e := ErrorChunk{Causes: MakeCauses([]byte{0, 3, 0, 6, 0, 0, 0, 0})}
	var out ErrorChunk
	if err := out.Decode(inPacket(t, e.Append(nil))); err != nil {
		t.Fatal(err)
	}
	it := out.Causes.Iter()
	c, _ := it.Next()
	var sc StaleCookieCause
	wantParseError(t, sc.Decode(c), 18, "cause length below 8")
	// A nested parameter's error is placed in the packet as well.
	e = ErrorChunk{Causes: MakeCauses(append([]byte{0, 5, 0, 8}, 0, 5, 0, 3))}
	if err := out.Decode(inPacket(t, e.Append(nil))); err != nil {
		t.Fatal(err)
	}
	it = out.Causes.Iter()
	c, _ = it.Next()
	var ua UnresolvableAddressCause
	wantParseError(t, ua.Decode(c), 22, "length below 4")
}

// FuzzDecodeSackToReconfig feeds arbitrary bytes to the decoders of
// sack.go, abort.go, errorchunk.go, causes.go, forwardtsn.go, asconf.go,
// params_asconf.go and reconfig.go, with the type field forced to each of
// theirs. None may panic, and whatever decodes must re-encode to bytes
// that decode again and re-encode the same: the encoding is a fixed point.
func FuzzDecodeSackToReconfig(f *testing.F) {
	f.Add([]byte{0, 0, 0, 28, 0, 0, 0, 12, 0, 0, 0x12, 0x34, 0, 2, 0, 1, 0, 2, 0, 3, 0, 5, 0, 5, 0, 0, 0, 11})
	f.Add([]byte{0, 0, 0, 20, 0, 0, 0, 1, 0, 5, 0, 8, 192, 0, 2, 1, 0xc0, 5, 0, 4})
	f.Add([]byte{0, 0, 0, 14, 0, 0, 0, 3, 0, 7, 0, 9, 0, 12})
	chunks := []func() chunkDecoder{
		func() chunkDecoder { return new(Sack) }, func() chunkDecoder { return new(Abort) },
		func() chunkDecoder { return new(ErrorChunk) }, func() chunkDecoder { return new(ForwardTSN) },
		func() chunkDecoder { return new(IForwardTSN) }, func() chunkDecoder { return new(ASCONF) },
		func() chunkDecoder { return new(ASCONFAck) }, func() chunkDecoder { return new(Reconfig) },
	}
	params := []func() paramDecoder{
		func() paramDecoder { return new(AddIPAddressParam) }, func() paramDecoder { return new(DeleteIPAddressParam) },
		func() paramDecoder { return new(SetPrimaryAddressParam) }, func() paramDecoder { return new(ErrorCauseIndicationParam) },
		func() paramDecoder { return new(SuccessIndicationParam) }, func() paramDecoder { return new(OutgoingSSNResetRequestParam) },
		func() paramDecoder { return new(IncomingSSNResetRequestParam) }, func() paramDecoder { return new(SSNTSNResetRequestParam) },
		func() paramDecoder { return new(ReconfigResponseParam) }, func() paramDecoder { return new(AddOutgoingStreamsParam) },
		func() paramDecoder { return new(AddIncomingStreamsParam) },
	}
	causes := []func() causeDecoder{
		func() causeDecoder { return new(InvalidStreamIdentifierCause) }, func() causeDecoder { return new(MissingMandatoryParameterCause) },
		func() causeDecoder { return new(StaleCookieCause) }, func() causeDecoder { return new(OutOfResourceCause) },
		func() causeDecoder { return new(UnresolvableAddressCause) }, func() causeDecoder { return new(UnrecognizedChunkTypeCause) },
		func() causeDecoder { return new(InvalidMandatoryParameterCause) }, func() causeDecoder { return new(UnrecognizedParametersCause) },
		func() causeDecoder { return new(NoUserDataCause) }, func() causeDecoder { return new(CookieWhileShuttingDownCause) },
		func() causeDecoder { return new(RestartWithNewAddressesCause) }, func() causeDecoder { return new(UserInitiatedAbortCause) },
		func() causeDecoder { return new(ProtocolViolationCause) }, func() causeDecoder { return new(UnsupportedHMACIdentifierCause) },
		func() causeDecoder { return new(DeleteLastRemainingAddressCause) }, func() causeDecoder { return new(ResourceShortageCause) },
		func() causeDecoder { return new(DeleteSourceAddressCause) }, func() causeDecoder { return new(IllegalASCONFAckCause) },
		func() causeDecoder { return new(NoAuthorizationCause) },
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 4 {
			return
		}
		b = append([]byte(nil), b...)
		for _, mk := range chunks {
			d := mk()
			b[0] = byte(d.ChunkType())
			c, err := ParseChunk(b)
			if err != nil || d.Decode(c) != nil {
				continue
			}
			enc := d.Append(nil)
			c2, err := ParseChunk(enc)
			d2 := mk()
			if err != nil || d2.Decode(c2) != nil || !bytes.Equal(d2.Append(nil), enc) {
				t.Fatalf("%v: %x re-encoded as %x, which does not round-trip (%v)", d.ChunkType(), b, enc, err)
			}
		}
		for _, mk := range params {
			d := mk()
			b[0], b[1] = byte(d.ParamType()>>8), byte(d.ParamType())
			p, err := ParseParam(b)
			if err != nil || d.Decode(p) != nil {
				continue
			}
			enc := d.Append(nil)
			p2, err := ParseParam(enc)
			d2 := mk()
			if err != nil || d2.Decode(p2) != nil || !bytes.Equal(d2.Append(nil), enc) {
				t.Fatalf("%v: %x re-encoded as %x, which does not round-trip (%v)", d.ParamType(), b, enc, err)
			}
		}
		for _, mk := range causes {
			d := mk()
			b[0], b[1] = byte(d.CauseCode()>>8), byte(d.CauseCode())
			c, err := ParseCause(b)
			if err != nil || d.Decode(c) != nil {
				continue
			}
			enc := d.Append(nil)
			c2, err := ParseCause(enc)
			d2 := mk()
			if err != nil || d2.Decode(c2) != nil || !bytes.Equal(d2.Append(nil), enc) {
				t.Fatalf("%v: %x re-encoded as %x, which does not round-trip (%v)", d.CauseCode(), b, enc, err)
			}
		}
	})
}
