package sctp

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/sctp/simnet"
	"github.com/rserpool/rserpool/sctp/wire"
)

func TestDialAcceptSendReceive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{Delay: 10 * time.Millisecond}, nil, nil)
		start := time.Now()
		aa, ba := tn.connect()
		// INIT, INIT ACK, COOKIE ECHO, COOKIE ACK: two round trips.
		if d := time.Since(start); d != 40*time.Millisecond {
			t.Errorf("handshake took %v, want 40ms", d)
		}
		if aa.State() != StateEstablished || ba.State() != StateEstablished {
			t.Fatalf("states %v %v", aa.State(), ba.State())
		}
		if got := aa.RemoteAddrs(); len(got) != 1 || got[0] != addrB {
			t.Errorf("A's remotes %v", got)
		}
		if aa.PeerPort() != portB || ba.PeerPort() != portA {
			t.Errorf("peer ports %d %d", aa.PeerPort(), ba.PeerPort())
		}
		if ev := <-aa.Events(); ev.Kind != EventUp {
			t.Errorf("A's first event %v", ev.Kind)
		}
		if ev := <-ba.Events(); ev.Kind != EventUp {
			t.Errorf("B's first event %v", ev.Kind)
		}

		ctx := context.Background()
		data := []byte("ping")
		if err := aa.Send(ctx, Message{Stream: 3, PPID: 99, Data: data}); err != nil {
			t.Fatal(err)
		}
		data[0] = 'X' // Send copied it
		m, err := ba.Receive(ctx)
		if err != nil || m.Stream != 3 || m.PPID != 99 || m.Unordered || string(m.Data) != "ping" {
			t.Fatalf("B got %+v %v", m, err)
		}
		if err := ba.Send(ctx, Message{Stream: 1, PPID: 7, Unordered: true, Data: []byte("pong")}); err != nil {
			t.Fatal(err)
		}
		m, err = aa.Receive(ctx)
		if err != nil || m.Stream != 1 || m.PPID != 7 || !m.Unordered || string(m.Data) != "pong" {
			t.Fatalf("A got %+v %v", m, err)
		}

		st := aa.Stats()
		if st.MessagesSent != 1 || st.MessagesReceived != 1 || st.BytesSent != 4 || st.BytesReceived != 4 {
			t.Errorf("A stats %+v", st)
		}
		if len(st.Paths) != 1 {
			t.Fatalf("paths %+v", st.Paths)
		}
		p := st.Paths[0]
		if p.Remote != addrB || p.State != PathActive || p.SRTT == 0 || p.RTO < time.Second ||
			p.Cwnd == 0 || p.PacketsSent == 0 || p.PacketsReceived == 0 || p.BytesReceived == 0 ||
			p.DataChunksSent != 1 || p.DataChunksReceived != 1 {
			t.Errorf("path stats %+v", p)
		}
		es := tn.b.Stats()
		if es.Associations != 1 || es.InitsAnswered != 1 || es.CookiesAccepted != 1 {
			t.Errorf("endpoint stats %+v", es)
		}
	})
}

// An idle association probes its path every HB.interval (§8.3): the
// loop's timer runs the engine's heartbeat timers.
func TestIdleHeartbeats(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{Delay: 10 * time.Millisecond}, &Config{HeartbeatInterval: 10 * time.Second}, nil)
		aa, _ := tn.connect()
		passVirtualTime(time.Minute)
		p := aa.Stats().Paths[0]
		// RTO + HB.interval ± jitter apart: four or five in a minute.
		if p.HeartbeatsSent < 4 || p.HeartbeatsSent > 5 || p.HeartbeatsAcked != p.HeartbeatsSent {
			t.Errorf("%d heartbeats sent, %d acknowledged", p.HeartbeatsSent, p.HeartbeatsAcked)
		}
	})
}

func TestSendRefusesBadMessages(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{}, &Config{SendBuffer: 4096, OutStreams: 2}, nil)
		aa, _ := tn.connect()
		ctx := context.Background()
		for _, c := range []struct {
			m    Message
			want error
		}{
			{Message{Data: nil}, ErrEmptyMessage},
			{Message{Data: make([]byte, 4097)}, ErrMessageTooLarge},
			{Message{Stream: 2, Data: []byte("x")}, ErrInvalidStream},
		} {
			err := aa.Send(ctx, c.m)
			var op *OpError
			if !errors.Is(err, c.want) || !errors.As(err, &op) || op.Op != "send" || op.Peer != addrB {
				t.Errorf("Send(%d bytes on stream %d) = %v, want %v", len(c.m.Data), c.m.Stream, err, c.want)
			}
		}
	})
}

// Graceful shutdown (RFC 9260 §9.2): everything sent before is
// delivered, both sides end with io.EOF, and the association is gone.
func TestShutdownEndsWithEOF(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{Delay: 5 * time.Millisecond}, nil, nil)
		aa, ba := tn.connect()
		ctx := context.Background()
		const n = 200
		for i := range n {
			if err := aa.Send(ctx, Message{Data: payload(0, i, 1000)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := aa.Shutdown(ctx); err != nil {
			t.Fatal("shutdown:", err)
		}
		for i := range n {
			m, err := ba.Receive(ctx)
			if err != nil {
				t.Fatalf("message %d: %v", i, err)
			}
			if _, k, ok := parsePayload(m.Data); !ok || k != i {
				t.Fatalf("message %d: got %d intact=%v", i, k, ok)
			}
		}
		for _, a := range []*Association{ba, aa} {
			if _, err := a.Receive(ctx); err != io.EOF {
				t.Fatalf("after the data: %v, want io.EOF", err)
			}
			<-a.Done()
			if a.State() != StateClosed || a.Err() != nil {
				t.Errorf("state %v err %v", a.State(), a.Err())
			}
			evs := drainEvents(a)
			if len(evs) == 0 || evs[len(evs)-1].Kind != EventShutdownComplete {
				t.Errorf("events %v", evs)
			}
		}
		if err := aa.Send(ctx, Message{Data: []byte("late")}); !errors.Is(err, net.ErrClosed) {
			t.Errorf("send after shutdown: %v", err)
		}
		if err := ba.Shutdown(ctx); err != nil {
			t.Errorf("second shutdown: %v", err)
		}
		if got := tn.a.Stats().Associations + tn.b.Stats().Associations; got != 0 {
			t.Errorf("%d associations left", got)
		}
	})
}

// The side that receives SHUTDOWN reads io.EOF once the peer's data is
// read, while it may still be finishing its own sends (§9.2).
func TestPeerShutdownGivesEOF(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{Delay: 5 * time.Millisecond}, nil, nil)
		aa, ba := tn.connect()
		ctx := context.Background()
		if err := aa.Send(ctx, Message{Data: []byte("last")}); err != nil {
			t.Fatal(err)
		}
		done := make(chan error)
		go func() { done <- aa.Shutdown(ctx) }()
		if m, err := ba.Receive(ctx); err != nil || string(m.Data) != "last" {
			t.Fatal(m, err)
		}
		if _, err := ba.Receive(ctx); err != io.EOF {
			t.Fatalf("got %v, want io.EOF", err)
		}
		if err := ba.Send(ctx, Message{Data: []byte("x")}); !errors.Is(err, ErrShutdown) && !errors.Is(err, net.ErrClosed) {
			t.Errorf("send after the peer's shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}

// ABORT (§9.1): the peer gets a typed error with the reason; this side
// gets errors wrapping net.ErrClosed.
func TestAbortReason(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{Delay: 5 * time.Millisecond}, nil, nil)
		aa, ba := tn.connect()
		ctx := context.Background()
		if err := aa.Send(ctx, Message{Data: []byte("before")}); err != nil {
			t.Fatal(err)
		}
		if m, err := ba.Receive(ctx); err != nil || string(m.Data) != "before" {
			t.Fatal(m, err)
		}
		aa.Abort("going away")
		_, err := ba.Receive(ctx)
		var ae *AbortError
		if !errors.As(err, &ae) || ae.Reason != "going away" || !errors.Is(err, ErrAborted) {
			t.Fatalf("peer got %v, want an AbortError with the reason", err)
		}
		if len(ae.Causes) == 0 {
			t.Error("no causes kept")
		}
		var op *OpError
		if !errors.As(err, &op) || op.Op != "receive" || op.Timeout() {
			t.Errorf("not an OpError of receive: %#v", err)
		}
		evs := drainEvents(ba)
		last := evs[len(evs)-1]
		if last.Kind != EventDown || !errors.As(last.Err, &ae) {
			t.Errorf("B's last event %+v", last)
		}
		if !errors.Is(ba.Err(), ErrAborted) {
			t.Errorf("B's Err %v", ba.Err())
		}
		for _, err := range []error{
			func() error { _, err := aa.Receive(ctx); return err }(),
			aa.Send(ctx, Message{Data: []byte("x")}),
			aa.Err(),
		} {
			if !errors.Is(err, net.ErrClosed) {
				t.Errorf("A after its abort: %v, want net.ErrClosed", err)
			}
		}
		if err := ba.Send(ctx, Message{Data: []byte("x")}); !errors.Is(err, ErrAborted) {
			t.Errorf("B's send after the abort: %v", err)
		}
		// Stats still answer after the end.
		if st := ba.Stats(); st.MessagesReceived != 1 {
			t.Errorf("final stats %+v", st)
		}
	})
}

// Close shuts down gracefully when the peer answers.
func TestAssociationCloseGraceful(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{Delay: 5 * time.Millisecond}, nil, nil)
		aa, ba := tn.connect()
		if err := aa.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := ba.Receive(context.Background()); err != io.EOF {
			t.Fatalf("peer got %v", err)
		}
	})
}

// Close aborts when the shutdown does not finish within Linger.
func TestAssociationCloseLingerAborts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{Delay: 5 * time.Millisecond}, &Config{Linger: 3 * time.Second}, nil)
		aa, _ := tn.connect()
		tn.n.Blackout(addrA.Addr(), addrB.Addr(), true)
		start := time.Now()
		if err := aa.Close(); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d != 3*time.Second {
			t.Errorf("Close took %v, want the linger of 3s", d)
		}
		if !errors.Is(aa.Err(), net.ErrClosed) {
			t.Errorf("err %v", aa.Err())
		}
	})
}

// Endpoint.Close aborts its associations, releases every blocked call
// and leaves no goroutine behind (the bubble would fail).
func TestEndpointCloseReleasesEverything(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{Delay: 5 * time.Millisecond}, nil, nil)
		aa, ba := tn.connect()
		ctx := context.Background()
		recvErr := make(chan error)
		go func() { _, err := aa.Receive(ctx); recvErr <- err }()
		acceptErr := make(chan error)
		go func() { _, err := tn.a.Accept(ctx); acceptErr <- err }()
		synctest.Wait()
		if err := tn.a.Close(); err != nil {
			t.Fatal(err)
		}
		if err := <-recvErr; !errors.Is(err, net.ErrClosed) {
			t.Errorf("blocked Receive: %v", err)
		}
		if err := <-acceptErr; !errors.Is(err, ErrNotListening) {
			t.Errorf("Accept: %v", err)
		}
		var ae *AbortError
		if _, err := ba.Receive(ctx); !errors.As(err, &ae) || ae.Reason != "endpoint closed" {
			t.Errorf("peer got %v", err)
		}
		if _, err := tn.a.Dial(ctx, []netip.AddrPort{addrB}, portB); !errors.Is(err, net.ErrClosed) {
			t.Errorf("Dial after Close: %v", err)
		}
		if err := tn.a.Listen(); !errors.Is(err, net.ErrClosed) {
			t.Errorf("Listen after Close: %v", err)
		}
		if err := tn.a.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	})
}

func TestAcceptNeedsListen(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{}, nil, nil)
		if _, err := tn.a.Accept(context.Background()); !errors.Is(err, ErrNotListening) {
			t.Errorf("got %v", err)
		}
		// A does not listen: B's dial is refused by an ABORT (§5.1).
		_, err := tn.b.Dial(context.Background(), []netip.AddrPort{addrA}, portA)
		if err == nil {
			t.Fatal("dial to a closed port succeeded")
		}
	})
}

// A full accept queue refuses the newcomer instead of leaving its peer
// talking to nobody: its dial fails with an ABORT carrying an Out of
// Resource cause, and it never sees the association up.
func TestAcceptQueueFull(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(3)
		defer n.Close()
		srv := newEndpoint(t, n, addrB, portB, &Config{AcceptQueue: 1}, 1)
		srv.Listen()
		ctx := context.Background()
		c1 := newEndpoint(t, n, addrA, portA, nil, 2)
		if _, err := c1.Dial(ctx, []netip.AddrPort{addrB}, portB); err != nil {
			t.Fatal(err)
		}
		c2 := newEndpoint(t, n, netip.MustParseAddrPort("10.0.0.3:9899"), portA, nil, 3)
		_, err := c2.Dial(ctx, []netip.AddrPort{addrB}, portB)
		var ae *AbortError
		if !errors.As(err, &ae) || !hasCause(ae.Causes, wire.CauseOutOfResource) {
			t.Fatalf("second client's dial: %v, want an ABORT with Out of Resource", err)
		}
		if st := srv.Stats(); st.Associations != 1 {
			t.Errorf("%d associations", st.Associations)
		}
	})
}

func TestNewEndpointRefusesNegativeConfig(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(1)
		defer n.Close()
		for _, c := range []Config{{RTOMin: -1}, {SendBuffer: -1}, {Linger: -time.Second}} {
			if _, err := NewEndpoint(n.Host(addrA), portA, &c); !errors.Is(err, errConfig) {
				t.Errorf("%+v: %v", c, err)
			}
		}
		if _, err := NewEndpoint(n.Host(addrA), 0, nil); err == nil {
			t.Error("port 0 accepted")
		}
	})
}

// A lower layer closed under the endpoint stops it: every call fails
// with an error wrapping net.ErrClosed, and Close still cleans up.
func TestLowerLayerClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(1)
		defer n.Close()
		b := newEndpoint(t, n, addrB, portB, nil, 2)
		b.Listen()
		h := n.Host(addrA)
		a, err := NewEndpoint(h, portA, &Config{Rand: newSeeded(1)})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		aa, err := a.Dial(ctx, []netip.AddrPort{addrB}, portB)
		if err != nil {
			t.Fatal(err)
		}
		h.Close()
		if _, err := aa.Receive(ctx); !errors.Is(err, net.ErrClosed) {
			t.Errorf("Receive: %v", err)
		}
		if _, err := a.Dial(ctx, []netip.AddrPort{addrB}, portB); !errors.Is(err, net.ErrClosed) {
			t.Errorf("Dial: %v", err)
		}
		if err := a.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
}

// hasCause reports whether an encoded list of error causes holds code.
func hasCause(causes []byte, code wire.CauseCode) bool {
	it := wire.MakeCauses(causes).Iter()
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		if c.Code() == code {
			return true
		}
	}
	return false
}

// A Dial to a peer whose association with us is still shutting down
// waits for it to end and then makes a new one (as a client redialing a
// server that just restarted does), instead of failing.
func TestDialWaitsForClosingAssociation(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{Delay: 50 * time.Millisecond}, nil, nil)
		aa, _ := tn.connect()
		ctx := context.Background()
		go aa.Shutdown(ctx)
		synctest.Wait() // SHUTDOWN sent, on the link
		if aa.State() == StateClosed {
			t.Fatal("closed before the test could dial")
		}
		a2, err := tn.a.Dial(ctx, []netip.AddrPort{addrB}, portB)
		if err != nil {
			t.Fatalf("dial while the old association closes: %v", err)
		}
		if aa.State() != StateClosed || a2.State() != StateEstablished {
			t.Fatalf("old %v, new %v", aa.State(), a2.State())
		}
	})
}
