package sctp

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/sctp/simnet"
)

// checker verifies what one side receives: every message once, intact,
// and the ordered ones in order within their stream.
type checker struct {
	last map[uint16]int
	seen map[[2]int]bool
}

func newChecker() *checker { return &checker{last: map[uint16]int{}, seen: map[[2]int]bool{}} }

func (c *checker) check(m Message) error {
	s, i, ok := parsePayload(m.Data)
	switch {
	case !ok:
		return fmt.Errorf("message %d/%d corrupted", s, i)
	case s != m.Stream:
		return fmt.Errorf("message %d/%d on stream %d", s, i, m.Stream)
	case c.seen[[2]int{int(s), i}]:
		return fmt.Errorf("message %d/%d twice", s, i)
	}
	c.seen[[2]int{int(s), i}] = true
	if !m.Unordered {
		if last, ok := c.last[s]; ok && i <= last {
			return fmt.Errorf("message %d/%d after %d", s, i, last)
		}
		c.last[s] = i
	}
	return nil
}

// sendAll sends n messages on each of streams from a, of random sizes
// and one in five unordered.
func sendAll(a *Association, seed uint64, streams, n int) error {
	rng := rand.New(rand.NewPCG(seed, 1))
	next := make([]int, streams)
	for sent := 0; sent < streams*n; {
		s := rng.IntN(streams)
		if next[s] == n {
			continue
		}
		m := Message{Stream: uint16(s), PPID: 1, Unordered: rng.IntN(5) == 0, Data: payload(uint16(s), next[s], 1+rng.IntN(3000))}
		if err := a.Send(context.Background(), m); err != nil {
			return err
		}
		next[s]++
		sent++
	}
	return nil
}

// receiveAll reads total messages from a and checks them.
func receiveAll(a *Association, total int) error {
	c := newChecker()
	for range total {
		m, err := a.Receive(context.Background())
		if err != nil {
			return err
		}
		if err := c.check(m); err != nil {
			return err
		}
	}
	return nil
}

// Messages both ways on several streams over a link that loses 5% of
// packets: all delivered once, intact, in order per stream; then a
// graceful shutdown.
func TestLossyTransferBothWays(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		link := simnet.LinkConfig{Delay: 10 * time.Millisecond, Loss: 0.05}
		cfg := &Config{OutStreams: 4, SendBuffer: 64 << 10}
		tn := newTestNet(t, link, cfg, cfg)
		aa, ba := tn.connect()
		const streams, n = 4, 150
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for i, pair := range [][2]*Association{{aa, ba}, {ba, aa}} {
			wg.Go(func() { errs <- sendAll(pair[0], uint64(i), streams, n) })
			wg.Go(func() { errs <- receiveAll(pair[1], streams*n) })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := aa.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, a := range []*Association{aa, ba} {
			if _, err := a.Receive(context.Background()); err != io.EOF {
				t.Fatalf("got %v, want io.EOF", err)
			}
		}
		st := aa.Stats()
		if st.Retransmissions == 0 || tn.n.Stats(addrA.Addr(), addrB.Addr()).Lost == 0 {
			t.Errorf("no loss happened: %+v", st)
		}
	})
}

// A full send buffer blocks Send until the peer's acknowledgements free
// room, and the message then goes in order.
func TestSendBlocksWhileBufferFull(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{Delay: 10 * time.Millisecond}, &Config{SendBuffer: 4000}, nil)
		aa, ba := tn.connect()
		ctx := context.Background()
		start := time.Now()
		for i := range 4 {
			if err := aa.Send(ctx, Message{Data: payload(0, i, 1000)}); err != nil {
				t.Fatal(err)
			}
		}
		if time.Since(start) != 0 {
			t.Fatal("sends with room blocked")
		}
		done := make(chan error)
		go func() { done <- aa.Send(ctx, Message{Data: payload(0, 4, 1000)}) }()
		synctest.Wait()
		select {
		case err := <-done:
			t.Fatalf("send into a full buffer returned %v at once", err)
		default:
		}
		if st := aa.Stats(); st.SendBuffered != 4000 {
			t.Errorf("buffered %d", st.SendBuffered)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		// Room comes with the first SACK: one round trip.
		if d := time.Since(start); d < 20*time.Millisecond {
			t.Errorf("unblocked after %v, before any SACK could arrive", d)
		}
		if err := receiveAll(ba, 5); err != nil {
			t.Fatal(err)
		}
	})
}

// A reader that falls behind fills its queue and then the window, and
// the sender blocks. When the reader catches up, the loop refills the
// queue from what the engine holds at once, without waiting for a packet
// to come: here the link is cut while the reader reads everything the
// engine had received.
func TestSlowReaderRefilledFromEngine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{Delay: 5 * time.Millisecond},
			&Config{SendBuffer: 8000}, &Config{ReceiveWindow: 4000})
		aa, ba := tn.connect()
		const n = 60
		sent := make(chan error)
		go func() {
			for i := range n {
				if err := aa.Send(context.Background(), Message{Data: payload(0, i, 1000)}); err != nil {
					sent <- err
					return
				}
			}
			sent <- nil
		}()
		passVirtualTime(10 * time.Second)
		select {
		case err := <-sent:
			t.Fatalf("all sent to a reader that reads nothing: %v", err)
		default:
		}
		st := ba.Stats()
		held := int(st.BytesReceived / 1000)
		// The queue takes ReceiveWindow bytes; the engine holds more.
		if st.MessagesReceived != 0 || held*(1000+messageCharge) <= 4000 {
			t.Fatalf("%d messages held", held)
		}
		tn.n.Blackout(addrA.Addr(), addrB.Addr(), true)
		tn.n.Blackout(addrB.Addr(), addrA.Addr(), true)
		c := newChecker()
		for i := range held {
			m, err := ba.Receive(within(t, time.Second))
			if err != nil {
				t.Fatalf("message %d of %d held: %v", i, held, err)
			}
			if err := c.check(m); err != nil {
				t.Fatal(err)
			}
		}
		tn.n.Blackout(addrA.Addr(), addrB.Addr(), false)
		tn.n.Blackout(addrB.Addr(), addrA.Addr(), false)
		for range n - held {
			m, err := ba.Receive(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if err := c.check(m); err != nil {
				t.Fatal(err)
			}
		}
		if err := <-sent; err != nil {
			t.Fatal(err)
		}
	})
}

// Eight goroutines send at once on their own streams: each stream's
// messages arrive in order (run with -race).
func TestConcurrentSenders(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := &Config{OutStreams: 8, SendBuffer: 32 << 10}
		tn := newTestNet(t, simnet.LinkConfig{Delay: 2 * time.Millisecond, Loss: 0.01}, cfg, nil)
		aa, ba := tn.connect()
		const n = 100
		var wg sync.WaitGroup
		for s := range uint16(8) {
			wg.Go(func() {
				for i := range n {
					if err := aa.Send(context.Background(), Message{Stream: s, Data: payload(s, i, 500)}); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		if err := receiveAll(ba, 8*n); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		if st := aa.Stats(); st.MessagesSent != 8*n {
			t.Errorf("%d messages counted", st.MessagesSent)
		}
	})
}

// Events are dropped, not waited for, when the user does not read them.
func TestEventsDroppedWhenNotRead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t, simnet.LinkConfig{}, &Config{EventQueue: 1}, nil)
		aa, _ := tn.connect()
		tn.n.Blackout(addrA.Addr(), addrB.Addr(), true)
		for i := range 3 {
			if err := aa.Send(context.Background(), Message{Data: payload(0, i, 10)}); err != nil {
				t.Fatal(err)
			}
		}
		aa.Abort("")
		// Up fits; three send failures and the end do not.
		if st := aa.Stats(); st.EventsDropped != 4 {
			t.Errorf("%d dropped", st.EventsDropped)
		}
		if evs := drainEvents(aa); len(evs) != 1 || evs[0].Kind != EventUp {
			t.Errorf("events %v", evs)
		}
	})
}
