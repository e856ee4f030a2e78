package enrp

import (
	"context"
	"testing"
	"testing/synctest"

	"github.com/rserpool/rserpool/asap/handlespace"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// Each limit refuses the registration beyond it with Lack of Resources
// (RFC 5354 §3.12.7) and leaves the others alone; re-registering a PE
// already counted is not beyond any limit.
func TestLimits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{
			MaxRegistrationsPerAssociation: 3,
			Limits:                         handlespace.Limits{MaxPools: 2, MaxPoolElements: 2, MaxElements: 4},
		})
		a := tb.client()
		a.mustRegister("p1", a.pe(1, roundRobin))
		a.mustRegister("p1", a.pe(2, roundRobin))
		refused := func(c *client, handle string, id msg.PEID) {
			t.Helper()
			resp := c.register(handle, c.pe(id, roundRobin))
			if !resp.Reject {
				t.Fatalf("%s/%v accepted", handle, id)
			}
			wantCause(t, resp.Error, msg.CauseLackOfResources)
		}
		refused(a, "p1", 3) // pool full
		a.mustRegister("p2", a.pe(3, roundRobin))
		refused(a, "p2", 4) // three per association
		a.mustRegister("p1", a.pe(1, roundRobin))

		b := tb.client()
		refused(b, "p3", 1) // two pools
		b.mustRegister("p2", b.pe(4, roundRobin))
		refused(b, "p2", 5) // pool full, and four in all

		if s := tb.r.Stats(); s.PoolElements != 4 || s.Pools != 2 || s.RegistrationsRejected != 4 {
			t.Errorf("stats %+v", s)
		}

		// A de-registration makes room on the association.
		a.send(&msg.Deregistration{PoolHandle: []byte("p2"), ID: 3})
		expect[*msg.DeregistrationResponse](a)
		a.mustRegister("p2", a.pe(9, roundRobin))
	})
}

// Config values New refuses.
func TestConfigRefused(t *testing.T) {
	for _, cfg := range []Config{
		{KeepAliveInterval: -1},
		{MaxBadPEReports: -1},
		{UnreachableRate: -1},
		{MinRegistrationLife: 2 * DefaultMaxRegistrationLife},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
	r, err := New(Config{})
	if err != nil || r.ID() == 0 {
		t.Fatalf("New: %v, id %v", err, r.ID())
	}
	c := r.Config()
	if c.KeepAliveInterval != DefaultKeepAliveInterval || c.MaxBadPEReports != 3 || c.MaxHandleResolutionItems != 3 ||
		c.AnnounceAddr != msg.ASAPAnnounceGroup || c.AnnounceInterval != msg.T6ServerAnnounce {
		t.Errorf("defaults %+v", c)
	}
}

// A peer that sends requests and reads none of the answers fills the
// association's send buffer, then the registrar's queue for it: the
// registrar aborts the association rather than hold more.
func TestPeerThatDoesNotReadIsAborted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbedSCTP(t, Config{SendQueue: 4}, sctp.Config{SendBuffer: 4096})
		c := tb.client()
		c.mustRegister("pool", c.pe(1, roundRobin))
		req, _ := msg.Encode(nil, &msg.HandleResolution{PoolHandle: []byte("pool")})
		sent := 0
		for ; sent < 10000; sent++ {
			if c.a.Send(context.Background(), sctp.Message{PPID: msg.PPIDASAP, Data: req}) != nil {
				break
			}
			if sent%100 == 0 {
				synctest.Wait()
				if tb.r.Stats().Associations == 0 {
					break
				}
			}
		}
		synctest.Wait()
		if s := tb.r.Stats(); s.Associations != 0 {
			t.Fatalf("after %d unread answers: %+v", sent, s)
		}
		select {
		case <-c.a.Done():
		default:
			t.Fatal("the client's association lasts")
		}
		// The pool element it registered stays until its keep-alive fails.
		if _, ok := tb.element("pool", 1); !ok {
			t.Fatal("PE removed at once")
		}
	})
}
