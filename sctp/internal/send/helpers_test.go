package send

import (
	"fmt"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/wire"
)

var t0 = time.Unix(1_000_000, 0)

// at returns t0 plus ms milliseconds.
func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

const tsn0 wire.TSN = 1000

func newSender(streams uint16) *Sender {
	return New(Config{OutStreams: streams}, tsn0)
}

// fl is what n chunks of 100 bytes count for in a flight size: with
// their headers.
func fl(n int) int { return n * (100 + dataHeaderLen) }

// payload returns n bytes that tell their position apart.
func payload(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + 3)
	}
	return b
}

func mustQueue(t testing.TB, s *Sender, m Message) {
	t.Helper()
	if err := s.Queue(m); err != nil {
		t.Fatalf("Queue: %v", err)
	}
}

// sendChunks cuts and sends n chunks of at most maxPayload bytes on path.
func sendChunks(t testing.TB, s *Sender, n, maxPayload, path int, now time.Time) []*Chunk {
	t.Helper()
	var cs []*Chunk
	for range n {
		c := s.NextNew(maxPayload)
		if c == nil {
			t.Fatalf("NextNew returned nil after %d chunks", len(cs))
		}
		s.Sent(c, path, now)
		cs = append(cs, c)
	}
	return cs
}

// queueAndSend queues n messages of size bytes on stream 0 and sends each
// as one chunk on path.
func queueAndSend(t testing.TB, s *Sender, n, size, path int, now time.Time) []*Chunk {
	t.Helper()
	for range n {
		mustQueue(t, s, Message{Data: payload(size)})
	}
	return sendChunks(t, s, n, size, path, now)
}

// sack builds a SACK; each block is {start, end} offsets from cum.
func sack(cum wire.TSN, arwnd uint32, blocks ...[2]uint16) *wire.Sack {
	gb := make([]wire.GapBlock, len(blocks))
	for i, b := range blocks {
		gb[i] = wire.GapBlock{Start: b[0], End: b[1]}
	}
	return &wire.Sack{CumTSNAck: cum, ARwnd: arwnd, GapBlocks: wire.GapBlockListOf(gb)}
}

// checkInvariants verifies the Sender's bookkeeping against its chunks.
func checkInvariants(t testing.TB, s *Sender) {
	t.Helper()
	if err := invariantErr(s); err != nil {
		t.Fatal(err)
	}
}

func invariantErr(s *Sender) error {
	if got, want := s.out.len(), int(uint32(s.next-s.cum-1)); got != want {
		return fmt.Errorf("outstanding list holds %d chunks, TSNs %d..%d make %d", got, s.cum+1, s.next-1, want)
	}
	flight := make([]int, len(s.flight))
	total, marked, held := 0, 0, 0
	seenUnsent := false
	for i := 0; i < s.out.len(); i++ {
		c := *s.out.at(i)
		want := s.cum.Add(uint32(i + 1))
		if c.tsn != want || c.Data.TSN != want || c.owner != s {
			return fmt.Errorf("slot %d: TSN %d (Data %d), want %d", i, c.tsn, c.Data.TSN, want)
		}
		if !c.sent {
			if want.Less(s.firstUnsent) {
				return fmt.Errorf("TSN %d unsent below firstUnsent %d", want, s.firstUnsent)
			}
			seenUnsent = true
		} else if !seenUnsent && !want.Less(s.firstUnsent) {
			return fmt.Errorf("TSN %d sent, firstUnsent %d not advanced", want, s.firstUnsent)
		}
		if c.inFlight {
			if c.gapAcked || c.marked || !c.sent {
				return fmt.Errorf("TSN %d in flight but gapAcked=%v marked=%v sent=%v", want, c.gapAcked, c.marked, c.sent)
			}
			flight[c.fpath] += c.size + dataHeaderLen
			total += c.size
		}
		if c.marked {
			marked++
			if c.gapAcked {
				return fmt.Errorf("TSN %d marked and gap-acked", want)
			}
			if want.Less(s.rtxScan) {
				return fmt.Errorf("TSN %d marked below rtxScan %d", want, s.rtxScan)
			}
		}
		if c.sent && !c.inFlight && !c.gapAcked && !c.marked {
			return fmt.Errorf("TSN %d sent, neither in flight, acked nor marked", want)
		}
		if c.gapAcked != inGaps(s.gaps, want) {
			return fmt.Errorf("TSN %d gapAcked=%v, gap runs %v", want, c.gapAcked, s.gaps)
		}
		held += c.size
	}
	for p := range flight {
		if flight[p] != s.flight[p] || s.flight[p] < 0 {
			return fmt.Errorf("path %d flight %d, chunks say %d", p, s.flight[p], flight[p])
		}
	}
	if total != s.total {
		return fmt.Errorf("total flight %d, chunks say %d", s.total, total)
	}
	if marked != s.nMarked {
		return fmt.Errorf("%d chunks marked, counter %d", marked, s.nMarked)
	}
	for i := s.curr; i < s.msgs.len(); i++ {
		m := s.msgs.at(i)
		held += len(m.Data) - m.off
	}
	if held != s.queued {
		return fmt.Errorf("queued %d, messages and chunks hold %d", s.queued, held)
	}
	for _, g := range s.gaps {
		if !s.cum.Less(g.lo) || g.hi.Less(g.lo) || !g.hi.Less(s.firstUnsent) {
			return fmt.Errorf("gap run %v outside (%d, %d)", g, s.cum, s.firstUnsent)
		}
	}
	return nil
}

func inGaps(gs []span, t wire.TSN) bool {
	for _, g := range gs {
		if g.lo.LessEq(t) && t.LessEq(g.hi) {
			return true
		}
	}
	return false
}
