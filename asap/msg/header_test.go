package msg

import (
	"bytes"
	"errors"
	"testing"
)

func TestParseMessageErrors(t *testing.T) {
	_, err := ParseMessage(ASAP, []byte{5, 0, 0})
	wantParseError(t, err, 0, "fewer than 4 bytes for a message header")
	_, err = ParseMessage(ASAP, hx(t, "05 00 0003"))
	wantParseError(t, err, 2, "message length below 4")
	_, err = ParseMessage(ENRP, hx(t, "05 00 000c 00000001"))
	wantParseError(t, err, 2, "message length runs past the end of the buffer")
	_, err = ParseMessage(ASAP, hx(t, "05 00 0005 61 000000 00"))
	wantParseError(t, err, 8, "bytes after the message and its padding")
}

// TestParseMessagePadding checks that up to 3 bytes of padding may follow
// the message, whatever their values (RFC 5354 §4: the receiver ignores
// them), and that the view ends at the length.
func TestParseMessagePadding(t *testing.T) {
	for _, in := range []string{"0b00 0005 61", "0b00 0005 61 00", "0b00 0005 61 ffffff"} {
		v, err := ParseMessage(ASAP, hx(t, in))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if v.Len() != 5 || len(v.Bytes()) != 5 || len(v.Value()) != 1 || v.Type() != ASAPCookie || v.Protocol() != ASAP {
			t.Fatalf("%s: %v len %d", in, v.Type(), v.Len())
		}
	}
}

// TestZeroViews checks that the zero MessageView and Param, which hold
// nothing, answer without panicking.
func TestZeroViews(t *testing.T) {
	var v MessageView
	if v.Type() != 0 || v.Flags() != 0 || v.Len() != 0 || v.Value() != nil || v.Bytes() != nil || v.Protocol() != 0 {
		t.Fatal("zero MessageView")
	}
	var p Param
	if p.Type() != 0 || p.Len() != 0 || p.Value() != nil || p.Bytes() != nil || p.Offset() != 0 || !p.IsZero() {
		t.Fatal("zero Param")
	}
	if _, err := decodeAddr(p); err == nil {
		t.Fatal("zero Param is an address")
	}
	if (&UnrecognizedParamError{}).Error() == "" {
		t.Fatal("no text")
	}
	for _, d := range []Decoder{new(Registration), new(Presence), new(HandleResolutionResponse)} {
		wantParseError(t, d.Decode(v), 0, "no message")
	}
}

// TestParseMessageProtocol checks that only ASAP and ENRP parse: the
// protocol names the message type, and 0x10b is not ASAP (11).
func TestParseMessageProtocol(t *testing.T) {
	in := hx(t, "05 00 000c 0009 0008 706f6f6c")
	for _, p := range []Protocol{0, 1, 0x10b, 0x10c, 0xff0b} {
		if _, err := ParseMessage(p, in); err != ErrUnknownProtocol {
			t.Errorf("ParseMessage(%v): %v", p, err)
		}
		if _, err := DecodeMessage(p, in); err != ErrUnknownProtocol {
			t.Errorf("DecodeMessage(%v): %v", p, err)
		}
	}
	if _, err := DecodeMessage(ASAP, in); err != nil {
		t.Fatal(err)
	}
}

func TestMessageExpect(t *testing.T) {
	var hr HandleResolution
	wantParseError(t, hr.Decode(MessageView{}), 0, "no message")
	v, err := ParseMessage(ASAP, hx(t, "06 00 0004"))
	if err != nil {
		t.Fatal(err)
	}
	wantParseError(t, hr.Decode(v), 0, "message is a ASAP_HANDLE_RESOLUTION_RESPONSE")
	// An ENRP message of the same code is not an ASAP one.
	v, _ = ParseMessage(ENRP, hx(t, "05 00 000c 00000001 00000002"))
	wantParseError(t, hr.Decode(v), 0, "message is a ENRP_LIST_REQUEST")
	// The fixed parts.
	for _, c := range []struct {
		p    Protocol
		in   string
		rule string
	}{
		{ASAP, "07 00 0004", "message length below 8"},
		{ASAP, "0a 00 0006 0000", "message length below 8"},
		{ENRP, "01 00 0008 00000001", "message length below 12"},
		{ENRP, "02 00 0008 00000001", "message length below 12"},
		{ENRP, "03 00 0008 00000001", "message length below 12"},
		{ENRP, "04 00 000c 00000001 00000002", "message length below 16"},
		{ENRP, "05 00 0004", "message length below 12"},
		{ENRP, "06 00 0004", "message length below 12"},
		{ENRP, "07 00 000c 00000001 00000002", "message length below 16"},
		{ENRP, "08 00 000c 00000001 00000002", "message length below 16"},
		{ENRP, "09 00 000c 00000001 00000002", "message length below 16"},
		{ENRP, "0a 00 0008 00000001", "message length below 12"},
	} {
		_, err := decodeHex(t, c.p, c.in)
		wantParseError(t, err, 2, c.rule)
	}
}

// TestUnrecognizedMessage checks RFC 5354 §4: an unknown message type is
// discarded, and reported when its upper bits are 01.
func TestUnrecognizedMessage(t *testing.T) {
	for _, c := range []struct {
		typ    byte
		action UnknownAction
	}{{0x0f, StopDiscard}, {0x4f, StopReport}, {0x8f, StopDiscard}, {0xcf, StopDiscard}, {0x00, StopDiscard}, {0xff, StopDiscard}} {
		in := []byte{c.typ, 0, 0, 6, 0xab, 0xcd, 0, 0}
		_, err := DecodeMessage(ENRP, in)
		var ue *UnrecognizedMessageError
		if !errors.As(err, &ue) || !errors.Is(err, ErrUnrecognizedMessage) || errors.Is(err, ErrMalformed) {
			t.Fatalf("type %#x: %v", c.typ, err)
		}
		if ue.Action() != c.action || ue.Type != c.typ || ue.Protocol != ENRP {
			t.Fatalf("type %#x: action %v", c.typ, ue.Action())
		}
		cause := ue.Cause()
		if cause.Code != CauseUnrecognizedMessage || !bytes.Equal(cause.Info, in[:6]) {
			t.Fatalf("cause %v %x", cause.Code, cause.Info)
		}
		if ue.Error() == "" {
			t.Fatal("no text")
		}
	}
	// ENRP has 10 messages, ASAP 14: ENRP type 0x0b is unknown, ASAP's is
	// ASAP_COOKIE.
	if _, err := DecodeMessage(ENRP, hx(t, "0b00 0004")); !errors.Is(err, ErrUnrecognizedMessage) {
		t.Fatalf("ENRP 0x0b: %v", err)
	}
	if _, err := DecodeMessage(ASAP, hx(t, "0f00 0004")); !errors.Is(err, ErrUnrecognizedMessage) {
		t.Fatalf("ASAP 0x0f: %v", err)
	}
}

// TestUnrecognizedParamInMessage checks RFC 5354 §3 at message level: an
// unknown type with bits 00 or 01 discards the message (01 reporting it);
// 10 and 11 are skipped and kept, and 11 is offered for reporting.
func TestUnrecognizedParamInMessage(t *testing.T) {
	const handle = "0009 0008 45636f50" // "EcoP"
	for _, c := range []struct {
		typ    string
		stop   bool
		report bool
	}{{"0123", true, false}, {"4123", true, true}, {"8123", false, false}, {"c123", false, true}} {
		in := hx(t, "0500 0014"+handle+c.typ+"0008 00000000")
		m, err := DecodeMessage(ASAP, in)
		if c.stop {
			var ue *UnrecognizedParamError
			if !errors.As(err, &ue) || ue.Offset != 12 || ue.Report() != c.report || ue.What != "ASAP_HANDLE_RESOLUTION message" {
				t.Fatalf("%s: %v", c.typ, err)
			}
			cause := ue.Cause()
			if cause.Code != CauseUnrecognizedParameter || !bytes.Equal(cause.Info, in[12:20]) {
				t.Fatalf("%s: cause %v %x", c.typ, cause.Code, cause.Info)
			}
			if ue.Error() == "" {
				t.Fatal("no text")
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.typ, err)
		}
		hr := m.(*HandleResolution)
		n := 0
		hr.Unrecognized.Report(func(Param) { n++ })
		if hr.Unrecognized.Empty() || (n == 1) != c.report {
			t.Fatalf("%s: unrecognized %v, %d reported", c.typ, hr.Unrecognized.Empty(), n)
		}
		if got := hr.Append(nil); !bytes.Equal(got, in) {
			t.Fatalf("%s: re-encoded %x", c.typ, got)
		}
	}
}

func TestMessageTypes(t *testing.T) {
	if ASAPRegistration.Protocol() != ASAP || ASAPRegistration.Code() != 1 || ENRPErrorMessage.Code() != 0x0a ||
		ENRPPresence.Protocol() != ENRP {
		t.Fatal("type layout")
	}
	if s := ASAPHandleResolutionResponse.String(); s != "ASAP_HANDLE_RESOLUTION_RESPONSE" {
		t.Fatalf("%q", s)
	}
	if s := MessageType(uint16(ENRP)<<8 | 0x33).String(); s != "ENRP message type 51" {
		t.Fatalf("%q", s)
	}
	if ASAP.PPID() != 11 || ENRP.PPID() != 12 || ASAP.String() != "ASAP" || Protocol(3).String() != "protocol 3" {
		t.Fatal("protocols")
	}
	n := 0
	for p, max := range map[Protocol]uint8{ASAP: 14, ENRP: 10} {
		for code := uint8(0); code < 0xff; code++ {
			mt := MessageType(uint16(p)<<8 | uint16(code))
			known := code >= 1 && code <= max
			if mt.Known() != known || (New(mt) != nil) != known {
				t.Fatalf("%v known %v", mt, mt.Known())
			}
			if known {
				if New(mt).MessageType() != mt {
					t.Fatalf("New(%v) is a %v", mt, New(mt).MessageType())
				}
				n++
			}
		}
	}
	if n != 24 {
		t.Fatalf("%d message types", n)
	}
}

func TestEncodeTooLong(t *testing.T) {
	m := &Cookie{Cookie: make([]byte, MaxMessageLen-8)}
	b, err := Encode(nil, m)
	if err != nil || len(b) != MaxMessageLen+1 {
		t.Fatalf("largest: %d bytes, %v", len(b), err)
	}
	m.Cookie = append(m.Cookie, 0)
	if b, err = Encode([]byte{1}, m); !errors.Is(err, ErrTooLong) || len(b) != 1 {
		t.Fatalf("too long: %d bytes, %v", len(b), err)
	}
}

// TestEveryDecoderChecks runs each message type's decoder on a message of
// another type and on one whose parameter list is malformed.
func TestEveryDecoderChecks(t *testing.T) {
	fixed := map[MessageType]int{ASAPEndpointKeepAlive: 4, ASAPServerAnnounce: 4, ENRPHandleUpdate: 12,
		ENRPInitTakeover: 12, ENRPInitTakeoverAck: 12, ENRPTakeoverServer: 12}
	for _, p := range []Protocol{ASAP, ENRP} {
		for code := 1; code <= 14; code++ {
			mt := MessageType(uint16(p)<<8 | uint16(code))
			d := New(mt)
			if d == nil {
				continue
			}
			other := byte(code%10 + 1)
			v, err := ParseMessage(p, []byte{other, 0, 0, 4})
			if err != nil {
				t.Fatal(err)
			}
			wantParseError(t, d.Decode(v), 0, "message is a "+v.Type().String())
			n, ok := fixed[mt]
			if !ok && p == ENRP {
				n = 8
			}
			b := append([]byte{byte(code), 0, 0, byte(4 + n + 4)}, make([]byte, n)...)
			b = append(b, 0, 9, 0, 3) // a Pool Handle of length 3
			v, err = ParseMessage(p, b)
			if err != nil {
				t.Fatal(err)
			}
			wantParseError(t, d.Decode(v), 4+n+2, "length below 4")
		}
	}
}
