package assoc

import (
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/wire"
)

// §8.4 8: an out-of-the-blue packet is answered with an ABORT whose T
// bit is set and whose tag is the one received.
func TestRFC9260_8_4_OOTBAnsweredWithAbortTBit(t *testing.T) {
	s := newScripted(t, Config{}, true)
	s.deliver(0x5555, &wire.Heartbeat{Info: []byte{1, 2, 3, 4}})
	_, cs := s.expect(0x5555, wire.ChunkAbort)
	if ab := decode[wire.Abort](t, cs[0]); !ab.TBit {
		t.Fatal("T bit clear")
	}
}

// §8.4 2, 6, 7: ABORT, SHUTDOWN COMPLETE and COOKIE ACK out of the blue
// are discarded without an answer.
func TestRFC9260_8_4_OOTBSilent(t *testing.T) {
	s := newScripted(t, Config{}, true)
	s.deliver(0x5555, &wire.Abort{})
	s.deliver(0x5555, &wire.ShutdownComplete{})
	s.deliver(0x5555, &wire.CookieAck{})
	s.expectNone()
}

// §8.4 5: SHUTDOWN ACK out of the blue gets SHUTDOWN COMPLETE with the T
// bit, the tag reflected.
func TestRFC9260_8_4_OOTBShutdownAck(t *testing.T) {
	s := newScripted(t, Config{}, true)
	s.deliver(0x7777, &wire.ShutdownAck{})
	_, cs := s.expect(0x7777, wire.ChunkShutdownComplete)
	if sc := decode[wire.ShutdownComplete](t, cs[0]); !sc.TBit {
		t.Fatal("T bit clear")
	}
}

// §8.4 3: an INIT to an endpoint that does not listen gets an ABORT
// under the INIT's Initiate Tag with the T bit clear.
func TestRFC9260_8_4_InitNotListening(t *testing.T) {
	s := newScripted(t, Config{}, false)
	s.deliver(0, peerInitChunk())
	_, cs := s.expect(peerTagP, wire.ChunkAbort)
	if ab := decode[wire.Abort](t, cs[0]); ab.TBit {
		t.Fatal("T bit set")
	}
}

// §8.5: a packet whose tag is not the association's is discarded.
func TestRFC9260_8_5_WrongTagDiscarded(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	s.deliver(tag+1, data(1000, 0, 0, "x"))
	s.expectNone()
	if _, ok := s.a.Read(); ok {
		t.Fatal("data accepted under a wrong tag")
	}
}

// §8.5.1 B: an ABORT is accepted under our tag, or under the peer's own
// tag with the T bit; not otherwise.
func TestRFC9260_8_5_1_AbortTags(t *testing.T) {
	s := newScripted(t, Config{}, true)
	s.establish()
	s.deliver(peerTagP, &wire.Abort{}) // T bit clear, peer's tag: wrong
	if s.a.State() != Established {
		t.Fatal("ABORT with a wrong tag accepted")
	}
	s.deliver(peerTagP, &wire.Abort{TBit: true})
	if s.a.State() != Closed {
		t.Fatal("ABORT with T bit and the peer's tag refused")
	}
	s2 := newScripted(t, Config{}, true)
	tag := s2.establish()
	s2.deliver(tag, &wire.Abort{Causes: wire.MakeCauses((&wire.UserInitiatedAbortCause{Reason: []byte("bye")}).Append(nil))})
	if s2.a.State() != Closed {
		t.Fatal("ABORT under our tag refused")
	}
	ev := s2.a.Events()
	last := ev[len(ev)-1]
	var pe *PeerAbortError
	if last.Kind != EventDown || !asPeerAbort(last.Err, &pe) || pe.Reason != "bye" {
		t.Fatalf("event %+v", last)
	}
}

func asPeerAbort(err error, pe **PeerAbortError) bool {
	p, ok := err.(*PeerAbortError)
	*pe = p
	return ok
}

// §3.2: an unrecognized chunk whose upper bits are 01 stops processing of
// the packet and is reported in an ERROR; 11 is skipped and reported;
// 10 is skipped silently.
func TestRFC9260_3_2_UnrecognizedChunks(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	s.deliver(tag, &wire.RawChunk{Type: 0xC5, Value: []byte{9}}, data(1000, 0, 0, "a"))
	_, cs := s.expect(peerTagP, wire.ChunkError, wire.ChunkSack)
	ec := decode[wire.ErrorChunk](t, cs[0])
	it := ec.Causes.Iter()
	if c, ok := it.Next(); !ok || c.Code() != wire.CauseUnrecognizedChunkType {
		t.Fatal("no Unrecognized Chunk Type cause")
	}
	if m, ok := s.a.Read(); !ok || string(m.Data) != "a" {
		t.Fatal("DATA after a skip-type chunk not processed")
	}
	s.deliver(tag, &wire.RawChunk{Type: 0x45}, data(1001, 0, 1, "b"))
	s.expect(peerTagP, wire.ChunkError)
	if _, ok := s.a.Read(); ok {
		t.Fatal("DATA after a stop-type chunk processed")
	}
	s.deliver(tag, &wire.RawChunk{Type: 0x85}, data(1001, 0, 1, "b"))
	s.expectNone() // the delayed SACK (§6.2); no ERROR for type 10
	if m, ok := s.a.Read(); !ok || string(m.Data) != "b" {
		t.Fatal("DATA after a silently skipped chunk not processed")
	}
	s.advance(time.Second)
	s.expect(peerTagP, wire.ChunkSack)
}
