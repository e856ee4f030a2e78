package msg

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net/netip"
	"strings"
	"testing"
)

// hx turns a hex string with spaces, newlines and "|" separators into
// bytes, so that test vectors can be laid out like the RFC figures.
func hx(t testing.TB, s string) []byte {
	t.Helper()
	s = strings.NewReplacer(" ", "", "\n", "", "\t", "", "|", "").Replace(s)
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// roundTripMsg encodes in, checks the encoding's length and padding,
// decodes it into out with the typed decoder and with DecodeMessage,
// re-encodes both and checks all encodings are the same bytes. It returns
// the first encoding.
func roundTripMsg(t *testing.T, in Decoder, out Decoder) []byte {
	t.Helper()
	mt := in.MessageType()
	enc := in.Append(nil)
	if len(enc) != pad4(in.Len()) {
		t.Fatalf("%v: encoded %d bytes, want Len %d padded to %d", mt, len(enc), in.Len(), pad4(in.Len()))
	}
	v, err := ParseMessage(mt.Protocol(), enc)
	if err != nil {
		t.Fatalf("%v: ParseMessage: %v", mt, err)
	}
	if v.Len() != in.Len() || v.Type() != mt {
		t.Fatalf("%v: header says %v length %d, Len() %d", mt, v.Type(), v.Len(), in.Len())
	}
	if err := out.Decode(v); err != nil {
		t.Fatalf("%v: Decode: %v", mt, err)
	}
	if again := out.Append(nil); !bytes.Equal(enc, again) {
		t.Fatalf("%v: re-encoding differs:\n first %x\nsecond %x", mt, enc, again)
	}
	m, err := DecodeMessage(mt.Protocol(), enc)
	if err != nil {
		t.Fatalf("%v: DecodeMessage: %v", mt, err)
	}
	if m.MessageType() != mt {
		t.Fatalf("DecodeMessage gave %v, want %v", m.MessageType(), mt)
	}
	if again := m.Append(nil); !bytes.Equal(enc, again) {
		t.Fatalf("%v: DecodeMessage re-encoding differs:\n first %x\nsecond %x", mt, enc, again)
	}
	return enc
}

type paramDecoder interface {
	Parameter
	Decode(Param) error
}

// roundTripParam is roundTripMsg for a parameter.
func roundTripParam(t *testing.T, in paramDecoder, out paramDecoder) []byte {
	t.Helper()
	enc := in.Append(nil)
	if len(enc) != pad4(in.Len()) {
		t.Fatalf("%v: encoded %d bytes, want %d", in.ParamType(), len(enc), pad4(in.Len()))
	}
	p, err := ParseParam(enc)
	if err != nil {
		t.Fatalf("%v: ParseParam: %v", in.ParamType(), err)
	}
	if p.Len() != in.Len() || p.Type() != in.ParamType() {
		t.Fatalf("%v: header says %v length %d, Len() %d", in.ParamType(), p.Type(), p.Len(), in.Len())
	}
	if err := out.Decode(p); err != nil {
		t.Fatalf("%v: Decode: %v", in.ParamType(), err)
	}
	if again := out.Append(nil); !bytes.Equal(enc, again) {
		t.Fatalf("%v: re-encoding differs:\n first %x\nsecond %x", in.ParamType(), enc, again)
	}
	return enc
}

// wantParseError checks that err is a *ParseError at offset off whose rule
// is rule.
func wantParseError(t *testing.T, err error, off int, rule string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("got error %v, want a *ParseError (%q at %d)", err, rule, off)
	}
	if pe.Offset != off || pe.Rule != rule {
		t.Fatalf("got %q at offset %d (%s), want %q at offset %d", pe.Rule, pe.Offset, pe.What, rule, off)
	}
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("%v does not match ErrMalformed", err)
	}
}

// mustParam cuts a parameter out of raw bytes or fails the test.
func mustParam(t *testing.T, b []byte) Param {
	t.Helper()
	p, err := ParseParam(b)
	if err != nil {
		t.Fatalf("ParseParam(%x): %v", b, err)
	}
	return p
}

// decodeASAPHex and decodeENRPHex decode a message given as hex.
func decodeHex(t *testing.T, p Protocol, s string) (Message, error) {
	t.Helper()
	return DecodeMessage(p, hx(t, s))
}

var (
	v4a = netip.MustParseAddr("192.0.2.1")
	v4b = netip.MustParseAddr("192.0.2.2")
	v6a = netip.MustParseAddr("2001:db8::1")
)

// Sample values with every field set, for the round trips.

func sctpTransport(use TransportUse, port uint16) Transport {
	return Transport{Kind: ParamSCTPTransport, Port: port, Use: use, Addrs: MakeAddrs(v4a, v6a, v4b)}
}

func allTransports() []Transport {
	return []Transport{
		sctpTransport(DataPlusControl, 5000),
		{Kind: ParamSCTPTransport, Port: 1, Use: DataOnly, Addrs: MakeAddrs(v6a)},
		{Kind: ParamTCPTransport, Port: 80, Addrs: MakeAddrs(v4a)},
		{Kind: ParamTCPTransport, Port: 81, Use: DataPlusControl, Addrs: MakeAddrs(v6a)}, // rsplib's use of the reserved field
		{Kind: ParamUDPTransport, Port: 53, Addrs: MakeAddrs(v4a)},
		{Kind: ParamUDPLiteTransport, Port: 5004, Addrs: MakeAddrs(v6a)},
		{Kind: ParamDCCPTransport, Port: 5001, ServiceCode: 0x44434350, Addrs: MakeAddrs(v4b)},
		{Kind: ParamOpaqueTransport, Opaque: []byte("opaque-7")},
		{Kind: ParamOpaqueTransport, Opaque: []byte("odd")},
	}
}

func allPolicies() []Policy {
	return []Policy{
		{Type: PolicyRoundRobin},
		{Type: PolicyWeightedRoundRobin, Weight: 7},
		{Type: PolicyRandom},
		{Type: PolicyWeightedRandom, Weight: 0xffffffff},
		{Type: PolicyPriority, Priority: 3},
		{Type: PolicyLeastUsed, Load: 0x80000000},
		{Type: PolicyLeastUsedDegradation, Load: 1, LoadDegradation: 2},
		{Type: PolicyPriorityLeastUsed, Load: 3, LoadDegradation: 4},
		{Type: PolicyPriorityLeastUsed, Load: 5, NoDegradation: true},
		{Type: PolicyRandomizedLeastUsed, Load: 6},
		{Type: 0xb0002001, Data: []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}}, // rsplib WRAND-DPF, private
		{Type: 0x40000005, Data: []byte{0xaa}},                                  // a future adaptive policy
	}
}

// unknownSkip are parameters of unknown types whose bits say skip (10)
// and skip-and-report (11).
func unknownSkip() Unrecognized {
	return MakeUnrecognized(RawParam{Type: 0x8123, Value: []byte{1, 2, 3}}, RawParam{Type: 0xc456, Value: []byte("report me")})
}

func samplePE(id PEID) PoolElement {
	return PoolElement{
		ID:               id,
		HomeServer:       0x11223344,
		RegistrationLife: -1,
		UserTransport:    sctpTransport(DataPlusControl, 4711),
		Policy:           Policy{Type: PolicyLeastUsedDegradation, Load: 0x1000, LoadDegradation: 0x10},
		ASAPTransport:    sctpTransport(DataOnly, 4712),
		Unrecognized:     unknownSkip(),
	}
}

func sampleOpError() OperationError {
	pol := Policy{Type: PolicyRoundRobin}
	return NewOperationError(
		Cause{Code: CauseUnrecognizedParameter, Info: []byte{0xc4, 0x56, 0x00, 0x05, 0xab}},
		InconsistentPoolingPolicyCause(pol),
		Cause{Code: CauseUnknownPoolHandle},
	)
}
