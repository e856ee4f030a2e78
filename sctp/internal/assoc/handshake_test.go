package assoc

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/wire"
)

// §5.1.3: INIT is answered with an INIT ACK carrying a cookie, and no
// state is kept until a valid COOKIE ECHO (§5.1.5) creates it.
func TestRFC9260_5_1_3_InitAnsweredWithoutState(t *testing.T) {
	s := newScripted(t, Config{}, true)
	s.deliver(0, peerInitChunk())
	_, cs := s.expect(peerTagP, wire.ChunkInitAck)
	ia := decode[wire.InitAck](t, cs[0])
	if ia.InitiateTag == 0 || ia.ARwnd < 1500 {
		t.Fatalf("INIT ACK fields %+v", ia)
	}
	if _, ok := ia.StateCookie(); !ok {
		t.Fatal("no State Cookie")
	}
	if n := s.ep.Associations(); n != 0 {
		t.Fatalf("%d associations before COOKIE ECHO", n)
	}
}

// §5.1.5: a valid COOKIE ECHO creates the association, answered by
// COOKIE ACK; the user hears COMMUNICATION UP; streams are negotiated
// (§5.1.1) as the minimum of what each side offered.
func TestRFC9260_5_1_5_CookieEchoEstablishes(t *testing.T) {
	s := newScripted(t, Config{OutStreams: 10}, true)
	s.establish()
	if out, in := s.a.Streams(); out != 5 || in != 5 {
		t.Fatalf("streams out %d in %d, want 5 5", out, in)
	}
	ev := s.a.Events()
	if len(ev) != 1 || ev[0].Kind != EventUp {
		t.Fatalf("events %v", ev)
	}
}

// §5.1.5 step 2: a cookie that fails authentication is silently
// discarded.
func TestRFC9260_5_1_5_ForgedCookieDiscarded(t *testing.T) {
	s := newScripted(t, Config{}, true)
	s.deliver(0, peerInitChunk())
	_, cs := s.expect(peerTagP, wire.ChunkInitAck)
	ia := decode[wire.InitAck](t, cs[0])
	ck, _ := ia.StateCookie()
	bad := append([]byte(nil), ck...)
	bad[len(bad)/2] ^= 1
	s.deliver(ia.InitiateTag, &wire.CookieEcho{Cookie: bad})
	s.expectNone()
	if s.ep.Associations() != 0 {
		t.Fatal("association made from a forged cookie")
	}
}

// §5.1.5 step 3 and §3.3.10.3: a cookie past its lifetime gets an ERROR
// with a Stale Cookie cause saying by how much, and no association.
func TestRFC9260_5_1_5_StaleCookie(t *testing.T) {
	s := newScripted(t, Config{ValidCookieLife: 10 * time.Second}, true)
	s.deliver(0, peerInitChunk())
	_, cs := s.expect(peerTagP, wire.ChunkInitAck)
	ia := decode[wire.InitAck](t, cs[0])
	ck, _ := ia.StateCookie()
	ck = append([]byte(nil), ck...)
	s.now = s.now.Add(12 * time.Second)
	s.deliver(ia.InitiateTag, &wire.CookieEcho{Cookie: ck})
	_, cs = s.expect(peerTagP, wire.ChunkError)
	ec := decode[wire.ErrorChunk](t, cs[0])
	it := ec.Causes.Iter()
	c, ok := it.Next()
	if !ok || c.Code() != wire.CauseStaleCookie {
		t.Fatal("no Stale Cookie cause")
	}
	var sc wire.StaleCookieCause
	if err := sc.Decode(c); err != nil || sc.Staleness != 2_000_000 {
		t.Fatalf("staleness %d µs, want 2000000", sc.Staleness)
	}
	if s.ep.Associations() != 0 {
		t.Fatal("association made from a stale cookie")
	}
}

// §5.1.3 and §5.2.6: a Cookie Preservative lengthens the cookie's life,
// up to the configured cap.
func TestRFC9260_5_1_3_CookiePreservative(t *testing.T) {
	s := newScripted(t, Config{ValidCookieLife: 10 * time.Second}, true)
	in := peerInitChunk()
	in.Params = wire.MakeParams((&wire.CookiePreservativeParam{Increment: 5000}).Append(nil))
	s.deliver(0, in)
	_, cs := s.expect(peerTagP, wire.ChunkInitAck)
	ia := decode[wire.InitAck](t, cs[0])
	ck, _ := ia.StateCookie()
	ck = append([]byte(nil), ck...)
	s.now = s.now.Add(14 * time.Second) // stale without the extra 5 s
	s.deliver(ia.InitiateTag, &wire.CookieEcho{Cookie: ck})
	s.expect(peerTagP, wire.ChunkCookieAck)
}

// §8.5.1 C / §5.1.5: a COOKIE ECHO whose packet tag is not the tag in
// the cookie is discarded.
func TestRFC9260_8_5_1_CookieEchoWrongTag(t *testing.T) {
	s := newScripted(t, Config{}, true)
	s.deliver(0, peerInitChunk())
	_, cs := s.expect(peerTagP, wire.ChunkInitAck)
	ia := decode[wire.InitAck](t, cs[0])
	ck, _ := ia.StateCookie()
	s.deliver(ia.InitiateTag+1, &wire.CookieEcho{Cookie: append([]byte(nil), ck...)})
	s.expectNone()
}

// §3.3.2: INIT with a zero Initiate Tag is silently discarded; with zero
// inbound streams it gets an ABORT with Invalid Mandatory Parameter under
// its Initiate Tag.
func TestRFC9260_3_3_2_InvalidInit(t *testing.T) {
	s := newScripted(t, Config{}, true)
	in := peerInitChunk()
	in.InitiateTag = 0
	raw := in.Append(nil)
	s.deliver(0, encodedChunk(raw[:in.Len()]))
	s.expectNone()
	in = peerInitChunk()
	in.InStreams = 0
	raw = in.Append(nil)
	s.deliver(0, encodedChunk(raw[:in.Len()]))
	_, cs := s.expect(peerTagP, wire.ChunkAbort)
	ab := decode[wire.Abort](t, cs[0])
	it := ab.Causes.Iter()
	if c, ok := it.Next(); !ok || c.Code() != wire.CauseInvalidMandatoryParameter {
		t.Fatal("no Invalid Mandatory Parameter cause")
	}
}

// §3.2.1, §3.2.2: an unrecognized INIT parameter whose upper bits ask
// for a report comes back in the INIT ACK as an Unrecognized Parameter.
func TestRFC9260_3_2_2_UnrecognizedInitParameterReported(t *testing.T) {
	s := newScripted(t, Config{}, true)
	in := peerInitChunk()
	in.Params = wire.MakeParams((&wire.RawParam{Type: 0xC0AB, Value: []byte{1, 2, 3, 4}}).Append(nil))
	s.deliver(0, in)
	_, cs := s.expect(peerTagP, wire.ChunkInitAck)
	ia := decode[wire.InitAck](t, cs[0])
	p, ok := ia.Params.Find(wire.ParamUnrecognizedParameter)
	if !ok {
		t.Fatal("no Unrecognized Parameter in INIT ACK")
	}
	var u wire.UnrecognizedParameterParam
	if err := u.Decode(p); err != nil || len(u.Param) < 2 || u.Param[0] != 0xC0 || u.Param[1] != 0xAB {
		t.Fatalf("reported %x", u.Param)
	}
}

// §5.1 A, C, E: the initiating side sends INIT with tag 0, echoes the
// cookie of the INIT ACK, and is established on COOKIE ACK.
func TestRFC9260_5_1_InitiatorHandshake(t *testing.T) {
	s := newScripted(t, Config{}, false)
	a, err := s.ep.Dial(s.now, []netip.AddrPort{addrB}, portB)
	if err != nil {
		t.Fatal(err)
	}
	s.a = a
	s.collect()
	_, cs := s.expect(0, wire.ChunkInit)
	in := decode[wire.Init](t, cs[0])
	if in.InitiateTag != a.LocalTag() {
		t.Fatal("INIT tag is not the association's")
	}
	if a.State() != CookieWait {
		t.Fatalf("state %v", a.State())
	}
	cookie := []byte("opaque cookie of the peer")
	ia := wire.InitAck{InitiateTag: peerTagP, ARwnd: 65536, OutStreams: 3, InStreams: 7, InitialTSN: 99,
		Params: wire.MakeParams((&wire.StateCookieParam{Cookie: cookie}).Append(nil))}
	s.deliver(a.LocalTag(), &ia)
	_, cs = s.expect(peerTagP, wire.ChunkCookieEcho)
	if ce := decode[wire.CookieEcho](t, cs[0]); string(ce.Cookie) != string(cookie) {
		t.Fatal("cookie not echoed unchanged")
	}
	if a.State() != CookieEchoed {
		t.Fatalf("state %v", a.State())
	}
	s.deliver(a.LocalTag(), &wire.CookieAck{})
	if a.State() != Established {
		t.Fatalf("state %v", a.State())
	}
	// §5.1.1: outbound = min(our OS 10, peer's MIS 7), inbound =
	// min(our MIS, peer's OS 3).
	if out, inS := a.Streams(); out != 7 || inS != 3 {
		t.Fatalf("streams out %d in %d, want 7 and 3", out, inS)
	}
}

// §5.1 and §5.1.6 (T1-init): INIT is retransmitted with the RTO doubling
// each time, Max.Init.Retransmits times, then the attempt fails.
func TestRFC9260_5_1_T1InitBackoffAndGiveUp(t *testing.T) {
	s := newScripted(t, Config{MaxInitRetransmits: 3}, false)
	a, _ := s.ep.Dial(s.now, []netip.AddrPort{addrB}, portB)
	s.a = a
	s.collect()
	var times []time.Duration
	for range 4 {
		at, _ := s.expect(0, wire.ChunkInit)
		times = append(times, at.Sub(t0))
		s.advance(2 * time.Minute / 4)
	}
	s.advance(time.Minute)
	want := []time.Duration{0, time.Second, 3 * time.Second, 7 * time.Second}
	for i := range want {
		if times[i] != want[i] {
			t.Fatalf("INIT times %v, want %v", times, want)
		}
	}
	if a.State() != Closed {
		t.Fatalf("state %v after Max.Init.Retransmits", a.State())
	}
	ev := a.Events()
	if len(ev) == 0 || ev[len(ev)-1].Kind != EventDown || !errors.Is(ev[len(ev)-1].Err, ErrTimeout) {
		t.Fatalf("events %v", ev)
	}
}
