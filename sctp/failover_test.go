package sctp

import (
	"context"
	"math/rand/v2"
	"net/netip"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/sctp/simnet"
)

// Two hosts with two addresses each; the pairs A1-B1 and A2-B2 are the
// two paths.
var (
	a1 = netip.MustParseAddrPort("10.1.0.1:9899")
	a2 = netip.MustParseAddrPort("10.2.0.1:9899")
	b1 = netip.MustParseAddrPort("10.1.0.2:9899")
	b2 = netip.MustParseAddrPort("10.2.0.2:9899")
)

// Simulation property (RFC 9260 §6.4, §8.2, §8.3; RFC 7829): the
// interfaces of B fail and come back at random, never both at once,
// while A streams messages to B. Every message arrives exactly once,
// intact and in order, and the association survives: with RFC timers and
// with SCTP-PF and LAN timers.
func TestSimulationPathFailures(t *testing.T) {
	seeds := 200
	if testing.Short() {
		seeds = 40
	}
	for seed := range uint64(seeds) {
		pf := seed%2 == 1
		synctest.Test(t, func(t *testing.T) { runPathFailures(t, seed, pf) })
	}
}

func runPathFailures(t *testing.T, seed uint64, pf bool) {
	n := simnet.New(int64(seed))
	defer n.Close()
	n.SetDefault(simnet.LinkConfig{Delay: 5 * time.Millisecond, Jitter: 2 * time.Millisecond, Loss: 0.01})
	cfg := &Config{AssociationMaxRetrans: 1000}
	if pf {
		cfg.PotentiallyFailed = true
		cfg.RTOMin, cfg.RTOInitial, cfg.RTOMax = 50*time.Millisecond, 100*time.Millisecond, time.Second
		cfg.HeartbeatInterval = 100 * time.Millisecond
	}
	mk := func(addrs []netip.AddrPort, port uint16, s byte) *Endpoint {
		c := *cfg
		c.Rand = newSeeded(s + byte(seed)*2)
		e, err := NewEndpoint(n.Host(addrs...), port, &c)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close() })
		return e
	}
	ea := mk([]netip.AddrPort{a1, a2}, portA, 1)
	eb := mk([]netip.AddrPort{b1, b2}, portB, 2)
	if err := eb.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := ea.Dial(ctx, []netip.AddrPort{b1, b2}, portB)
	if err != nil {
		t.Fatal(err)
	}
	b, err := eb.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const total = 600
	// The failures: one interface of B at a time, for 0.5 to 20 s, then
	// up again for a while, until the receiver has everything.
	done := make(chan struct{})
	var failures atomic.Int32
	go func() {
		rng := rand.New(rand.NewPCG(seed, 3))
		for {
			select {
			case <-done:
				return
			case <-time.After(time.Duration(200+rng.IntN(3000)) * time.Millisecond):
			}
			addr := b1.Addr()
			if rng.IntN(2) == 0 {
				addr = b2.Addr()
			}
			n.Down(addr, true)
			failures.Add(1)
			select {
			case <-done:
				n.Down(addr, false)
				return
			case <-time.After(time.Duration(500+rng.IntN(20000)) * time.Millisecond):
			}
			n.Down(addr, false)
		}
	}()
	errc := make(chan error, 1)
	go func() {
		for i := range total {
			m := Message{PPID: 1, Data: payload(0, i, 200+i%1500)}
			if err := a.Send(ctx, m); err != nil {
				errc <- err
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		errc <- nil
	}()
	c := newChecker()
	for range total {
		m, err := b.Receive(ctx)
		if err != nil {
			t.Fatalf("seed %d (PF %v): receive: %v after %d failures", seed, pf, err, failures.Load())
		}
		if err := c.check(m); err != nil {
			t.Fatalf("seed %d (PF %v): %v", seed, pf, err)
		}
	}
	close(done)
	if err := <-errc; err != nil {
		t.Fatalf("seed %d: send: %v", seed, err)
	}
	if failures.Load() == 0 {
		t.Fatalf("seed %d: no failure happened", seed)
	}
	if err := a.Shutdown(ctx); err != nil {
		t.Fatalf("seed %d: shutdown: %v", seed, err)
	}
}
