package enrp

import (
	"bytes"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap/handlespace"
	"github.com/rserpool/rserpool/asap/msg"
)

// A registration creates the pool with the registrar as the PE's home
// and the association's transport as its ASAP transport (RFC 5352 §3.1
// rules 1 and 4); a second one updates it (rule 3); a de-registration
// removes it and the pool (§3.2); one for a PE that is not there is
// granted all the same.
func TestRegisterUpdateDeregister(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{})
		c := tb.client()
		start := time.Now()
		c.mustRegister("echo", c.pe(0x1001, weighted(5)))

		e, ok := tb.element("echo", 0x1001)
		if !ok {
			t.Fatal("not registered")
		}
		if e.Home != testServerID || !e.Owned || !e.Connected {
			t.Errorf("home %v owned %v connected %v", e.Home, e.Owned, e.Connected)
		}
		if e.Policy.Weight != 5 || e.RegistrationLife != 300 || !e.Expires.Equal(start.Add(300*time.Second)) {
			t.Errorf("weight %d, life %d, expires %v", e.Policy.Weight, e.RegistrationLife, e.Expires.Sub(start))
		}
		if a := e.ASAPTransport; a == nil || a.Port != c.ep.Port() || !slices.Equal(a.Addrs, []netip.Addr{c.addr.Addr()}) {
			t.Errorf("ASAP transport %+v, want port %d at %v", a, c.ep.Port(), c.addr.Addr())
		}
		if !slices.Equal(e.UserTransport.Addrs, []netip.Addr{c.addr.Addr()}) || e.UserTransport.Port != 7000 {
			t.Errorf("user transport %+v", e.UserTransport)
		}

		wait(time.Second)
		c.startAutoAck()
		pe := c.pe(0x1001, weighted(9))
		pe.RegistrationLife = 600
		c.mustRegister("echo", pe)
		e, _ = tb.element("echo", 0x1001)
		if e.Policy.Weight != 9 || !e.Expires.Equal(time.Now().Add(600*time.Second)) {
			t.Errorf("after update: weight %d, expires in %v", e.Policy.Weight, time.Until(e.Expires))
		}
		if s := tb.r.Stats(); s.Registrations != 1 || s.Reregistrations != 1 || s.Pools != 1 || s.PoolElements != 1 || s.Owned != 1 {
			t.Errorf("stats %+v", s)
		}

		c.send(&msg.Deregistration{PoolHandle: []byte("echo"), ID: 0x1001})
		dr := expect[*msg.DeregistrationResponse](c)
		if string(dr.PoolHandle) != "echo" || dr.ID != 0x1001 || !dr.Error.IsZero() {
			t.Fatalf("de-registration response %+v", dr)
		}
		if snap := tb.r.Snapshot(); len(snap) != 0 {
			t.Fatalf("handlespace after de-registration: %+v", snap)
		}

		c.send(&msg.Deregistration{PoolHandle: []byte("echo"), ID: 0x1001})
		if dr := expect[*msg.DeregistrationResponse](c); !dr.Error.IsZero() {
			t.Fatalf("de-registration of an absent PE refused: %v", causes(dr.Error))
		}
		if s := tb.r.Stats(); s.Deregistrations != 2 || s.Owned != 0 {
			t.Errorf("stats %+v", s)
		}
		// No keep-alive goes to a PE that left.
		sent := tb.r.Stats().KeepAlivesSent
		c.silent(time.Minute)
		if s := tb.r.Stats(); s.KeepAlivesSent != sent {
			t.Errorf("%d keep-alives after the de-registration", s.KeepAlivesSent-sent)
		}
	})
}

// A PE whose policy type differs from the pool's is refused with
// Inconsistent Pooling Policy carrying the pool's policy (RFC 5352 §3.1
// rule 2, RFC 5354 §3.12.6); one whose transport differs with
// Inconsistent Transport Type; the refused re-registration of a member
// leaves its registration as it was.
func TestInconsistentRegistrationRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{})
		c := tb.client()
		c.mustRegister("pool", c.pe(1, weighted(1)))

		resp := c.register("pool", c.pe(2, roundRobin))
		if !resp.Reject || resp.ID != 2 || string(resp.PoolHandle) != "pool" {
			t.Fatalf("response %+v", resp)
		}
		cause := wantCause(t, resp.Error, msg.CauseInconsistentPoolingPolicy)
		if p, err := cause.Policy(); err != nil || p.Type != msg.PolicyWeightedRandom {
			t.Fatalf("cause carries %+v, %v; want the pool's Weighted Random", p, err)
		}

		tcp := c.pe(3, weighted(1))
		tcp.UserTransport = msg.Transport{Kind: msg.ParamTCPTransport, Port: 80, Addrs: msg.MakeAddrs(c.addr.Addr())}
		resp = c.register("pool", tcp)
		tr, err := wantCause(t, resp.Error, msg.CauseInconsistentTransportType).Transport()
		if !resp.Reject || err != nil || tr.Kind != msg.ParamSCTPTransport {
			t.Fatalf("reject %v, pool transport %v, %v", resp.Reject, tr.Kind, err)
		}

		control := c.pe(4, weighted(1))
		control.UserTransport.Use = msg.DataPlusControl
		resp = c.register("pool", control)
		if !resp.Reject {
			t.Fatal("transport use other than the pool's accepted")
		}
		wantCause(t, resp.Error, msg.CauseInconsistentDataControl)

		resp = c.register("pool", c.pe(1, random))
		if !resp.Reject {
			t.Fatal("re-registration with another policy accepted")
		}
		if e, ok := tb.element("pool", 1); !ok || e.Policy.Name != "Weighted Random" {
			t.Fatalf("member after a refused re-registration: %+v, %v", e, ok)
		}
		if s := tb.r.Stats(); s.RegistrationsRejected != 4 || s.PoolElements != 1 {
			t.Errorf("stats %+v", s)
		}
	})
}

// An empty pool handle and one longer than the limit are refused with
// Invalid Values carrying the handle (RFC 5354 §3.12.4).
func TestInvalidHandleRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{Limits: handlespace.Limits{MaxHandleLen: 8}})
		c := tb.client()
		for _, h := range []string{"", "123456789"} {
			resp := c.register(h, c.pe(1, roundRobin))
			if !resp.Reject {
				t.Fatalf("handle %q accepted", h)
			}
			p, err := wantCause(t, resp.Error, msg.CauseInvalidValues).Param()
			if err != nil || p.Type() != msg.ParamPoolHandle || string(p.Value()) != h {
				t.Fatalf("handle %q: cause carries %v, %v", h, p.Type(), err)
			}
		}
		c.mustRegister("12345678", c.pe(1, roundRobin))

		// A handle so long that the cause cannot repeat it: the
		// refusal carries the code alone.
		huge := strings.Repeat("h", 65400)
		resp := c.register(huge, c.pe(1, roundRobin))
		cause := wantCause(t, resp.Error, msg.CauseInvalidValues)
		if !resp.Reject || string(resp.PoolHandle) != huge || len(cause.Info) != 0 {
			t.Fatalf("reject %v, handle of %d bytes, cause of %d", resp.Reject, len(resp.PoolHandle), len(cause.Info))
		}
	})
}

// A registration without its Pool Element parameter, or without its
// pool handle, is malformed (RFC 5352 §2.2.1: both MUST be filled in):
// it is refused with Invalid Values, with what the registrar could
// read of it, and the association goes on.
func TestMissingParameterRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{})
		c := tb.client()

		// A registration of a pool handle only.
		c.sendRaw([]byte{0x01, 0x00, 0x00, 0x0c, 0x00, 0x09, 0x00, 0x08, 'p', 'o', 'o', 'l'})
		resp := expect[*msg.RegistrationResponse](c)
		if !resp.Reject || string(resp.PoolHandle) != "pool" {
			t.Fatalf("response %+v", resp)
		}
		wantCause(t, resp.Error, msg.CauseInvalidValues)

		// A registration of a Pool Element only.
		pe := c.pe(0xabcd, roundRobin)
		b := msg.AppendParams([]byte{0x01, 0x00, 0x00, 0x00}, &pe)
		b[2], b[3] = byte(len(b)>>8), byte(len(b))
		c.sendRaw(b)
		resp = expect[*msg.RegistrationResponse](c)
		if !resp.Reject || resp.ID != 0xabcd || len(resp.PoolHandle) != 0 {
			t.Fatalf("response %+v", resp)
		}
		wantCause(t, resp.Error, msg.CauseInvalidValues)

		// A de-registration without the PE identifier.
		c.sendRaw([]byte{0x02, 0x00, 0x00, 0x0c, 0x00, 0x09, 0x00, 0x08, 'p', 'o', 'o', 'l'})
		dr := expect[*msg.DeregistrationResponse](c)
		wantCause(t, dr.Error, msg.CauseInvalidValues)

		// A handle resolution without the pool handle.
		c.sendRaw([]byte{0x05, 0x00, 0x00, 0x04})
		hr := expect[*msg.HandleResolutionResponse](c)
		wantCause(t, hr.Error, msg.CauseInvalidValues)

		c.mustRegister("pool", c.pe(1, roundRobin))
		if s := tb.r.Stats(); s.Malformed != 4 || s.RegistrationsRejected != 2 {
			t.Errorf("stats %+v", s)
		}
	})
}

// Lifetimes: infinite and over the maximum are cut to
// MaxRegistrationLife with a warning (R clear, Invalid Values carrying
// the Pool Element as kept); 0 and below -1 are refused; the unit is
// configurable for rsplib's milliseconds.
func TestRegistrationLifetime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{MaxRegistrationLife: time.Hour, MinRegistrationLife: 10 * time.Second})
		c := tb.client()
		for _, tc := range []struct {
			life   int32
			reject bool
			warn   bool
			kept   int32
			d      time.Duration
		}{
			{life: 300, kept: 300, d: 300 * time.Second},
			{life: -1, warn: true, kept: 3600, d: time.Hour},
			{life: 90000, warn: true, kept: 3600, d: time.Hour},
			{life: 2, warn: true, kept: 10, d: 10 * time.Second},
			{life: 0, reject: true},
			{life: -2, reject: true},
		} {
			pe := c.pe(7, roundRobin)
			pe.RegistrationLife = tc.life
			resp := c.register("life", pe)
			if resp.Reject != tc.reject {
				t.Fatalf("life %d: reject %v", tc.life, resp.Reject)
			}
			if tc.reject {
				wantCause(t, resp.Error, msg.CauseInvalidValues)
				continue
			}
			if tc.warn {
				p, err := wantCause(t, resp.Error, msg.CauseInvalidValues).Param()
				var kept msg.PoolElement
				if err == nil {
					err = kept.Decode(p)
				}
				if err != nil || kept.RegistrationLife != tc.kept || kept.HomeServer != testServerID {
					t.Fatalf("life %d: warning carries %+v, %v", tc.life, kept, err)
				}
			} else if !resp.Error.IsZero() {
				t.Fatalf("life %d: causes %v", tc.life, causes(resp.Error))
			}
			e, _ := tb.element("life", 7)
			if e.RegistrationLife != tc.kept || !e.Expires.Equal(time.Now().Add(tc.d)) {
				t.Fatalf("life %d: kept %d, expires in %v", tc.life, e.RegistrationLife, time.Until(e.Expires))
			}
		}
	})
}

// rsplib's pool elements count the lifetime in milliseconds; with the
// unit set, their 90000 is a minute and a half.
func TestRegistrationLifeUnit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{RegistrationLifeUnit: time.Millisecond})
		c := tb.client()
		pe := c.pe(7, roundRobin)
		pe.RegistrationLife = 90000
		c.mustRegister("rsplib", pe)
		if e, _ := tb.element("rsplib", 7); !e.Expires.Equal(time.Now().Add(90 * time.Second)) {
			t.Fatalf("expires in %v", time.Until(e.Expires))
		}
	})
}

// A user transport with an address that is not the association's is
// refused (RFC 5352 §2.2.1), unless the check is off.
func TestForeignUserAddressRefused(t *testing.T) {
	for _, allow := range []bool{false, true} {
		synctest.Test(t, func(t *testing.T) {
			tb := newTestbed(t, Config{AllowForeignAddresses: allow})
			c := tb.client()
			pe := c.pe(1, roundRobin)
			pe.UserTransport.Addrs = msg.MakeAddrs(c.addr.Addr(), netip.MustParseAddr("192.0.2.1"))
			resp := c.register("pool", pe)
			if resp.Reject == allow {
				t.Fatalf("allow %v: reject %v", allow, resp.Reject)
			}
			if !allow {
				p, err := wantCause(t, resp.Error, msg.CauseInvalidValues).Param()
				if err != nil || p.Type() != msg.ParamSCTPTransport {
					t.Fatalf("cause carries %v, %v", p.Type(), err)
				}
			}
		})
	}
}

// Two PEs that picked the same identifier: the second, on another live
// association with another transport, is refused as Non-Unique PE
// Identifier (RFC 5354 §3.12.5). The same PE on a new association (the
// same transport) is a re-registration, which moves it there.
func TestNonUniqueIdentifier(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{})
		a := tb.client()
		b := tb.client()
		a.mustRegister("pool", a.pe(42, roundRobin))
		resp := b.register("pool", b.pe(42, roundRobin))
		if !resp.Reject {
			t.Fatal("second PE with the same identifier accepted")
		}
		wantCause(t, resp.Error, msg.CauseNonUniquePEIdentifier)

		// The PE restarts on a new host with its address, before the
		// registrar has noticed its old association is gone.
		again := tb.clientAt(a.addr)
		again.mustRegister("pool", a.pe(42, roundRobin))
		e, _ := tb.element("pool", 42)
		if e.ASAPTransport.Port != again.ep.Port() || !e.Connected {
			t.Fatalf("ASAP transport %+v", e.ASAPTransport)
		}
		// The keep-alives go to the new association.
		ka := expect[*msg.EndpointKeepAlive](again)
		if ka.ID != 42 {
			t.Fatalf("keep-alive for %v", ka.ID)
		}
	})
}

// While a PE's association lasts, only an association from the PE's
// host may de-register it (RFC 5352 §2.2.2: not by proxy).
func TestDeregistrationByProxyRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{})
		pe := tb.client()
		other := tb.client()
		pe.mustRegister("pool", pe.pe(9, roundRobin))
		other.send(&msg.Deregistration{PoolHandle: []byte("pool"), ID: 9})
		dr := expect[*msg.DeregistrationResponse](other)
		wantCause(t, dr.Error, msg.CauseRejectedSecurity)
		if _, ok := tb.element("pool", 9); !ok {
			t.Fatal("PE de-registered by proxy")
		}
		if s := tb.r.Stats(); s.DeregistrationsRejected != 1 || s.Deregistrations != 0 {
			t.Errorf("stats %+v", s)
		}

		// The PE restarts on its address before the registrar has
		// noticed that its old association is gone, and de-registers.
		again := tb.clientAt(pe.addr)
		again.send(&msg.Deregistration{PoolHandle: []byte("pool"), ID: 9})
		if dr := expect[*msg.DeregistrationResponse](again); !dr.Error.IsZero() {
			t.Fatalf("causes %v", causes(dr.Error))
		}
		if _, ok := tb.element("pool", 9); ok {
			t.Fatal("PE still registered")
		}
	})
}

// Once a PE's association is gone, it may de-register from any other.
func TestDeregistrationAfterLoss(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{})
		pe := tb.client()
		other := tb.client()
		pe.mustRegister("pool", pe.pe(9, roundRobin))
		pe.a.Abort("test")
		synctest.Wait()
		other.send(&msg.Deregistration{PoolHandle: []byte("pool"), ID: 9})
		if dr := expect[*msg.DeregistrationResponse](other); !dr.Error.IsZero() {
			t.Fatalf("causes %v", causes(dr.Error))
		}
		if _, ok := tb.element("pool", 9); ok {
			t.Fatal("PE still registered")
		}
	})
}

// A registration with a pool handle that is not text shows in the
// snapshot with the handle's bytes intact.
func TestSnapshotBinaryHandle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{})
		c := tb.client()
		h := string([]byte{0xff, 0x00, 'x'})
		c.mustRegister(h, c.pe(1, roundRobin))
		snap := tb.r.Snapshot()
		if len(snap) != 1 || snap[0].Handle != h || snap[0].HandleHex != "ff0078" || !bytes.Equal([]byte(snap[0].Handle), []byte(h)) {
			t.Fatalf("snapshot %+v", snap)
		}
	})
}
