package assoc

import (
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/wire"
)

// §8.3: an idle path gets a HEARTBEAT every RTO + HB.interval (with
// jitter of ±RTO/2); the peer's HEARTBEAT ACK with the same info is
// accepted, one with another nonce is not.
func TestRFC9260_8_3_HeartbeatOnIdlePath(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	start := s.now
	s.advanceUntilPacket(40 * time.Second)
	at, cs := s.expect(peerTagP, wire.ChunkHeartbeat)
	if d := at.Sub(start); d < 30*time.Second+500*time.Millisecond || d > 31*time.Second+500*time.Millisecond {
		t.Fatalf("first heartbeat after %v, want RTO+HB.interval ± RTO/2", d)
	}
	hb := decode[wire.Heartbeat](t, cs[0])
	info := append([]byte(nil), hb.Info...)
	forged := append([]byte(nil), info...)
	forged[20] ^= 0xff // the nonce
	s.deliver(tag, &wire.HeartbeatAck{Info: forged})
	if !s.a.paths[0].hbWaiting {
		t.Fatal("a HEARTBEAT ACK with a wrong nonce was accepted")
	}
	s.now = at.Add(50 * time.Millisecond)
	s.deliver(tag, &wire.HeartbeatAck{Info: info})
	if s.a.paths[0].hbWaiting || s.a.paths[0].SRTT() != 50*time.Millisecond {
		t.Fatalf("HEARTBEAT ACK not taken (RTT %v)", s.a.paths[0].SRTT())
	}
}

// §8.3: an unanswered HEARTBEAT counts as an error on the path, and on
// the association when the path carries data (§8.1).
func TestRFC9260_8_3_UnansweredHeartbeatCounts(t *testing.T) {
	s := newScripted(t, Config{}, true)
	s.establish()
	s.advance(32 * time.Second)
	s.expect(peerTagP, wire.ChunkHeartbeat)
	s.advance(2 * time.Second)
	if s.a.paths[0].ErrorCount() != 1 || s.a.errorCount != 1 {
		t.Fatalf("path errors %d, association errors %d", s.a.paths[0].ErrorCount(), s.a.errorCount)
	}
}

// §8.3: a HEARTBEAT is answered with a HEARTBEAT ACK carrying its info
// unchanged, to the address it came from.
func TestRFC9260_8_3_HeartbeatAnswered(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	s.deliver(tag, &wire.Heartbeat{Info: []byte("sender specific")})
	_, cs := s.expect(peerTagP, wire.ChunkHeartbeatAck)
	if h := decode[wire.HeartbeatAck](t, cs[0]); string(h.Info) != "sender specific" {
		t.Fatalf("info %q", h.Info)
	}
}
