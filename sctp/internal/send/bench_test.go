package send

import (
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/wire"
)

// steadyFlow queues 1 KiB messages, sends each as one chunk and
// acknowledges every second one, keeping a window of chunks outstanding.
type steadyFlow struct {
	s      *Sender
	data   []byte
	sk     wire.Sack
	blocks []wire.GapBlock
	now    time.Time
	n      int
}

func newSteadyFlow() *steadyFlow {
	f := &steadyFlow{
		s:      New(Config{OutStreams: 4}, tsn0),
		data:   payload(1024),
		now:    t0,
		blocks: make([]wire.GapBlock, 1),
	}
	f.s.SetPeerRwnd(1 << 20)
	return f
}

// step sends one message; every second one it processes a SACK that
// acknowledges all but the last 32 chunks cumulatively and one of those
// by a Gap Ack Block.
func (f *steadyFlow) step() {
	s := f.s
	if err := s.Queue(Message{Stream: wire.StreamID(f.n & 3), PPID: 1, Data: f.data}); err != nil {
		panic(err)
	}
	c := s.NextNew(1200)
	f.now = f.now.Add(time.Microsecond)
	s.Sent(c, f.n&1, f.now)
	f.n++
	if f.n%2 == 0 && s.out.len() > 32 {
		f.sk.CumTSNAck = s.NextTSN() - 33
		f.blocks[0] = wire.GapBlock{Start: 2, End: 2}
		f.sk.GapBlocks = wire.GapBlockListOf(f.blocks)
		f.sk.ARwnd = 1 << 20
		s.HandleSack(&f.sk, f.now)
	}
}

// BenchmarkSendAndAck is the sender's hot path: Queue, NextNew, Sent and a
// SACK every two chunks.
func BenchmarkSendAndAck(b *testing.B) {
	f := newSteadyFlow()
	for range 1000 {
		f.step()
	}
	b.ReportAllocs()
	b.SetBytes(1024)
	b.ResetTimer()
	for b.Loop() {
		f.step()
	}
}

// Zero allocations per chunk once the pools have grown: NextNew, Sent and
// HandleSack reuse Chunks, ring slots and scratch slices.
func TestSteadyStateAllocatesNothing(t *testing.T) {
	f := newSteadyFlow()
	for range 1000 {
		f.step()
	}
	if n := testing.AllocsPerRun(2000, f.step); n != 0 {
		t.Fatalf("%v allocations per message in steady state", n)
	}
}
