package msg

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

// TestPolicyWire checks each policy against its RFC 5356 figure (§4.x.4,
// §5.x.4): type 8, the length, the 32-bit policy type, then the policy's
// fields.
func TestPolicyWire(t *testing.T) {
	for _, c := range []struct {
		p    Policy
		want string
	}{
		{Policy{Type: PolicyRoundRobin}, "0008 0008 00000001"},                                      // §4.1.4
		{Policy{Type: PolicyWeightedRoundRobin, Weight: 0x0a0b0c0d}, "0008 000c 00000002 0a0b0c0d"}, // §4.2.4
		{Policy{Type: PolicyRandom}, "0008 0008 00000003"},                                          // §4.3.4
		{Policy{Type: PolicyWeightedRandom, Weight: 9}, "0008 000c 00000004 00000009"},              // §4.4.4
		{Policy{Type: PolicyPriority, Priority: 0x100}, "0008 000c 00000005 00000100"},              // §4.5.4
		{Policy{Type: PolicyLeastUsed, Load: 0xffffffff}, "0008 000c 40000001 ffffffff"},            // §5.1.4
		{Policy{Type: PolicyLeastUsedDegradation, Load: 1, LoadDegradation: 2},
			"0008 0010 40000002 00000001 00000002"}, // §5.2.4
		{Policy{Type: PolicyPriorityLeastUsed, Load: 3, LoadDegradation: 4},
			"0008 0010 40000003 00000003 00000004"}, // §5.3.4
		{Policy{Type: PolicyRandomizedLeastUsed, Load: 5}, "0008 000c 40000004 00000005"}, // §5.4.4
		// rsplib's Priority Least Used: the load only.
		{Policy{Type: PolicyPriorityLeastUsed, Load: 3, LoadDegradation: 4, NoDegradation: true}, "0008 000c 40000003 00000003"},
		// Fields a policy does not carry are not encoded.
		{Policy{Type: PolicyRoundRobin, Weight: 1, Load: 2, Priority: 3}, "0008 0008 00000001"},
		// An unknown type carries its data, padded.
		{Policy{Type: 0x80000007, Data: []byte{1, 2, 3}}, "0008 000b 80000007 010203 00"},
	} {
		if got := c.p.Append(nil); !bytes.Equal(got, hx(t, c.want)) {
			t.Errorf("%v: got %x\nwant %x", c.p.Type, got, hx(t, c.want))
		}
		if c.p.Len() != int(hx(t, c.want)[3]) {
			t.Errorf("%v: Len %d", c.p.Type, c.p.Len())
		}
	}
}

func TestPolicyDecode(t *testing.T) {
	for _, p := range allPolicies() {
		var out Policy
		if err := out.Decode(mustParam(t, p.Append(nil))); err != nil {
			t.Fatalf("%v: %v", p.Type, err)
		}
		want := p
		if len(want.Data) == 0 {
			want.Data = nil
		}
		if out.Type.Known() {
			out.Data = nil
		}
		if !reflect.DeepEqual(out, want) {
			t.Errorf("decoded %+v, want %+v", out, want)
		}
	}
	var out Policy
	if err := out.Decode(mustParam(t, hx(t, "0008 000c 40000003 00000009"))); err != nil || !out.NoDegradation || out.Load != 9 {
		t.Fatalf("rsplib PLU: %+v %v", out, err)
	}
}

func TestPolicyErrors(t *testing.T) {
	var p Policy
	wantParseError(t, p.Decode(mustParam(t, hx(t, "0008 0006 0000"))), 2, "length below 8")
	wantParseError(t, p.Decode(mustParam(t, hx(t, "0008 0008 00000000"))), 4, "policy type 0 is reserved as invalid")
	// RFC 5356 §7.1 reserves 0x40000000 as invalid too: policy number 0
	// with the adaptive bit.
	wantParseError(t, p.Decode(mustParam(t, hx(t, "0008 0008 40000000"))), 4, "policy type 0x40000000 is reserved as invalid")
	wantParseError(t, p.Decode(mustParam(t, hx(t, "0008 000c 40000000 00000001"))), 4, "policy type 0x40000000 is reserved as invalid")
	wantParseError(t, p.Decode(mustParam(t, hx(t, "0009 0008 00000001"))), 0, "parameter is a Pool Handle")
	for _, c := range []struct {
		in, rule string
	}{
		{"0008 000c 00000001 00000000", "Round Robin policy length is not 8"},
		{"0008 0008 00000002", "Weighted Round Robin policy length is not 12"},
		{"0008 000c 00000003 00000000", "Random policy length is not 8"},
		{"0008 0010 00000004 00000000 00000000", "Weighted Random policy length is not 12"},
		{"0008 0008 00000005", "Priority policy length is not 12"},
		{"0008 0010 40000001 00000000 00000000", "Least Used policy length is not 12"},
		{"0008 000c 40000002 00000000", "Least Used with Degradation policy length is not 16"},
		{"0008 0008 40000003", "Priority Least Used policy length is not 16"},
		{"0008 0014 40000003 00000000 00000000 00000000", "Priority Least Used policy length is not 16"},
		{"0008 0008 40000004", "Randomized Least Used policy length is not 12"},
	} {
		wantParseError(t, p.Decode(mustParam(t, hx(t, c.in))), 2, c.rule)
	}
}

func TestPolicyCheck(t *testing.T) {
	for _, p := range allPolicies() {
		err := p.Check()
		if p.Type.Known() != (err == nil) {
			t.Fatalf("%v: Check %v", p.Type, err)
		}
		if err == nil {
			continue
		}
		var pe *PolicyError
		if !errors.As(err, &pe) || !errors.Is(err, ErrPolicyNotSupported) || errors.Is(err, ErrMalformed) {
			t.Fatalf("%v: %v is not a PolicyError", p.Type, err)
		}
		c := pe.Cause()
		if c.Code != CauseInvalidValues || !bytes.Equal(c.Info, p.Append(nil)[:p.Len()]) {
			t.Fatalf("%v: cause %v %x", p.Type, c.Code, c.Info)
		}
		back, err := c.Policy()
		if err != nil || back.Type != p.Type {
			t.Fatalf("cause policy %+v %v", back, err)
		}
	}
}

func TestPolicyType(t *testing.T) {
	for _, c := range []struct {
		t                 PolicyType
		name              string
		adaptive, private bool
	}{
		{PolicyRoundRobin, "Round Robin", false, false},
		{PolicyPriority, "Priority", false, false},
		{PolicyLeastUsed, "Least Used", true, false},
		{PolicyRandomizedLeastUsed, "Randomized Least Used", true, false},
		{0xb0001001, "policy type 0xb0001001", false, true}, // rsplib RPLU: X set, A clear
		{0xc0000001, "policy type 0xc0000001", true, true},
		{0x80000001, "policy type 0x80000001", false, true},
		{6, "policy type 0x00000006", false, false},
	} {
		if c.t.String() != c.name || c.t.Adaptive() != c.adaptive || c.t.Private() != c.private {
			t.Errorf("%#x: %q adaptive %v private %v", uint32(c.t), c.t.String(), c.t.Adaptive(), c.t.Private())
		}
	}
	n := 0
	for _, pt := range []PolicyType{PolicyRoundRobin, PolicyWeightedRoundRobin, PolicyRandom, PolicyWeightedRandom,
		PolicyPriority, PolicyLeastUsed, PolicyLeastUsedDegradation, PolicyPriorityLeastUsed, PolicyRandomizedLeastUsed} {
		if pt.Known() {
			n++
		}
	}
	if n != 9 || PolicyType(0).Known() || PolicyType(0x40000000).Known() {
		t.Fatalf("%d known", n)
	}
}
