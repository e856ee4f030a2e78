package send

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/wire"
)

// receiver models the peer: the TSNs it holds, and the SACKs it sends.
type receiver struct {
	cum  wire.TSN
	got  map[wire.TSN][]byte // above cum
	data map[wire.TSN][]byte // everything ever received, to check retransmissions carry the same bytes
}

func (r *receiver) deliver(t *testing.T, d wire.Data) {
	if old, ok := r.data[d.TSN]; ok && !bytes.Equal(old, d.UserData) {
		t.Fatalf("TSN %d retransmitted with other bytes", d.TSN)
	}
	r.data[d.TSN] = d.UserData
	if d.TSN.LessEq(r.cum) {
		return
	}
	r.got[d.TSN] = d.UserData
	for {
		if _, ok := r.got[r.cum+1]; !ok {
			break
		}
		delete(r.got, r.cum+1)
		r.cum++
	}
}

// renege drops some data held above the cumulative point.
func (r *receiver) renege(rng *rand.Rand) {
	for tsn := range r.got {
		if rng.IntN(3) == 0 {
			delete(r.got, tsn)
		}
	}
}

// sack builds a SACK reporting at most maxBlocks blocks, lowest first, as
// a receiver short of room would.
func (r *receiver) sack(maxBlocks int) *wire.Sack {
	var tsns []wire.TSN
	for tsn := range r.got {
		tsns = append(tsns, tsn)
	}
	slices.SortFunc(tsns, func(a, b wire.TSN) int { return int(a.Sub(b)) })
	var blocks []wire.GapBlock
	for _, tsn := range tsns {
		off := uint16(tsn - r.cum)
		if n := len(blocks); n > 0 && blocks[n-1].End+1 == off {
			blocks[n-1].End = off
			continue
		}
		if len(blocks) == maxBlocks {
			break
		}
		blocks = append(blocks, wire.GapBlock{Start: off, End: off})
	}
	return &wire.Sack{CumTSNAck: r.cum, ARwnd: 64000, GapBlocks: wire.GapBlockListOf(blocks)}
}

// A random run: random messages, losses, reneging, reordered and stale
// SACKs, T3 expiries and path moves. Every SACK is one a real receiver
// could send, so none is a violation; the bookkeeping always matches the
// chunks; and once everything arrives, the sender is done.
func TestRandomSackSequences(t *testing.T) {
	for seed := range uint64(12) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { randomRun(t, seed) })
	}
}

func randomRun(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x5c7b))
	initial := wire.TSN(rng.Uint32())
	if seed%3 == 0 {
		initial = wire.TSN(0xffffffff - uint32(rng.IntN(50))) // wrap early
	}
	const streams, paths = 5, 3
	s := New(Config{OutStreams: streams, MaxQueued: 40000}, initial)
	rcv := &receiver{cum: initial - 1, got: map[wire.TSN][]byte{}, data: map[wire.TSN][]byte{}}
	var queued []Message
	var pending []*wire.Sack
	now := t0
	loss := 0.05 + rng.Float64()*0.3

	transmit := func(c *Chunk, path int) {
		s.Sent(c, path, now)
		if rng.Float64() >= loss {
			rcv.deliver(t, c.Data)
		}
	}
	handle := func(sk *wire.Sack) {
		// Expected effects, from a plain scan before the SACK.
		earliest := map[int]wire.TSN{}
		wasAcked := map[wire.TSN]bool{}
		for i := 0; i < s.out.len(); i++ {
			c := *s.out.at(i)
			if _, ok := earliest[c.fpath]; c.inFlight && !ok {
				earliest[c.fpath] = c.tsn
			}
			wasAcked[c.tsn] = c.gapAcked
		}
		type before struct {
			tsn  wire.TSN
			size int
			path int
			sent bool
		}
		var chunks []before
		for i := 0; i < s.out.len(); i++ {
			c := *s.out.at(i)
			chunks = append(chunks, before{c.tsn, c.size, c.fpath, c.sent})
		}
		oldCum := s.CumAck()
		r := s.HandleSack(sk, now)
		if r.Violation {
			t.Fatalf("violation on a consistent SACK: cum %d, sender cum %d next %d", sk.CumTSNAck, oldCum, s.NextTSN())
		}
		checkInvariants(t, s)
		if r.Ignored {
			if !sk.CumTSNAck.Less(oldCum) {
				t.Fatalf("SACK cum %d ignored at cum %d", sk.CumTSNAck, oldCum)
			}
			return
		}
		if s.CumAck() != sk.CumTSNAck {
			t.Fatalf("cum %d after SACK cum %d", s.CumAck(), sk.CumTSNAck)
		}
		// Gap-acked exactly as this SACK's blocks say.
		covered := map[wire.TSN]bool{}
		for i := 0; i < sk.GapBlocks.Len(); i++ {
			g := sk.GapBlocks.At(i)
			for o := uint32(g.Start); o <= uint32(g.End); o++ {
				covered[sk.CumTSNAck.Add(o)] = true
			}
		}
		for i := 0; i < s.out.len(); i++ {
			c := *s.out.at(i)
			if c.gapAcked != covered[c.tsn] {
				t.Fatalf("TSN %d gapAcked %v, SACK covers %v", c.tsn, c.gapAcked, covered[c.tsn])
			}
		}
		// Newly acknowledged bytes per path.
		want := map[int]int{}
		for _, b := range chunks {
			acked := b.tsn.LessEq(s.CumAck()) || covered[b.tsn]
			if acked && !wasAcked[b.tsn] {
				if !b.sent {
					t.Fatalf("TSN %d acknowledged, never sent", b.tsn)
				}
				want[b.path] += b.size + dataHeaderLen
			}
		}
		got := map[int]int{}
		for _, a := range r.Acked {
			got[a.Path] += a.Bytes
		}
		for p := range paths {
			if got[p] != want[p] {
				t.Fatalf("path %d: %d bytes acked, want %d (%v)", p, got[p], want[p], r.Acked)
			}
		}
		// AckedOnPath: the paths whose earliest chunk in flight got
		// acknowledged.
		var wantAOP []int
		for p, tsn := range earliest {
			if tsn.LessEq(s.CumAck()) || covered[tsn] {
				wantAOP = append(wantAOP, p)
			}
		}
		slices.Sort(wantAOP)
		gotAOP := slices.Clone(r.AckedOnPath)
		slices.Sort(gotAOP)
		if !slices.Equal(gotAOP, wantAOP) {
			t.Fatalf("AckedOnPath %v, want %v", gotAOP, wantAOP)
		}
		if r.AllAcked != (s.Outstanding() == 0) {
			t.Fatal("AllAcked disagrees with Outstanding")
		}
	}

	for step := range 3000 {
		now = now.Add(time.Duration(rng.IntN(20)) * time.Millisecond)
		switch op := rng.IntN(100); {
		case op < 25:
			m := Message{
				Stream:    wire.StreamID(rng.IntN(streams)),
				PPID:      wire.PPID(rng.Uint32()),
				Unordered: rng.IntN(4) == 0,
				Data:      payload(1 + rng.IntN(3000)),
			}
			if err := s.Queue(m); err == nil {
				queued = append(queued, m)
			}
		case op < 50:
			max := 100 + rng.IntN(1400)
			for range rng.IntN(5) {
				c := s.NextRetransmit()
				if c == nil {
					c = s.NextNew(max)
				}
				if c == nil {
					break
				}
				transmit(c, rng.IntN(paths))
			}
		case op < 75:
			sk := rcv.sack(1 + rng.IntN(6))
			if rng.IntN(4) == 0 {
				pending = append(pending, sk) // delayed
			} else {
				handle(sk)
			}
		case op < 82 && len(pending) > 0:
			i := rng.IntN(len(pending))
			handle(pending[i])
			pending = slices.Delete(pending, i, i+1)
		case op < 86:
			s.T3Expired(rng.IntN(paths))
		case op < 88:
			s.MovePath(rng.IntN(paths), rng.IntN(paths))
		case op < 90:
			rcv.renege(rng)
		}
		if err := invariantErr(s); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		if s.Outstanding() < 0 || s.PeerRwnd() > 64000 {
			t.Fatalf("step %d: outstanding %d rwnd %d", step, s.Outstanding(), s.PeerRwnd())
		}
	}

	// Drain: everything arrives from now on.
	loss = 0
	for round := 0; !s.Done(); round++ {
		if round > 10000 {
			t.Fatalf("not done: queued %d outstanding %d cum %d next %d", s.Queued(), s.Outstanding(), s.CumAck(), s.NextTSN())
		}
		for p := range paths {
			s.T3Expired(p)
		}
		for c := s.NextRetransmit(); c != nil; c = s.NextRetransmit() {
			transmit(c, c.Path)
		}
		for c := s.NextNew(1000); c != nil; c = s.NextNew(1000) {
			transmit(c, 0)
		}
		handle(rcv.sack(100))
	}
	if s.Queued() != 0 || s.Outstanding() != 0 || s.CumAck() != s.NextTSN()-1 || len(rcv.got) != 0 {
		t.Fatalf("done but queued %d outstanding %d", s.Queued(), s.Outstanding())
	}

	// The receiver reassembles exactly the messages queued, in order per
	// stream for ordered ones.
	var msgs [][]byte
	var cur []byte
	for tsn := initial; tsn != s.NextTSN(); tsn++ {
		cur = append(cur, rcv.data[tsn]...)
		if c := len(cur); c > 0 && len(msgs) < len(queued) && c == len(queued[len(msgs)].Data) {
			msgs = append(msgs, cur)
			cur = nil
		}
	}
	if len(msgs) != len(queued) || len(cur) != 0 {
		t.Fatalf("%d messages reassembled, %d queued", len(msgs), len(queued))
	}
	for i := range msgs {
		if !bytes.Equal(msgs[i], queued[i].Data) {
			t.Fatalf("message %d differs", i)
		}
	}
}
