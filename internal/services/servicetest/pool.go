// Package servicetest runs a pool of the example session services in
// memory for the tests of their clients: a registrar (package enrp) and
// pool elements serving ping-pong or calculation sessions, over a simnet
// network, all inside a testing/synctest bubble so that failover takes
// virtual time. A pool element can be made to crash, as a killed process
// stops answering, after a number of answers or a time.
package servicetest

import (
	"context"
	"math/rand/v2"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/enrp"
	"github.com/rserpool/rserpool/internal/services"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/simnet"
)

// Addresses of the pool: the registrar, the pool elements (10.0.1.ID)
// and the pool user.
var (
	RegistrarAddr = netip.MustParseAddr("10.0.0.1")
	UserAddr      = netip.MustParseAddr("10.0.2.1")
)

// EncapPort is the UDP encapsulation port everyone uses.
const EncapPort = 9899

// Key is the pool key the pool elements share.
var Key = []byte("servicetest pool key, 32 bytes..")

// Pool is a registrar on a simnet network; AddPE adds its elements.
type Pool struct {
	t      *testing.T
	Net    *simnet.Network
	Handle string
	seed   byte
}

// New starts the registrar of the pool handle. Call it inside
// synctest.Test: everything ends with the test.
func New(t *testing.T, handle string) *Pool {
	t.Helper()
	n := simnet.New(1)
	n.SetDefault(simnet.LinkConfig{Delay: time.Millisecond})
	t.Cleanup(func() { n.Close() })
	p := &Pool{t: t, Net: n, Handle: handle}
	reg, err := enrp.New(enrp.Config{ServerID: 1, DisableAnnounce: true, KeepAliveInterval: time.Second, KeepAliveTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ep := p.endpoint(netip.AddrPortFrom(RegistrarAddr, EncapPort), msg.PortASAP)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		reg.Serve(ctx, ep)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		reg.Close()
	})
	return p
}

func (p *Pool) endpoint(addr netip.AddrPort, port uint16) *sctp.Endpoint {
	p.t.Helper()
	p.seed++
	ep, err := sctp.NewEndpoint(p.Net.Host(addr), port, &sctp.Config{Rand: rand.NewChaCha8([32]byte{p.seed})})
	if err != nil {
		p.t.Fatal(err)
	}
	p.t.Cleanup(func() { ep.Close() })
	return ep
}

// Lower is what a client under test binds instead of a UDP socket: a
// host of the network at the address, with the encapsulation port.
func (p *Pool) Lower(addr netip.Addr) (lower.Conn, error) {
	return p.Net.Host(netip.AddrPortFrom(addr, EncapPort)), nil
}

// Service names what a pool element serves.
type Service int

// Services.
const (
	PingPong Service = iota
	Calc
)

// PEConfig describes one pool element.
type PEConfig struct {
	ID       msg.PEID
	Service  Service
	StepTime time.Duration // Calc: time of a step

	// CrashAfter takes the PE off the network after this many answers
	// (pongs, checkpoints and results); CrashAt after this long. Zero:
	// never.
	CrashAfter int
	CrashAt    time.Duration

	// NoRestore drops the state of echoed cookies, as a PE that lost
	// its pool key would: the session's state restarts from nothing.
	NoRestore bool
}

// Checkpoint is the steps between two checkpoint cookies of Calc.
const Checkpoint = 10

// PE is a running pool element.
type PE struct {
	Addr     netip.Addr
	answered atomic.Int64
	restored atomic.Int64
	once     sync.Once
	net      *simnet.Network
}

// Restored counts the sessions the PE restored from a cookie.
func (e *PE) Restored() int { return int(e.restored.Load()) }

// Crash takes the PE off the network: it answers nothing more.
func (e *PE) Crash() { e.once.Do(func() { e.net.Down(e.Addr, true) }) }

// AddPE starts a pool element at 10.0.1.ID and waits until it is
// registered.
func (p *Pool) AddPE(cfg PEConfig) *PE {
	p.t.Helper()
	addr := netip.AddrFrom4([4]byte{10, 0, 1, byte(cfg.ID)})
	ep := p.endpoint(netip.AddrPortFrom(addr, EncapPort), 5000)
	signer, err := asap.NewCookieSigner(Key, p.Handle)
	if err != nil {
		p.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pe, err := asap.NewPoolElement(ctx, ep, asap.PEConfig{
		Config:     asap.Config{Registrars: []netip.AddrPort{netip.AddrPortFrom(RegistrarAddr, EncapPort)}},
		PoolHandle: p.Handle, ID: cfg.ID, TransportUse: msg.DataPlusControl, Lifetime: 30 * time.Second,
	})
	if err != nil {
		cancel()
		p.t.Fatal(err)
	}
	e := &PE{Addr: addr, net: p.Net}
	var wg sync.WaitGroup
	p.t.Cleanup(func() {
		cancel()
		c, cc := context.WithTimeout(context.Background(), time.Second)
		pe.Close(c)
		cc()
		ep.Close()
		wg.Wait()
	})
	registered := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		once := sync.OnceFunc(func() { close(registered) })
		for ev := range pe.Events() {
			if ev.Kind == asap.EventRegistered {
				once()
			}
		}
	}()
	if cfg.CrashAt > 0 {
		t := time.AfterFunc(cfg.CrashAt, e.Crash)
		p.t.Cleanup(func() { t.Stop() })
	}
	answered := func() {
		if n := e.answered.Add(1); cfg.CrashAfter > 0 && n >= int64(cfg.CrashAfter) {
			e.Crash()
		}
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			a, err := pe.Accept(ctx)
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer a.Abort("done")
				var restore func([]byte) error
				var serve func(context.Context, *asap.ServerSession, func()) error
				switch cfg.Service {
				case Calc:
					c := &services.Calc{StepTime: cfg.StepTime, Checkpoint: Checkpoint}
					restore, serve = c.Restore, c.Serve
				default:
					pp := &services.PingPong{}
					restore, serve = pp.Restore, pp.Serve
				}
				ss := asap.NewServerSession(a, asap.ServerSessionConfig{Signer: signer, Restore: func(b []byte) error {
					e.restored.Add(1)
					if cfg.NoRestore {
						return nil
					}
					return restore(b)
				}})
				serve(ctx, ss, answered)
			}()
		}
	}()
	select {
	case <-registered:
	case <-time.After(time.Minute):
		p.t.Fatalf("pool element %v not registered within a minute", cfg.ID)
	}
	return e
}
