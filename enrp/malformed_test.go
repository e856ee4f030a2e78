package enrp

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// resolutionWith is an ASAP_HANDLE_RESOLUTION of pool "pool" followed by
// a parameter of type t with a 4-byte value.
func resolutionWith(t msg.ParamType) []byte {
	return []byte{
		0x05, 0x00, 0x00, 0x14,
		0x00, 0x09, 0x00, 0x08, 'p', 'o', 'o', 'l',
		byte(t >> 8), byte(t), 0x00, 0x08, 1, 2, 3, 4,
	}
}

// Malformed messages are discarded and the association goes on: the
// registrar answers the next request on it.
func TestMalformedKeepsAssociation(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{})
		c := tb.client()
		c.mustRegister("pool", c.pe(1, roundRobin))
		for _, b := range [][]byte{
			{0x05},                         // shorter than a header
			{0x05, 0x00, 0x00, 0x40, 0, 0}, // length past the end
			{0x09, 0x00, 0x00, 0x0c, 0x00, 0x09, 0x00, 0x20, 'p', 'o', 'o', 'l'}, // parameter length past the end
			{0x07, 0x00, 0x00, 0x06, 0, 0, 0, 0},                                 // keep-alive with a length below its fixed part
		} {
			c.sendRaw(b)
		}
		c.silent(time.Second)
		if got := ids(t, c.resolve("pool", 0)); len(got) != 1 {
			t.Fatalf("resolution after malformed messages: %v", got)
		}
		if s := tb.r.Stats(); s.Malformed != 4 || s.Associations != 1 {
			t.Errorf("stats %+v", s)
		}
	})
}

// Unknown message types (RFC 5354 §4): discarded, and reported in an
// ASAP_ERROR with an Unrecognized Message cause when the upper bits are
// 01.
func TestUnrecognizedMessage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{})
		c := tb.client()
		c.sendRaw([]byte{0x3f, 0x00, 0x00, 0x08, 1, 2, 3, 4}) // 00: discard
		c.silent(time.Second)
		report := []byte{0x7f, 0x00, 0x00, 0x08, 1, 2, 3, 4} // 01: discard and report
		c.sendRaw(report)
		e := expect[*msg.ASAPError](c)
		cause := wantCause(t, e.Error, msg.CauseUnrecognizedMessage)
		if string(cause.Info) != string(report) {
			t.Fatalf("cause carries % x", cause.Info)
		}
		if s := tb.r.Stats(); s.Unrecognized != 2 || s.ErrorsSent != 1 {
			t.Errorf("stats %+v", s)
		}
	})
}

// Unknown parameter types (RFC 5354 §3), by their upper two bits: 00
// stops the message silently, 01 stops it and reports, 10 is skipped,
// 11 is skipped and reported.
func TestUnrecognizedParameters(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{})
		c := tb.client()
		c.mustRegister("pool", c.pe(1, roundRobin))

		c.sendRaw(resolutionWith(0x0031))
		c.silent(time.Second)

		c.sendRaw(resolutionWith(0x4031))
		e := expect[*msg.ASAPError](c)
		p, err := wantCause(t, e.Error, msg.CauseUnrecognizedParameter).Param()
		if err != nil || p.Type() != 0x4031 {
			t.Fatalf("cause carries %v, %v", p.Type(), err)
		}
		c.silent(time.Second)

		c.sendRaw(resolutionWith(0x8031))
		if got := ids(t, expect[*msg.HandleResolutionResponse](c)); len(got) != 1 {
			t.Fatalf("resolution with a parameter to skip: %v", got)
		}

		c.sendRaw(resolutionWith(0xc031))
		e = expect[*msg.ASAPError](c)
		if p, err := wantCause(t, e.Error, msg.CauseUnrecognizedParameter).Param(); err != nil || p.Type() != 0xc031 {
			t.Fatalf("cause carries %v, %v", p.Type(), err)
		}
		if got := ids(t, expect[*msg.HandleResolutionResponse](c)); len(got) != 1 {
			t.Fatalf("resolution with a parameter to skip and report: %v", got)
		}
		if s := tb.r.Stats(); s.Unrecognized != 2 || s.ErrorsSent != 2 || s.Resolutions != 2 {
			t.Errorf("stats %+v", s)
		}
	})
}

// Messages a registrar does not take (responses, keep-alives, messages
// of another PPID) are discarded without an answer.
func TestMessagesNotForRegistrarDiscarded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{})
		c := tb.client()
		c.send(&msg.RegistrationResponse{PoolHandle: []byte("x"), ID: 1})
		c.send(&msg.EndpointKeepAlive{ServerID: 1, PoolHandle: []byte("x")})
		c.send(&msg.ServerAnnounce{ServerID: 1})
		if err := c.a.Send(context.Background(), sctp.Message{PPID: 99, Data: []byte("data")}); err != nil {
			t.Fatal(err)
		}
		c.send(&msg.ASAPError{Error: msg.NewOperationError(msg.Cause{Code: msg.CauseUnspecified})})
		c.silent(time.Second)
		if s := tb.r.Stats(); s.Discarded != 4 || s.ErrorsReceived != 1 || s.Associations != 1 {
			t.Errorf("stats %+v", s)
		}
	})
}

// salvage reads what a malformed request holds, and stops where the
// parameters stop framing, without reading past the end.
func TestSalvage(t *testing.T) {
	for _, tc := range []struct {
		b      []byte
		handle string
		id     msg.PEID
	}{
		{nil, "", 0},
		{[]byte{0x00, 0x09, 0x00, 0x06, 'a', 'b', 0, 0, 0x00, 0x0e, 0x00, 0x08, 0, 0, 0, 7}, "ab", 7},
		{[]byte{0x00, 0x0a, 0x00, 0x08, 0, 0, 1, 0, 0x00, 0x09, 0x00, 0x05, 'z'}, "z", 0x100},
		{[]byte{0x00, 0x09, 0x00, 0x02, 'a', 'b'}, "", 0},                     // length below 4
		{[]byte{0x00, 0x09, 0x00, 0x09, 'a', 'b'}, "", 0},                     // length past the end
		{[]byte{0x00, 0x0e, 0x00, 0x06, 0, 0, 0x00, 0x09, 0x00, 0x04}, "", 0}, // identifier too short; empty handle
	} {
		h, id := salvage(tc.b)
		if string(h) != tc.handle || id != tc.id {
			t.Errorf("% x: %q, %v; want %q, %v", tc.b, h, id, tc.handle, tc.id)
		}
	}
}

// FuzzSalvage checks that salvage never panics nor returns bytes from
// outside its input.
func FuzzSalvage(f *testing.F) {
	f.Add([]byte{0x00, 0x09, 0x00, 0x06, 'a', 'b', 0, 0, 0x00, 0x0e, 0x00, 0x08, 0, 0, 0, 7})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, _ := salvage(b)
		if len(h) > len(b) {
			t.Fatal("handle longer than the input")
		}
	})
}
