package assoc

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/wire"
)

// cookieFrom runs INIT → INIT ACK with init and returns the INIT ACK.
func (s *scripted) initAck(tag wire.VTag, init *wire.Init) *wire.InitAck {
	s.t.Helper()
	s.deliver(tag, init)
	_, cs := s.expect(init.InitiateTag, wire.ChunkInitAck)
	return decode[wire.InitAck](s.t, cs[0])
}

func cookieOf(t *testing.T, ia *wire.InitAck) []byte {
	ck, ok := ia.StateCookie()
	if !ok {
		t.Fatal("no cookie")
	}
	return append([]byte(nil), ck...)
}

// §5.2.1: an INIT received in COOKIE-WAIT is answered with an INIT ACK
// carrying the tag of our own INIT; the state and T1 do not change.
func TestRFC9260_5_2_1_InitInCookieWait(t *testing.T) {
	s := newScripted(t, Config{}, false)
	a, _ := s.ep.Dial(s.now, []netip.AddrPort{addrB}, portB)
	s.a = a
	s.collect()
	s.expect(0, wire.ChunkInit)
	t1 := a.t1.Deadline()
	ia := s.initAck(0, peerInitChunk())
	if ia.InitiateTag != a.LocalTag() {
		t.Fatalf("INIT ACK tag %#x, want our INIT's %#x", ia.InitiateTag, a.LocalTag())
	}
	if a.State() != CookieWait || a.t1.Deadline() != t1 {
		t.Fatal("state or T1 changed")
	}
}

// §5.2.2: an unexpected INIT in ESTABLISHED gets an INIT ACK with a new
// tag and the association's tie-tags in the cookie; the association does
// not change. §5.2.4 A: the COOKIE ECHO of that cookie is a restart.
func TestRFC9260_5_2_4_Restart(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	s.a.Events()
	s.send(0, "before restart")
	s.expect(peerTagP, wire.ChunkData)
	restart := peerInitChunk()
	restart.InitiateTag = 0x99999999
	ia := s.initAck(0, restart)
	if ia.InitiateTag == tag {
		t.Fatal("INIT ACK reuses the association's tag (§5.2.2: a new one)")
	}
	if s.a.State() != Established || s.a.LocalTag() != tag || s.a.localTieTag == 0 {
		t.Fatal("association changed by the INIT, or no tie-tags")
	}
	s.deliver(ia.InitiateTag, &wire.CookieEcho{Cookie: cookieOf(t, ia)})
	s.expect(0x99999999, wire.ChunkCookieAck)
	if s.a.LocalTag() != ia.InitiateTag || s.a.PeerTag() != 0x99999999 || s.a.State() != Established {
		t.Fatalf("after restart tags %#x/%#x state %v", s.a.LocalTag(), s.a.PeerTag(), s.a.State())
	}
	var restarted, failed bool
	for _, e := range s.a.Events() {
		restarted = restarted || e.Kind == EventRestart
		failed = failed || (e.Kind == EventSendFailed && errors.Is(e.Err, ErrRestarted))
	}
	if !restarted || !failed {
		t.Fatalf("restart event %v, queued data reported %v", restarted, failed)
	}
	// The old tag no longer reaches the association (§8.5).
	s.deliver(tag, data(1000, 0, 0, "old"))
	s.expectNone()
	if _, ok := s.a.Read(); ok {
		t.Fatal("DATA under the pre-restart tag accepted")
	}
}

// §5.2.2: an INIT that adds an address to an existing association is
// answered with ABORT carrying Restart With New Addresses, under the
// INIT's tag.
func TestRFC9260_5_2_2_InitWithNewAddress(t *testing.T) {
	s := newScripted(t, Config{}, true)
	s.establish()
	in := peerInitChunk()
	in.InitiateTag = 0x12121212
	in.Params = wire.MakeParams((&wire.IPv4AddressParam{Addr: netip.MustParseAddr("127.0.0.9")}).Append(nil))
	s.deliver(0, in)
	_, cs := s.expect(0x12121212, wire.ChunkAbort)
	ab := decode[wire.Abort](t, cs[0])
	it := ab.Causes.Iter()
	if c, ok := it.Next(); !ok || c.Code() != wire.CauseRestartWithNewAddresses {
		t.Fatal("no Restart With New Addresses cause")
	}
	if s.a.State() != Established {
		t.Fatal("association changed")
	}
}

// §5.2.4 D: a repeated COOKIE ECHO (our COOKIE ACK was lost) is answered
// with COOKIE ACK again, even when the cookie is stale (§5.2.4 3).
func TestRFC9260_5_2_4_DuplicateCookieEcho(t *testing.T) {
	s := newScripted(t, Config{ValidCookieLife: 5 * time.Second}, true)
	ia := s.initAck(0, peerInitChunk())
	ck := cookieOf(t, ia)
	s.deliver(ia.InitiateTag, &wire.CookieEcho{Cookie: ck})
	s.expect(peerTagP, wire.ChunkCookieAck)
	s.now = s.now.Add(10 * time.Second)
	s.deliver(ia.InitiateTag, &wire.CookieEcho{Cookie: ck})
	s.expect(peerTagP, wire.ChunkCookieAck)
	if s.ep.Associations() != 1 {
		t.Fatal("a second association was made")
	}
}

// §5.2.5: a COOKIE ACK outside COOKIE-ECHOED is discarded.
func TestRFC9260_5_2_5_DuplicateCookieAck(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	s.a.Events()
	s.deliver(tag, &wire.CookieAck{})
	s.expectNone()
	if len(s.a.Events()) != 0 {
		t.Fatal("a duplicate COOKIE ACK made an event")
	}
}

// §5.2.6: a Stale Cookie error in COOKIE-ECHOED makes the initiator send
// a new INIT with a Cookie Preservative asking for the staleness.
func TestRFC9260_5_2_6_StaleCookieRetry(t *testing.T) {
	s := newScripted(t, Config{}, false)
	a, _ := s.ep.Dial(s.now, []netip.AddrPort{addrB}, portB)
	s.a = a
	s.collect()
	s.expect(0, wire.ChunkInit)
	ia := wire.InitAck{InitiateTag: peerTagP, ARwnd: 65536, OutStreams: 3, InStreams: 7, InitialTSN: 99,
		Params: wire.MakeParams((&wire.StateCookieParam{Cookie: []byte("c")}).Append(nil))}
	s.deliver(a.LocalTag(), &ia)
	s.expect(peerTagP, wire.ChunkCookieEcho)
	stale := wire.ErrorChunk{Causes: wire.MakeCauses((&wire.StaleCookieCause{Staleness: 3_000_000}).Append(nil))}
	s.deliver(a.LocalTag(), &stale)
	_, cs := s.expect(0, wire.ChunkInit)
	in := decode[wire.Init](t, cs[0])
	p, ok := in.Params.Find(wire.ParamCookiePreservative)
	var cp wire.CookiePreservativeParam
	if !ok || cp.Decode(p) != nil || cp.Increment < 3000 || cp.Increment > 4000 {
		t.Fatalf("no Cookie Preservative of about 3 s: %+v", cp)
	}
	if a.State() != CookieWait {
		t.Fatalf("state %v", a.State())
	}
}

// T1-cookie (§5.1 C, D): COOKIE ECHO is retransmitted with backoff.
func TestRFC9260_5_1_T1Cookie(t *testing.T) {
	s := newScripted(t, Config{}, false)
	a, _ := s.ep.Dial(s.now, []netip.AddrPort{addrB}, portB)
	s.a = a
	s.collect()
	s.expect(0, wire.ChunkInit)
	ia := wire.InitAck{InitiateTag: peerTagP, ARwnd: 65536, OutStreams: 3, InStreams: 7, InitialTSN: 99,
		Params: wire.MakeParams((&wire.StateCookieParam{Cookie: []byte("c")}).Append(nil))}
	s.deliver(a.LocalTag(), &ia)
	at0, _ := s.expect(peerTagP, wire.ChunkCookieEcho)
	s.advance(1500 * time.Millisecond)
	at1, _ := s.expect(peerTagP, wire.ChunkCookieEcho)
	if at1.Sub(at0) != time.Second {
		t.Fatalf("COOKIE ECHO resent after %v", at1.Sub(at0))
	}
}

// Limits: an endpoint at MaxAssociations refuses a valid COOKIE ECHO
// with an ABORT carrying Out of Resource (§5.1, §3.3.10.4).
func TestLimitMaxAssociations(t *testing.T) {
	s := newScripted(t, Config{MaxAssociations: 1}, true)
	s.establish()
	other := peerInitChunk()
	other.InitiateTag = 0x31313131
	s2src := netip.MustParseAddrPort("127.0.0.3:9899")
	s.deliverFrom(s2src, 0, other)
	_, cs := s.expect(0x31313131, wire.ChunkInitAck)
	ia := decode[wire.InitAck](t, cs[0])
	s.deliverFrom(s2src, ia.InitiateTag, &wire.CookieEcho{Cookie: cookieOf(t, ia)})
	_, cs = s.expect(0x31313131, wire.ChunkAbort)
	ab := decode[wire.Abort](t, cs[0])
	it := ab.Causes.Iter()
	if c, ok := it.Next(); !ok || c.Code() != wire.CauseOutOfResource {
		t.Fatal("no Out of Resource cause")
	}
	if s.ep.Associations() != 1 {
		t.Fatal("limit exceeded")
	}
}

// §5.2.4 B: the peer answered our INIT statelessly, then started an
// association of its own (another tag, another initial TSN) before our
// COOKIE ECHO reached it. Its COOKIE ECHO of our INIT ACK carries its
// new INIT: the association takes the peer's new tag and initial TSN,
// so the peer's DATA is delivered.
func TestRFC9260_5_2_4_CollisionTakesPeerInit(t *testing.T) {
	s := newScripted(t, Config{}, false)
	a, _ := s.ep.Dial(s.now, []netip.AddrPort{addrB}, portB)
	s.a = a
	s.collect()
	s.expect(0, wire.ChunkInit)
	// The peer's stateless INIT ACK: tag 0x11111111, TSN 5000.
	first := &wire.InitAck{InitiateTag: 0x11111111, ARwnd: 65536, OutStreams: 5, InStreams: 5, InitialTSN: 5000,
		Params: wire.MakeParams(wire.AppendParams(nil, &wire.StateCookieParam{Cookie: []byte("peer's cookie")}))}
	s.deliver(a.LocalTag(), first)
	s.expect(0x11111111, wire.ChunkCookieEcho)
	// The peer's own INIT: tag 0x22222222 and an initial TSN far from
	// the first (both are random); our INIT ACK.
	second := peerInitChunk()
	second.InitiateTag, second.InitialTSN = 0x22222222, 2000000000
	ia := s.initAck(0, second)
	// Its COOKIE ECHO: we are established with its new tag.
	s.deliver(a.LocalTag(), &wire.CookieEcho{Cookie: cookieOf(t, ia)})
	s.expect(0x22222222, wire.ChunkCookieAck)
	if a.State() != Established || a.PeerTag() != 0x22222222 {
		t.Fatalf("state %v, peer tag %#x", a.State(), a.PeerTag())
	}
	s.deliver(a.LocalTag(), data(2000000000, 0, 0, "from the new association"))
	_, cs := s.expect(0x22222222, wire.ChunkSack)
	if sk := sackOf(t, cs[0]); sk.CumTSNAck != 2000000000 {
		t.Fatalf("SACK acknowledges %d, want the peer's new initial TSN", sk.CumTSNAck)
	}
	if m, ok := a.Read(); !ok || string(m.Data) != "from the new association" {
		t.Fatalf("DATA at the peer's new initial TSN not delivered (%v)", ok)
	}
}
