package enrp

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/simnet"
)

// The tests run a registrar and fake pool elements and users over simnet
// inside a synctest bubble: everything runs on the bubble's clock, and
// the cleanups close every endpoint, so a goroutine left behind fails the
// test. The fakes speak raw ASAP, one message per SCTP message with PPID
// 11, so that each test sees exactly what the registrar sends.

var regAddr = netip.MustParseAddrPort("10.0.0.1:9899")

const testServerID msg.ServerID = 0x5ee5e001

// testbed is a registrar serving on a simnet host.
type testbed struct {
	t     *testing.T
	n     *simnet.Network
	r     *Registrar
	ep    *sctp.Endpoint
	done  chan error
	hosts int
}

// newTestbed starts a registrar with cfg: announcements off unless cfg
// gives a socket for them, a fixed server identifier and a seeded
// random source unless cfg sets them.
func newTestbed(t *testing.T, cfg Config) *testbed {
	t.Helper()
	return newTestbedSCTP(t, cfg, sctp.Config{})
}

// newTestbedSCTP is newTestbed with the registrar's endpoint configured
// by epCfg.
func newTestbedSCTP(t *testing.T, cfg Config, epCfg sctp.Config) *testbed {
	t.Helper()
	n := simnet.New(1)
	t.Cleanup(func() { n.Close() })
	if cfg.AnnounceConn == nil {
		cfg.DisableAnnounce = true
	}
	if cfg.ServerID == 0 {
		cfg.ServerID = testServerID
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.New(rand.NewPCG(5352, 1))
	}
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	epCfg.Rand = rand.NewChaCha8([32]byte{1})
	ep, err := sctp.NewEndpoint(n.Host(regAddr), msg.PortASAP, &epCfg)
	if err != nil {
		t.Fatal(err)
	}
	tb := &testbed{t: t, n: n, r: r, ep: ep, done: make(chan error, 1)}
	go func() { tb.done <- r.Serve(context.Background(), ep) }()
	synctest.Wait() // Serve listens before a client dials
	t.Cleanup(func() {
		r.Close()
		if err := <-tb.done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		ep.Close()
	})
	return tb
}

// client is a fake pool element or pool user with one association to
// the registrar.
type client struct {
	t    *testing.T
	ep   *sctp.Endpoint
	a    *sctp.Association
	addr netip.AddrPort
	// inbox, once startAutoAck has run, receives every message but the
	// keep-alives, which a goroutine answers.
	inbox chan msg.Message
}

// client starts a new host and associates it with the registrar.
func (tb *testbed) client() *client {
	tb.t.Helper()
	tb.hosts++
	addr := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 1, byte(tb.hosts)}), 9899)
	return tb.clientAt(addr)
}

// clientAt associates a host at addr (a new one each time) with the
// registrar.
func (tb *testbed) clientAt(addr netip.AddrPort) *client {
	tb.t.Helper()
	ep, err := sctp.NewEndpoint(tb.n.Host(addr), uint16(40000+tb.hosts), &sctp.Config{Rand: rand.NewChaCha8([32]byte{byte(tb.hosts + 1)})})
	if err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Cleanup(func() { ep.Close() })
	return tb.dial(ep, addr)
}

// dial starts a new association from ep.
func (tb *testbed) dial(ep *sctp.Endpoint, addr netip.AddrPort) *client {
	tb.t.Helper()
	a, err := ep.Dial(context.Background(), []netip.AddrPort{regAddr}, msg.PortASAP)
	if err != nil {
		tb.t.Fatal("dial:", err)
	}
	return &client{t: tb.t, ep: ep, a: a, addr: addr}
}

// send encodes m and sends it with the ASAP PPID.
func (c *client) send(m msg.Message) {
	c.t.Helper()
	b, err := msg.Encode(nil, m)
	if err != nil {
		c.t.Fatal(err)
	}
	c.sendRaw(b)
}

func (c *client) sendRaw(b []byte) {
	c.t.Helper()
	if err := c.a.Send(context.Background(), sctp.Message{PPID: msg.PPIDASAP, Data: b}); err != nil {
		c.t.Fatal("send:", err)
	}
}

// startAutoAck makes the client a live PE: a goroutine reads every
// message, acknowledges the keep-alives at once, and passes the others
// to recv. It ends with the association.
func (c *client) startAutoAck() {
	c.inbox = make(chan msg.Message, 64)
	go func() {
		defer close(c.inbox)
		for {
			m, err := c.read(context.Background())
			if err != nil {
				return
			}
			if ka, ok := m.(*msg.EndpointKeepAlive); ok {
				b, _ := msg.Encode(nil, &msg.EndpointKeepAliveAck{PoolHandle: ka.PoolHandle, ID: ka.ID})
				if c.a.Send(context.Background(), sctp.Message{PPID: msg.PPIDASAP, Data: b}) != nil {
					return
				}
				continue
			}
			c.inbox <- m
		}
	}()
}

// recv returns the next ASAP message within a minute of the bubble's
// clock.
func (c *client) recv() msg.Message {
	c.t.Helper()
	m, err := c.tryRecv(time.Minute)
	if err != nil {
		c.t.Fatal("receive:", err)
	}
	return m
}

// tryRecv waits at most d for a message.
func (c *client) tryRecv(d time.Duration) (msg.Message, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if c.inbox == nil {
		return c.read(ctx)
	}
	select {
	case m, ok := <-c.inbox:
		if !ok {
			return nil, errors.New("association ended")
		}
		return m, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// read receives and decodes one message.
func (c *client) read(ctx context.Context) (msg.Message, error) {
	sm, err := c.a.Receive(ctx)
	if err != nil {
		return nil, err
	}
	if sm.PPID != msg.PPIDASAP {
		return nil, errors.New("message with PPID " + itoa(int(sm.PPID)))
	}
	return msg.DecodeASAP(sm.Data)
}

// silent checks that nothing arrives for d.
func (c *client) silent(d time.Duration) {
	c.t.Helper()
	if m, err := c.tryRecv(d); err == nil {
		c.t.Fatalf("got %v, want nothing", m.MessageType())
	} else if !errors.Is(err, context.DeadlineExceeded) {
		c.t.Fatal("receive:", err)
	}
}

// expect receives the next message and checks its type.
func expect[T msg.Message](c *client) T {
	c.t.Helper()
	m := c.recv()
	v, ok := m.(T)
	if !ok {
		var want T
		c.t.Fatalf("got %v, want %T", m.MessageType(), want)
	}
	return v
}

// pe builds a pool element on an SCTP user transport at the client's
// address, with a lifetime of 300 s.
func (c *client) pe(id msg.PEID, p msg.Policy) msg.PoolElement {
	return msg.PoolElement{
		ID:               id,
		RegistrationLife: 300,
		UserTransport: msg.Transport{Kind: msg.ParamSCTPTransport, Port: 7000, Use: msg.DataOnly,
			Addrs: msg.MakeAddrs(c.addr.Addr())},
		Policy: p,
	}
}

// register registers pe in pool handle and returns the response.
func (c *client) register(handle string, pe msg.PoolElement) *msg.RegistrationResponse {
	c.t.Helper()
	c.send(&msg.Registration{PoolHandle: []byte(handle), PoolElement: pe})
	return expect[*msg.RegistrationResponse](c)
}

// mustRegister registers pe and fails the test unless it is granted
// without a warning.
func (c *client) mustRegister(handle string, pe msg.PoolElement) {
	c.t.Helper()
	resp := c.register(handle, pe)
	if resp.Reject || !resp.Error.IsZero() || string(resp.PoolHandle) != handle || resp.ID != pe.ID {
		c.t.Fatalf("registration of %s/%v: reject %v, causes %v", handle, pe.ID, resp.Reject, causes(resp.Error))
	}
}

// resolve resolves handle, asking for items pool elements when items is
// above 0.
func (c *client) resolve(handle string, items uint32) *msg.HandleResolutionResponse {
	c.t.Helper()
	c.send(&msg.HandleResolution{PoolHandle: []byte(handle), Items: items, HasItems: items > 0})
	return expect[*msg.HandleResolutionResponse](c)
}

// ids lists the identifiers of a resolution's pool elements, in order.
func ids(t *testing.T, resp *msg.HandleResolutionResponse) []msg.PEID {
	t.Helper()
	var out []msg.PEID
	var pe msg.PoolElement
	it := resp.PoolElements.Iter()
	for it.Next(&pe) {
		out = append(out, pe.ID)
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// causes lists the cause codes of an Operation Error.
func causes(e msg.OperationError) []msg.CauseCode {
	var out []msg.CauseCode
	it := e.Causes.Iter()
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		out = append(out, c.Code)
	}
	return out
}

// wantCause checks that e holds exactly one cause, of code want, and
// returns it.
func wantCause(t *testing.T, e msg.OperationError, want msg.CauseCode) msg.Cause {
	t.Helper()
	cs := causes(e)
	if len(cs) != 1 || cs[0] != want {
		t.Fatalf("causes %v, want [%v]", cs, want)
	}
	c, _ := e.Causes.First()
	return c
}

// element finds a pool element in the registrar's snapshot.
func (tb *testbed) element(handle string, id msg.PEID) (ElementInfo, bool) {
	for _, p := range tb.r.Snapshot() {
		if p.Handle != handle {
			continue
		}
		for _, e := range p.Elements {
			if e.ID == id {
				return e, true
			}
		}
	}
	return ElementInfo{}, false
}

// wait lets d of the bubble's clock pass.
func wait(d time.Duration) { <-time.After(d) }

var (
	roundRobin = msg.Policy{Type: msg.PolicyRoundRobin}
	random     = msg.Policy{Type: msg.PolicyRandom}
)

func weighted(w uint32) msg.Policy  { return msg.Policy{Type: msg.PolicyWeightedRandom, Weight: w} }
func priority(p uint32) msg.Policy  { return msg.Policy{Type: msg.PolicyPriority, Priority: p} }
func leastUsed(l uint32) msg.Policy { return msg.Policy{Type: msg.PolicyLeastUsed, Load: l} }
func weightedRR(w uint32) msg.Policy {
	return msg.Policy{Type: msg.PolicyWeightedRoundRobin, Weight: w}
}
