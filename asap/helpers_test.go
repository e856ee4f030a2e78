package asap

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/simnet"
)

// Addresses of the test network: registrars, pool elements, a pool user.
var (
	reg1Addr = netip.MustParseAddrPort("10.0.0.1:9899")
	reg2Addr = netip.MustParseAddrPort("10.0.0.2:9899")
	deadAddr = netip.MustParseAddrPort("10.0.0.99:9899") // nobody there
	pe1Addr  = netip.MustParseAddrPort("10.0.1.1:9899")
	pe2Addr  = netip.MustParseAddrPort("10.0.1.2:9899")
	puAddr   = netip.MustParseAddrPort("10.0.2.1:9899")
)

const pePort = 5000

// testNet is a simnet network with 1 ms links. Made inside a synctest
// bubble, everything on it runs in virtual time; cleanup closes it last.
type testNet struct {
	t    *testing.T
	n    *simnet.Network
	seed byte
}

func newTestNet(t *testing.T) *testNet {
	t.Helper()
	n := simnet.New(1)
	n.SetDefault(simnet.LinkConfig{Delay: time.Millisecond})
	t.Cleanup(func() { n.Close() })
	return &testNet{t: t, n: n}
}

// endpoint makes an SCTP endpoint with a seeded random source, closed by
// the test's cleanup.
func (tn *testNet) endpoint(addr netip.AddrPort, port uint16) *sctp.Endpoint {
	tn.t.Helper()
	tn.seed++
	cfg := &sctp.Config{Rand: rand.NewChaCha8([32]byte{tn.seed})}
	ep, err := sctp.NewEndpoint(tn.n.Host(addr), port, cfg)
	if err != nil {
		tn.t.Fatal(err)
	}
	tn.t.Cleanup(func() { ep.Close() })
	return ep
}

// received is one message a fake registrar got, with the association
// it came on.
type received struct {
	a *sctp.Association
	m msg.Message
}

// fakeRegistrar speaks just enough ASAP, through WriteMessage and
// ReadMessage, to test the PE and PU against: it accepts registrations
// and de-registrations, answers handle resolutions from a fixed pool
// list, and records every message for the test to look at. Switches
// make it silent or make it refuse.
type fakeRegistrar struct {
	t    *testing.T
	ep   *sctp.Endpoint
	addr netip.AddrPort
	id   msg.ServerID
	got  chan received

	mu             sync.Mutex
	silentReg      bool
	silentDereg    bool
	silentResolve  bool
	rejectReg      bool
	pools          map[string][]msg.PoolElement
	assocs         []*sctp.Association
	resolveCounter int
}

func (tn *testNet) registrar(addr netip.AddrPort, id msg.ServerID) *fakeRegistrar {
	tn.t.Helper()
	ep := tn.endpoint(addr, msg.PortASAP)
	if err := ep.Listen(); err != nil {
		tn.t.Fatal(err)
	}
	r := &fakeRegistrar{t: tn.t, ep: ep, addr: addr, id: id, got: make(chan received, 256), pools: map[string][]msg.PoolElement{}}
	go r.acceptLoop()
	return r
}

func (r *fakeRegistrar) acceptLoop() {
	for {
		a, err := r.ep.Accept(context.Background())
		if err != nil {
			return
		}
		r.serve(a)
	}
}

// serve reads an association's messages in a goroutine of its own.
func (r *fakeRegistrar) serve(a *sctp.Association) {
	r.mu.Lock()
	r.assocs = append(r.assocs, a)
	r.mu.Unlock()
	go func() {
		for {
			m, err := ReadMessage(context.Background(), a)
			if err != nil {
				if skippable(err) {
					continue
				}
				return
			}
			r.handle(a, m)
			select {
			case r.got <- received{a: a, m: m}:
			default:
				r.t.Error("fake registrar: too many messages unread")
			}
		}
	}()
}

func (r *fakeRegistrar) handle(a *sctp.Association, m msg.Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var reply msg.Message
	switch m := m.(type) {
	case *msg.Registration:
		if r.silentReg {
			return
		}
		resp := &msg.RegistrationResponse{PoolHandle: m.PoolHandle, ID: m.PoolElement.ID}
		if r.rejectReg {
			resp.Reject = true
			resp.Error = msg.NewOperationError(msg.InconsistentPoolingPolicyCause(msg.Policy{Type: msg.PolicyLeastUsed}))
		}
		reply = resp
	case *msg.Deregistration:
		if r.silentDereg {
			return
		}
		reply = &msg.DeregistrationResponse{PoolHandle: m.PoolHandle, ID: m.ID}
	case *msg.HandleResolution:
		r.resolveCounter++
		if r.silentResolve {
			return
		}
		resp := &msg.HandleResolutionResponse{PoolHandle: m.PoolHandle}
		if pes, ok := r.pools[string(m.PoolHandle)]; ok && len(pes) > 0 {
			for i := range pes {
				pes[i].HomeServer = r.id
			}
			resp.Policy = msg.Policy{Type: pes[0].Policy.Type}
			resp.PoolElements = msg.MakePoolElements(pes...)
		} else {
			resp.Error = msg.NewOperationError(msg.Cause{Code: msg.CauseUnknownPoolHandle})
		}
		reply = resp
	}
	if reply != nil {
		if err := WriteMessage(context.Background(), a, reply); err != nil {
			r.t.Logf("fake registrar %v: reply not sent: %v", r.addr, err)
		}
	}
}

func (r *fakeRegistrar) set(f func(r *fakeRegistrar)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(r)
}

func (r *fakeRegistrar) resolutions() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.resolveCounter
}

// expect returns the next message the registrar gets, which must be a T,
// within d; other types in between are skipped.
func expect[T msg.Message](t *testing.T, r *fakeRegistrar, d time.Duration) (T, *sctp.Association) {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case rc := <-r.got:
			if m, ok := rc.m.(T); ok {
				return m, rc.a
			}
		case <-deadline:
			var zero T
			t.Fatalf("registrar %v: no %T within %v", r.addr, zero, d)
			return zero, nil
		}
	}
}

// expectNone checks that the registrar gets no T within d.
func expectNone[T msg.Message](t *testing.T, r *fakeRegistrar, d time.Duration) {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case rc := <-r.got:
			if m, ok := rc.m.(T); ok {
				t.Fatalf("registrar %v: unexpected %T: %+v", r.addr, m, m)
			}
		case <-deadline:
			return
		}
	}
}

// send writes m from the registrar on a.
func (r *fakeRegistrar) send(a *sctp.Association, m msg.Message) {
	r.t.Helper()
	if err := WriteMessage(context.Background(), a, m); err != nil {
		r.t.Fatalf("registrar %v: send: %v", r.addr, err)
	}
}

// poolElement builds the PE parameter a registrar lists for a PE at addr.
func poolElement(id msg.PEID, addr netip.AddrPort, pol msg.Policy) msg.PoolElement {
	return msg.PoolElement{
		ID:               id,
		RegistrationLife: 300,
		UserTransport: msg.Transport{
			Kind:  msg.ParamSCTPTransport,
			Port:  pePort,
			Addrs: msg.MakeAddrs(addr.Addr()),
		},
		Policy: pol,
	}
}

// fastConfig is a Config with the RFC timers, the given registrars and
// a logger bound to the test.
func fastConfig(regs ...netip.AddrPort) Config {
	return Config{Registrars: regs}
}

// startPE starts a pool element on ep, closed (with de-registration) by
// the test's cleanup.
func startPE(t *testing.T, ep *sctp.Endpoint, cfg PEConfig) *PoolElement {
	t.Helper()
	if cfg.PoolHandle == "" {
		cfg.PoolHandle = "EchoPool"
	}
	pe, err := NewPoolElement(context.Background(), ep, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		pe.Close(ctx)
	})
	return pe
}

// startPU starts a pool user on ep, closed by the test's cleanup.
func startPU(t *testing.T, ep *sctp.Endpoint, cfg PUConfig) *PoolUser {
	t.Helper()
	if cfg.Rand == nil {
		cfg.Rand = rand.New(rand.NewPCG(1, 2))
	}
	pu, err := NewPoolUser(context.Background(), ep, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pu.Close() })
	return pu
}

// nextEvent returns the next event of the PE within d.
func nextEvent(t *testing.T, pe *PoolElement, d time.Duration) Event {
	t.Helper()
	select {
	case ev, ok := <-pe.Events():
		if !ok {
			t.Fatal("events closed")
		}
		return ev
	case <-time.After(d):
		t.Fatalf("no event within %v", d)
		return Event{}
	}
}

// waitEvent skips events until one of kind k, within d.
func waitEvent(t *testing.T, pe *PoolElement, k EventKind, d time.Duration) Event {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case ev, ok := <-pe.Events():
			if !ok {
				t.Fatalf("events closed before %v", k)
			}
			if ev.Kind == k {
				return ev
			}
		case <-deadline:
			t.Fatalf("no %v event within %v", k, d)
			return Event{}
		}
	}
}

// serveAccept runs pe.Accept until the test ends, closing what it
// returns: the application side of a PE that has no clients.
func serveAccept(t *testing.T, pe *PoolElement) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			a, err := pe.Accept(ctx)
			if err != nil {
				return
			}
			a.Abort("test: no service")
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

func isTimeout(err error) bool { return errors.Is(err, context.DeadlineExceeded) }

// newTestLogger logs to the test at Debug level.
func newTestLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(b), "\n"))
	return len(b), nil
}
