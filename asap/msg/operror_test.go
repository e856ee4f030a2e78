package msg

import (
	"bytes"
	"errors"
	"testing"
)

// TestOperationErrorWire checks RFC 5354 §3.12: causes of code, length and
// information, each padded, the parameter's length leaving out the last
// one's padding.
func TestOperationErrorWire(t *testing.T) {
	e := NewOperationError(
		Cause{Code: CauseUnknownPoolHandle},                            // §3.12.11: no information
		Cause{Code: CauseInvalidValues, Info: hx(t, "000e 0006 0102")}, // §3.12.4: the offending TLV
		Cause{Code: CauseUnrecognizedMessage, Info: hx(t, "4f00 0005 01")},
	)
	want := hx(t, "000c 001d | 0009 0004 | 0003 000a 000e 0006 0102 0000 | 0002 0009 4f000005 01 000000")
	if got := e.Append(nil); !bytes.Equal(got, want) {
		t.Fatalf("got %x\nwant %x", got, want)
	}
	if e.Len() != 0x1d || e.Causes.Count() != 3 {
		t.Fatalf("Len %d, %d causes", e.Len(), e.Causes.Count())
	}
	var out OperationError
	roundTripParam(t, &e, &out)
	it := out.Causes.Iter()
	var codes []CauseCode
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		codes = append(codes, c.Code)
	}
	if it.Err() != nil || len(codes) != 3 || codes[1] != CauseInvalidValues {
		t.Fatalf("codes %v, %v", codes, it.Err())
	}
	first, ok := out.Causes.First()
	if !ok || first.Code != CauseUnknownPoolHandle || len(first.Info) != 0 {
		t.Fatalf("first %v %v", first, ok)
	}
	if _, ok := (Causes{}).First(); ok {
		t.Fatal("First of nothing")
	}
}

func TestOperationErrorErrors(t *testing.T) {
	var e OperationError
	wantParseError(t, e.Decode(mustParam(t, hx(t, "000c 0004"))), 2, "no error cause")
	wantParseError(t, e.Decode(mustParam(t, hx(t, "000c 0008 0001 0002"))), 6, "length below 4")
	wantParseError(t, e.Decode(mustParam(t, hx(t, "000c 0008 0001 0005"))), 6, "length runs past the end of the enclosing structure")
	// A last cause with part of its padding inside the parameter: the
	// padding is ignored (RFC 9260 §3.2.1, followed by RFC 5354 §2).
	if err := e.Decode(mustParam(t, hx(t, "000c 000a 0001 0005 ab00"))); err != nil {
		t.Fatal(err)
	}
	if c, ok := e.Causes.First(); !ok || c.Code != CauseUnrecognizedParameter || !bytes.Equal(c.Info, []byte{0xab}) {
		t.Fatalf("cause %+v %v", c, ok)
	}
	wantParseError(t, e.Decode(mustParam(t, hx(t, "000c 0006 0001"))), 4, "fewer than 4 bytes left for a header")
	wantParseError(t, e.Decode(mustParam(t, hx(t, "000d 0004"))), 0, "parameter is a Cookie")
	err := e.Decode(mustParam(t, hx(t, "000c 0008 0005 0002")))
	var pe *ParseError
	if !errors.As(err, &pe) || pe.What != "Inconsistent Pooling Policy error cause" {
		t.Fatalf("what: %v", err)
	}
	bad := Causes{b: hx(t, "0001 0004 0002")}
	it := bad.Iter()
	n := 0
	for _, ok := it.Next(); ok; _, ok = it.Next() {
		n++
	}
	wantParseError(t, it.Err(), 4, "fewer than 4 bytes left for a header")
	if n != 1 {
		t.Fatalf("%d causes before the error", n)
	}
}

func TestCauseAccessors(t *testing.T) {
	pol := Policy{Type: PolicyWeightedRandom, Weight: 3}
	c := InconsistentPoolingPolicyCause(pol)
	if c.Code != CauseInconsistentPoolingPolicy || !bytes.Equal(c.Info, hx(t, "0008 000c 00000004 00000003")) {
		t.Fatalf("policy cause %x", c.Info)
	}
	got, err := c.Policy()
	if err != nil || got.Type != PolicyWeightedRandom || got.Weight != 3 {
		t.Fatalf("Policy() %+v %v", got, err)
	}
	tr := Transport{Kind: ParamTCPTransport, Port: 80, Addrs: MakeAddrs(v4a)}
	c = InconsistentTransportTypeCause(tr)
	if c.Code != CauseInconsistentTransportType {
		t.Fatal(c.Code)
	}
	gotT, err := c.Transport()
	if err != nil || gotT.Kind != ParamTCPTransport || gotT.Port != 80 {
		t.Fatalf("Transport() %+v %v", gotT, err)
	}
	// The cause information of an odd-length TLV leaves out its padding.
	c = InconsistentTransportTypeCause(Transport{Kind: ParamOpaqueTransport, Opaque: []byte("x")})
	if len(c.Info) != 5 || c.Len() != 9 {
		t.Fatalf("opaque cause %x", c.Info)
	}
	p, err := (Cause{Code: CauseUnrecognizedParameter, Info: hx(t, "c456 0005 ab")}).Param()
	if err != nil || p.Type() != 0xc456 || !bytes.Equal(p.Value(), []byte{0xab}) {
		t.Fatalf("Param() %v %v", p.Type(), err)
	}
	if _, err := (Cause{Info: []byte{1}}).Policy(); err == nil {
		t.Fatal("Policy of garbage")
	}
	if _, err := (Cause{Info: hx(t, "0009 0004")}).Transport(); err == nil {
		t.Fatal("Transport of a pool handle")
	}
}

func TestCauseNames(t *testing.T) {
	want := []string{"Unspecified Error", "Unrecognized Parameter", "Unrecognized Message", "Invalid Values",
		"Non-Unique PE Identifier", "Inconsistent Pooling Policy", "Lack of Resources", "Inconsistent Transport Type",
		"Inconsistent Data/Control Configuration", "Unknown Pool Handle", "Rejected Due to Security Considerations"}
	for code, name := range want {
		if got := CauseCode(code).String(); got != name {
			t.Errorf("cause %d: %q, want %q", code, got, name)
		}
	}
	if got := CauseCode(11).String(); got != "cause code 11" {
		t.Errorf("%q", got)
	}
}
