package send

import (
	"encoding/binary"
	"testing"

	"github.com/rserpool/rserpool/sctp/wire"
)

// Mistaken calls change nothing and do not panic: chunks that are nil,
// from another Sender or already acknowledged, paths out of range, a nil
// SACK.
func TestMistakenCallsIgnored(t *testing.T) {
	s := newSender(1)
	other := newSender(1)
	cs := queueAndSend(t, s, 3, 100, 0, t0)
	foreign := queueAndSend(t, other, 1, 100, 0, t0)[0]
	s.HandleSack(sack(k(1), 10000), t0) // cs[0] back in the pool

	s.Sent(nil, 0, t0)
	s.Sent(foreign, 0, t0)
	s.Sent(cs[0], 0, t0)
	s.Sent(cs[1], -1, t0)
	s.Sent(cs[1], maxPaths, t0)
	if r := s.HandleSack(nil, t0); !r.Ignored {
		t.Fatal("nil SACK not ignored")
	}
	if s.T3Expired(-1) != 0 || s.T3Expired(1<<30) != 0 || s.FlightSize(-5) != 0 || s.OutstandingOn(99) {
		t.Fatal("out-of-range path has data")
	}
	s.MovePath(-1, 1<<30)
	if s.IsFirstOnPath(nil, 0) || s.IsFirstOnPath(foreign, 0) {
		t.Fatal("IsFirstOnPath true for a chunk not on the list")
	}
	if cs[1].Sends != 1 || s.Outstanding() != 200 || other.Outstanding() != 100 {
		t.Fatalf("state changed: sends %d outstanding %d/%d", cs[1].Sends, s.Outstanding(), other.Outstanding())
	}
	if s.NextNew(0) != nil || s.NextNew(-1) != nil {
		t.Fatal("NextNew with no room returned a chunk")
	}
	checkInvariants(t, s)
}

// FuzzSender drives a Sender with arbitrary operations, SACKs included,
// and checks that it never panics and its bookkeeping always holds.
func FuzzSender(f *testing.F) {
	f.Add([]byte{3, 200, 3, 50, 2, 0, 2, 1, 2, 2, 0, 0, 1, 0, 2, 0, 3, 0, 1, 1, 0})
	f.Add([]byte{3, 255, 3, 255, 2, 0, 2, 0, 2, 0, 2, 0, 0, 1, 2, 0, 4, 0, 6, 1, 0, 2, 0, 0, 0, 1, 0, 0, 2, 0, 3})
	f.Add([]byte{3, 10, 2, 0, 0, 0x7f, 0, 2, 0, 0})
	f.Fuzz(func(t *testing.T, ops []byte) {
		s := New(Config{OutStreams: 2, MaxQueued: 5000}, wire.TSN(0xfffffff0))
		now := t0
		next := func() byte {
			if len(ops) == 0 {
				return 0
			}
			b := ops[0]
			ops = ops[1:]
			return b
		}
		for len(ops) > 0 {
			op, arg := next(), next()
			switch op % 6 {
			case 0: // SACK: cumulative ack moved by a signed byte, then blocks
				n := int(next() % 8)
				blocks := make([]wire.GapBlock, n)
				for i := range blocks {
					var b [4]byte
					for j := range b {
						b[j] = next()
					}
					blocks[i] = wire.GapBlock{Start: binary.BigEndian.Uint16(b[:]), End: binary.BigEndian.Uint16(b[2:])}
				}
				sk := &wire.Sack{CumTSNAck: s.CumAck().Add(uint32(int32(int8(arg)))), ARwnd: 4000, GapBlocks: wire.GapBlockListOf(blocks)}
				s.HandleSack(sk, now)
			case 1:
				s.T3Expired(int(arg % 4))
			case 2:
				c := s.NextRetransmit()
				if c == nil {
					c = s.NextNew(1 + int(arg)*4)
				}
				if c != nil {
					s.Sent(c, int(arg%3), now)
				}
			case 3:
				_ = s.Queue(Message{Stream: wire.StreamID(arg % 3), Unordered: arg&0x80 != 0, Data: make([]byte, int(arg)*8)})
			case 4:
				s.MovePath(int(arg%3), int(arg/3%3))
			case 5:
				now = now.Add(1000)
				if arg == 0xff {
					s.Drain()
				}
			}
			if err := invariantErr(s); err != nil {
				t.Fatal(err)
			}
		}
	})
}
