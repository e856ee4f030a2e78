package assoc

import (
	"errors"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/wire"
)

// §9.2: SHUTDOWN waits until everything sent is acknowledged, carries
// the cumulative TSN ack, and on SHUTDOWN ACK the association sends
// SHUTDOWN COMPLETE and closes.
func TestRFC9260_9_2_ShutdownAfterOutstandingAcked(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	s.deliver(tag, data(1000, 0, 0, "in"))
	s.expect(peerTagP, wire.ChunkSack)
	s.send(0, "out")
	s.expect(peerTagP, wire.ChunkData)
	s.a.Shutdown(s.now)
	s.collect()
	if s.a.State() != ShutdownPending {
		t.Fatalf("state %v", s.a.State())
	}
	s.expectNone()
	if err := s.a.Send(s.now, sendMsg("late")); !errors.Is(err, ErrShutdown) {
		t.Fatalf("send during shutdown: %v", err)
	}
	s.deliver(tag, sack(s.firstTSN(), 65536))
	_, cs := s.expect(peerTagP, wire.ChunkShutdown)
	if sh := decode[wire.Shutdown](t, cs[0]); sh.CumTSNAck != 1000 {
		t.Fatalf("SHUTDOWN cum ack %d", sh.CumTSNAck)
	}
	if s.a.State() != ShutdownSent {
		t.Fatalf("state %v", s.a.State())
	}
	s.deliver(tag, &wire.ShutdownAck{})
	s.expect(peerTagP, wire.ChunkShutdownComplete)
	if s.a.State() != Closed {
		t.Fatalf("state %v", s.a.State())
	}
	ev := s.a.Events()
	if ev[len(ev)-1].Kind != EventShutdownComplete {
		t.Fatalf("events %v", ev)
	}
}

// §9.2: on SHUTDOWN the receiver answers SHUTDOWN ACK once its data is
// acknowledged, and closes on SHUTDOWN COMPLETE.
func TestRFC9260_9_2_ShutdownReceived(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	s.send(0, "out")
	s.expect(peerTagP, wire.ChunkData)
	// The SHUTDOWN does not acknowledge our DATA: no SHUTDOWN ACK yet.
	s.deliver(tag, &wire.Shutdown{CumTSNAck: s.firstTSN() - 1})
	s.expectNone()
	if s.a.State() != ShutdownReceived {
		t.Fatalf("state %v", s.a.State())
	}
	// The SHUTDOWN's cumulative ack acknowledges it.
	s.deliver(tag, &wire.Shutdown{CumTSNAck: s.firstTSN()})
	s.expect(peerTagP, wire.ChunkShutdownAck)
	if s.a.State() != ShutdownAckSent {
		t.Fatalf("state %v", s.a.State())
	}
	s.deliver(tag, &wire.ShutdownComplete{})
	if s.a.State() != Closed {
		t.Fatalf("state %v", s.a.State())
	}
}

// §9.2: SHUTDOWN is retransmitted when T2-shutdown expires, with the
// RTO doubled.
func TestRFC9260_9_2_T2Shutdown(t *testing.T) {
	s := newScripted(t, Config{}, true)
	s.establish()
	s.a.Shutdown(s.now)
	s.collect()
	at0, _ := s.expect(peerTagP, wire.ChunkShutdown)
	s.advance(3500 * time.Millisecond)
	at1, _ := s.expect(peerTagP, wire.ChunkShutdown)
	at2, _ := s.expect(peerTagP, wire.ChunkShutdown)
	if at1.Sub(at0) != time.Second || at2.Sub(at1) != 2*time.Second {
		t.Fatalf("SHUTDOWN resent after %v, %v", at1.Sub(at0), at2.Sub(at1))
	}
}

// §9.2: the T5-shutdown-guard timer aborts a shutdown that does not
// finish.
func TestRFC9260_9_2_T5ShutdownGuard(t *testing.T) {
	s := newScripted(t, Config{ShutdownGuard: 10 * time.Second}, true)
	s.establish()
	s.a.Shutdown(s.now)
	s.collect()
	s.advance(9 * time.Second)
	if s.a.State() != ShutdownSent {
		t.Fatalf("state %v before T5", s.a.State())
	}
	s.advance(2 * time.Second)
	if s.a.State() != Closed {
		t.Fatalf("state %v after T5", s.a.State())
	}
	var sawAbort bool
	for len(s.out) > 0 {
		_, p, _ := s.next()
		if describe(p) == "[ABORT]" {
			sawAbort = true
		}
	}
	if !sawAbort {
		t.Fatal("no ABORT at T5 expiry")
	}
}

// §9.2: in SHUTDOWN-SENT, DATA is acknowledged at once and the SHUTDOWN
// repeated with it.
func TestRFC9260_9_2_DataInShutdownSent(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	s.a.Shutdown(s.now)
	s.collect()
	s.expect(peerTagP, wire.ChunkShutdown)
	s.deliver(tag, data(1000, 0, 0, "x"))
	s.expect(peerTagP, wire.ChunkSack, wire.ChunkShutdown)
}

// §9.2: both ends shut down at once: SHUTDOWN received in SHUTDOWN-SENT
// is answered with SHUTDOWN ACK; SHUTDOWN ACK then completes.
func TestRFC9260_9_2_ShutdownCollision(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	s.a.Shutdown(s.now)
	s.collect()
	s.expect(peerTagP, wire.ChunkShutdown)
	s.deliver(tag, &wire.Shutdown{CumTSNAck: s.firstTSN() - 1})
	s.expect(peerTagP, wire.ChunkShutdownAck)
	s.deliver(tag, &wire.ShutdownAck{})
	s.expect(peerTagP, wire.ChunkShutdownComplete)
	if s.a.State() != Closed {
		t.Fatalf("state %v", s.a.State())
	}
}
