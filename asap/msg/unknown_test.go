package msg

import (
	"bytes"
	"errors"
	"testing"
)

// TestTransportUnknownParams checks RFC 5354 §3 inside the address list
// of a transport parameter: an unknown type stops the decoding (00, 01)
// or is skipped and kept (10, 11), as at message level; a known type
// that is not an address is malformed there.
func TestTransportUnknownParams(t *testing.T) {
	const addr = "0001 0008 c0000201"
	for _, c := range []struct {
		typ          string
		stop, report bool
	}{{"0123", true, false}, {"4123", true, true}, {"8123", false, false}, {"c123", false, true}} {
		for _, kind := range []string{"0004 0018 1389 0001", "0005 0018 0050 0000"} { // SCTP, TCP
			in := hx(t, kind+addr+c.typ+"0008 00000000")
			var tr Transport
			err := tr.Decode(mustParam(t, in))
			if c.stop {
				var ue *UnrecognizedParamError
				if !errors.As(err, &ue) || ue.Offset != 16 || ue.Report() != c.report {
					t.Fatalf("%s in %s: %v", c.typ, kind, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s in %s: %v", c.typ, kind, err)
			}
			if tr.Addrs.Count() != 1 || tr.Addrs.First() != v4a || tr.Unrecognized.Empty() {
				t.Fatalf("%s in %s: decoded %+v", c.typ, kind, tr)
			}
			n := 0
			tr.Unrecognized.Report(func(Param) { n++ })
			if (n == 1) != c.report {
				t.Fatalf("%s in %s: %d reported", c.typ, kind, n)
			}
			if got := tr.Append(nil); !bytes.Equal(got, in) {
				t.Fatalf("%s in %s: re-encoded %x", c.typ, kind, got)
			}
		}
	}
	// Before the address: kept, re-encoded after it; the one address of a
	// single-address transport is still one.
	var tr Transport
	if err := tr.Decode(mustParam(t, hx(t, "0005 0018 0050 0000 8123 0008 00000000"+addr))); err != nil {
		t.Fatal(err)
	}
	if got, want := tr.Append(nil), hx(t, "0005 0018 0050 0000"+addr+"8123 0008 00000000"); !bytes.Equal(got, want) {
		t.Fatalf("re-encoded %x", got)
	}
	// rsplib's Handle Resolution Option is an unknown type here (10).
	if err := tr.Decode(mustParam(t, hx(t, "0004 0018 1389 0001"+addr+"803f 0008 00000001"))); err != nil || tr.Unrecognized.Empty() {
		t.Fatalf("option in a transport: %v", err)
	}
	// Only unknown ones: no address.
	wantParseError(t, tr.Decode(mustParam(t, hx(t, "0004 0010 1389 0001 8123 0008 00000000"))), 2, "no address")
	// A known type that is not an address.
	wantParseError(t, tr.Decode(mustParam(t, hx(t, "0004 0018 1389 0001"+addr+"000e 0008 00000001"))), 16, "not an address parameter")
	// The rules hold in a transport nested in a message.
	_, err := decodeHex(t, ASAP, "0a00 0020 00000001 0004 0018 1389 0001"+addr+"4123 0008 00000000")
	var ue *UnrecognizedParamError
	if !errors.As(err, &ue) || ue.Offset != 24 || ue.What != "SCTP Transport parameter" {
		t.Fatalf("nested: %v", err)
	}
}

// TestServerInformationUnknownParams checks that a Server Information
// parameter keeps the unknown parameters it skipped (RFC 5354 §3), so
// that those to report can be reported and a re-encoding carries them.
func TestServerInformationUnknownParams(t *testing.T) {
	const sctp = "0004 0010 26ad 0000 0001 0008 c0000201"
	in := hx(t, "000b 0020 00000001 c456 0008 00000000"+sctp)
	var s ServerInformation
	if err := s.Decode(mustParam(t, in)); err != nil {
		t.Fatal(err)
	}
	var reported []ParamType
	s.Unrecognized.Report(func(p Param) { reported = append(reported, p.Type()) })
	if len(reported) != 1 || reported[0] != 0xc456 || s.IsZero() {
		t.Fatalf("reported %v", reported)
	}
	if got, want := s.Append(nil), hx(t, "000b 0020 00000001"+sctp+"c456 0008 00000000"); !bytes.Equal(got, want) {
		t.Fatalf("re-encoded %x", got)
	}
	roundTripParam(t, &s, &ServerInformation{})
	var z ServerInformation
	if !z.IsZero() {
		t.Fatal("zero")
	}
	z.Unrecognized = unknownSkip()
	if z.IsZero() {
		t.Fatal("unknown parameters only is zero")
	}
}

// TestHandleResolutionOptionElsewhere checks that rsplib's Handle
// Resolution Option (0x803f), known in ASAP_HANDLE_RESOLUTION, is an
// unknown type anywhere else, which its bits (10) say to skip (RFC 5354
// §3).
func TestHandleResolutionOptionElsewhere(t *testing.T) {
	const (
		opt = "803f 0008 00000001"
		tcp = "0005 0010 0050 0000 0001 0008 c0000201"
		rr  = "0008 0008 00000001"
	)
	for _, c := range []struct {
		p       Protocol
		in, out string
	}{
		{ASAP, "01 00 0040" + echoPool + opt + "000a 0028 00000001 00000000 00000000" + tcp + rr,
			"01 00 0040" + echoPool + "000a 0028 00000001 00000000 00000000" + tcp + rr + opt},
		{ASAP, "01 00 0040" + echoPool + "000a 0030 00000001 00000000 00000000" + opt + tcp + rr,
			"01 00 0040" + echoPool + "000a 0030 00000001 00000000 00000000" + tcp + rr + opt},
		{ASAP, "07 00 001c 00000001" + echoPool + opt, "07 00 001c 00000001" + echoPool + opt},
		{ENRP, "05 00 0014 00000001 00000002" + opt, "05 00 0014 00000001 00000002" + opt},
	} {
		m, err := decodeHex(t, c.p, c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if got := m.Append(nil); !bytes.Equal(got, hx(t, c.out)) {
			t.Fatalf("%s: re-encoded %x", c.in, got)
		}
	}
	// ASAP_HANDLE_RESOLUTION knows it, and does not take one among its
	// unknown parameters.
	m, err := decodeHex(t, ASAP, "05 00 0018"+echoPool+opt)
	if err != nil {
		t.Fatal(err)
	}
	hr := m.(*HandleResolution)
	if !hr.HasItems || hr.Items != 1 || !hr.Unrecognized.Empty() {
		t.Fatalf("decoded %+v", hr)
	}
	hr = &HandleResolution{PoolHandle: []byte("EchoPool"), Items: 2, HasItems: true,
		Unrecognized: MakeUnrecognized(RawParam{Type: ParamHandleResolutionOption, Value: []byte{0, 0, 0, 1}}, RawParam{Type: 0x8123})}
	if got, want := hr.Append(nil), hx(t, "05 00 001c"+echoPool+"803f 0008 00000002 8123 0004"); !bytes.Equal(got, want) {
		t.Fatalf("encoded %x", got)
	}
}

// TestReportNested checks that Report finds the parameters to report at
// any depth of a message.
func TestReportNested(t *testing.T) {
	u := unknownSkip() // one of its two is to be reported
	tr := sctpTransport(DataOnly, 1)
	tr.Unrecognized = u
	pe := samplePE(1) // reports one of its own
	pe.UserTransport = tr
	pe.ASAPTransport = tr
	si := ServerInformation{ServerID: 1, Transport: tr, Unrecognized: u}
	s := Servers{Sender: 1}
	h := []byte("p")
	for _, c := range []struct {
		m    Decoder
		want int
	}{
		{&Registration{PoolHandle: h, PoolElement: pe, Unrecognized: u}, 4},
		{&Deregistration{PoolHandle: h, ID: 1, Unrecognized: u}, 1},
		{&RegistrationResponse{PoolHandle: h, ID: 1, Unrecognized: u}, 1},
		{&DeregistrationResponse{PoolHandle: h, ID: 1, Unrecognized: u}, 1},
		{&HandleResolution{PoolHandle: h, Unrecognized: u}, 1},
		{&HandleResolutionResponse{PoolHandle: h, PoolElements: MakePoolElements(pe, pe), Unrecognized: u}, 7},
		{&EndpointKeepAlive{PoolHandle: h, Unrecognized: u}, 1},
		{&EndpointKeepAliveAck{PoolHandle: h, Unrecognized: u}, 1},
		{&EndpointUnreachable{PoolHandle: h, Unrecognized: u}, 1},
		{&ServerAnnounce{Transports: MakeTransports(tr, tr), Unrecognized: u}, 3},
		{&Cookie{Unrecognized: u}, 1},
		{&CookieEcho{Unrecognized: u}, 1},
		{&BusinessCard{PoolHandle: h, PoolElements: MakePoolElements(pe), Unrecognized: u}, 4},
		{&ASAPError{Error: sampleOpError(), Unrecognized: u}, 1},
		{&Presence{Servers: s, ServerInfo: si, Unrecognized: u}, 3},
		{&HandleTableRequest{Servers: s, Unrecognized: u}, 1},
		{&HandleTableResponse{Servers: s, Entries: MakePoolEntries(AppendPoolEntry(AppendPoolEntry(nil, h, pe), h, pe)), Unrecognized: u}, 7},
		{&HandleUpdate{Servers: s, PoolHandle: h, PoolElement: pe, Unrecognized: u}, 4},
		{&ListRequest{Servers: s, Unrecognized: u}, 1},
		{&ListResponse{Servers: s, Peers: MakeServerInfos(si, si), Unrecognized: u}, 5},
		{&InitTakeover{Servers: s, Unrecognized: u}, 1},
		{&InitTakeoverAck{Servers: s, Unrecognized: u}, 1},
		{&TakeoverServer{Servers: s, Unrecognized: u}, 1},
		{&ENRPError{Servers: s, Error: sampleOpError(), Unrecognized: u}, 1},
	} {
		m, err := DecodeMessage(c.m.MessageType().Protocol(), c.m.Append(nil))
		if err != nil {
			t.Fatalf("%v: %v", c.m.MessageType(), err)
		}
		n := 0
		Report(m, func(p Param) {
			if p.Type() != 0xc456 {
				t.Fatalf("%v: reported %v", c.m.MessageType(), p.Type())
			}
			n++
		})
		if n != c.want {
			t.Errorf("%v: %d reported, want %d", c.m.MessageType(), n, c.want)
		}
	}
}
