package main

import (
	"bytes"
	"context"
	"net/netip"
	"os"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/internal/services"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/simnet"
)

// sessionServer runs the command at local; its crash takes the address
// off the network, as a killed process would stop answering. The pool
// user of its business card is at 10.0.3.N for local 10.0.1.N: simnet
// delivers by address alone, where the real one shares the address on
// another UDP port.
func sessionServer(t *testing.T, n *simnet.Network, local string, args ...string) {
	t.Helper()
	var stderr bytes.Buffer
	args = append([]string{"-registrar", "10.0.0.1", "-local", local + ":5000"}, args...)
	o, _, ok := parseArgs(args, &stderr)
	if !ok {
		t.Fatal(stderr.String())
	}
	sig := make(chan os.Signal, 1)
	started := make(chan *asap.PoolElement, 1)
	var once sync.Once
	e := env{
		listen: func(addr netip.Addr, port uint16) (lower.Conn, error) {
			return n.Host(netip.AddrPortFrom(addr, port)), nil
		},
		listenAux: func(addr netip.Addr) (lower.Conn, error) {
			b := addr.As4()
			return n.Host(netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 3, b[3]}), 9899)), nil
		},
		signals: sig,
		stderr:  &lockedWriter{w: &stderr},
		crash:   func() { once.Do(func() { n.Down(netip.MustParseAddr(local), true) }) },
		ready:   func(pe *asap.PoolElement) { started <- pe },
	}
	status := make(chan int, 1)
	go func() { status <- run(o, e) }()
	<-started
	t.Cleanup(func() {
		sig <- os.Interrupt
		<-status
	})
}

func openPoolSession(t *testing.T, n *simnet.Network) *asap.Session {
	t.Helper()
	ep := endpoint(t, n, netip.MustParseAddrPort("10.0.2.1:9899"), 7000, 3)
	pu, err := asap.NewPoolUser(context.Background(), ep, asap.PUConfig{Config: asap.Config{Registrars: []netip.AddrPort{regAddr}}, DialTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pu.Close() })
	s, err := pu.OpenSession(context.Background(), "EchoPool", asap.SessionConfig{ReplyTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// -pingpong: the pool element that crashes after three pings hands its
// counter on through the cookie; the other one counts on from it.
func TestServePingPongFailover(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := newNet(t)
		reg := startRegistrar(t, n)
		sessionServer(t, n, "10.0.1.1", "-pingpong", "-id", "1", "-fail-after", "3")
		await[*msg.Registration](t, reg, time.Minute)
		sessionServer(t, n, "10.0.1.2", "-pingpong", "-id", "2")
		r := await[*msg.Registration](t, reg, time.Minute)
		if r.PoolElement.UserTransport.Use != msg.DataPlusControl {
			t.Errorf("transport use %v, want data plus control (RFC 5354 §3.4)", r.PoolElement.UserTransport.Use)
		}
		s := openPoolSession(t, n)
		c := &services.PingPongClient{S: s}
		for i := uint64(1); i <= 6; i++ {
			p, err := c.Ping(context.Background())
			if err != nil {
				t.Fatalf("ping %d: %v", i, err)
			}
			if p.Seq != i || p.Count != i {
				t.Fatalf("ping %d: pong %+v: state lost", i, p)
			}
		}
		if s.Failovers() != 1 {
			t.Errorf("%d failovers, want 1", s.Failovers())
		}
		if pe, _ := s.PoolElement(); pe.ID != 2 {
			t.Errorf("on %v at the end", pe.ID)
		}
	})
}

// -calcapp with -fail-after-seconds: a job longer than the first pool
// element lives is finished by the second from the last checkpoint, and
// its result is the one computed in one go.
func TestServeCalcAppResumes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := newNet(t)
		reg := startRegistrar(t, n)
		sessionServer(t, n, "10.0.1.1", "-calcapp", "-id", "1", "-fail-after-seconds", "5", "-calc-step", "100ms")
		await[*msg.Registration](t, reg, time.Minute)
		sessionServer(t, n, "10.0.1.2", "-calcapp", "-id", "2", "-calc-step", "100ms")
		await[*msg.Registration](t, reg, time.Minute)
		s := openPoolSession(t, n)
		c := &services.CalcClient{S: s}
		r, err := c.Run(context.Background(), 77, 200)
		if err != nil {
			t.Fatal(err)
		}
		if r.ResumedFrom == 0 || r.ResumedFrom%calcCheckpoint != 0 || r.Resent != 1 {
			t.Errorf("result %+v: not resumed from a checkpoint", r)
		}
		if s.Failovers() != 1 {
			t.Errorf("%d failovers", s.Failovers())
		}
	})
}

// RFC 5352 §3.9: each pool element sends its users a business card with
// the other pool elements in the ring of identifiers from its own on,
// and the user follows it. The registrar lists the PEs as they
// registered, 1, 3, 2, so round robin would take the user of PE 1 to PE
// 3; PE 1's card says 2 first, and the user goes there. Without cards
// (-business-card=false) it goes to 3, which shows the card decided.
func TestServeBusinessCardFollowed(t *testing.T) {
	for _, tc := range []struct {
		card bool
		want msg.PEID
	}{{true, 2}, {false, 3}} {
		t.Run("business-card="+strconv.FormatBool(tc.card), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				n := newNet(t)
				reg := startRegistrar(t, n)
				card := "-business-card=" + strconv.FormatBool(tc.card)
				for _, id := range []string{"1", "3", "2"} {
					args := []string{"-pingpong", "-id", id, card}
					if id == "1" {
						args = append(args, "-fail-after", "3")
					}
					sessionServer(t, n, "10.0.1."+id, args...)
					await[*msg.Registration](t, reg, time.Minute)
				}
				time.Sleep(6 * time.Second) // a -card-refresh: every card names the whole pool
				s := openPoolSession(t, n)
				if pe, _ := s.PoolElement(); pe.ID != 1 {
					t.Fatalf("session opened on %v, want PE 1", pe.ID)
				}
				c := &services.PingPongClient{S: s}
				for i := uint64(1); i <= 5; i++ {
					p, err := c.Ping(context.Background())
					if err != nil || p.Count != i {
						t.Fatalf("ping %d: %+v, %v", i, p, err)
					}
					if i == 1 && tc.card {
						ev := waitSessionEvent(t, s, asap.SessionBusinessCard)
						if len(ev.Order) != 2 || ev.Order[0].ID != 2 || ev.Order[1].ID != 3 ||
							ev.Order[0].Addrs[0] != netip.MustParseAddr("10.0.1.2") || ev.Order[0].Port != 5000 {
							t.Fatalf("business card %+v, want PEs 2 and 3", ev.Order)
						}
					}
				}
				if pe, _ := s.PoolElement(); pe.ID != tc.want || s.Failovers() != 1 {
					t.Errorf("on %v after %d failovers, want PE %v after 1", pe.ID, s.Failovers(), tc.want)
				}
			})
		})
	}
}

// waitSessionEvent skips the session's events until one of kind k.
func waitSessionEvent(t *testing.T, s *asap.Session, k asap.SessionEventKind) asap.SessionEvent {
	t.Helper()
	deadline := time.After(time.Second)
	for {
		select {
		case ev := <-s.Events():
			if ev.Kind == k {
				return ev
			}
		case <-deadline:
			t.Fatalf("no %v event", k)
			return asap.SessionEvent{}
		}
	}
}
