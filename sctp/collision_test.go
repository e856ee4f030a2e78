package sctp

import (
	"context"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/sctp/simnet"
)

// RFC 9260 §5.2.1, §5.2.4: two listening endpoints that dial each other at
// the same moment end with one association between them, on both sides,
// that carries messages both ways.
func TestSimultaneousDials(t *testing.T) {
	seeds := 300
	if testing.Short() {
		seeds = 60
	}
	for seed := range seeds {
		synctest.Test(t, func(t *testing.T) {
			n := simnet.New(int64(seed))
			defer n.Close()
			n.SetDefault(simnet.LinkConfig{Delay: time.Duration(1+seed%3) * time.Millisecond, Jitter: time.Duration(seed%2) * time.Millisecond})
			ea := newEndpoint(t, n, addrA, portA, nil, byte(2*seed+1))
			eb := newEndpoint(t, n, addrB, portA, nil, byte(2*seed+2))
			ea.Listen()
			eb.Listen()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			type res struct {
				a   *Association
				err error
			}
			ra, rb := make(chan res, 1), make(chan res, 1)
			go func() { a, err := ea.Dial(ctx, []netip.AddrPort{addrB}, portA); ra <- res{a, err} }()
			go func() {
				// B dials at some point while A's handshake is on the
				// way: every stage of §5.2.1 and §5.2.4 gets hit.
				time.Sleep(time.Duration(seed%13) * 500 * time.Microsecond)
				a, err := eb.Dial(ctx, []netip.AddrPort{addrA}, portA)
				rb <- res{a, err}
			}()
			x, y := <-ra, <-rb
			// One side may find its dial answered by the other's
			// association: an error naming it, or the same association.
			pick := func(r res, e *Endpoint) *Association {
				if r.err == nil {
					return r.a
				}
				a, err := e.Accept(ctx)
				if err != nil {
					t.Fatalf("seed %d: dial %v and no accepted association: %v", seed, r.err, err)
				}
				return a
			}
			a, b := pick(x, ea), pick(y, eb)
			if err := a.Send(ctx, Message{PPID: 1, Data: []byte("from A")}); err != nil {
				t.Fatalf("seed %d: send A: %v", seed, err)
			}
			if err := b.Send(ctx, Message{PPID: 1, Data: []byte("from B")}); err != nil {
				t.Fatalf("seed %d: send B: %v", seed, err)
			}
			rctx, rcancel := context.WithTimeout(ctx, 10*time.Second)
			defer rcancel()
			if m, err := b.Receive(rctx); err != nil || string(m.Data) != "from A" {
				t.Fatalf("seed %d: B received %q, %v (dial errors %v, %v)", seed, m.Data, err, x.err, y.err)
			}
			if m, err := a.Receive(rctx); err != nil || string(m.Data) != "from B" {
				t.Fatalf("seed %d: A received %q, %v (dial errors %v, %v)", seed, m.Data, err, x.err, y.err)
			}
		})
	}
}
