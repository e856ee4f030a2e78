package assoc

import (
	"net/netip"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/internal/path"
	"github.com/rserpool/rserpool/sctp/wire"
)

// addrB2 is the scripted peer's second address.
var addrB2 = netip.MustParseAddrPort("127.0.0.12:9899")

// establishMultihomed sets up an association with a peer at addrB and
// addrB2 (listed in its INIT, §5.1.2), confirms addrB2 by answering the
// probe (§5.4), and returns the tag.
func establishMultihomed(t *testing.T, cfg Config) (*scripted, wire.VTag) {
	t.Helper()
	s := newScripted(t, cfg, true)
	init := peerInitChunk()
	init.Params = wire.MakeParams(wire.AppendParams(nil, &wire.IPv4AddressParam{Addr: addrB.Addr()}, &wire.IPv4AddressParam{Addr: addrB2.Addr()}))
	tag := s.establishWith(init)
	if len(s.a.paths) != 2 || s.a.paths[1].Remote != addrB2 || s.a.paths[1].State() != path.Unconfirmed {
		t.Fatalf("paths %v", s.a.Paths())
	}
	s.advanceUntilPacket(2 * time.Second)
	s.ackHeartbeat(tag, addrB2)
	if s.a.paths[1].State() != path.Active {
		t.Fatalf("addrB2 %v after its probe was answered", s.a.paths[1].State())
	}
	s.a.Events() // drop the confirmation event
	return s, tag
}

// ackHeartbeat takes the next packet, which must be a HEARTBEAT to dst,
// and answers it from dst.
func (s *scripted) ackHeartbeat(tag wire.VTag, dst netip.AddrPort) {
	s.t.Helper()
	_, p, lp := s.next()
	c := firstChunk(p)
	if c.Type() != wire.ChunkHeartbeat || lp.Dst != dst {
		s.t.Fatalf("%v to %v, want a HEARTBEAT to %v", describe(p), lp.Dst, dst)
	}
	hb := decode[wire.Heartbeat](s.t, c)
	s.deliverFrom(dst, tag, &wire.HeartbeatAck{Info: append([]byte(nil), hb.Info...)})
}

func firstChunk(p wire.Packet) wire.Chunk {
	it := p.Chunks()
	c, _ := it.Next()
	return c
}

// dataTo takes every emitted packet and returns the destinations of
// those carrying DATA, and the info of the last HEARTBEAT to hb.
func (s *scripted) dataTo(hb netip.AddrPort) (dsts []netip.AddrPort, heartbeat []byte) {
	for len(s.out) > 0 {
		_, p, lp := s.next()
		it := p.Chunks()
		for c, ok := it.Next(); ok; c, ok = it.Next() {
			switch c.Type() {
			case wire.ChunkData:
				dsts = append(dsts, lp.Dst)
			case wire.ChunkHeartbeat:
				if lp.Dst == hb {
					heartbeat = append([]byte(nil), decode[wire.Heartbeat](s.t, c).Info...)
				}
			}
		}
	}
	return dsts, heartbeat
}

func pathEvents(a *Assoc) []Event {
	var r []Event
	for _, e := range a.Events() {
		if e.Kind == EventPath || e.Kind == EventPrimary {
			r = append(r, e)
		}
	}
	return r
}

// §5.1.2, §5.4: the addresses of the peer's INIT become paths; one not
// yet confirmed gets no data but a HEARTBEAT within an RTO, and its
// answer confirms it, with an event.
func TestRFC9260_5_4_PeerAddressConfirmed(t *testing.T) {
	s := newScripted(t, Config{}, true)
	init := peerInitChunk()
	init.Params = wire.MakeParams(wire.AppendParams(nil, &wire.IPv4AddressParam{Addr: addrB2.Addr()}))
	tag := s.establishWith(init)
	if s.a.paths[0].State() != path.Active || s.a.paths[1].State() != path.Unconfirmed {
		t.Fatalf("states %v %v: the INIT's source is confirmed, the listed address not", s.a.paths[0].State(), s.a.paths[1].State())
	}
	s.send(0, "x")
	if dsts, _ := s.dataTo(addrB2); len(dsts) != 1 || dsts[0] != addrB {
		t.Fatalf("data went to %v", dsts)
	}
	at := s.now
	s.advanceUntilPacket(2 * time.Second)
	if s.now.Sub(at) > time.Second {
		t.Fatalf("probe after %v, want within an RTO", s.now.Sub(at))
	}
	s.ackHeartbeat(tag, addrB2)
	ev := pathEvents(s.a)
	if len(ev) != 1 || ev[0].Path != addrB2 || ev[0].PathState != path.Active || ev[0].Reason != "confirmed by heartbeat" {
		t.Fatalf("events %+v", ev)
	}
}

// §6.4.1: data that timed out is retransmitted to another active
// address; new data stays on the primary while it is active.
func TestRFC9260_6_4_1_RetransmitToAlternate(t *testing.T) {
	s, _ := establishMultihomed(t, Config{})
	s.send(0, "x")
	s.dataTo(addrB2)
	s.advance(s.a.paths[0].RTO())
	dsts, _ := s.dataTo(addrB2)
	if len(dsts) != 1 || dsts[0] != addrB2 {
		t.Fatalf("retransmission to %v, want the alternate %v", dsts, addrB2)
	}
	if s.a.paths[0].State() != path.Active {
		t.Fatalf("primary %v after one timeout without PF", s.a.paths[0].State())
	}
	s.send(0, "y")
	if dsts, _ := s.dataTo(addrB2); len(dsts) != 1 || dsts[0] != addrB {
		t.Fatalf("new data to %v, want the primary", dsts)
	}
}

// failPrimary makes T3 expire on the primary n times (its data resent to
// addrB2 and acknowledged there each time, so the association lives on).
func failPrimary(s *scripted, tag wire.VTag, n int) {
	s.t.Helper()
	for range n {
		s.send(0, "x")
		dsts, _ := s.dataTo(addrB2)
		if len(dsts) == 0 {
			s.t.Fatal("no data sent")
		}
		s.advance(s.a.paths[0].RTO())
		s.dataTo(addrB2)
		s.deliverFrom(addrB2, tag, sack(s.a.snd.NextTSN()-1, 65536))
		s.dataTo(addrB2)
	}
}

// §8.2: the primary becomes inactive after Path.Max.Retrans + 1 errors,
// with an event; data moves to the other address; when a heartbeat
// answer makes it active again data switches back to it (§6.4).
func TestRFC9260_8_2_FailoverAndSwitchback(t *testing.T) {
	cfg := Config{}
	cfg.Path.PathMaxRetrans = 2
	cfg.AssocMaxRetrans = 20
	s, tag := establishMultihomed(t, cfg)
	failPrimary(s, tag, 3)
	if s.a.paths[0].State() != path.Inactive {
		t.Fatalf("primary %v after 3 timeouts with Path.Max.Retrans 2", s.a.paths[0].State())
	}
	ev := pathEvents(s.a)
	if len(ev) != 1 || ev[0].Path != addrB || ev[0].PathState != path.Inactive || ev[0].Reason != "retransmission timeout" {
		t.Fatalf("events %+v", ev)
	}
	s.send(0, "z")
	if dsts, _ := s.dataTo(addrB2); len(dsts) != 1 || dsts[0] != addrB2 {
		t.Fatalf("new data to %v with the primary inactive", dsts)
	}
	s.deliverFrom(addrB2, tag, sack(s.a.snd.NextTSN()-1, 65536))
	// Heartbeats go on to the inactive primary; one answered revives it.
	for range 100 {
		s.advanceUntilPacket(time.Minute)
		_, p, lp := s.next()
		if c := firstChunk(p); c.Type() == wire.ChunkHeartbeat && lp.Dst == addrB {
			hb := decode[wire.Heartbeat](t, c)
			s.deliver(tag, &wire.HeartbeatAck{Info: append([]byte(nil), hb.Info...)})
			break
		}
	}
	if s.a.paths[0].State() != path.Active {
		t.Fatalf("primary %v after its heartbeat was answered", s.a.paths[0].State())
	}
	s.out = nil
	s.send(0, "back")
	if dsts, _ := s.dataTo(addrB2); len(dsts) != 1 || dsts[0] != addrB {
		t.Fatalf("data to %v, want a switch back to the primary", dsts)
	}
}

// RFC 7829 §3.2 rules 2, 3, 6, 7: with PFMR 0, one timeout makes the
// primary PF at once (event), a HEARTBEAT goes to it, new data goes to
// the active address; the heartbeat's answer makes it active again and
// data returns to it.
func TestRFC7829_3_2_PFFailover(t *testing.T) {
	cfg := Config{}
	cfg.Path.PF = true
	s, tag := establishMultihomed(t, cfg)
	s.send(0, "x")
	s.dataTo(addrB2)
	s.advance(s.a.paths[0].RTO())
	dsts, hb := s.dataTo(addrB)
	if s.a.paths[0].State() != path.PotentiallyFailed {
		t.Fatalf("primary %v after one timeout, want PF", s.a.paths[0].State())
	}
	if len(dsts) != 1 || dsts[0] != addrB2 || hb == nil {
		t.Fatalf("data to %v, heartbeat to the primary %v; want data to %v and a heartbeat", dsts, hb, addrB2)
	}
	ev := pathEvents(s.a)
	if len(ev) != 1 || ev[0].PathState != path.PotentiallyFailed {
		t.Fatalf("events %+v", ev)
	}
	s.send(0, "y")
	if dsts, _ := s.dataTo(addrB); len(dsts) != 1 || dsts[0] != addrB2 {
		t.Fatalf("new data to %v with the primary PF", dsts)
	}
	// The heartbeat sent on entering PF is answered.
	s.deliver(tag, &wire.HeartbeatAck{Info: hb})
	if s.a.paths[0].State() != path.Active {
		t.Fatalf("primary %v after its heartbeat was answered", s.a.paths[0].State())
	}
	s.deliverFrom(addrB2, tag, sack(s.a.snd.NextTSN()-1, 65536))
	s.out = nil
	s.send(0, "z")
	if dsts, _ := s.dataTo(addrB2); len(dsts) != 1 || dsts[0] != addrB {
		t.Fatalf("data to %v after the primary came back", dsts)
	}
}

// RFC 7829 §3.2 rules 5, 6, 8: a PF address is probed once per RTO
// (backed off), the next HEARTBEAT at once when one times out, whatever
// HB.interval says; PMR - PFMR more timeouts make it inactive.
func TestRFC7829_3_2_PFProbedEveryRTO(t *testing.T) {
	cfg := Config{}
	cfg.Path.PF = true
	cfg.Path.PathMaxRetrans = 3
	cfg.AssocMaxRetrans = 50
	s, tag := establishMultihomed(t, cfg)
	s.send(0, "x")
	s.dataTo(addrB2)
	s.advance(s.a.paths[0].RTO())
	s.dataTo(addrB2)
	s.deliverFrom(addrB2, tag, sack(s.a.snd.NextTSN()-1, 65536))
	s.out = nil
	var gaps []time.Duration
	last := s.now
	for s.a.paths[0].State() == path.PotentiallyFailed && len(gaps) < 10 {
		rto := s.a.paths[0].RTO()
		s.advance(rto)
		for len(s.out) > 0 {
			at, p, lp := s.next()
			if c := firstChunk(p); c.Type() == wire.ChunkHeartbeat && lp.Dst == addrB {
				if at.Sub(last) > rto {
					t.Fatalf("heartbeat %v after the previous, RTO %v", at.Sub(last), rto)
				}
				gaps = append(gaps, at.Sub(last))
				last = at
			}
		}
	}
	if s.a.paths[0].State() != path.Inactive {
		t.Fatalf("primary %v", s.a.paths[0].State())
	}
	// PFMR 0, PMR 3: the T3 timeout is error 1 and sends the first
	// heartbeat; its timeout (error 2) sends the second at once, whose
	// timeout (error 3) sends the third, whose timeout (error 4) makes
	// the address inactive. The RTO doubles each time.
	if len(gaps) != 2 || gaps[1] != 2*gaps[0] {
		t.Fatalf("heartbeats after the first every %v, want two, one per backed-off RTO", gaps)
	}
}

// RFC 7829 §3.2 rules 4 and 9: with every address PF, a retransmission
// goes to one of them anyway; its acknowledgement does not bring that
// address back, since the chunk had gone to the other one too and the
// ack cannot tell which copy arrived. Data sent to it alone does.
func TestRFC7829_3_2_AmbiguousAckKeepsPF(t *testing.T) {
	cfg := Config{}
	cfg.Path.PF = true
	cfg.AssocMaxRetrans = 50
	s, tag := establishMultihomed(t, cfg)
	s.a.paths[1].OnError() // addrB2 PF
	s.send(0, "x")
	s.dataTo(addrB2)
	s.advance(s.a.paths[0].RTO()) // addrB PF too; resent to addrB2
	dsts, _ := s.dataTo(addrB2)
	if len(dsts) != 1 || dsts[0] != addrB2 || s.a.paths[0].State() != path.PotentiallyFailed {
		t.Fatalf("retransmission to %v, primary %v", dsts, s.a.paths[0].State())
	}
	s.deliverFrom(addrB2, tag, sack(s.a.snd.NextTSN()-1, 65536))
	if st := s.a.paths[1].State(); st != path.PotentiallyFailed {
		t.Fatalf("addrB2 %v after an ack of a chunk sent to both addresses", st)
	}
	s.out = nil
	s.send(0, "y") // to addrB2 alone: fewer errors
	dsts, _ = s.dataTo(addrB)
	if len(dsts) != 1 || dsts[0] != addrB2 {
		t.Fatalf("data to %v, want the PF address with fewer errors", dsts)
	}
	s.deliverFrom(addrB2, tag, sack(s.a.snd.NextTSN()-1, 65536))
	if st := s.a.paths[1].State(); st != path.Active {
		t.Fatalf("addrB2 %v after an ack of data sent to it alone", st)
	}
}

// RFC 7829 §4.1: when every address is inactive, data still goes out,
// to the one with the fewest errors, and no state changes for it.
func TestRFC7829_4_1_DormantState(t *testing.T) {
	cfg := Config{}
	cfg.Path.PF = true
	cfg.Path.PathMaxRetrans = 1
	cfg.AssocMaxRetrans = 1000
	s, _ := establishMultihomed(t, cfg)
	s.a.SetPrimary(addrB2.Addr())
	for range 2 {
		s.a.paths[1].OnError()
	}
	for range 5 {
		s.a.paths[0].OnError()
	}
	if s.a.paths[0].State() != path.Inactive || s.a.paths[1].State() != path.Inactive {
		t.Fatalf("states %v %v", s.a.paths[0].State(), s.a.paths[1].State())
	}
	s.out = nil
	s.send(0, "x")
	dsts, _ := s.dataTo(addrB2)
	if len(dsts) != 1 || dsts[0] != addrB2 {
		t.Fatalf("dormant: data to %v, want the address with fewer errors", dsts)
	}
	if s.a.paths[1].State() != path.Inactive || s.a.paths[1].ErrorCount() != 2 {
		t.Fatal("choosing an address for data changed its state")
	}
}

// RFC 7829 §5: with primary path switchover, the path data moved to when
// the primary's errors passed PSMR becomes the primary, and data stays
// there when the old primary recovers (no switchback). PSMR below PFMR
// is refused.
func TestRFC7829_5_PrimarySwitchover(t *testing.T) {
	cfg := Config{PrimarySwitchover: true}
	cfg.Path.PF = true
	s, tag := establishMultihomed(t, cfg)
	failPrimary(s, tag, 1)
	ev := pathEvents(s.a)
	if s.a.Primary() != addrB2 || len(ev) != 2 || ev[1].Kind != EventPrimary || ev[1].Path != addrB2 {
		t.Fatalf("primary %v, events %+v", s.a.Primary(), ev)
	}
	s.a.paths[0].OnAckReceived() // the old primary recovers
	s.out = nil
	s.send(0, "y")
	if dsts, _ := s.dataTo(addrB); len(dsts) != 1 || dsts[0] != addrB2 {
		t.Fatalf("data to %v, want the new primary", dsts)
	}

	bad := Config{PrimarySwitchover: true, SwitchoverMaxRetrans: 1}
	bad.Path.PF, bad.Path.PFMaxRetrans = true, 2
	if _, err := NewEndpoint(bad, portA, []netip.AddrPort{addrA}, 1452, newSeeded(1), t0); err == nil {
		t.Fatal("PSMR below PFMR accepted")
	}
}

// §11.1 SET PRIMARY: the user picks the primary among confirmed
// addresses.
func TestRFC9260_11_1_SetPrimary(t *testing.T) {
	s, _ := establishMultihomed(t, Config{})
	if err := s.a.SetPrimary(addrB2.Addr()); err != nil {
		t.Fatal(err)
	}
	s.send(0, "x")
	if dsts, _ := s.dataTo(addrB); len(dsts) != 1 || dsts[0] != addrB2 {
		t.Fatalf("data to %v", dsts)
	}
	if p := s.a.Paths(); p[0] != addrB2 {
		t.Fatalf("Paths %v: the primary first", p)
	}
	if err := s.a.SetPrimary(netip.MustParseAddr("127.0.0.99")); err != ErrUnknownAddress {
		t.Fatalf("unknown address: %v", err)
	}
}

// §8.3: after an unanswered HEARTBEAT on an active address (SCTP-PF
// off), the next comes after RTO + HB.interval with the RTO backed off,
// not at once.
func TestRFC9260_8_3_NextHeartbeatAfterTimeout(t *testing.T) {
	s := newScripted(t, Config{}, true)
	s.establish()
	s.advanceUntilPacket(40 * time.Second)
	at, _ := s.expect(peerTagP, wire.ChunkHeartbeat)
	rto := s.a.paths[0].RTO()
	s.advance(rto) // unanswered
	s.advanceUntilPacket(time.Minute)
	next, _ := s.expect(peerTagP, wire.ChunkHeartbeat)
	gap := next.Sub(at) - rto
	if want := 30*time.Second + 2*rto; gap < want-rto || gap > want+rto {
		t.Fatalf("next heartbeat %v after the timeout, want HB.interval + the doubled RTO ± RTO/2", gap)
	}
}
