package assoc

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/internal/send"
	"github.com/rserpool/rserpool/sctp/wire"
)

// message makes the payload of message i of a stream: its stream, index
// and a length-dependent pattern, so that delivery can be checked intact.
func message(stream, i, size int) []byte {
	b := make([]byte, max(size, 8))
	binary.BigEndian.PutUint16(b[0:], uint16(stream))
	binary.BigEndian.PutUint32(b[2:], uint32(i))
	for k := 8; k < len(b); k++ {
		b[k] = byte(k*7 + i)
	}
	return b
}

type simResult struct {
	delivered  int
	lost, dups int // packets the link lost, and duplicated
	closedBoth bool
	err        string
}

// runTransfer sends n messages per stream from A to B on a lossy link and
// checks what B reads: every message exactly once, intact, in order in
// its stream (unordered ones anywhere). Then A shuts down.
func runTransfer(t *testing.T, seed uint64, loss, dup float64, jitter time.Duration, streams, n int) simResult {
	p := newPair(t, seed, Config{OutStreams: uint16(streams)}, Config{})
	p.loss, p.dup, p.jitter = loss, dup, jitter
	p.connect()
	rng := p.rng
	type key struct{ s, i int }
	want := map[key][]byte{}
	next := make([]int, streams)
	unordered := map[key]bool{}
	queued := 0
	total := streams * n
	got := map[key]bool{}
	lastOrdered := make([]int, streams)
	for i := range lastOrdered {
		lastOrdered[i] = -1
	}
	var failure string
	read := func() {
		for m, ok := p.ba.Read(); ok; m, ok = p.ba.Read() {
			if len(m.Data) < 8 {
				failure = "short message"
				return
			}
			s := int(binary.BigEndian.Uint16(m.Data))
			i := int(binary.BigEndian.Uint32(m.Data[2:]))
			k := key{s, i}
			w, ok := want[k]
			switch {
			case !ok:
				failure = fmt.Sprintf("unknown message %v", k)
			case got[k]:
				failure = fmt.Sprintf("message %v delivered twice", k)
			case !bytes.Equal(w, m.Data):
				failure = fmt.Sprintf("message %v corrupted", k)
			case int(m.Stream) != s:
				failure = fmt.Sprintf("message %v on stream %d", k, m.Stream)
			case !unordered[k] && i <= lastOrdered[s]:
				failure = fmt.Sprintf("message %v out of order after %d", k, lastOrdered[s])
			}
			if failure != "" {
				return
			}
			got[k] = true
			if !unordered[k] {
				lastOrdered[s] = i
			}
		}
	}
	deadline := p.now.Add(10 * time.Minute)
	for len(got) < total && p.now.Before(deadline) && failure == "" {
		for queued < total {
			s := rng.IntN(streams)
			if next[s] >= n {
				continue
			}
			i := next[s]
			k := key{s, i}
			size := 1 + rng.IntN(3000)
			m := message(s, i, size)
			u := rng.IntN(5) == 0
			err := p.aa.Send(p.now, send.Message{Stream: wire.StreamID(s), PPID: 1, Unordered: u, Data: m})
			if err != nil {
				break // send buffer full: wait
			}
			want[k], unordered[k] = append([]byte(nil), m...), u
			next[s]++
			queued++
		}
		p.pump()
		if !p.step(deadline) {
			break
		}
		read()
		if p.aa.State() == Closed || p.ba.State() == Closed {
			break
		}
	}
	if failure != "" {
		return simResult{delivered: len(got), err: failure}
	}
	if len(got) != total {
		return simResult{delivered: len(got), err: fmt.Sprintf("%d of %d delivered by %v (A %v, B %v)", len(got), total, p.now.Sub(t0), p.aa.State(), p.ba.State())}
	}
	p.aa.Shutdown(p.now)
	p.pump()
	ok := p.runUntil(func() bool { return p.aa.State() == Closed && p.ba.State() == Closed }, 30*time.Minute)
	return simResult{delivered: len(got), closedBoth: ok, lost: p.lost, dups: p.dups}
}

// Simulation property (§6): under loss, duplication, reordering and
// delay, every message is delivered exactly once, intact, in order in
// its stream; then the shutdown completes or the association aborts,
// never hangs.
func TestSimulationExactlyOnceInOrder(t *testing.T) {
	seeds := 200
	if testing.Short() {
		seeds = 40
	}
	lost, dups := 0, 0
	for seed := range uint64(seeds) {
		loss := float64(seed%5) * 0.05 // 0 .. 20%
		dup := float64(seed%3) * 0.05
		jitter := time.Duration(seed%4) * 5 * time.Millisecond // reorders
		r := runTransfer(t, seed, loss, dup, jitter, 3, 50)
		lost, dups = lost+r.lost, dups+r.dups
		if r.err != "" {
			t.Fatalf("seed %d (loss %.2f dup %.2f jitter %v): %s", seed, loss, dup, jitter, r.err)
		}
		if !r.closedBoth {
			t.Fatalf("seed %d: shutdown hung", seed)
		}
	}
	// The property is only as strong as the trouble the link made.
	if lost < 1000 || dups < 1000 {
		t.Fatalf("the link lost %d and duplicated %d packets: too few to test anything", lost, dups)
	}
	t.Logf("%d seeds: link lost %d packets and duplicated %d", seeds, lost, dups)
}

// Limits: a peer that never reads fills our receive window, and no more:
// the memory held stays under the configured window while the sender
// keeps trying.
func TestSimulationReceiverNeverReads(t *testing.T) {
	const window = 64 << 10
	p := newPair(t, 3, Config{}, Config{Window: window})
	p.connect()
	sent := 0
	for range 100000 {
		for p.aa.Send(p.now, send.Message{PPID: 1, Data: make([]byte, 1000)}) == nil {
			sent++
		}
		if !p.step(p.now.Add(time.Minute)) {
			break
		}
		if p.ba.rcv.Stats().BytesHeld > window {
			t.Fatalf("receiver holds %d bytes, window %d", p.ba.rcv.Stats().BytesHeld, window)
		}
		if p.now.Sub(t0) > 30*time.Minute {
			break
		}
	}
	if p.aa.SendBuffered() > p.a.cfg.MaxQueued {
		t.Fatalf("sender holds %d bytes over its limit", p.aa.SendBuffered())
	}
	if p.aa.State() != Established {
		t.Fatalf("state %v: a full window must not kill the association (zero window probes answer)", p.aa.State())
	}
	if r := p.ba.Readable(); r == 0 || r > window/1000 {
		t.Fatalf("%d messages waiting", r)
	}
	if p.now.Sub(t0) < 30*time.Minute {
		t.Fatalf("ran only %v of virtual time", p.now.Sub(t0))
	}
}
