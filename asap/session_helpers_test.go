package asap

import (
	"context"
	"encoding/binary"
	"errors"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

var pe3Addr = netip.MustParseAddrPort("10.0.1.3:9899")

var testPoolKey = []byte("0123456789abcdef0123456789abcdef")

// sessionPE is a pool element serving a counter through a ServerSession:
// each data message increments it; the PE sends the new value as a
// signed cookie, then answers with it and its own identifier. The
// counter starts from the state of an echoed cookie.
type sessionPE struct {
	t        *testing.T
	ep       *sctp.Endpoint
	id       msg.PEID
	addr     netip.AddrPort
	signer   *CookieSigner
	card     *BusinessCard
	maxAge   atomic.Int64 // ServerSessionConfig.MaxCookieAge
	silent   atomic.Bool  // read, never answer
	closeAt  atomic.Int64 // shut the association down after this many answers
	answered atomic.Int64
	restored chan uint64
	refused  chan error
}

func (tn *testNet) sessionPE(addr netip.AddrPort, id msg.PEID, key []byte) *sessionPE {
	tn.t.Helper()
	signer, err := NewCookieSigner(key, "EchoPool")
	if err != nil {
		tn.t.Fatal(err)
	}
	ep := tn.endpoint(addr, pePort)
	if err := ep.Listen(); err != nil {
		tn.t.Fatal(err)
	}
	p := &sessionPE{t: tn.t, ep: ep, id: id, addr: addr, signer: signer, restored: make(chan uint64, 16), refused: make(chan error, 16)}
	go func() {
		for {
			a, err := ep.Accept(context.Background())
			if err != nil {
				return
			}
			go p.serve(a)
		}
	}()
	return p
}

func (p *sessionPE) serve(a *sctp.Association) {
	ctx := context.Background()
	var counter uint64
	ss := NewServerSession(a, ServerSessionConfig{Signer: p.signer, Restore: func(b []byte) error {
		if len(b) != 8 {
			return errors.New("bad state")
		}
		counter = binary.BigEndian.Uint64(b)
		p.restored <- counter
		return nil
	}, MaxCookieAge: time.Duration(p.maxAge.Load())})
	if p.card != nil {
		if err := ss.SendBusinessCard(ctx, *p.card); err != nil {
			p.t.Errorf("business card: %v", err)
		}
	}
	for {
		m, err := ss.Receive(ctx)
		if err != nil {
			if errors.Is(err, ErrCookieInvalid) {
				p.refused <- err
				a.Abort("invalid cookie")
			}
			return
		}
		if p.silent.Load() {
			continue
		}
		counter++
		state := binary.BigEndian.AppendUint64(nil, counter)
		if ss.SendCookie(ctx, state) != nil {
			return
		}
		reply := binary.BigEndian.AppendUint32(state, uint32(p.id))
		if ss.Send(ctx, sctp.Message{Stream: m.Stream, PPID: m.PPID, Data: reply}) != nil {
			return
		}
		if n := p.answered.Add(1); p.closeAt.Load() > 0 && n >= p.closeAt.Load() {
			a.Close()
			return
		}
	}
}

// sessionPool starts a registrar listing the PEs in order, round robin,
// and a pool user using it.
func (tn *testNet) sessionPool(pes ...*sessionPE) (*fakeRegistrar, *PoolUser) {
	tn.t.Helper()
	reg := tn.registrar(reg1Addr, 0x1111)
	var list []msg.PoolElement
	for _, p := range pes {
		list = append(list, poolElement(p.id, p.addr, rr))
	}
	reg.set(func(r *fakeRegistrar) { r.pools["EchoPool"] = list })
	pu := startPU(tn.t, tn.endpoint(puAddr, 7000), PUConfig{Config: fastConfig(reg1Addr), DialTimeout: 2 * time.Second})
	return reg, pu
}

func openSession(t *testing.T, pu *PoolUser, cfg SessionConfig) *Session {
	t.Helper()
	s, err := pu.OpenSession(context.Background(), "EchoPool", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// ping sends a request and returns the counter and the PE of the answer,
// sending again after a failover, as an application does.
func ping(t *testing.T, s *Session) (uint64, msg.PEID, error) {
	t.Helper()
	req := sctp.Message{PPID: 99, Data: []byte("ping")}
	if err := s.Send(context.Background(), req); err != nil {
		return 0, 0, err
	}
	for {
		m, err := s.Receive(context.Background())
		if errors.Is(err, ErrFailover) {
			if err := s.Send(context.Background(), req); err != nil {
				return 0, 0, err
			}
			continue
		}
		if err != nil {
			return 0, 0, err
		}
		if len(m.Data) != 12 || m.PPID != 99 {
			t.Fatalf("answer %+v", m)
		}
		return binary.BigEndian.Uint64(m.Data), msg.PEID(binary.BigEndian.Uint32(m.Data[8:])), nil
	}
}

func mustPing(t *testing.T, s *Session, wantCounter uint64) msg.PEID {
	t.Helper()
	n, id, err := ping(t, s)
	if err != nil {
		t.Fatalf("ping %d: %v", wantCounter, err)
	}
	if n != wantCounter {
		t.Fatalf("counter %d from %v, want %d: state lost", n, id, wantCounter)
	}
	return id
}

// waitSessionEvent skips events until one of kind k, within d.
func waitSessionEvent(t *testing.T, s *Session, k SessionEventKind, d time.Duration) SessionEvent {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case ev := <-s.Events():
			if ev.Kind == k {
				return ev
			}
		case <-deadline:
			t.Fatalf("no %v event within %v", k, d)
			return SessionEvent{}
		}
	}
}
