package asap

import (
	"context"
	"errors"
	"io"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// A PE that dies without a word (its address goes silent) is found
// failed by ReplyTimeout; the session reports it (RFC 5352 §3.5), moves
// to the other PE, echoes the last cookie (§3.8) so the counter goes on,
// and tells the application.
func TestSessionFailoverOnCrash(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		pe1 := tn.sessionPE(pe1Addr, 1, testPoolKey)
		pe2 := tn.sessionPE(pe2Addr, 2, testPoolKey)
		reg, pu := tn.sessionPool(pe1, pe2)
		s := openSession(t, pu, SessionConfig{ReplyTimeout: 2 * time.Second})
		for i := uint64(1); i <= 3; i++ {
			if id := mustPing(t, s, i); id != 1 {
				t.Fatalf("answer %d from %v, want PE 1", i, id)
			}
		}
		tn.n.Down(pe1Addr.Addr(), true)
		start := time.Now()
		if id := mustPing(t, s, 4); id != 2 {
			t.Fatalf("answer after the crash from %v, want PE 2", id)
		}
		if took := time.Since(start); took < 2*time.Second || took > 3*time.Second {
			t.Errorf("failover took %v with a 2 s reply timeout", took)
		}
		if got := <-pe2.restored; got != 3 {
			t.Errorf("PE 2 restored %d, want 3", got)
		}
		ev := waitSessionEvent(t, s, SessionFailoverStarted, time.Second)
		if ev.From.ID != 1 || ev.Forced || !errors.Is(ev.Err, ErrNoAnswer) {
			t.Errorf("started %+v", ev)
		}
		ev = waitSessionEvent(t, s, SessionFailoverCompleted, time.Second)
		if ev.From.ID != 1 || ev.To.ID != 2 || !ev.Restored {
			t.Errorf("completed %+v", ev)
		}
		un, _ := expect[*msg.EndpointUnreachable](t, reg, 5*time.Second)
		if un.ID != 1 || string(un.PoolHandle) != "EchoPool" {
			t.Errorf("report %+v", un)
		}
		if s.Failovers() != 1 {
			t.Errorf("%d failovers", s.Failovers())
		}
	})
}

// Without a reply timer, SCTP's own failure detection (RFC 9260 §8.1)
// ends the association with a PE that went silent, and the session fails
// over on the association's loss.
func TestSessionFailoverOnAssociationLost(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		pe1 := tn.sessionPE(pe1Addr, 1, testPoolKey)
		pe2 := tn.sessionPE(pe2Addr, 2, testPoolKey)
		_, pu := tn.sessionPool(pe1, pe2)
		s := openSession(t, pu, SessionConfig{})
		mustPing(t, s, 1)
		tn.n.Down(pe1Addr.Addr(), true)
		if id := mustPing(t, s, 2); id != 2 {
			t.Fatalf("answer from %v, want PE 2", id)
		}
		ev := waitSessionEvent(t, s, SessionFailoverStarted, time.Second)
		var oe *sctp.OpError
		if !errors.As(ev.Err, &oe) {
			t.Errorf("failover cause %v, want the association's error", ev.Err)
		}
	})
}

// A PE that shuts its association down (RFC 9260 §9.2) is left as a
// failed one: the pool user gets io.EOF on it and moves on.
func TestSessionFailoverOnShutdown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		pe1 := tn.sessionPE(pe1Addr, 1, testPoolKey)
		pe2 := tn.sessionPE(pe2Addr, 2, testPoolKey)
		pe1.closeAt.Store(2)
		_, pu := tn.sessionPool(pe1, pe2)
		s := openSession(t, pu, SessionConfig{})
		mustPing(t, s, 1)
		mustPing(t, s, 2)
		if id := mustPing(t, s, 3); id != 2 {
			t.Fatalf("answer from %v, want PE 2", id)
		}
		ev := waitSessionEvent(t, s, SessionFailoverStarted, time.Second)
		if !errors.Is(ev.Err, io.EOF) {
			t.Errorf("failover cause %v, want io.EOF", ev.Err)
		}
	})
}

// A PE that keeps its association (heartbeats answered) but stops
// answering is failed after ReplyTimeout, and its association aborted.
func TestSessionFailoverOnSilentPE(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		pe1 := tn.sessionPE(pe1Addr, 1, testPoolKey)
		pe2 := tn.sessionPE(pe2Addr, 2, testPoolKey)
		_, pu := tn.sessionPool(pe1, pe2)
		s := openSession(t, pu, SessionConfig{ReplyTimeout: 3 * time.Second})
		mustPing(t, s, 1)
		mustPing(t, s, 2)
		pe1.silent.Store(true)
		start := time.Now()
		if id := mustPing(t, s, 3); id != 2 {
			t.Fatalf("answer from %v, want PE 2", id)
		}
		if took := time.Since(start); took < 3*time.Second || took > 4*time.Second {
			t.Errorf("failover after %v with a 3 s reply timeout", took)
		}
		ev := waitSessionEvent(t, s, SessionFailoverStarted, time.Second)
		if !errors.Is(ev.Err, ErrNoAnswer) {
			t.Errorf("failover cause %v", ev.Err)
		}
	})
}

// The reply timer runs only while a message waits: an idle session with
// a live PE does not fail over.
func TestSessionIdleNoFailover(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		pe1 := tn.sessionPE(pe1Addr, 1, testPoolKey)
		pe2 := tn.sessionPE(pe2Addr, 2, testPoolKey)
		_, pu := tn.sessionPool(pe1, pe2)
		s := openSession(t, pu, SessionConfig{ReplyTimeout: time.Second})
		mustPing(t, s, 1)
		time.Sleep(10 * time.Second)
		if id := mustPing(t, s, 2); id != 1 || s.Failovers() != 0 {
			t.Errorf("answer from %v after %d failovers", id, s.Failovers())
		}
	})
}

// Failover moves to another PE on request, with the cookie, and does
// not report the PE left: it did not fail.
func TestSessionForcedFailover(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		pe1 := tn.sessionPE(pe1Addr, 1, testPoolKey)
		pe2 := tn.sessionPE(pe2Addr, 2, testPoolKey)
		reg, pu := tn.sessionPool(pe1, pe2)
		s := openSession(t, pu, SessionConfig{})
		mustPing(t, s, 1)
		if err := s.Failover(context.Background()); err != nil {
			t.Fatal(err)
		}
		ev := waitSessionEvent(t, s, SessionFailoverCompleted, 5*time.Second)
		if !ev.Forced || ev.To.ID != 2 {
			t.Errorf("completed %+v", ev)
		}
		if id := mustPing(t, s, 2); id != 2 {
			t.Errorf("answer from %v", id)
		}
		expectNone[*msg.EndpointUnreachable](t, reg, 5*time.Second)
	})
}

// RFC 5352 §3.9 BC2: the failed PE's business card decides where the
// session goes, not the pool's policy (round robin would pick PE 2).
func TestSessionBusinessCardOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		pe1 := tn.sessionPE(pe1Addr, 1, testPoolKey)
		pe2 := tn.sessionPE(pe2Addr, 2, testPoolKey)
		pe3 := tn.sessionPE(pe3Addr, 3, testPoolKey)
		pe1.card = &BusinessCard{Handle: "EchoPool", Order: []PoolElementInfo{
			infoOf(pe3), infoOf(pe2),
		}}
		_, pu := tn.sessionPool(pe1, pe2, pe3)
		s := openSession(t, pu, SessionConfig{ReplyTimeout: time.Second})
		mustPing(t, s, 1)
		ev := waitSessionEvent(t, s, SessionBusinessCard, time.Second)
		if len(ev.Order) != 2 || ev.Order[0].ID != 3 || ev.Order[0].Port != pePort || ev.Order[0].Addrs[0] != pe3Addr.Addr() {
			t.Fatalf("card %+v", ev.Order)
		}
		tn.n.Down(pe1Addr.Addr(), true)
		if id := mustPing(t, s, 2); id != 3 {
			t.Fatalf("failed over to %v, want PE 3 of the business card", id)
		}
		// The card's second entry is next when the first is down too.
		tn.n.Down(pe3Addr.Addr(), true)
		if id := mustPing(t, s, 3); id != 2 {
			t.Fatalf("failed over to %v, want PE 2", id)
		}
	})
}

// A card naming first a PE this session saw fail a moment ago (the
// registrar still lists it) is followed from its next entry: the session
// does not spend DialTimeout on the dead PE.
func TestSessionBusinessCardSkipsFailedPE(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		pe1 := tn.sessionPE(pe1Addr, 1, testPoolKey)
		pe2 := tn.sessionPE(pe2Addr, 2, testPoolKey)
		pe3 := tn.sessionPE(pe3Addr, 3, testPoolKey)
		pe1.card = &BusinessCard{Handle: "EchoPool", Order: []PoolElementInfo{infoOf(pe3), infoOf(pe2)}}
		pe3.card = &BusinessCard{Handle: "EchoPool", Order: []PoolElementInfo{infoOf(pe1), infoOf(pe2)}}
		_, pu := tn.sessionPool(pe1, pe2, pe3)
		s := openSession(t, pu, SessionConfig{ReplyTimeout: time.Second})
		mustPing(t, s, 1)
		tn.n.Down(pe1Addr.Addr(), true)
		if id := mustPing(t, s, 2); id != 3 {
			t.Fatalf("failed over to %v, want PE 3 of the business card", id)
		}
		tn.n.Down(pe3Addr.Addr(), true)
		if id := mustPing(t, s, 3); id != 2 {
			t.Fatalf("failed over to %v, want PE 2", id)
		}
		for {
			ev := waitSessionEvent(t, s, SessionFailoverCompleted, time.Second)
			if ev.To.ID != 2 {
				continue
			}
			if ev.Took >= 2*time.Second {
				t.Errorf("failover to PE 2 took %v: the dead PE 1 was dialed", ev.Took)
			}
			break
		}
	})
}

func infoOf(p *sessionPE) PoolElementInfo {
	pe := poolElement(p.id, p.addr, rr)
	return infoFrom([]byte("EchoPool"), &pe)
}

// With every PE dead the application gets an *UnavailableError once
// FailoverTimeout has passed; the session keeps trying and uses a PE that
// comes back, with the cookie.
func TestSessionAllDeadThenBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		pe1 := tn.sessionPE(pe1Addr, 1, testPoolKey)
		pe2 := tn.sessionPE(pe2Addr, 2, testPoolKey)
		_, pu := tn.sessionPool(pe1, pe2)
		s := openSession(t, pu, SessionConfig{ReplyTimeout: time.Second, FailoverTimeout: 10 * time.Second, RetryInterval: time.Second})
		mustPing(t, s, 1)
		mustPing(t, s, 2)
		tn.n.Down(pe1Addr.Addr(), true)
		tn.n.Down(pe2Addr.Addr(), true)
		start := time.Now()
		_, _, err := ping(t, s)
		var ue *UnavailableError
		if !errors.As(err, &ue) || !errors.Is(err, ErrNoPoolElement) {
			t.Fatalf("ping with every PE dead: %v", err)
		}
		// 1 s to find PE 1 dead, then FailoverTimeout.
		if took := time.Since(start); took < 11*time.Second || took > 12*time.Second {
			t.Errorf("unavailable after %v", took)
		}
		if err := s.Send(context.Background(), sctp.Message{PPID: 99, Data: []byte("x")}); !errors.As(err, &ue) {
			t.Errorf("Send while unavailable: %v", err)
		}
		waitSessionEvent(t, s, SessionUnavailable, time.Second)
		tn.n.Down(pe2Addr.Addr(), false)
		ev := waitSessionEvent(t, s, SessionFailoverCompleted, time.Minute)
		if ev.To.ID != 2 || !ev.Restored {
			t.Errorf("completed %+v", ev)
		}
		if id := mustPing(t, s, 3); id != 2 {
			t.Errorf("answer from %v", id)
		}
	})
}

// Send keeps PPID 11 for the control channel.
func TestSessionSendRefusesASAPPPID(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		pe1 := tn.sessionPE(pe1Addr, 1, testPoolKey)
		_, pu := tn.sessionPool(pe1)
		s := openSession(t, pu, SessionConfig{})
		err := s.Send(context.Background(), sctp.Message{PPID: msg.PPIDASAP, Data: []byte("x")})
		if !errors.Is(err, ErrConfig) {
			t.Errorf("Send with PPID 11: %v", err)
		}
	})
}

// Opening a session with a pool whose PEs cannot be reached fails with
// a *DialError.
func TestSessionOpenNoPE(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		pe1 := tn.sessionPE(pe1Addr, 1, testPoolKey)
		_, pu := tn.sessionPool(pe1)
		tn.n.Down(pe1Addr.Addr(), true)
		_, err := pu.OpenSession(context.Background(), "EchoPool", SessionConfig{})
		var de *DialError
		if !errors.As(err, &de) || !errors.Is(err, ErrNoPoolElement) {
			t.Errorf("OpenSession: %v", err)
		}
	})
}
