package sctp

import (
	"context"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/simnet"
)

var (
	addrA  = netip.MustParseAddrPort("10.0.0.1:9899")
	addrB  = netip.MustParseAddrPort("10.0.0.2:9899")
	nobody = netip.MustParseAddrPort("10.0.0.99:9899")
)

const portA, portB = 5000, 5001

// testNet is two endpoints, A and B (listening), over a simnet link.
// Made inside a synctest bubble, it runs on the bubble's clock; cleanup
// closes everything, so a goroutine left behind fails the bubble.
type testNet struct {
	t    *testing.T
	n    *simnet.Network
	a, b *Endpoint
}

func newTestNet(t *testing.T, link simnet.LinkConfig, cfgA, cfgB *Config) *testNet {
	t.Helper()
	n := simnet.New(7)
	n.Link(addrA.Addr(), addrB.Addr(), link)
	tn := &testNet{t: t, n: n}
	tn.a = newEndpoint(t, n, addrA, portA, cfgA, 1)
	tn.b = newEndpoint(t, n, addrB, portB, cfgB, 2)
	if err := tn.b.Listen(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return tn
}

// newEndpoint makes an endpoint with a seeded random source, closed by
// the test's cleanup.
func newEndpoint(t *testing.T, n *simnet.Network, addr netip.AddrPort, port uint16, cfg *Config, seed byte) *Endpoint {
	t.Helper()
	var c Config
	if cfg != nil {
		c = *cfg
	}
	c.Rand = newSeeded(seed)
	e, err := NewEndpoint(n.Host(addr), port, &c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// connect dials B from A and accepts it at B.
func (tn *testNet) connect() (aa, ba *Association) {
	tn.t.Helper()
	ctx := context.Background()
	aa, err := tn.a.Dial(ctx, []netip.AddrPort{addrB}, portB)
	if err != nil {
		tn.t.Fatal("dial:", err)
	}
	ba, err = tn.b.Accept(ctx)
	if err != nil {
		tn.t.Fatal("accept:", err)
	}
	return aa, ba
}

// payload makes message i of stream s: a header naming them and a
// pattern, so the receiver checks it arrived intact and where it belongs.
func payload(s uint16, i, size int) []byte {
	b := make([]byte, max(size, 6))
	b[0], b[1] = byte(s>>8), byte(s)
	b[2], b[3], b[4], b[5] = byte(i>>24), byte(i>>16), byte(i>>8), byte(i)
	for k := 6; k < len(b); k++ {
		b[k] = byte(k*13 + i)
	}
	return b
}

func parsePayload(b []byte) (s uint16, i int, ok bool) {
	if len(b) < 6 {
		return 0, 0, false
	}
	s = uint16(b[0])<<8 | uint16(b[1])
	i = int(b[2])<<24 | int(b[3])<<16 | int(b[4])<<8 | int(b[5])
	want := payload(s, i, len(b))
	for k := range b {
		if b[k] != want[k] {
			return s, i, false
		}
	}
	return s, i, true
}

// drainEvents returns the events of a until its channel closes.
func drainEvents(a *Association) []Event {
	var evs []Event
	for ev := range a.Events() {
		evs = append(evs, ev)
	}
	return evs
}

func within(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// passVirtualTime lets d of the bubble's fake clock pass while the
// endpoints run: it returns as soon as every goroutine is blocked and
// the clock has jumped, not after d of real time.
func passVirtualTime(d time.Duration) { <-time.After(d) }

func newSeeded(seed byte) *rand.ChaCha8 { return rand.NewChaCha8([32]byte{seed}) }
