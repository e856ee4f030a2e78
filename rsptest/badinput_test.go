package rsptest

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/enrp"
	"github.com/rserpool/rserpool/sctp"
)

var roundRobin = msg.Policy{Type: msg.PolicyRoundRobin}

// A client speaking raw ASAP sends the registrar requests it must
// refuse and messages it must ignore. Each refusal carries the cause
// RFC 5354 §3.12 names; the ignored ones get no answer, which shows in
// the next request's answer coming next on the association. The
// registrar stays up, keeps the association, and its handlespace stays
// consistent.
func TestBadInput(t *testing.T) {
	t.Parallel()
	s := netBadInput
	r := startRegistrar(t, s, "-keepalive-interval", "1h", "-max-registration-life", "10m")
	const good = "GoodPool"
	pe := startPE(t, r, s.host(hostPE), good, 0x71)
	r.waitPEs(t, good, pe.id)
	c := dialRaw(t, s.host(hostUser), r)
	if resp := c.register(good, c.pe(0x72, roundRobin, 300)); resp.Reject || !resp.Error.IsZero() {
		t.Fatalf("valid registration: reject %v, causes %v", resp.Reject, causes(resp.Error))
	}

	t.Run("InvalidHandles", func(t *testing.T) { testInvalidHandles(t, c) })
	t.Run("UnknownPolicy", func(t *testing.T) { testUnknownPolicy(t, c) })
	t.Run("InconsistentPool", func(t *testing.T) { testInconsistentPool(t, r, c, good) })
	t.Run("MissingParameters", func(t *testing.T) { testMissingParameters(t, r, c, good) })
	t.Run("AbsurdLifetimes", func(t *testing.T) { testAbsurdLifetimes(t, r, c) })
	t.Run("Security", func(t *testing.T) { testSecurity(t, r, c, pe) })
	t.Run("RegistrationLimit", func(t *testing.T) { testRegistrationLimit(t, r, c) })

	if !r.running() {
		t.Fatal("the registrar ended")
	}
	d := r.mustDump(t)
	checkConsistent(t, d)
	if got := poolIDs(d, good); len(got) != 2 || got[0] != 0x71 || got[1] != 0x72 {
		t.Errorf("pool %q holds %v, want 0x71 and 0x72", good, got)
	}
	// Nothing ended an association: the element's and the client's.
	if d.Stats.Associations != 2 || d.Stats.Removals != 0 {
		t.Errorf("after the bad input: %+v", d.Stats)
	}
	if resp := c.resolve(good); !resp.Error.IsZero() || resp.PoolElements.Count() != 2 {
		t.Errorf("resolution after the bad input: causes %v, %d elements", causes(resp.Error), resp.PoolElements.Count())
	}
}

// Pool handles: empty, and longer than the registrar's 64 bytes, are
// refused with Invalid Values carrying the handle (RFC 5354 §3.12.4);
// 64 bytes, and bytes that are not text, are handles like any other
// (§3.9). Resolving a pool nobody registered gives Unknown Pool Handle
// (RFC 5352 §3.3); de-registering an element nobody registered is
// granted (§3.2).
func testInvalidHandles(t *testing.T, c *rawClient) {
	for _, h := range []string{"", strings.Repeat("h", 65), strings.Repeat("h", 1000)} {
		resp := c.register(h, c.pe(0x73, roundRobin, 300))
		if !resp.Reject {
			t.Fatalf("handle of %d bytes accepted", len(h))
		}
		p, err := wantCause(t, resp.Error, msg.CauseInvalidValues).Param()
		if err != nil || p.Type() != msg.ParamPoolHandle || string(p.Value()) != h {
			t.Errorf("handle of %d bytes: cause carries %v, %v", len(h), p.Type(), err)
		}
	}
	for _, h := range []string{strings.Repeat("h", 64), "\x00\xff\n"} {
		if resp := c.register(h, c.pe(0x73, roundRobin, 300)); resp.Reject || !resp.Error.IsZero() {
			t.Errorf("handle %q: reject %v, causes %v", h, resp.Reject, causes(resp.Error))
		}
		c.send(&msg.Deregistration{PoolHandle: []byte(h), ID: 0x73})
		if dr := expect[*msg.DeregistrationResponse](c); !dr.Error.IsZero() || string(dr.PoolHandle) != h || dr.ID != 0x73 {
			t.Errorf("de-registration from %q: %+v", h, dr)
		}
	}
	for _, h := range []string{"NoSuchPool", "", strings.Repeat("x", 4000)} {
		resp := c.resolve(h)
		wantCause(t, resp.Error, msg.CauseUnknownPoolHandle)
		if resp.PoolElements.Count() != 0 || string(resp.PoolHandle) != h {
			t.Errorf("resolution of a handle of %d bytes: %d elements, handle of %d bytes", len(h), resp.PoolElements.Count(), len(resp.PoolHandle))
		}
	}
	c.send(&msg.Deregistration{PoolHandle: []byte("NoSuchPool"), ID: 0x1234})
	if dr := expect[*msg.DeregistrationResponse](c); !dr.Error.IsZero() {
		t.Errorf("de-registration of nothing: causes %v", causes(dr.Error))
	}
}

// A policy type the registrar does not implement (RFC 5356 §7.1: a
// number nobody assigned, or a private one with the X bit) is refused
// with Invalid Values carrying the policy (RFC 5354 §3.12.4): there is
// no cause of its own. Type 0, which §7.1 reserves as invalid, makes
// the message malformed: Invalid Values without the policy.
func testUnknownPolicy(t *testing.T, c *rawClient) {
	resp := c.register("PolicyPool", c.pe(0x74, msg.Policy{Type: 0, Data: []byte{0, 0, 0, 1}}, 300))
	if wantCause(t, resp.Error, msg.CauseInvalidValues); !resp.Reject {
		t.Error("policy type 0 accepted")
	}
	for _, typ := range []msg.PolicyType{0x99, 0x80000001} {
		p := msg.Policy{Type: typ, Data: []byte{0, 0, 0, 1}}
		resp := c.register("PolicyPool", c.pe(0x74, p, 300))
		if !resp.Reject {
			t.Fatalf("policy type %#x accepted", uint32(typ))
		}
		got, err := wantCause(t, resp.Error, msg.CauseInvalidValues).Policy()
		if err != nil || got.Type != typ {
			t.Errorf("policy type %#x: cause carries %+v, %v", uint32(typ), got, err)
		}
	}
}

// An element that does not fit the pool (RFC 5352 §3.1 rule 2): another
// policy type is refused with Inconsistent Pooling Policy carrying the
// pool's (RFC 5354 §3.12.6), another transport type with Inconsistent
// Transport Type (§3.12.8), another transport use with Inconsistent
// Data/Control Configuration (§3.12.9). A member's refused
// re-registration leaves it as it was.
func testInconsistentPool(t *testing.T, r *registrar, c *rawClient, good string) {
	resp := c.register(good, c.pe(0x74, msg.Policy{Type: msg.PolicyPriority, Priority: 9}, 300))
	if p, err := wantCause(t, resp.Error, msg.CauseInconsistentPoolingPolicy).Policy(); !resp.Reject || err != nil || p.Type != msg.PolicyRoundRobin {
		t.Errorf("other policy: reject %v, pool policy %+v, %v", resp.Reject, p, err)
	}
	resp = c.register(good, c.pe(0x72, msg.Policy{Type: msg.PolicyRandom}, 300))
	wantCause(t, resp.Error, msg.CauseInconsistentPoolingPolicy)
	if e, ok := element(r.mustDump(t), good, 0x72); !resp.Reject || !ok || e.Policy.Name != "Round Robin" {
		t.Errorf("member after a refused re-registration: %+v, %v", e, ok)
	}

	tcp := c.pe(0x74, roundRobin, 300)
	tcp.UserTransport = msg.Transport{Kind: msg.ParamTCPTransport, Port: 80, Addrs: msg.MakeAddrs(c.addr)}
	resp = c.register(good, tcp)
	if tr, err := wantCause(t, resp.Error, msg.CauseInconsistentTransportType).Transport(); !resp.Reject || err != nil || tr.Kind != msg.ParamSCTPTransport {
		t.Errorf("other transport: reject %v, pool transport %v, %v", resp.Reject, tr.Kind, err)
	}

	control := c.pe(0x74, roundRobin, 300)
	control.UserTransport.Use = msg.DataPlusControl
	resp = c.register(good, control)
	if wantCause(t, resp.Error, msg.CauseInconsistentDataControl); !resp.Reject {
		t.Error("other transport use accepted")
	}
}

// Requests without their mandatory parameters are refused with Invalid
// Values and what the registrar could read of them; messages it cannot
// frame, of unknown types, of another PPID or not meant for a registrar
// get no answer (RFC 5354 §3, §4 for the unknown types; an ASAP_ERROR
// where the type's bits ask for one).
func testMissingParameters(t *testing.T, r *registrar, c *rawClient, good string) {
	before := r.mustDump(t).Stats

	// A registration of a pool handle only, of a Pool Element only, of
	// nothing.
	c.sendRaw([]byte{0x01, 0x00, 0x00, 0x0c, 0x00, 0x09, 0x00, 0x08, 'p', 'o', 'o', 'l'})
	resp := expect[*msg.RegistrationResponse](c)
	if wantCause(t, resp.Error, msg.CauseInvalidValues); !resp.Reject || string(resp.PoolHandle) != "pool" {
		t.Errorf("registration without an element: %+v", resp)
	}
	pe := c.pe(0xabcd, roundRobin, 300)
	b := msg.AppendParams([]byte{0x01, 0x00, 0x00, 0x00}, &pe)
	b[2], b[3] = byte(len(b)>>8), byte(len(b))
	c.sendRaw(b)
	resp = expect[*msg.RegistrationResponse](c)
	if wantCause(t, resp.Error, msg.CauseInvalidValues); !resp.Reject || resp.ID != 0xabcd || len(resp.PoolHandle) != 0 {
		t.Errorf("registration without a handle: %+v", resp)
	}
	c.sendRaw([]byte{0x01, 0x00, 0x00, 0x04})
	resp = expect[*msg.RegistrationResponse](c)
	if wantCause(t, resp.Error, msg.CauseInvalidValues); !resp.Reject {
		t.Errorf("empty registration: %+v", resp)
	}
	// A de-registration without the identifier; a resolution without
	// the handle.
	c.sendRaw([]byte{0x02, 0x00, 0x00, 0x0c, 0x00, 0x09, 0x00, 0x08, 'p', 'o', 'o', 'l'})
	wantCause(t, expect[*msg.DeregistrationResponse](c).Error, msg.CauseInvalidValues)
	c.sendRaw([]byte{0x05, 0x00, 0x00, 0x04})
	wantCause(t, expect[*msg.HandleResolutionResponse](c).Error, msg.CauseInvalidValues)

	// Silence: bytes that do not frame, an unknown type to drop, a
	// message of another PPID, messages a registrar does not take.
	for _, b := range [][]byte{
		{0x05},
		{0x05, 0x00, 0x00, 0x40, 0, 0},
		{0x09, 0x00, 0x00, 0x0c, 0x00, 0x09, 0x00, 0x20, 'p', 'o', 'o', 'l'},
		{0x3f, 0x00, 0x00, 0x08, 1, 2, 3, 4},
	} {
		c.sendRaw(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), replyTimeout)
	err := c.a.Send(ctx, sctp.Message{PPID: 99, Data: []byte("not ASAP")})
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	c.send(&msg.RegistrationResponse{PoolHandle: []byte(good), ID: 1})
	c.send(&msg.ServerAnnounce{ServerID: 1})
	// An unknown type whose bits ask for a report: the ASAP_ERROR is
	// the first answer since the refusals above.
	report := []byte{0x7f, 0x00, 0x00, 0x08, 1, 2, 3, 4}
	c.sendRaw(report)
	e := expect[*msg.ASAPError](c)
	if cause := wantCause(t, e.Error, msg.CauseUnrecognizedMessage); string(cause.Info) != string(report) {
		t.Errorf("Unrecognized Message carries % x", cause.Info)
	}
	if resp := c.resolve(good); !resp.Error.IsZero() {
		t.Errorf("resolution after the bad messages: causes %v", causes(resp.Error))
	}

	after := r.mustDump(t).Stats
	if n := after.Malformed - before.Malformed; n != 8 {
		t.Errorf("%d messages counted malformed, want 8", n)
	}
	if n := after.Unrecognized - before.Unrecognized; n != 2 {
		t.Errorf("%d messages counted unrecognized, want 2", n)
	}
	if n := after.Discarded - before.Discarded; n != 3 {
		t.Errorf("%d messages discarded, want 3", n)
	}
}

// Lifetimes (RFC 5354 §3.10): 0 and negative values other than -1
// (infinite) are refused with Invalid Values; infinite and huge ones are
// granted for the registrar's maximum (-max-registration-life 10m) with
// an Invalid Values warning carrying the element as kept (RFC 5352
// §2.2.3, R clear).
func testAbsurdLifetimes(t *testing.T, r *registrar, c *rawClient) {
	for _, life := range []int32{0, -2, math.MinInt32} {
		resp := c.register("LifePool", c.pe(0x75, roundRobin, life))
		if wantCause(t, resp.Error, msg.CauseInvalidValues); !resp.Reject {
			t.Errorf("lifetime %d accepted", life)
		}
	}
	if _, ok := pool(r.mustDump(t), "LifePool"); ok {
		t.Fatal("a refused registration made a pool")
	}
	for _, life := range []int32{-1, math.MaxInt32} {
		resp := c.register("LifePool", c.pe(0x75, roundRobin, life))
		if resp.Reject {
			t.Fatalf("lifetime %d refused", life)
		}
		p, err := wantCause(t, resp.Error, msg.CauseInvalidValues).Param()
		var kept msg.PoolElement
		if err == nil {
			err = kept.Decode(p)
		}
		if err != nil || kept.RegistrationLife != 600 || kept.ID != 0x75 || kept.HomeServer != r.id {
			t.Errorf("lifetime %d: warning carries %+v, %v", life, kept, err)
		}
		d := r.mustDump(t)
		e, ok := element(d, "LifePool", 0x75)
		if left := e.Expires.Sub(d.Time); !ok || e.RegistrationLife != 600 || left > 600e9 || left < 590e9 {
			t.Errorf("lifetime %d: kept %d, expires in %v", life, e.RegistrationLife, left)
		}
	}
}

// What one client may not do to others' elements (RFC 5355 §2.1, §2.2):
// register addresses that are not its own (RFC 5352 §2.2.1), take an
// identifier another live element holds (Non-Unique PE Identifier, RFC
// 5354 §3.12.5), de-register another's element (§2.2.2: no
// de-registration by proxy; Rejected due to Security Considerations).
func testSecurity(t *testing.T, r *registrar, c *rawClient, other *poolElement) {
	foreign := c.pe(0x76, roundRobin, 300)
	foreign.UserTransport.Addrs = msg.MakeAddrs(c.addr, other.addr)
	resp := c.register(other.handle, foreign)
	if tr, err := wantCause(t, resp.Error, msg.CauseInvalidValues).Transport(); !resp.Reject || err != nil || tr.Kind != msg.ParamSCTPTransport {
		t.Errorf("foreign address: reject %v, cause carries %v, %v", resp.Reject, tr.Kind, err)
	}

	resp = c.register(other.handle, c.pe(other.id, roundRobin, 300))
	if wantCause(t, resp.Error, msg.CauseNonUniquePEIdentifier); !resp.Reject {
		t.Error("another element's identifier accepted")
	}

	c.send(&msg.Deregistration{PoolHandle: []byte(other.handle), ID: other.id})
	wantCause(t, expect[*msg.DeregistrationResponse](c).Error, msg.CauseRejectedSecurity)

	d := r.mustDump(t)
	e, ok := element(d, other.handle, other.id)
	if !ok || e.UserTransport.Addrs[0] != other.addr || !e.Connected {
		t.Errorf("the other element after the attempts: %+v, %v", e, ok)
	}
	checkConsistent(t, d)
}

// One association registers at most 64 elements (enrp.Config's
// default): the rest are refused with Lack of Resources (RFC 5354
// §3.12.7), so that one client cannot fill the handlespace.
func testRegistrationLimit(t *testing.T, r *registrar, c *rawClient) {
	mine := func(d enrp.Dump) int {
		n := 0
		for _, p := range d.Pools {
			for _, e := range p.Elements {
				if e.UserTransport.Addrs[0] == c.addr {
					n++
				}
			}
		}
		return n
	}
	have := mine(r.mustDump(t))
	refused := 0
	for i := range 70 - have {
		resp := c.register("ManyPool", c.pe(msg.PEID(0x1000+i), roundRobin, 300))
		if resp.Reject {
			wantCause(t, resp.Error, msg.CauseLackOfResources)
			refused++
		}
	}
	d := r.mustDump(t)
	if n := mine(d); n != enrp.DefaultMaxRegistrationsPerAssociation || refused != 70-n {
		t.Errorf("the client holds %d elements, %d refused; want %d", n, refused, enrp.DefaultMaxRegistrationsPerAssociation)
	}
	checkConsistent(t, d)
	// Room again after de-registrations.
	c.send(&msg.Deregistration{PoolHandle: []byte("ManyPool"), ID: 0x1000})
	expect[*msg.DeregistrationResponse](c)
	if resp := c.register("ManyPool", c.pe(0x2000, roundRobin, 300)); resp.Reject {
		t.Errorf("registration after a de-registration refused: %v", causes(resp.Error))
	}
}
