package assoc

import (
	"errors"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/internal/send"
	"github.com/rserpool/rserpool/sctp/wire"
)

func (s *scripted) send(stream uint16, payload string) {
	s.t.Helper()
	if err := s.a.Send(s.now, send.Message{Stream: wire.StreamID(stream), PPID: 7, Data: []byte(payload)}); err != nil {
		s.t.Fatal(err)
	}
	s.collect()
}

// localTSN is the TSN of the association's first DATA.
func (s *scripted) firstTSN() wire.TSN { return s.a.localTSN }

func sack(cum wire.TSN, rwnd uint32, gaps ...wire.GapBlock) *wire.Sack {
	return &wire.Sack{CumTSNAck: cum, ARwnd: rwnd, GapBlocks: wire.GapBlockListOf(gaps)}
}

// §6.3.2 and §6.3.3: unacknowledged DATA is retransmitted when T3-rtx
// expires, after RTO.Initial and then after the doubled RTO.
func TestRFC9260_6_3_3_T3Retransmission(t *testing.T) {
	s := newScripted(t, Config{}, true)
	s.establish()
	s.send(0, "x")
	at0, _ := s.expect(peerTagP, wire.ChunkData)
	s.advance(4 * time.Second)
	at1, cs := s.expect(peerTagP, wire.ChunkData)
	at2, _ := s.expect(peerTagP, wire.ChunkData)
	if at1.Sub(at0) != time.Second || at2.Sub(at1) != 2*time.Second {
		t.Fatalf("retransmissions after %v and %v, want 1s and 2s", at1.Sub(at0), at2.Sub(at1))
	}
	if d := decode[wire.Data](t, cs[0]); d.TSN != s.firstTSN() || string(d.UserData) != "x" {
		t.Fatal("retransmitted the wrong chunk")
	}
	if cw := s.a.paths[0].Cwnd(); cw != s.a.paths[0].PMDCS() {
		t.Fatalf("cwnd %d after T3, want one PMDCS (§7.2.3)", cw)
	}
}

// §7.2.4: three SACKs that report a TSN missing trigger its fast
// retransmission, before T3 expires.
func TestRFC9260_7_2_4_FastRetransmitOnThreeMisses(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	first := s.firstTSN()
	for i := range 5 {
		s.send(0, string(rune('a'+i)))
	}
	for len(s.out) > 0 {
		s.next()
	}
	// TSN first+1 is lost: SACKs for first, then gaps 2..2, 2..3, 2..4.
	s.deliver(tag, sack(first, 65536))
	s.deliver(tag, sack(first, 65536, wire.GapBlock{Start: 2, End: 2}))
	s.deliver(tag, sack(first, 65536, wire.GapBlock{Start: 2, End: 3}))
	s.expectNone()
	s.deliver(tag, sack(first, 65536, wire.GapBlock{Start: 2, End: 4}))
	_, cs := s.expect(peerTagP, wire.ChunkData)
	if d := decode[wire.Data](t, cs[0]); d.TSN != first+1 {
		t.Fatalf("fast retransmitted TSN %d, want %d", d.TSN, first+1)
	}
}

// §8.1: when the association error counter passes
// Association.Max.Retrans the peer is unreachable: the association ends
// and the user hears it, with the unacknowledged message reported.
func TestRFC9260_8_1_AssociationMaxRetrans(t *testing.T) {
	s := newScripted(t, Config{AssocMaxRetrans: 2}, true)
	s.establish()
	s.send(0, "lost")
	s.advance(time.Minute)
	if s.a.State() != Closed {
		t.Fatalf("state %v", s.a.State())
	}
	var down, failed bool
	for _, e := range s.a.Events() {
		switch e.Kind {
		case EventDown:
			down = errors.Is(e.Err, ErrTimeout)
		case EventSendFailed:
			failed = e.Message != nil && string(e.Message.Data) == "lost"
		}
	}
	if !down || !failed {
		t.Fatalf("down %v send-failed %v", down, failed)
	}
}

// §6.1 A: with the peer's window at zero, no new data goes while data is
// in flight; with nothing in flight one chunk probes the window.
func TestRFC9260_6_1_ZeroWindowProbe(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	first := s.firstTSN()
	s.send(0, "a")
	s.expect(peerTagP, wire.ChunkData)
	s.send(0, "b")
	s.expect(peerTagP, wire.ChunkData) // window still open
	s.deliver(tag, sack(first, 0))     // a acked, window 0, b in flight
	s.send(0, "c")
	s.expectNone()
	s.deliver(tag, sack(first+1, 0)) // nothing in flight: probe
	_, cs := s.expect(peerTagP, wire.ChunkData)
	if d := decode[wire.Data](t, cs[0]); string(d.UserData) != "c" {
		t.Fatal("probe is not the next chunk")
	}
	s.send(0, "d")
	s.expectNone()
}

// §6.3.1 and Karn's rule (C5): an acknowledged chunk sent once gives an
// RTT sample.
func TestRFC9260_6_3_1_RTTFromSack(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	s.send(0, "a")
	s.expect(peerTagP, wire.ChunkData)
	s.now = s.now.Add(100 * time.Millisecond)
	s.deliver(tag, sack(s.firstTSN(), 65536))
	if srtt := s.a.paths[0].SRTT(); srtt != 100*time.Millisecond {
		t.Fatalf("SRTT %v, want 100ms", srtt)
	}
}

// §6.9: a message larger than the path MTU is fragmented with B and E
// bits on consecutive TSNs.
func TestRFC9260_6_9_Fragmentation(t *testing.T) {
	s := newScripted(t, Config{}, true)
	s.establish()
	big := make([]byte, 3000)
	for i := range big {
		big[i] = byte(i)
	}
	if err := s.a.Send(s.now, send.Message{Stream: 1, PPID: 9, Data: big}); err != nil {
		t.Fatal(err)
	}
	s.collect()
	var total int
	var tsns []wire.TSN
	for len(s.out) > 0 {
		_, p, _ := s.next()
		it := p.Chunks()
		for c, ok := it.Next(); ok; c, ok = it.Next() {
			d := decode[wire.Data](t, c)
			if d.Beginning != (total == 0) || d.Ending != (total+len(d.UserData) == len(big)) {
				t.Fatalf("fragment at %d: B %v E %v", total, d.Beginning, d.Ending)
			}
			total += len(d.UserData)
			tsns = append(tsns, d.TSN)
		}
		if len(p) > 1452 {
			t.Fatalf("packet of %d bytes over the MTU", len(p))
		}
	}
	if total != len(big) || len(tsns) != 3 || tsns[1] != tsns[0]+1 || tsns[2] != tsns[1]+1 {
		t.Fatalf("fragments %v total %d", tsns, total)
	}
}

// §6.1 A: a zero window probe the peer dropped is sent again as soon as
// a SACK shows the window open, not when the backed-off T3 fires.
func TestRFC9260_6_1_ProbeResentWhenWindowOpens(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	first := s.firstTSN()
	s.deliver(tag, sack(first-1, 0)) // window closed, nothing in flight
	s.send(0, "probe")
	s.expect(peerTagP, wire.ChunkData)
	s.now = s.now.Add(time.Second)
	s.deliver(tag, sack(first-1, 0)) // dropped for want of room
	s.expectNone()
	s.now = s.now.Add(time.Second)
	s.deliver(tag, sack(first-1, 65536)) // the peer read: window open
	_, cs := s.expect(peerTagP, wire.ChunkData)
	if d := decode[wire.Data](t, cs[0]); d.TSN != first || string(d.UserData) != "probe" {
		t.Fatalf("resent TSN %d %q, want the probe", d.TSN, d.UserData)
	}
	if s.a.Stats().ProbesResent != 1 {
		t.Fatalf("ProbesResent %d", s.a.Stats().ProbesResent)
	}
	// Acknowledged, it is not sent a third time.
	s.deliver(tag, sack(first, 65536))
	s.expectNone()
}

// §6.1 A: only a zero window probe is resent when the window opens. Data
// sent into an open window that then narrowed waits for its SACK as
// usual.
func TestRFC9260_6_1_NarrowedWindowNoResend(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	first := s.firstTSN()
	s.send(0, "a")
	s.send(0, "b")
	s.collect()
	s.out = nil
	s.deliver(tag, sack(first-1, 10)) // narrowed, nothing acknowledged
	s.deliver(tag, sack(first-1, 65536))
	s.expectNone()
	if s.a.Stats().Retransmissions != 0 || s.a.Stats().ProbesResent != 0 {
		t.Fatalf("%d retransmissions, %d probes resent", s.a.Stats().Retransmissions, s.a.Stats().ProbesResent)
	}
}

func sendMsg(p string) send.Message { return send.Message{PPID: 1, Data: []byte(p)} }
