package msg

import (
	"bytes"
	"net/netip"
	"reflect"
	"testing"
)

const (
	echoPool   = "0009 000c 4563686f 506f6f6c" // Pool Handle "EchoPool"
	poolHandle = "0009 0008 706f6f6c"          // Pool Handle "pool"
)

// TestASAPWire checks one instance of every ASAP message against the
// layout of its RFC 5352 §2.2 figure: type, flags, length (without the
// final padding), then the fixed fields and parameters in the figure's
// order.
func TestASAPWire(t *testing.T) {
	capturedPE := PoolElement{
		ID: 0x5297b1e4, RegistrationLife: 90000,
		UserTransport: Transport{Kind: ParamSCTPTransport, Port: 36849, Use: DataPlusControl,
			Addrs: MakeAddrs(netip.MustParseAddr("10.99.200.11"))},
		Policy: Policy{Type: PolicyRoundRobin},
	}
	tcp := Transport{Kind: ParamTCPTransport, Port: 3863, Addrs: MakeAddrs(v4a)}
	for _, c := range []struct {
		name string
		m    Message
		want string
	}{
		// §2.2.1, as rsplib's rspserver sent it (rsplib-asap-enrp-encap0.pcap
		// frame 42).
		{"REGISTRATION", &Registration{PoolHandle: []byte("EchoPool"), PoolElement: capturedPE},
			"01 00 0038" + echoPool + "000a 0028 5297b1e4 00000000 00015f90 " +
				"0004 0010 8ff1 0001 0001 0008 0a63c80b 0008 0008 00000001"},
		// §2.2.2
		{"DEREGISTRATION", &Deregistration{PoolHandle: []byte("EchoPool"), ID: 0xebc50477},
			"02 00 0018" + echoPool + "000e 0008 ebc50477"},
		// §2.2.3 with R set and the optional Operation Error (cause 4,
		// Non-Unique PE Identifier).
		{"REGISTRATION_RESPONSE", &RegistrationResponse{Reject: true, PoolHandle: []byte("ab"), ID: 7,
			Error: NewOperationError(Cause{Code: CauseNonUniquePEIdentifier})},
			"03 01 001c | 0009 0006 6162 0000 | 000e 0008 00000007 | 000c 0008 0004 0004"},
		{"REGISTRATION_RESPONSE accepted", &RegistrationResponse{PoolHandle: []byte("pool"), ID: 7},
			"03 00 0014" + poolHandle + "000e 0008 00000007"},
		// §2.2.4
		{"DEREGISTRATION_RESPONSE", &DeregistrationResponse{PoolHandle: []byte("EchoPool"), ID: 0xebc50477},
			"04 00 0018" + echoPool + "000e 0008 ebc50477"},
		// §2.2.5 with S set.
		{"HANDLE_RESOLUTION", &HandleResolution{Subscribe: true, PoolHandle: []byte("pool")},
			"05 01 000c" + poolHandle},
		// The message length leaves out the last parameter's padding
		// (RFC 5354 §4), here 1 byte after a 3-byte pool handle.
		{"HANDLE_RESOLUTION odd handle", &HandleResolution{PoolHandle: []byte("abc")}, "05 00 000b 0009 0007 616263 00"},
		// rsplib's form with the Handle Resolution Option (frame 172).
		{"HANDLE_RESOLUTION items", &HandleResolution{PoolHandle: []byte("EchoPool"), Items: 1, HasItems: true},
			"05 00 0018" + echoPool + "803f 0008 00000001"},
		// §2.2.6 positive, as rsplib's registrar answered (frame 173).
		{"HANDLE_RESOLUTION_RESPONSE", &HandleResolutionResponse{PoolHandle: []byte("EchoPool"),
			Policy: Policy{Type: PolicyRoundRobin}, PoolElements: MakePoolElements(func() PoolElement {
				pe := capturedPE
				pe.HomeServer = 0xf15cc54b
				return pe
			}())},
			"06 00 0040" + echoPool + "0008 0008 00000001 | 000a 0028 5297b1e4 f15cc54b 00015f90 " +
				"0004 0010 8ff1 0001 0001 0008 0a63c80b 0008 0008 00000001"},
		// §2.2.6 negative: the Operation Error, no policy, no PE.
		{"HANDLE_RESOLUTION_RESPONSE negative", &HandleResolutionResponse{Accept: true, PoolHandle: []byte("pool"),
			Error: NewOperationError(Cause{Code: CauseUnknownPoolHandle})},
			"06 01 0014" + poolHandle + "000c 0008 0009 0004"},
		// §2.2.7 with H set: server identifier, pool handle.
		{"ENDPOINT_KEEP_ALIVE", &EndpointKeepAlive{Home: true, ServerID: 0x11223344, PoolHandle: []byte("pool")},
			"07 01 0010 11223344" + poolHandle},
		// rsplib adds the PE Identifier (frame 64).
		{"ENDPOINT_KEEP_ALIVE rsplib", &EndpointKeepAlive{ServerID: 0xf15cc54b, PoolHandle: []byte("EchoPool"), ID: 0x5297b1e4, HasID: true},
			"07 00 001c f15cc54b" + echoPool + "000e 0008 5297b1e4"},
		// §2.2.8
		{"ENDPOINT_KEEP_ALIVE_ACK", &EndpointKeepAliveAck{PoolHandle: []byte("EchoPool"), ID: 0x5297b1e4},
			"08 00 0018" + echoPool + "000e 0008 5297b1e4"},
		// §2.2.9
		{"ENDPOINT_UNREACHABLE", &EndpointUnreachable{PoolHandle: []byte("pool"), ID: 0x0a0b0c0d},
			"09 00 0014" + poolHandle + "000e 0008 0a0b0c0d"},
		// §2.2.10 as rsplib multicasts it: no transport.
		{"SERVER_ANNOUNCE", &ServerAnnounce{ServerID: 0xf15cc54b}, "0a 00 0008 f15cc54b"},
		{"SERVER_ANNOUNCE transports", &ServerAnnounce{ServerID: 1, Transports: MakeTransports(sctpTransport(DataOnly, 3863), tcp)},
			"0a 00 0044 00000001 | 0004 002c 0f17 0000 0001 0008 c0000201 0002 0014 20010db8 00000000 00000000 00000001" +
				" 0001 0008 c0000202 | 0005 0010 0f17 0000 0001 0008 c0000201"},
		// §2.2.11: the length leaves out the cookie's padding.
		{"COOKIE", &Cookie{Cookie: []byte("c")}, "0b 00 0009 000d 0005 63 000000"},
		// §2.2.12
		{"COOKIE_ECHO", &CookieEcho{Cookie: []byte{1, 2, 3, 4}}, "0c 00 000c 000d 0008 01020304"},
		// §2.2.13
		{"BUSINESS_CARD", &BusinessCard{PoolHandle: []byte("pool"), PoolElements: MakePoolElements(
			PoolElement{ID: 1, UserTransport: tcp, Policy: Policy{Type: PolicyRandom}},
			PoolElement{ID: 2, UserTransport: tcp, Policy: Policy{Type: PolicyRandom}})},
			"0d 00 005c" + poolHandle +
				"000a 0028 00000001 00000000 00000000 0005 0010 0f17 0000 0001 0008 c0000201 0008 0008 00000003" +
				"000a 0028 00000002 00000000 00000000 0005 0010 0f17 0000 0001 0008 c0000201 0008 0008 00000003"},
		// §2.2.14
		{"ERROR", &ASAPError{Error: NewOperationError(Cause{Code: CauseUnspecified})}, "0e 00 000c 000c 0008 0000 0004"},
	} {
		want := hx(t, c.want)
		got := c.m.Append(nil)
		if !bytes.Equal(got, want) {
			t.Errorf("%s: got %x\nwant %x", c.name, got, want)
			continue
		}
		// And back: the decoded message encodes the same bytes.
		m, err := DecodeMessage(ASAP, want)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !bytes.Equal(m.Append(nil), want) {
			t.Errorf("%s: decoded message re-encodes differently", c.name)
		}
	}
}

// TestASAPRoundTrips encodes every ASAP message with every parameter it
// can carry, and parameters of unknown types besides.
func TestASAPRoundTrips(t *testing.T) {
	u := unknownSkip()
	pe := samplePE(1)
	opErr := sampleOpError()
	pes := MakePoolElements(samplePE(1), samplePE(2), PoolElement{ID: 3,
		UserTransport: Transport{Kind: ParamUDPTransport, Port: 7, Addrs: MakeAddrs(v6a)}, Policy: Policy{Type: PolicyPriority, Priority: 9}})
	for _, c := range []struct{ in, out Decoder }{
		{&Registration{PoolHandle: []byte("a pool"), PoolElement: pe, Unrecognized: u}, &Registration{}},
		{&Deregistration{PoolHandle: []byte("a pool"), ID: 9, Unrecognized: u}, &Deregistration{}},
		{&RegistrationResponse{Reject: true, PoolHandle: []byte("p"), ID: 9, Error: opErr, Unrecognized: u}, &RegistrationResponse{}},
		{&DeregistrationResponse{PoolHandle: []byte("p"), ID: 9, Error: opErr, Unrecognized: u}, &DeregistrationResponse{}},
		{&HandleResolution{Subscribe: true, PoolHandle: []byte("pool"), Items: 0xffffffff, HasItems: true, Unrecognized: u}, &HandleResolution{}},
		{&HandleResolutionResponse{Accept: true, PoolHandle: []byte("pool"), Policy: Policy{Type: PolicyLeastUsed, Load: 4},
			PoolElements: pes, Unrecognized: u}, &HandleResolutionResponse{}},
		{&HandleResolutionResponse{PoolHandle: []byte("pool"), Error: opErr, Unrecognized: u}, &HandleResolutionResponse{}},
		{&EndpointKeepAlive{Home: true, ServerID: 5, PoolHandle: []byte("pool"), ID: 6, HasID: true, Unrecognized: u}, &EndpointKeepAlive{}},
		{&EndpointKeepAliveAck{PoolHandle: []byte("pool"), ID: 6, Unrecognized: u}, &EndpointKeepAliveAck{}},
		{&EndpointUnreachable{PoolHandle: []byte("pool"), ID: 6, Unrecognized: u}, &EndpointUnreachable{}},
		{&ServerAnnounce{ServerID: 5, Transports: MakeTransports(allTransports()[:4]...), Unrecognized: u}, &ServerAnnounce{}},
		{&Cookie{Cookie: []byte("cookie!"), Unrecognized: u}, &Cookie{}},
		{&CookieEcho{Cookie: []byte("cookie!"), Unrecognized: u}, &CookieEcho{}},
		{&BusinessCard{PoolHandle: []byte("pool"), PoolElements: pes, Unrecognized: u}, &BusinessCard{}},
		{&ASAPError{Error: opErr, Unrecognized: u}, &ASAPError{}},
	} {
		roundTripMsg(t, c.in, c.out)
	}
}

// TestASAPDecodedFields checks that decoding fills every field.
func TestASAPDecodedFields(t *testing.T) {
	in := &HandleResolutionResponse{Accept: true, PoolHandle: []byte("pool"), Policy: Policy{Type: PolicyLeastUsed, Load: 4},
		PoolElements: MakePoolElements(samplePE(1), samplePE(2))}
	var out HandleResolutionResponse
	roundTripMsg(t, in, &out)
	if !out.Accept || string(out.PoolHandle) != "pool" || out.Policy.Load != 4 || !out.Error.IsZero() || out.PoolElements.Count() != 2 {
		t.Fatalf("decoded %+v", out)
	}
	it := out.PoolElements.Iter()
	var pe PoolElement
	var ids []PEID
	for it.Next(&pe) {
		ids = append(ids, pe.ID)
		want := samplePE(pe.ID)
		if pe.HomeServer != want.HomeServer || !reflect.DeepEqual(pe.Policy, want.Policy) ||
			pe.UserTransport.Addrs.Count() != 3 || pe.ASAPTransport.Port != want.ASAPTransport.Port {
			t.Fatalf("PE %+v", pe)
		}
	}
	if it.Err() != nil || len(ids) != 2 || ids[1] != 2 {
		t.Fatalf("ids %v, %v", ids, it.Err())
	}

	var ka EndpointKeepAlive
	roundTripMsg(t, &EndpointKeepAlive{Home: true, ServerID: 5, PoolHandle: []byte("p"), ID: 6, HasID: true}, &ka)
	if !ka.Home || ka.ServerID != 5 || string(ka.PoolHandle) != "p" || ka.ID != 6 || !ka.HasID {
		t.Fatalf("keep-alive %+v", ka)
	}
	var rr RegistrationResponse
	roundTripMsg(t, &RegistrationResponse{Reject: true, PoolHandle: []byte("p"), ID: 3, Error: sampleOpError()}, &rr)
	if !rr.Reject || rr.ID != 3 || rr.Error.Causes.Count() != 3 {
		t.Fatalf("registration response %+v", rr)
	}
	var sa ServerAnnounce
	roundTripMsg(t, &ServerAnnounce{ServerID: 5, Transports: MakeTransports(allTransports()[:4]...)}, &sa)
	var tr Transport
	tit := sa.Transports.Iter()
	n := 0
	for tit.Next(&tr) {
		n++
	}
	if sa.ServerID != 5 || n != 4 || sa.Transports.Count() != 4 || tit.Err() != nil {
		t.Fatalf("announce %d transports %v", n, tit.Err())
	}
}

func TestASAPErrors(t *testing.T) {
	const (
		peid  = "000e 0008 00000001"
		opErr = "000c 0008 0009 0004"
		rr    = "0008 0008 00000001"
		pe    = "000a 0028 00000001 00000000 00000000 0005 0010 0f17 0000 0001 0008 c0000201" + rr
	)
	for _, c := range []struct {
		in   string
		off  int
		rule string
	}{
		{"01 00 002c " + pe, 0, "no Pool Handle parameter"},
		{"01 00 000c " + poolHandle, 0, "no Pool Element parameter"},
		{"01 00 0014 " + poolHandle + poolHandle, 12, "second Pool Handle parameter"},
		{"01 00 0014 " + poolHandle + peid, 12, "unexpected PE Identifier parameter"},
		{"02 00 000c " + poolHandle, 0, "no PE Identifier parameter"},
		{"02 00 000c " + peid, 0, "no Pool Handle parameter"},
		{"02 00 001c " + poolHandle + peid + opErr, 20, "unexpected Operation Error parameter"},
		{"03 00 001c " + poolHandle + peid + peid, 20, "second PE Identifier parameter"},
		{"04 00 0024 " + poolHandle + peid + opErr + opErr, 28, "second Operation Error parameter"},
		{"05 00 0004", 0, "no Pool Handle parameter"},
		{"05 00 0014 " + poolHandle + peid, 12, "unexpected PE Identifier parameter"},
		{"05 00 001c " + poolHandle + "803f 0008 00000001 803f 0008 00000001", 20, "second Handle Resolution Option parameter"},
		// §2.2.6: positive responses have PEs, negative ones neither PEs
		// nor a policy.
		{"06 00 000c " + poolHandle, 0, "positive response without a pool element"},
		{"06 00 0014 " + poolHandle + rr, 0, "positive response without a pool element"},
		{"06 00 003c " + poolHandle + pe + opErr, 0, "pool elements in a negative response"},
		{"06 00 001c " + poolHandle + rr + opErr, 0, "policy in a negative response"},
		{"06 00 003c " + poolHandle + pe + peid, 52, "unexpected PE Identifier parameter"},
		{"06 00 0034 " + pe + opErr, 0, "no Pool Handle parameter"},
		{"07 00 0008 00000001", 0, "no Pool Handle parameter"},
		{"08 00 000c " + peid, 0, "no Pool Handle parameter"},
		{"09 00 000c " + poolHandle, 0, "no PE Identifier parameter"},
		// §2.2.10: only SCTP and TCP transports.
		{"0a 00 0018 00000001 0006 0010 0035 0000 0001 0008 c0000201", 8, "unexpected UDP Transport parameter"},
		{"0a 00 0010 00000001 " + peid, 8, "unexpected PE Identifier parameter"},
		{"0a 00 0018 00000001 0004 0010 0035 0003 0001 0008 c0000201", 14, "transport use is neither data only nor data plus control"},
		{"0b 00 0004", 0, "no Cookie parameter"},
		{"0c 00 000c " + peid, 4, "unexpected PE Identifier parameter"},
		{"0c 00 000c 000d 0004 000d 0004", 8, "second Cookie parameter"},
		{"0d 00 000c " + poolHandle, 0, "no Pool Element parameter"},
		{"0d 00 002c " + pe, 0, "no Pool Handle parameter"},
		{"0e 00 0004", 0, "no Operation Error parameter"},
		// Nested errors report offsets in the message.
		{"0d 00 0034 " + poolHandle + "000a 0028 00000001 00000000 00000000 0005 0010 0f17 0000 0001 0008 c0000201 0008 0008 00000000",
			48, "policy type 0 is reserved as invalid"},
		{"06 00 0014 " + poolHandle + "000c 0008 0009 0002", 18, "length below 4"},
		{"03 00 0014 " + poolHandle + "000e 0006 0001 0000", 14, "length is not 8"},
		{"05 00 000c 0009 0009 706f6f6c", 6, "length runs past the end of the enclosing structure"},
	} {
		_, err := decodeHex(t, ASAP, c.in)
		wantParseError(t, err, c.off, c.rule)
	}
}

// TestLengthsCountingPadding checks that a message whose length counts its
// last parameter's padding, as rsplib writes them, decodes, and that it
// re-encodes as RFC 5354 §4 says, without.
func TestLengthsCountingPadding(t *testing.T) {
	m, err := decodeHex(t, ASAP, "05 00 000c 0009 0007 616263 00")
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Append(nil); !bytes.Equal(got, hx(t, "05 00 000b 0009 0007 616263 00")) {
		t.Fatalf("re-encoded %x", got)
	}
}

// TestReservedFlags checks RFC 5354 §4: flag bits a message does not
// define are ignored on receipt and zero on transmit.
func TestReservedFlags(t *testing.T) {
	for _, c := range []struct {
		p       Protocol
		in, out string
	}{
		{ASAP, "01 ff 0038" + echoPool + "000a 0028 5297b1e4 00000000 00015f90 0004 0010 8ff1 0001 0001 0008 0a63c80b 0008 0008 00000001",
			"01 00 0038" + echoPool + "000a 0028 5297b1e4 00000000 00015f90 0004 0010 8ff1 0001 0001 0008 0a63c80b 0008 0008 00000001"},
		{ASAP, "03 fe 0014" + poolHandle + "000e 0008 00000007", "03 00 0014" + poolHandle + "000e 0008 00000007"},
		{ASAP, "03 ff 0014" + poolHandle + "000e 0008 00000007", "03 01 0014" + poolHandle + "000e 0008 00000007"},
		{ASAP, "07 fe 0010 11223344" + poolHandle, "07 00 0010 11223344" + poolHandle},
		{ENRP, "03 fc 000c 00000001 00000002", "03 00 000c 00000001 00000002"},
		{ENRP, "03 ff 000c 00000001 00000002", "03 03 000c 00000001 00000002"},
		{ENRP, "05 ff 000c 00000001 00000002", "05 00 000c 00000001 00000002"},
	} {
		m, err := decodeHex(t, c.p, c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if got := m.Append(nil); !bytes.Equal(got, hx(t, c.out)) {
			t.Errorf("%s: re-encoded %x", c.in, got)
		}
	}
}
