package enrp

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

// The registrar probes each PE it owns every KeepAliveInterval ±50%
// (RFC 5352 §3.5) with ASAP_ENDPOINT_KEEP_ALIVE: its identifier, the
// pool handle, H clear, and rsplib's PE identifier. A PE that stops
// answering is removed KeepAliveTimeout after the keep-alive it left
// unanswered.
func TestKeepAliveTimeoutRemovesDeadPE(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const iv, timeout = 4 * time.Second, 3 * time.Second
		tb := newTestbed(t, Config{KeepAliveInterval: iv, KeepAliveTimeout: timeout})
		c := tb.client()
		c.mustRegister("pool", c.pe(5, roundRobin))
		last := time.Now()
		for range 10 {
			ka := expect[*msg.EndpointKeepAlive](c)
			gap := time.Since(last)
			if gap < iv/2 || gap > iv*3/2 {
				t.Fatalf("keep-alive after %v, want within [%v, %v]", gap, iv/2, iv*3/2)
			}
			if ka.Home || ka.ServerID != testServerID || string(ka.PoolHandle) != "pool" || !ka.HasID || ka.ID != 5 {
				t.Fatalf("keep-alive %+v", ka)
			}
			c.send(&msg.EndpointKeepAliveAck{PoolHandle: ka.PoolHandle, ID: ka.ID})
			last = time.Now()
		}
		if _, ok := tb.element("pool", 5); !ok {
			t.Fatal("a PE that answers was removed")
		}

		// The PE stops answering.
		expect[*msg.EndpointKeepAlive](c)
		sent := time.Now()
		wait(timeout - time.Millisecond)
		if _, ok := tb.element("pool", 5); !ok {
			t.Fatal("removed before the timeout")
		}
		wait(2 * time.Millisecond)
		if _, ok := tb.element("pool", 5); ok {
			t.Fatalf("still registered %v after the unanswered keep-alive", time.Since(sent))
		}
		if s := tb.r.Stats(); s.KeepAliveFailures != 1 || s.Removals != 1 || s.KeepAlivesSent != 11 || s.Pools != 0 {
			t.Errorf("stats %+v", s)
		}
		c.silent(time.Minute)
	})
}

// An acknowledgement from another association does not speak for the
// PE.
func TestKeepAliveAckFromElsewhereIgnored(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{})
		pe := tb.client()
		other := tb.client()
		pe.mustRegister("pool", pe.pe(5, roundRobin))
		ka := expect[*msg.EndpointKeepAlive](pe)
		other.send(&msg.EndpointKeepAliveAck{PoolHandle: ka.PoolHandle, ID: ka.ID})
		wait(DefaultKeepAliveTimeout + time.Millisecond)
		if _, ok := tb.element("pool", 5); ok {
			t.Fatal("an acknowledgement from another association kept the PE")
		}
		if s := tb.r.Stats(); s.Discarded != 1 {
			t.Errorf("stats %+v", s)
		}
	})
}

// A PE whose association is lost stays registered, since it may come
// back, until its next keep-alive, which cannot be sent (RFC 5352 §3.5:
// a keep-alive that fails removes the PE).
func TestAssociationLossRemovesAtNextKeepAlive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const iv = 4 * time.Second
		tb := newTestbed(t, Config{KeepAliveInterval: iv})
		c := tb.client()
		c.mustRegister("pool", c.pe(5, roundRobin))
		registered := time.Now()
		c.a.Abort("gone")
		wait(time.Millisecond)
		e, ok := tb.element("pool", 5)
		if !ok || e.Connected {
			t.Fatalf("after the loss: registered %v, connected %v", ok, e.Connected)
		}
		for {
			if _, ok := tb.element("pool", 5); !ok {
				break
			}
			if time.Since(registered) > iv*3/2 {
				t.Fatal("still registered after the keep-alive was due")
			}
			wait(10 * time.Millisecond)
		}
		if time.Since(registered) < iv/2 {
			t.Fatalf("removed after %v, before its keep-alive", time.Since(registered))
		}
		if s := tb.r.Stats(); s.KeepAliveFailures != 1 || s.KeepAlivesSent != 0 || s.Associations != 0 {
			t.Errorf("stats %+v", s)
		}
	})
}

// A PE that comes back on a new association and registers again before
// its keep-alive is due stays, and is watched over its new association.
func TestReconnectedPEStays(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{})
		c := tb.client()
		c.mustRegister("pool", c.pe(5, roundRobin))
		c.a.Abort("gone")
		again := tb.dial(c.ep, c.addr)
		again.mustRegister("pool", c.pe(5, roundRobin))
		again.startAutoAck()
		again.silent(time.Minute)
		if e, ok := tb.element("pool", 5); !ok || !e.Connected {
			t.Fatalf("registered %v, connected %v", ok, e.Connected)
		}
		if s := tb.r.Stats(); s.KeepAliveFailures != 0 || s.KeepAlivesSent < 8 {
			t.Errorf("stats %+v", s)
		}
	})
}

// Each ASAP_ENDPOINT_UNREACHABLE makes the registrar probe the PE at
// once; the report that brings the count to MAX-BAD-PE-REPORT removes it
// even though it answers (RFC 5352 §3.5).
func TestUnreachableReportsRemovePE(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{MaxBadPEReports: 3, KeepAliveInterval: time.Hour})
		pe := tb.client()
		pu := tb.client()
		pe.mustRegister("pool", pe.pe(5, roundRobin))
		report := &msg.EndpointUnreachable{PoolHandle: []byte("pool"), ID: 5}
		for i := 1; i <= 2; i++ {
			pu.send(report)
			start := time.Now()
			ka := expect[*msg.EndpointKeepAlive](pe)
			if time.Since(start) > 10*time.Millisecond || ka.Home || ka.ID != 5 {
				t.Fatalf("report %d: probe %+v after %v", i, ka, time.Since(start))
			}
			pe.send(&msg.EndpointKeepAliveAck{PoolHandle: ka.PoolHandle, ID: ka.ID})
			wait(time.Second)
			e, ok := tb.element("pool", 5)
			if !ok || e.UnreachableReports != i || e.AwaitingAck {
				t.Fatalf("report %d: %+v, %v", i, e, ok)
			}
		}
		pu.send(report)
		wait(time.Millisecond)
		if _, ok := tb.element("pool", 5); ok {
			t.Fatal("still registered after MAX-BAD-PE-REPORT reports")
		}
		if s := tb.r.Stats(); s.UnreachableReports != 3 || s.UnreachableRemovals != 1 || s.Removals != 1 || s.KeepAlivesSent != 2 {
			t.Errorf("stats %+v", s)
		}
		pe.silent(time.Minute)
	})
}

// A PE that does not answer the probe a report triggers is removed
// after KeepAliveTimeout, on the first report.
func TestUnreachableProbeFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{KeepAliveInterval: time.Hour, KeepAliveTimeout: 2 * time.Second})
		pe := tb.client()
		pu := tb.client()
		pe.mustRegister("pool", pe.pe(5, roundRobin))
		pu.send(&msg.EndpointUnreachable{PoolHandle: []byte("pool"), ID: 5})
		expect[*msg.EndpointKeepAlive](pe)
		wait(2*time.Second + time.Millisecond)
		if _, ok := tb.element("pool", 5); ok {
			t.Fatal("a PE that did not answer the probe stays")
		}
		if s := tb.r.Stats(); s.KeepAliveFailures != 1 || s.UnreachableRemovals != 0 {
			t.Errorf("stats %+v", s)
		}
	})
}

// A flood of reports from one pool user: beyond the burst, reports are
// dropped until the bucket refills, and the PE gets one probe at a time,
// not one per report.
func TestUnreachableFloodLimited(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{MaxBadPEReports: 1000, UnreachableRate: 2, UnreachableBurst: 4, KeepAliveInterval: time.Hour})
		pe := tb.client()
		pu := tb.client()
		pe.mustRegister("pool", pe.pe(5, roundRobin))
		report := &msg.EndpointUnreachable{PoolHandle: []byte("pool"), ID: 5}
		flood := time.Now()
		for range 100 {
			pu.send(report)
		}
		wait(10 * time.Millisecond)
		s := tb.r.Stats()
		if s.UnreachableReports != 4 || s.UnreachableDropped != 96 || s.KeepAlivesSent != 1 {
			t.Fatalf("after the flood: %+v", s)
		}
		ka := expect[*msg.EndpointKeepAlive](pe)
		pe.send(&msg.EndpointKeepAliveAck{PoolHandle: ka.PoolHandle, ID: ka.ID})
		pe.silent(100 * time.Millisecond)

		// 0.6 s after the flood, one token is back.
		wait(time.Until(flood.Add(600 * time.Millisecond)))
		pu.send(report)
		pu.send(report)
		wait(10 * time.Millisecond)
		if s := tb.r.Stats(); s.UnreachableReports != 5 || s.UnreachableDropped != 97 || s.KeepAlivesSent != 2 {
			t.Fatalf("after refill: %+v", s)
		}
		if e, _ := tb.element("pool", 5); e.UnreachableReports != 5 {
			t.Fatalf("reports %d", e.UnreachableReports)
		}
	})
}

// A registration that is not renewed expires at the end of its life, and
// the PE gets an ASAP_DEREGISTRATION_RESPONSE (RFC 5352 §3.2); one
// renewed in time does not.
func TestRegistrationExpiry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{})
		c := tb.client()
		c.startAutoAck()
		pe := c.pe(5, roundRobin)
		pe.RegistrationLife = 20
		c.mustRegister("pool", pe)
		wait(15 * time.Second)
		c.mustRegister("pool", pe) // renewed for 20 s from now
		renewed := time.Now()
		dr := expect[*msg.DeregistrationResponse](c)
		if got := time.Since(renewed); got != 20*time.Second {
			t.Fatalf("expired %v after the renewal, want 20s", got)
		}
		if string(dr.PoolHandle) != "pool" || dr.ID != 5 || !dr.Error.IsZero() {
			t.Fatalf("response %+v", dr)
		}
		if _, ok := tb.element("pool", 5); ok {
			t.Fatal("still registered")
		}
		if s := tb.r.Stats(); s.Expirations != 1 || s.Removals != 1 || s.Owned != 0 {
			t.Errorf("stats %+v", s)
		}
		c.silent(time.Minute)
	})
}
