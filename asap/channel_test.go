package asap

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// connected returns an association between two endpoints and its
// accepted end.
func connected(t *testing.T, tn *testNet) (a, b *sctp.Association) {
	t.Helper()
	ea := tn.endpoint(pe1Addr, 5000)
	eb := tn.endpoint(reg1Addr, msg.PortASAP)
	if err := eb.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := ea.Dial(ctx, []netip.AddrPort{reg1Addr}, msg.PortASAP)
	if err != nil {
		t.Fatal(err)
	}
	b, err = eb.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return a, b
}

// RFC 5352 §5: each ASAP message is one SCTP user message with the ASAP
// PPID (11), here on stream 0.
func TestChannelRoundTrip(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := connected(t, newTestNet(t))
		ctx := context.Background()
		sent := &msg.EndpointUnreachable{PoolHandle: []byte("EchoPool"), ID: 42}
		if err := WriteMessage(ctx, a, sent); err != nil {
			t.Fatal(err)
		}
		raw, err := b.Receive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := msg.Encode(nil, sent)
		if raw.PPID != 11 || raw.Stream != 0 || string(raw.Data) != string(want) {
			t.Errorf("sent as %+v", raw)
		}
		if err := WriteMessage(ctx, a, sent); err != nil {
			t.Fatal(err)
		}
		m, err := ReadMessage(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := m.(*msg.EndpointUnreachable)
		if !ok || string(got.PoolHandle) != "EchoPool" || got.ID != 42 {
			t.Errorf("read %#v", m)
		}
	})
}

// A message of another PPID is handed back whole as a NotASAPError,
// which errors.As finds with a pointer or a value target; a malformed
// ASAP message gives the codec's error, which the readers skip.
func TestChannelOtherMessages(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := connected(t, newTestNet(t))
		ctx := context.Background()
		if err := a.Send(ctx, sctp.Message{Stream: 3, PPID: 99, Data: []byte("hello")}); err != nil {
			t.Fatal(err)
		}
		_, err := ReadMessage(ctx, b)
		var p *NotASAPError
		var v NotASAPError
		if !errors.As(err, &p) || !errors.As(err, &v) {
			t.Fatalf("ReadMessage: %v", err)
		}
		if string(p.Message.Data) != "hello" || v.Message.PPID != 99 || v.Message.Stream != 3 {
			t.Errorf("message %+v", v.Message)
		}
		if !skippable(err) {
			t.Error("non-ASAP message ends a reader")
		}
		if err := a.Send(ctx, sctp.Message{PPID: 11, Data: []byte{0x0b, 0, 0, 99}}); err != nil {
			t.Fatal(err)
		}
		_, err = ReadMessage(ctx, b)
		if !errors.Is(err, msg.ErrMalformed) || !skippable(err) {
			t.Errorf("malformed: %v", err)
		}
	})
}

// WriteMessage runs Encode's checks: a message its RFC forbids is refused
// before anything is sent.
func TestChannelRefusesInvalid(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := connected(t, newTestNet(t))
		ctx := context.Background()
		bad := &msg.HandleResolutionResponse{PoolHandle: []byte("p")} // positive, without a PE
		var ee *msg.EncodeError
		if err := WriteMessage(ctx, a, bad); !errors.As(err, &ee) {
			t.Fatalf("WriteMessage: %v", err)
		}
		rctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		if m, err := ReadMessage(rctx, b); !isTimeout(err) {
			t.Errorf("received %v %v", m, err)
		}
		// The end of the association ends a reader.
		a.Abort("done")
		if _, err := ReadMessage(ctx, b); err == nil || skippable(err) {
			t.Errorf("after abort: %v", err)
		}
	})
}
