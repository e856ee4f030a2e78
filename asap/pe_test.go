package asap

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp/lower"
)

// RFC 5352 §3.1 R2, §3.6: the PE hunts for a registrar (the first of the
// list is dead, so it needs a second round after T5), registers there
// with its handle, identifier, lifetime in seconds, user transport and
// policy, and reports it.
func TestPERegistersAfterServerHunt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg := tn.registrar(reg2Addr, 0x2222)
		cfg := PEConfig{Config: fastConfig(deadAddr, reg2Addr), ID: 0x1234, Lifetime: 60 * time.Second,
			Policy: msg.Policy{Type: msg.PolicyWeightedRoundRobin, Weight: 7}}
		cfg.MaxHuntAssocs = 1 // one registrar per round: the dead one first
		start := time.Now()
		pe := startPE(t, tn.endpoint(pe1Addr, pePort), cfg)
		m, _ := expect[*msg.Registration](t, reg, time.Minute)
		if took := time.Since(start); took < msg.T5ServerHunt {
			t.Errorf("registered after %v: the dead registrar should have taken a T5 round of %v", took, msg.T5ServerHunt)
		}
		if string(m.PoolHandle) != "EchoPool" || m.PoolElement.ID != 0x1234 || m.PoolElement.RegistrationLife != 60 {
			t.Errorf("registration %q id %v life %d", m.PoolHandle, m.PoolElement.ID, m.PoolElement.RegistrationLife)
		}
		ut := m.PoolElement.UserTransport
		if ut.Kind != msg.ParamSCTPTransport || ut.Port != pePort || ut.Use != msg.DataOnly || ut.Addrs.First() != pe1Addr.Addr() {
			t.Errorf("user transport %+v", ut)
		}
		if p := m.PoolElement.Policy; p.Type != msg.PolicyWeightedRoundRobin || p.Weight != 7 {
			t.Errorf("policy %+v", p)
		}
		ev := nextEvent(t, pe, time.Second)
		if ev.Kind != EventRegistered || ev.Renewal || ev.Registrar != reg2Addr {
			t.Errorf("event %+v", ev)
		}
		if s := pe.State(); !s.Registered || s.Registrar != reg2Addr || s.Registrations != 1 {
			t.Errorf("state %+v", s)
		}
	})
}

// RFC 5352 §3.6 SH1: the hunt dials several registrars at once, so a
// dead one costs nothing when another answers.
func TestPEHuntTriesRegistrarsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg := tn.registrar(reg2Addr, 0x2222)
		start := time.Now()
		startPE(t, tn.endpoint(pe1Addr, pePort), PEConfig{Config: fastConfig(deadAddr, reg2Addr)})
		expect[*msg.Registration](t, reg, time.Minute)
		if took := time.Since(start); took > time.Second {
			t.Errorf("registered after %v", took)
		}
	})
}

// RFC 5352 §3.6 SH4: a registrar that refuses the association is
// replaced at once by the next one of the list, within the round.
func TestPEHuntReplacesRefusingRegistrar(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		tn.endpoint(reg1Addr, msg.PortASAP) // up, but not listening: it aborts the INIT
		reg := tn.registrar(reg2Addr, 0x2222)
		cfg := PEConfig{Config: fastConfig(reg1Addr, reg2Addr)}
		cfg.MaxHuntAssocs = 1
		start := time.Now()
		startPE(t, tn.endpoint(pe1Addr, pePort), cfg)
		expect[*msg.Registration](t, reg, time.Minute)
		if took := time.Since(start); took > time.Second {
			t.Errorf("registered after %v", took)
		}
	})
}

// RFC 5352 §3.6 SH2, SH5: each round of the hunt lasts T5, which doubles
// after each round that found nothing, up to RETRAN-MAX; each round
// dials anew (a new INIT with a new initiate tag).
func TestPEHuntDoublesT5(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		var mu sync.Mutex
		var dials []time.Duration
		tags := map[uint32]bool{}
		start := time.Now()
		tn.n.Tap(func(p lower.Packet, _ bool) {
			// An INIT (chunk type 1) to the dead registrar: its initiate
			// tag tells one dial from another.
			if p.Dst != deadAddr || len(p.Buf) < 20 || p.Buf[12] != 1 {
				return
			}
			tag := binary.BigEndian.Uint32(p.Buf[16:])
			mu.Lock()
			if !tags[tag] {
				tags[tag] = true
				dials = append(dials, time.Since(start).Round(time.Second))
			}
			mu.Unlock()
		})
		pe := startPE(t, tn.endpoint(pe1Addr, pePort), PEConfig{Config: fastConfig(deadAddr)})
		time.Sleep(180 * time.Second)
		mu.Lock()
		got := fmt.Sprint(dials)
		mu.Unlock()
		// Rounds of 10, 20, 40, then 60 s (RETRAN-MAX).
		if want := "[0s 10s 30s 1m10s 2m10s]"; got != want {
			t.Errorf("dials at %s, want %s", got, want)
		}
		if pe.State().Registered {
			t.Fatal("registered with nobody")
		}
		tn.n.Tap(nil)
		reg := tn.registrar(deadAddr, 0x99)
		expect[*msg.Registration](t, reg, 2*time.Minute)
	})
}

// RFC 5352 §3.1, §7.1: after a successful registration the PE
// re-registers every T4-reregistration, 20 s less than the lifetime,
// with the same identifier.
func TestPEReregistersOnT4(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg := tn.registrar(reg1Addr, 0x1111)
		pe := startPE(t, tn.endpoint(pe1Addr, pePort), PEConfig{Config: fastConfig(reg1Addr), Lifetime: 60 * time.Second})
		first, _ := expect[*msg.Registration](t, reg, time.Minute)
		waitEvent(t, pe, EventRegistered, time.Second)
		t0 := time.Now()
		expectNone[*msg.Registration](t, reg, 39*time.Second)
		second, _ := expect[*msg.Registration](t, reg, 2*time.Second)
		if d := time.Since(t0); d < 39*time.Second || d > 41*time.Second {
			t.Errorf("re-registration after %v, want 40 s", d)
		}
		if second.PoolElement.ID != first.PoolElement.ID {
			t.Errorf("re-registration with id %v, first %v", second.PoolElement.ID, first.PoolElement.ID)
		}
		ev := waitEvent(t, pe, EventRegistered, time.Second)
		if !ev.Renewal || pe.State().Registrations != 2 {
			t.Errorf("event %+v, state %+v", ev, pe.State())
		}
	})
}

// RFC 5352 §3.4 KA1, KA2: a keep-alive for the PE is answered on its
// association with the PE's handle and identifier; one for another pool
// or (rsplib's PE Identifier) another PE is discarded.
func TestPEAnswersKeepAlive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg := tn.registrar(reg1Addr, 0x1111)
		pe := startPE(t, tn.endpoint(pe1Addr, pePort), PEConfig{Config: fastConfig(reg1Addr), ID: 0x77})
		_, a := expect[*msg.Registration](t, reg, time.Minute)
		waitEvent(t, pe, EventRegistered, time.Second)

		reg.send(a, &msg.EndpointKeepAlive{ServerID: 0x1111, PoolHandle: []byte("OtherPool")})
		reg.send(a, &msg.EndpointKeepAlive{ServerID: 0x1111, PoolHandle: []byte("EchoPool"), ID: 0x78, HasID: true})
		expectNone[*msg.EndpointKeepAliveAck](t, reg, 5*time.Second)

		reg.send(a, &msg.EndpointKeepAlive{ServerID: 0x1111, PoolHandle: []byte("EchoPool"), ID: 0x77, HasID: true})
		ack, on := expect[*msg.EndpointKeepAliveAck](t, reg, time.Second)
		if string(ack.PoolHandle) != "EchoPool" || ack.ID != 0x77 || on != a {
			t.Errorf("ack %q %v on %p, want on %p", ack.PoolHandle, ack.ID, on, a)
		}
		if s := pe.State(); s.Server != 0x1111 || s.Registrar != reg1Addr {
			t.Errorf("state %+v", s)
		}
	})
}

// RFC 5352 §3.4 KA2.4: a keep-alive with the H flag from another
// registrar, on an association it opened to the PE, makes it the home
// registrar: the ack goes to it, the PE reports the change, and later
// registrations go there.
func TestPEMovesHomeOnKeepAlive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg1 := tn.registrar(reg1Addr, 0x1111)
		reg2 := tn.registrar(reg2Addr, 0x2222)
		pe := startPE(t, tn.endpoint(pe1Addr, pePort), PEConfig{Config: fastConfig(reg1Addr), ID: 0x77,
			Policy: msg.Policy{Type: msg.PolicyLeastUsed}})
		serveAccept(t, pe)
		_, a1 := expect[*msg.Registration](t, reg1, time.Minute)
		waitEvent(t, pe, EventRegistered, time.Second)
		reg1.send(a1, &msg.EndpointKeepAlive{ServerID: 0x1111, PoolHandle: []byte("EchoPool")})
		expect[*msg.EndpointKeepAliveAck](t, reg1, time.Second)

		// The registrar taking over reaches the PE at its user transport.
		a2, err := reg2.ep.Dial(context.Background(), []netip.AddrPort{pe1Addr}, pePort)
		if err != nil {
			t.Fatal(err)
		}
		reg2.serve(a2)
		reg2.send(a2, &msg.EndpointKeepAlive{Home: true, ServerID: 0x2222, PoolHandle: []byte("EchoPool"), ID: 0x77, HasID: true})
		ack, on := expect[*msg.EndpointKeepAliveAck](t, reg2, time.Second)
		if on != a2 || ack.ID != 0x77 {
			t.Errorf("ack %+v on %p, want %p", ack, on, a2)
		}
		ev := waitEvent(t, pe, EventRegistrarChanged, time.Second)
		if ev.Server != 0x2222 {
			t.Errorf("event %+v", ev)
		}
		if s := pe.State(); s.Server != 0x2222 || !s.Registered {
			t.Errorf("state %+v", s)
		}
		// The old home association is closed.
		select {
		case <-a1.Done():
		case <-time.After(10 * time.Second):
			t.Error("association with the former home registrar still up")
		}
		// A load report re-registers at the new home.
		if err := pe.SetLoad(1000); err != nil {
			t.Fatal(err)
		}
		m, on := expect[*msg.Registration](t, reg2, time.Second)
		if on != a2 || m.PoolElement.Policy.Load != 1000 {
			t.Errorf("registration %+v on %p", m.PoolElement.Policy, on)
		}
		expectNone[*msg.Registration](t, reg1, time.Second)
	})
}

// RFC 5352 §3.6: when the association with the home registrar is lost
// (here the registrar goes away), the PE reports it, hunts and registers
// with another one.
func TestPERehuntsOnRegistrarLoss(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg1 := tn.registrar(reg1Addr, 0x1111)
		reg2 := tn.registrar(reg2Addr, 0x2222)
		cfg := PEConfig{Config: fastConfig(reg1Addr, reg2Addr)}
		cfg.MaxHuntAssocs = 1
		pe := startPE(t, tn.endpoint(pe1Addr, pePort), cfg)
		expect[*msg.Registration](t, reg1, time.Minute)
		waitEvent(t, pe, EventRegistered, time.Second)
		expectNone[*msg.Registration](t, reg2, time.Second)

		reg1.ep.Close()
		ev := waitEvent(t, pe, EventRegistrarLost, time.Minute)
		if ev.Registrar != reg1Addr || ev.Err == nil {
			t.Errorf("lost event %+v", ev)
		}
		expect[*msg.Registration](t, reg2, time.Minute)
		if ev := waitEvent(t, pe, EventRegistrarChanged, time.Second); ev.Registrar != reg2Addr {
			t.Errorf("changed event %+v", ev)
		}
		if ev := waitEvent(t, pe, EventRegistered, time.Second); ev.Registrar != reg2Addr || ev.Renewal {
			t.Errorf("registered event %+v", ev)
		}
	})
}

// RFC 5352 §3.2: Close sends ASAP_DEREGISTRATION with the handle and
// identifier of the registration and returns once it is answered.
func TestPEDeregistersOnClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg := tn.registrar(reg1Addr, 0x1111)
		pe := startPE(t, tn.endpoint(pe1Addr, pePort), PEConfig{Config: fastConfig(reg1Addr), ID: 0x55})
		_, a := expect[*msg.Registration](t, reg, time.Minute)
		waitEvent(t, pe, EventRegistered, time.Second)
		if err := pe.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		m, on := expect[*msg.Deregistration](t, reg, time.Second)
		if string(m.PoolHandle) != "EchoPool" || m.ID != 0x55 || on != a {
			t.Errorf("deregistration %q %v", m.PoolHandle, m.ID)
		}
		if _, ok := <-pe.Events(); ok {
			// Events drain, then close.
			for range pe.Events() {
			}
		}
		if err := pe.SetLoad(1); !errors.Is(err, ErrClosed) {
			t.Errorf("SetLoad after Close: %v", err)
		}
	})
}

// RFC 5352 §3.2 D4: when T3 expires without an answer, the PE hunts for
// another registrar and de-registers there.
func TestPEDeregistrationHuntsOnT3(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg1 := tn.registrar(reg1Addr, 0x1111)
		reg2 := tn.registrar(reg2Addr, 0x2222)
		reg1.set(func(r *fakeRegistrar) { r.silentDereg = true })
		cfg := PEConfig{Config: fastConfig(reg1Addr, reg2Addr), ID: 0x55}
		cfg.MaxHuntAssocs = 1
		pe := startPE(t, tn.endpoint(pe1Addr, pePort), cfg)
		expect[*msg.Registration](t, reg1, time.Minute)
		waitEvent(t, pe, EventRegistered, time.Second)
		start := time.Now()
		if err := pe.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took < msg.T3Deregistration {
			t.Errorf("closed after %v, before T3", took)
		}
		expect[*msg.Deregistration](t, reg1, time.Second)
		if m, _ := expect[*msg.Deregistration](t, reg2, time.Second); m.ID != 0x55 {
			t.Errorf("deregistration at the second registrar for %v", m.ID)
		}
	})
}

// Close's context bounds the de-registration.
func TestPECloseContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg := tn.registrar(reg1Addr, 0x1111)
		reg.set(func(r *fakeRegistrar) { r.silentDereg = true })
		pe := startPE(t, tn.endpoint(pe1Addr, pePort), PEConfig{Config: fastConfig(reg1Addr)})
		expect[*msg.Registration](t, reg, time.Minute)
		waitEvent(t, pe, EventRegistered, time.Second)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := pe.Close(ctx); !isTimeout(err) {
			t.Errorf("Close: %v", err)
		}
	})
}

// RFC 5352 §3.1: a refused registration is reported with the causes, and
// not tried again until the application corrects it.
func TestPERegistrationRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg := tn.registrar(reg1Addr, 0x1111)
		reg.set(func(r *fakeRegistrar) { r.rejectReg = true })
		pe := startPE(t, tn.endpoint(pe1Addr, pePort), PEConfig{Config: fastConfig(reg1Addr)})
		expect[*msg.Registration](t, reg, time.Minute)
		ev := waitEvent(t, pe, EventRegistrationFailed, time.Second)
		var oe *OperationFailedError
		if !errors.As(ev.Err, &oe) || len(oe.Causes) != 1 || oe.Causes[0] != msg.CauseInconsistentPoolingPolicy {
			t.Fatalf("event error %v", ev.Err)
		}
		expectNone[*msg.Registration](t, reg, 15*time.Minute)
		if s := pe.State(); s.Registered || s.Err == nil {
			t.Errorf("state %+v", s)
		}
		reg.set(func(r *fakeRegistrar) { r.rejectReg = false })
		if err := pe.SetPolicy(msg.Policy{Type: msg.PolicyLeastUsed, Load: 5}); err != nil {
			t.Fatal(err)
		}
		m, _ := expect[*msg.Registration](t, reg, time.Second)
		if m.PoolElement.Policy.Type != msg.PolicyLeastUsed || m.PoolElement.Policy.Load != 5 {
			t.Errorf("policy %+v", m.PoolElement.Policy)
		}
		waitEvent(t, pe, EventRegistered, time.Second)
	})
}

// RFC 5352 §3.1, §7.3: an unanswered registration is sent again after
// T2 (doubled for the second attempt); after MAX-REG-ATTEMPT the PE
// reports the failure and hunts for another registrar.
func TestPERegistrationTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg1 := tn.registrar(reg1Addr, 0x1111)
		reg2 := tn.registrar(reg2Addr, 0x2222)
		reg1.set(func(r *fakeRegistrar) { r.silentReg = true })
		cfg := PEConfig{Config: fastConfig(reg1Addr, reg2Addr)}
		cfg.MaxHuntAssocs = 1
		pe := startPE(t, tn.endpoint(pe1Addr, pePort), cfg)
		expect[*msg.Registration](t, reg1, time.Minute)
		t0 := time.Now()
		expect[*msg.Registration](t, reg1, msg.T2Registration+time.Second)
		if d := time.Since(t0); d < msg.T2Registration-time.Second {
			t.Errorf("second attempt after %v", d)
		}
		ev := waitEvent(t, pe, EventRegistrationFailed, 2*msg.T2Registration+time.Second)
		if !errors.Is(ev.Err, ErrRegistrationTimeout) {
			t.Errorf("event %+v", ev)
		}
		if d := time.Since(t0); d < 3*msg.T2Registration-time.Second {
			t.Errorf("gave up after %v, want T2 + 2 T2", d)
		}
		expect[*msg.Registration](t, reg2, time.Minute)
		waitEvent(t, pe, EventRegistered, time.Second)
	})
}

// A load report while a registration is outstanding is sent once that
// one is answered, so the registrar ends up with the last value.
func TestPELoadReportDuringRegistration(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg := tn.registrar(reg1Addr, 0x1111)
		reg.set(func(r *fakeRegistrar) { r.silentReg = true })
		pe := startPE(t, tn.endpoint(pe1Addr, pePort), PEConfig{Config: fastConfig(reg1Addr), ID: 3,
			Policy: msg.Policy{Type: msg.PolicyLeastUsed}})
		_, a := expect[*msg.Registration](t, reg, time.Minute)
		if err := pe.SetLoad(9); err != nil {
			t.Fatal(err)
		}
		expectNone[*msg.Registration](t, reg, time.Second)
		reg.send(a, &msg.RegistrationResponse{PoolHandle: []byte("EchoPool"), ID: 3})
		m, _ := expect[*msg.Registration](t, reg, time.Second)
		if m.PoolElement.Policy.Load != 9 {
			t.Errorf("load %d", m.PoolElement.Policy.Load)
		}
	})
}

// RFC 5352 §3.2: a de-registration response the PE did not ask for (its
// registration expired at the registrar) is reported, and the PE
// registers again.
func TestPERegistersAgainWhenRemoved(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg := tn.registrar(reg1Addr, 0x1111)
		pe := startPE(t, tn.endpoint(pe1Addr, pePort), PEConfig{Config: fastConfig(reg1Addr), ID: 9})
		_, a := expect[*msg.Registration](t, reg, time.Minute)
		waitEvent(t, pe, EventRegistered, time.Second)
		reg.send(a, &msg.DeregistrationResponse{PoolHandle: []byte("EchoPool"), ID: 9})
		waitEvent(t, pe, EventDeregistered, time.Second)
		expect[*msg.Registration](t, reg, time.Second)
		waitEvent(t, pe, EventRegistered, time.Second)
	})
}

// RFC 5352 §3.6: with no registrar configured, one learned from an
// ASAP_SERVER_ANNOUNCE serves.
func TestPERegistersWithAnnouncedRegistrar(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg := tn.registrar(reg2Addr, 0x2222)
		src := newFakeAnnounces()
		cfg := PEConfig{Config: Config{Announcements: src}}
		startPE(t, tn.endpoint(pe1Addr, pePort), cfg)
		time.Sleep(time.Minute)
		src.send(t, &msg.ServerAnnounce{ServerID: 0x2222}, reg2Addr.Addr())
		expect[*msg.Registration](t, reg, time.Second)
	})
}

// Accept gives the application the associations of its users and keeps
// those from the registrar port.
func TestPEAcceptPassesUsers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		reg := tn.registrar(reg1Addr, 0x1111)
		pe := startPE(t, tn.endpoint(pe1Addr, pePort), PEConfig{Config: fastConfig(reg1Addr)})
		expect[*msg.Registration](t, reg, time.Minute)
		user := tn.endpoint(puAddr, 7000)
		ua, err := user.Dial(context.Background(), []netip.AddrPort{pe1Addr}, pePort)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		a, err := pe.Accept(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if a.PeerPort() != 7000 {
			t.Errorf("accepted the association from port %d", a.PeerPort())
		}
		a.Abort("done")
		ua.Abort("done")
	})
}

// The lifetime on the wire and the re-registration period derived from
// it (RFC 5354 §3.10, RFC 5352 §7.1).
func TestPELifetime(t *testing.T) {
	for _, c := range []struct {
		life   time.Duration
		millis bool
		field  int32
		t4     time.Duration
	}{
		{60 * time.Second, false, 60, 40 * time.Second},
		{90 * time.Second, true, 90000, 70 * time.Second},
		{time.Hour, false, 3600, msg.T4Reregistration},
		{20 * time.Second, false, 20, 10 * time.Second},
		{-1, false, -1, msg.T4Reregistration},
	} {
		cfg := PEConfig{Lifetime: c.life, LifetimeMillis: c.millis}
		cfg.T4Reregistration = msg.T4Reregistration
		if f, t4 := cfg.lifetimeField(), cfg.reregistration(); f != c.field || t4 != c.t4 {
			t.Errorf("lifetime %v millis %v: field %d T4 %v, want %d %v", c.life, c.millis, f, t4, c.field, c.t4)
		}
	}
}

func TestPEConfigRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		ep := tn.endpoint(pe1Addr, pePort)
		for _, cfg := range []PEConfig{
			{},
			{PoolHandle: string(make([]byte, 65))},
			{PoolHandle: "p", Policy: msg.Policy{Type: 0x80000001}},
			{PoolHandle: "p", TransportUse: 7},
			{PoolHandle: "p", Lifetime: time.Millisecond},
			{PoolHandle: "p", Config: Config{T1ENRPRequest: -1}},
		} {
			if _, err := NewPoolElement(context.Background(), ep, cfg); !errors.Is(err, ErrConfig) {
				t.Errorf("%+v: %v", cfg, err)
			}
		}
	})
}
