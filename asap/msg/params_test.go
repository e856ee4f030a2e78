package msg

import (
	"bytes"
	"errors"
	"net/netip"
	"reflect"
	"testing"
)

// TestParamWire checks each parameter's encoding against the layout of
// its RFC 5354 figure.
func TestParamWire(t *testing.T) {
	for _, c := range []struct {
		name string
		p    Parameter
		want string
	}{
		// §3.1: type 1, length 8, the address.
		{"IPv4", &AddressParam{Addr: v4a}, "0001 0008 c0000201"},
		// §3.2: type 2, length 0x14, the address.
		{"IPv6", &AddressParam{Addr: v6a}, "0002 0014 20010db8 00000000 00000000 00000001"},
		// §3.4: port, transport use, then one or more address parameters.
		{"SCTP", &Transport{Kind: ParamSCTPTransport, Port: 5001, Use: DataPlusControl, Addrs: MakeAddrs(v4a, v6a)},
			"0004 0024 1389 0001 | 0001 0008 c0000201 | 0002 0014 20010db8 00000000 00000000 00000001"},
		// §3.5: port, reserved, exactly one address.
		{"TCP", &Transport{Kind: ParamTCPTransport, Port: 80, Addrs: MakeAddrs(v4a)}, "0005 0010 0050 0000 | 0001 0008 c0000201"},
		// §3.6
		{"UDP", &Transport{Kind: ParamUDPTransport, Port: 53, Addrs: MakeAddrs(v4a)}, "0006 0010 0035 0000 | 0001 0008 c0000201"},
		// §3.7
		{"UDP-Lite", &Transport{Kind: ParamUDPLiteTransport, Port: 5004, Addrs: MakeAddrs(v6a)},
			"0007 001c 138c 0000 | 0002 0014 20010db8 00000000 00000000 00000001"},
		// §3.3: port, reserved, 32-bit service code, one address.
		{"DCCP", &Transport{Kind: ParamDCCPTransport, Port: 5001, ServiceCode: 0x44434350, Addrs: MakeAddrs(v4b)},
			"0003 0014 1389 0000 44434350 | 0001 0008 c0000202"},
		// §3.16: the data, padded; the length does not count the padding.
		{"Opaque", &Transport{Kind: ParamOpaqueTransport, Opaque: []byte("odd")}, "0010 0007 6f6464 00"},
		// §3.9
		{"Pool Handle", &PoolHandleParam{Handle: []byte("abc")}, "0009 0007 616263 00"},
		// §3.10: PE id, home server id, registration life (signed), user
		// transport, policy.
		{"Pool Element", &PoolElement{ID: 0x01020304, HomeServer: 0x0a0b0c0d, RegistrationLife: -1,
			UserTransport: Transport{Kind: ParamTCPTransport, Port: 80, Addrs: MakeAddrs(v4a)},
			Policy:        Policy{Type: PolicyRoundRobin}},
			"000a 0028 01020304 0a0b0c0d ffffffff | 0005 0010 0050 0000 0001 0008 c0000201 | 0008 0008 00000001"},
		// §3.11: server id, SCTP transport.
		{"Server Information", &ServerInformation{ServerID: 0xf15cc54b,
			Transport: Transport{Kind: ParamSCTPTransport, Port: 9901, Addrs: MakeAddrs(v4a)}},
			"000b 0018 f15cc54b | 0004 0010 26ad 0000 0001 0008 c0000201"},
		// §3.12: causes, the last one's padding not counted.
		{"Operation Error", &OperationError{Causes: MakeCauses(Cause{Code: CauseUnrecognizedParameter, Info: []byte{0xc4, 0x56, 0, 5, 0xab}})},
			"000c 000d | 0001 0009 c4560005 ab 000000"},
		// §3.13
		{"Cookie", &CookieParam{Cookie: []byte("xy")}, "000d 0006 7879 0000"},
		// §3.14
		{"PE Identifier", &PEIdentifierParam{ID: 0x01020304}, "000e 0008 01020304"},
		// §3.15: length 6, then two bytes of padding.
		{"PE Checksum", &PEChecksumParam{Checksum: 0xabcd}, "000f 0006 abcd 0000"},
		// rsplib's option: type 0x3f with the skip bits, one 32-bit count.
		{"Handle Resolution Option", &HandleResolutionOptionParam{Items: 1}, "803f 0008 00000001"},
		{"raw", &RawParam{Type: 0x8123, Value: []byte{9}}, "8123 0005 09 000000"},
	} {
		if got := c.p.Append(nil); !bytes.Equal(got, hx(t, c.want)) {
			t.Errorf("%s: got %x\nwant %x", c.name, got, hx(t, c.want))
		}
	}
}

func TestParamRoundTrips(t *testing.T) {
	for _, a := range []netip.Addr{v4a, v6a, netip.MustParseAddr("::ffff:192.0.2.1")} {
		var out AddressParam
		roundTripParam(t, &AddressParam{Addr: a}, &out)
		if out.Addr != a {
			t.Errorf("address %v decoded as %v", a, out.Addr)
		}
	}
	for _, tr := range allTransports() {
		var out Transport
		roundTripParam(t, &tr, &out)
		if out.Kind != tr.Kind || out.Port != tr.Port || out.Use != tr.Use || out.ServiceCode != tr.ServiceCode ||
			out.Addrs.Count() != tr.Addrs.Count() || !bytes.Equal(out.Opaque, tr.Opaque) {
			t.Errorf("transport %+v decoded as %+v", tr, out)
		}
	}
	for _, p := range allPolicies() {
		var out Policy
		roundTripParam(t, &p, &out)
	}
	pe := samplePE(42)
	var peOut PoolElement
	roundTripParam(t, &pe, &peOut)
	if peOut.ID != 42 || peOut.HomeServer != pe.HomeServer || peOut.RegistrationLife != -1 ||
		!reflect.DeepEqual(peOut.Policy, pe.Policy) || peOut.ASAPTransport.Port != 4712 || peOut.Unrecognized.Empty() {
		t.Errorf("pool element decoded as %+v", peOut)
	}
	// Every user transport kind, with and without the ASAP transport.
	for _, tr := range allTransports() {
		pe := PoolElement{ID: 1, UserTransport: tr, Policy: Policy{Type: PolicyRandom}}
		roundTripParam(t, &pe, &PoolElement{})
		pe.ASAPTransport = sctpTransport(DataOnly, 1)
		roundTripParam(t, &pe, &PoolElement{})
	}
	si := ServerInformation{ServerID: 7, Transport: sctpTransport(DataOnly, 9901)}
	roundTripParam(t, &si, &ServerInformation{})
	oe := sampleOpError()
	var oeOut OperationError
	roundTripParam(t, &oe, &oeOut)
	if oeOut.Causes.Count() != 3 {
		t.Errorf("operation error has %d causes", oeOut.Causes.Count())
	}
	for _, p := range []paramDecoder{
		&PoolHandleParam{Handle: []byte("EchoPool")}, &PoolHandleParam{Handle: []byte{}},
		&CookieParam{Cookie: []byte("a cookie")}, &PEIdentifierParam{ID: 0xffffffff},
		&PEChecksumParam{Checksum: 0x8dd5}, &HandleResolutionOptionParam{Items: 0xffffffff},
		&RawParam{Type: 0x4001, Value: []byte("x")},
	} {
		out := map[ParamType]paramDecoder{
			ParamPoolHandle: &PoolHandleParam{}, ParamCookie: &CookieParam{}, ParamPEIdentifier: &PEIdentifierParam{},
			ParamPEChecksum: &PEChecksumParam{}, ParamHandleResolutionOption: &HandleResolutionOptionParam{},
		}[p.ParamType()]
		if out == nil {
			out = &RawParam{}
		}
		roundTripParam(t, p, out)
	}
}

// TestNestedLastPadding checks that a nested list's length leaves out its
// last item's padding (RFC 5354 §2), and that a length counting it, as
// rsplib writes, is accepted too.
func TestNestedLastPadding(t *testing.T) {
	pe := PoolElement{ID: 1, UserTransport: Transport{Kind: ParamOpaqueTransport, Opaque: []byte("o")},
		Policy: Policy{Type: 0x80000001, Data: []byte{1}}}
	enc := pe.Append(nil)
	// 16 fixed + opaque 5 padded to 8 + policy 9 (not padded) = 33.
	if pe.Len() != 33 || len(enc) != 36 {
		t.Fatalf("Len %d, %d bytes; want 33, 36", pe.Len(), len(enc))
	}
	enc[3] = 36 // count the last padding, as rsplib does
	var out PoolElement
	if err := out.Decode(mustParam(t, enc)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Policy.Data, []byte{1}) {
		t.Fatalf("policy data %x", out.Policy.Data)
	}
}

func TestAddrs(t *testing.T) {
	as := MakeAddrs(v4a, v6a)
	if as.Count() != 2 || as.First() != v4a {
		t.Fatalf("Count %d First %v", as.Count(), as.First())
	}
	got := as.AppendTo(nil)
	if len(got) != 2 || got[1] != v6a {
		t.Fatalf("AppendTo %v", got)
	}
	if (Addrs{}).First().IsValid() {
		t.Fatal("First of no address is valid")
	}
	bad := Addrs{list{b: hx(t, "0001 0008 c0000201 0002 0008 00000000")}}
	it := bad.Iter()
	n := 0
	for _, ok := it.Next(); ok; _, ok = it.Next() {
		n++
	}
	wantParseError(t, it.Err(), 10, "length is not 20")
	if n != 1 {
		t.Fatalf("%d addresses before the error", n)
	}
}

func TestTLVErrors(t *testing.T) {
	_, err := ParseParam(nil)
	wantParseError(t, err, 0, "fewer than 4 bytes left for a header")
	_, err = ParseParam([]byte{0, 9, 0})
	wantParseError(t, err, 0, "fewer than 4 bytes left for a header")
	_, err = ParseParam(hx(t, "0009 0003"))
	wantParseError(t, err, 2, "length below 4")
	_, err = ParseParam(hx(t, "0009 0009 61"))
	wantParseError(t, err, 2, "length runs past the end of the enclosing structure")
	// RFC 9260 §3.2.1, which RFC 5354 §2 follows: padding is ignored, so
	// a last parameter with part of its padding inside the list is taken.
	for _, l := range []string{"0009 0005 6100", "0009 0005 610000"} {
		part, err := ParseParams(hx(t, l))
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		pit := part.Iter()
		p, ok := pit.Next()
		if _, more := pit.Next(); !ok || more || pit.Err() != nil || !bytes.Equal(p.Value(), []byte{0x61}) {
			t.Fatalf("%s: %v %v %v", l, p, more, pit.Err())
		}
	}
	ps, err := ParseParams(hx(t, "0009 0005 61000000 000e 0008 00000001"))
	if err != nil {
		t.Fatal(err)
	}
	it := ps.Iter()
	var types []ParamType
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		types = append(types, p.Type())
	}
	if len(types) != 2 || types[1] != ParamPEIdentifier || !bytes.Equal(ps.Bytes()[:4], hx(t, "00090005")) {
		t.Fatalf("types %v", types)
	}
	var h PoolHandleParam
	wantParseError(t, h.Decode(Param{}), 0, "no parameter")
	wantParseError(t, h.Decode(mustParam(t, hx(t, "000d 0004"))), 0, "parameter is a Cookie")
	var r RawParam
	wantParseError(t, r.Decode(Param{}), 0, "no parameter")
}

func TestAddressErrors(t *testing.T) {
	var a AddressParam
	wantParseError(t, a.Decode(mustParam(t, hx(t, "0001 000c c0000201 00000000"))), 2, "length is not 8")
	wantParseError(t, a.Decode(mustParam(t, hx(t, "0002 0008 c0000201"))), 2, "length is not 20")
	wantParseError(t, a.Decode(mustParam(t, hx(t, "0009 0008 c0000201"))), 0, "not an address parameter")
	wantParseError(t, a.Decode(Param{}), 0, "no parameter")
}

func TestTransportErrors(t *testing.T) {
	var tr Transport
	for _, c := range []struct {
		in   string
		off  int
		rule string
	}{
		{"0009 0004", 0, "not a transport parameter"},
		{"0004 0006 1389", 2, "length below 8"},
		{"0003 0008 1389 0000", 2, "length below 12"},
		// §3.4: the transport use MUST be one of the two values.
		{"0004 0010 1389 0002 0001 0008 c0000201", 6, "transport use is neither data only nor data plus control"},
		// §3.4: at least one address.
		{"0004 0008 1389 0001", 2, "no address"},
		// §3.5-§3.7, §3.3: exactly one address.
		{"0005 0008 0050 0000", 2, "no address"},
		{"0005 0018 0050 0000 0001 0008 c0000201 0001 0008 c0000202", 16, "second address in a single-address transport"},
		{"0006 0018 0050 0000 0001 0008 c0000201 0001 0008 c0000202", 16, "second address in a single-address transport"},
		{"0007 0018 0050 0000 0001 0008 c0000201 0001 0008 c0000202", 16, "second address in a single-address transport"},
		{"0003 001c 0050 0000 00000000 0001 0008 c0000201 0001 0008 c0000202", 20, "second address in a single-address transport"},
		// Only address parameters in the list.
		{"0004 0010 1389 0001 0009 0008 c0000201", 8, "not an address parameter"},
		{"0004 000f 1389 0001 0001 0008 c00002", 10, "length runs past the end of the enclosing structure"},
		{"0004 000f 1389 0001 0001 0007 c00002", 10, "length is not 8"},
	} {
		wantParseError(t, tr.Decode(mustParam(t, hx(t, c.in))), c.off, c.rule)
	}
	wantParseError(t, tr.Decode(Param{}), 0, "no parameter")
}

func TestPoolElementErrors(t *testing.T) {
	const (
		tcp   = "0005 0010 0050 0000 0001 0008 c0000201"
		sctp  = "0004 0010 1389 0000 0001 0008 c0000201"
		rr    = "0008 0008 00000001"
		fixed = "01020304 00000000 0000ffff"
	)
	var pe PoolElement
	for _, c := range []struct {
		in   string
		off  int
		rule string
	}{
		{"000a 000c 01020304 00000000", 2, "length below 16"},
		{"000a 0010" + fixed, 0, "no user transport"},
		{"000a 0020" + fixed + tcp, 0, "no policy"},
		{"000a 0018" + fixed + rr, 16, "policy before the user transport"},
		{"000a 0030" + fixed + tcp + tcp, 32, "second transport before the policy"},
		{"000a 0038" + fixed + tcp + rr + tcp, 40, "ASAP transport is not an SCTP transport"},
		{"000a 0048" + fixed + tcp + rr + sctp + sctp, 56, "third transport"},
		{"000a 0030" + fixed + tcp + rr + rr, 40, "second policy"},
		{"000a 0030" + fixed + tcp + rr + "000e 0008 00000001", 40, "unexpected PE Identifier parameter"},
		// Errors inside nested parameters name offsets in the outer one.
		{"000a 0028" + fixed + tcp + "0008 0008 00000000", 36, "policy type 0 is reserved as invalid"},
		{"000a 0020" + fixed + "0004 0010 1389 0005 0001 0008 c0000201", 22, "transport use is neither data only nor data plus control"},
	} {
		wantParseError(t, pe.Decode(mustParam(t, hx(t, c.in))), c.off, c.rule)
	}
	// An unknown type whose bits say stop ends the decoding; one that
	// says skip is kept.
	err := pe.Decode(mustParam(t, hx(t, "000a 0030"+fixed+tcp+rr+"4001 0008 00000000")))
	var ue *UnrecognizedParamError
	if !errors.As(err, &ue) || ue.Offset != 40 || !ue.Report() || !errors.Is(err, ErrUnrecognizedParameter) {
		t.Fatalf("got %v, want a reported unrecognized parameter at 40", err)
	}
	if err := pe.Decode(mustParam(t, hx(t, "000a 0030"+fixed+"8001 0008 00000000"+tcp+rr))); err != nil {
		t.Fatal(err)
	}
	if pe.Unrecognized.Empty() || pe.UserTransport.Kind != ParamTCPTransport {
		t.Fatalf("decoded %+v", pe)
	}
	// It re-encodes after the known parameters.
	want := hx(t, "000a 0030"+fixed+tcp+rr+"8001 0008 00000000")
	if got := pe.Append(nil); !bytes.Equal(got, want) {
		t.Fatalf("re-encoded %x\nwant %x", got, want)
	}
}

func TestServerInformationErrors(t *testing.T) {
	var s ServerInformation
	const sctp = "0004 0010 26ad 0000 0001 0008 c0000201"
	wantParseError(t, s.Decode(mustParam(t, hx(t, "000b 0006 0000"))), 2, "length below 8")
	wantParseError(t, s.Decode(mustParam(t, hx(t, "000b 0008 00000001"))), 0, "no SCTP transport")
	wantParseError(t, s.Decode(mustParam(t, hx(t, "000b 0018 00000001 0005 0010 26ad 0000 0001 0008 c0000201"))), 8,
		"unexpected TCP Transport parameter")
	wantParseError(t, s.Decode(mustParam(t, hx(t, "000b 0028 00000001"+sctp+sctp))), 24, "second SCTP transport")
	wantParseError(t, s.Decode(mustParam(t, hx(t, "000c 0004"))), 0, "parameter is a Operation Error")
	wantParseError(t, s.Decode(mustParam(t, hx(t, "000b 0018 00000001 0004 0010 26ad 0002 0001 0008 c0000201"))), 14,
		"transport use is neither data only nor data plus control")
}

func TestFixedLengthParamErrors(t *testing.T) {
	var id PEIdentifierParam
	wantParseError(t, id.Decode(mustParam(t, hx(t, "000e 0006 0001"))), 2, "length is not 8")
	wantParseError(t, id.Decode(mustParam(t, hx(t, "000f 0006 0001"))), 0, "parameter is a PE Checksum")
	var c PEChecksumParam
	wantParseError(t, c.Decode(mustParam(t, hx(t, "000f 0008 00010000"))), 2, "length is not 6")
	wantParseError(t, c.Decode(mustParam(t, hx(t, "000e 0008 00010000"))), 0, "parameter is a PE Identifier")
	var h HandleResolutionOptionParam
	wantParseError(t, h.Decode(mustParam(t, hx(t, "803f 0004"))), 2, "length is not 8")
	var ck CookieParam
	wantParseError(t, ck.Decode(mustParam(t, hx(t, "0009 0004"))), 0, "parameter is a Pool Handle")
}

func TestParamTypeActions(t *testing.T) {
	for _, c := range []struct {
		t            ParamType
		stop, report bool
	}{{0x0011, true, false}, {0x4011, true, true}, {0x8011, false, false}, {0xc011, false, true}} {
		a := c.t.UnknownAction()
		if a.Stop() != c.stop || a.Report() != c.report || c.t.Known() {
			t.Errorf("%v: stop %v report %v known %v", c.t, a.Stop(), a.Report(), c.t.Known())
		}
	}
	for pt := ParamIPv4Address; pt <= ParamOpaqueTransport; pt++ {
		if !pt.Known() || pt.String() == "" {
			t.Errorf("%d not known", pt)
		}
	}
	// rsplib's Handle Resolution Option is not one of RFC 5354's types;
	// only ASAP_HANDLE_RESOLUTION recognizes it.
	if ParamType(0).Known() || ParamHandleResolutionOption.Known() || ParamType(0x11).String() != "parameter type 17" {
		t.Error("known set wrong")
	}
	if s := ParamPolicy.String(); s != "Pool Member Selection Policy" {
		t.Errorf("name %q", s)
	}
}

func TestUnrecognizedReport(t *testing.T) {
	u := unknownSkip()
	var reported []ParamType
	u.Report(func(p Param) { reported = append(reported, p.Type()) })
	if len(reported) != 1 || reported[0] != 0xc456 {
		t.Fatalf("reported %v", reported)
	}
	if !(Unrecognized{}).Empty() || u.Empty() {
		t.Fatal("Empty wrong")
	}
	// A view over a region holding known parameters yields only the
	// unknown ones.
	mixed := Unrecognized{l: list{b: hx(t, "0009 0005 61000000 8123 0004 000e 0008 00000001")}}
	it := mixed.Iter()
	p, ok := it.Next()
	if !ok || p.Type() != 0x8123 || p.Offset() != 8 {
		t.Fatalf("first unknown %v %v at %d", ok, p.Type(), p.Offset())
	}
	if _, ok := it.Next(); ok {
		t.Fatal("second unknown")
	}
}
