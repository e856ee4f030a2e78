package sctp

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/sctp/simnet"
)

// Max.Init.Retransmits (RFC 9260 §5.1): a peer that never answers INIT
// fails the dial after the INIT was sent 1 + Max.Init.Retransmits times,
// each wait twice the last (§6.3.3 E2) and at most RTO.Max.
func TestDialNobodyTimesOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := &Config{RTOInitial: time.Second, RTOMax: 4 * time.Second, MaxInitRetransmits: 3}
		tn := newTestNet(t, simnet.LinkConfig{}, cfg, nil)
		start := time.Now()
		_, err := tn.a.Dial(context.Background(), []netip.AddrPort{nobody}, portB)
		// INIT at 0, retransmitted at 1, 3 and 7 s; given up at 7+4 s.
		if d := time.Since(start); d != 11*time.Second {
			t.Errorf("dial failed after %v, want 11s", d)
		}
		var op *OpError
		if !errors.Is(err, ErrTimeout) || !errors.As(err, &op) || !op.Timeout() || op.Op != "dial" || op.Peer != nobody {
			t.Fatalf("got %v, want a timeout", err)
		}
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Error("not a net.Error timeout")
		}
		if got := tn.n.Stats(addrA.Addr(), nobody.Addr()).Sent; got != 4 {
			t.Errorf("%d INITs sent, want 4", got)
		}
		if n := tn.a.Stats().Associations; n != 0 {
			t.Errorf("%d associations left", n)
		}
	})
}

func TestDialDefaultsTimeOutInVirtualTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{}, nil, nil)
		start := time.Now()
		_, err := tn.a.Dial(context.Background(), []netip.AddrPort{nobody}, portB)
		// RFC 9260 §16: RTO 1 s doubling to 60 s, 8 retransmissions:
		// 1+2+4+8+16+32+60+60+60.
		if d := time.Since(start); d != 243*time.Second || !errors.Is(err, ErrTimeout) {
			t.Errorf("%v after %v", err, time.Since(start))
		}
	})
}

// A context that ends aborts the attempt: nothing of it is left, so a new
// dial to the same peer is not refused as a duplicate.
func TestDialContextCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{}, nil, nil)
		for range 2 {
			start := time.Now()
			ctx, cancel := context.WithTimeout(context.Background(), 2500*time.Millisecond)
			_, err := tn.a.Dial(ctx, []netip.AddrPort{nobody}, portB)
			cancel()
			var op *OpError
			if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &op) || !op.Timeout() {
				t.Fatalf("got %v", err)
			}
			if d := time.Since(start); d != 2500*time.Millisecond {
				t.Errorf("returned after %v", d)
			}
			synctest.Wait()
			if n := tn.a.Stats().Associations; n != 0 {
				t.Fatalf("%d associations left", n)
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := tn.a.Dial(ctx, []netip.AddrPort{addrB}, portB); !errors.Is(err, context.Canceled) {
			t.Errorf("dial with a canceled context: %v", err)
		}
	})
}

func TestReceiveContextCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{Delay: time.Millisecond}, nil, nil)
		aa, ba := tn.connect()
		start := time.Now()
		_, err := ba.Receive(within(t, 3*time.Second))
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != 3*time.Second {
			t.Fatalf("got %v after %v", err, time.Since(start))
		}
		// The association is unharmed.
		if err := aa.Send(context.Background(), Message{Data: []byte("x")}); err != nil {
			t.Fatal(err)
		}
		if m, err := ba.Receive(context.Background()); err != nil || string(m.Data) != "x" {
			t.Fatal(m, err)
		}
	})
}

// A send blocked on a full buffer gives up when its context ends, and
// the message it carried is never sent.
func TestSendContextCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{Delay: 5 * time.Millisecond}, &Config{SendBuffer: 3000}, nil)
		aa, ba := tn.connect()
		tn.n.Blackout(addrA.Addr(), addrB.Addr(), true)
		ctx := context.Background()
		for i := range 3 {
			if err := aa.Send(ctx, Message{Data: payload(0, i, 1000)}); err != nil {
				t.Fatal(err)
			}
		}
		start := time.Now()
		err := aa.Send(within(t, 500*time.Millisecond), Message{Data: payload(0, 99, 1000)})
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != 500*time.Millisecond {
			t.Fatalf("got %v after %v", err, time.Since(start))
		}
		tn.n.Blackout(addrA.Addr(), addrB.Addr(), false)
		if err := aa.Send(ctx, Message{Data: payload(0, 3, 1000)}); err != nil {
			t.Fatal(err)
		}
		for i := range 4 {
			m, err := ba.Receive(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, k, ok := parsePayload(m.Data); !ok || k != i {
				t.Fatalf("message %d: got %d", i, k)
			}
		}
		if _, err := ba.Receive(within(t, 10*time.Second)); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("the canceled message arrived: %v", err)
		}
	})
}

// A peer that goes silent ends the association after
// Association.Max.Retrans (§8.1) with ErrTimeout, which every blocked
// call reports.
func TestPeerUnreachable(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := &Config{AssociationMaxRetrans: 2, PathMaxRetrans: 2, RTOMax: 2 * time.Second}
		tn := newTestNet(t, simnet.LinkConfig{Delay: 5 * time.Millisecond}, cfg, nil)
		aa, _ := tn.connect()
		tn.n.Blackout(addrA.Addr(), addrB.Addr(), true)
		if err := aa.Send(context.Background(), Message{Data: []byte("lost")}); err != nil {
			t.Fatal(err)
		}
		_, err := aa.Receive(context.Background())
		var op *OpError
		if !errors.Is(err, ErrTimeout) || !errors.As(err, &op) || !op.Timeout() {
			t.Fatalf("got %v", err)
		}
		var failed bool
		for ev := range aa.Events() {
			if ev.Kind == EventSendFailed && ev.Message != nil && string(ev.Message.Data) == "lost" && errors.Is(ev.Err, ErrTimeout) {
				failed = true
			}
		}
		if !failed {
			t.Error("no EventSendFailed for the message")
		}
	})
}
