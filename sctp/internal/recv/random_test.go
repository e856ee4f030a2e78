package recv

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/rserpool/rserpool/sctp/wire"
)

type genMsg struct {
	stream    wire.StreamID
	ssn       wire.SSN
	unordered bool
	data      []byte
	first     wire.TSN
}

// TestRandomDeliveryExactlyOnce plays a sender that sends many messages,
// fragmented, and keeps sending in random order, with duplicates, every
// chunk the receiver has not cumulatively acknowledged, through a small
// window that the user reads at random moments. Every message must come
// out exactly once, intact, and in SSN order within its stream when
// ordered.
//
// A MaxGaps of 1 makes the peer's chunks above the cumulative TSN fight
// for the one Gap Ack Block, and dropping data to make room for a lower
// TSN split it.
func TestRandomDeliveryExactlyOnce(t *testing.T) {
	for _, gaps := range []int{1, 8, DefaultMaxGaps} {
		for seed := range uint64(16) {
			t.Run(fmt.Sprintf("gaps=%d/seed=%d", gaps, seed), func(t *testing.T) { randomRun(t, seed, gaps) })
		}
	}
}

func randomRun(t *testing.T, seed uint64, maxGaps int) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	const streams = 4
	init := wire.TSN(rng.Uint32())
	if seed%2 == 0 {
		init = 0xFFFFFF80 // wraps during the run
	}
	var msgs []genMsg
	var chunks []*wire.Data
	byFirst := map[wire.TSN]int{}
	nextSSN := [streams]wire.SSN{}
	tsn := init
	for range 400 {
		m := genMsg{stream: wire.StreamID(rng.IntN(streams)), unordered: rng.IntN(5) == 0}
		n := 1 + rng.IntN(300)
		if rng.IntN(4) == 0 {
			n = 1 + rng.IntN(3000)
		}
		m.data = make([]byte, n)
		for i := range m.data {
			m.data[i] = byte(rng.Uint32())
		}
		if !m.unordered {
			m.ssn = nextSSN[m.stream]
			nextSSN[m.stream]++
		}
		m.first = tsn
		byFirst[tsn] = len(msgs)
		msgs = append(msgs, m)
		fs := fragments(tsn, m.stream, m.ssn, m.unordered, m.data, 500)
		chunks = append(chunks, fs...)
		tsn += wire.TSN(len(fs))
	}
	r := New(Config{InStreams: streams, Window: 8192, MaxGaps: maxGaps, MaxDups: 4}, init)
	got := make([]bool, len(msgs))
	lastSSN := [streams]int{-1, -1, -1, -1}
	delivered := 0
	read := func() {
		for {
			m, ok := r.Read()
			if !ok {
				return
			}
			i, known := byFirst[m.FirstTSN]
			if !known {
				t.Fatalf("message from TSN %d is none sent", m.FirstTSN)
			}
			g := msgs[i]
			if got[i] {
				t.Fatalf("message %d delivered twice", i)
			}
			got[i] = true
			delivered++
			if m.Stream != g.stream || m.Unordered != g.unordered || !bytes.Equal(m.Data, g.data) {
				t.Fatalf("message %d corrupt: stream %d unordered %v, %d bytes for %d", i, m.Stream, m.Unordered, len(m.Data), len(g.data))
			}
			if !g.unordered {
				if int(m.SSN) != lastSSN[m.Stream]+1 {
					t.Fatalf("stream %d: SSN %d after %d", m.Stream, m.SSN, lastSSN[m.Stream])
				}
				lastSSN[m.Stream] = int(m.SSN)
			}
		}
	}
	var batch []*wire.Data
	for round := 0; delivered < len(msgs); round++ {
		if round > 200000 {
			t.Fatalf("stalled: %d of %d delivered, cum %d, stats %+v\n%s", delivered, len(msgs), r.CumTSN(), r.Stats(), r.dump())
		}
		base := int(r.CumTSN() - init + 1) // index of the first chunk not acknowledged
		batch = batch[:0]
		for i := base; i < min(base+48, len(chunks)); i++ {
			if rng.IntN(3) == 0 {
				batch = append(batch, chunks[i])
			}
		}
		for range rng.IntN(3) {
			if base > 0 {
				batch = append(batch, chunks[rng.IntN(base)]) // old duplicate
			}
		}
		rng.Shuffle(len(batch), func(i, j int) { batch[i], batch[j] = batch[j], batch[i] })
		for _, d := range batch {
			switch v := r.Data(d); v {
			case Accepted, Duplicate, NoRoom, OutOfWindow:
			default:
				t.Fatalf("TSN %d: %v", d.TSN, v)
			}
			if err := r.check(); err != nil {
				t.Fatalf("round %d, TSN %d: %v", round, d.TSN, err)
			}
		}
		var s wire.Sack
		r.AppendSack(&s, nil, nil, 16+4*rng.IntN(12))
		if rng.IntN(10) < 7 {
			read()
		}
	}
	if st := r.Stats(); st.BytesHeld != 0 {
		t.Fatalf("%d bytes still held", st.BytesHeld)
	}
}
