package assoc

import (
	"testing"

	"github.com/rserpool/rserpool/sctp/internal/send"
	"github.com/rserpool/rserpool/sctp/wire"
)

// flow drives an association as a sender against a scripted receiver
// that acknowledges one DATA chunk per SACK, in TSN order: the ack clock
// of a receiver that SACKs every packet. Every message is one full
// chunk (PMDCS bytes with its header), so flight sizes count in PMDCS
// units.
type flow struct {
	s           *scripted
	tag         wire.VTag
	pmdcs       int
	outstanding []wire.TSN // sent and not yet acknowledged, in order
	cum         wire.TSN
}

func newFlow(t *testing.T, cfg Config) *flow {
	s := newScripted(t, cfg, true)
	f := &flow{s: s, tag: s.establish()}
	f.pmdcs = s.a.paths[0].PMDCS()
	f.cum = s.firstTSN() - 1
	return f
}

// queue hands the association n full-chunk messages.
func (f *flow) queue(n int) {
	f.s.t.Helper()
	for range n {
		if err := f.s.a.Send(f.s.now, send.Message{PPID: 1, Data: make([]byte, f.pmdcs-dataChunkOverhead)}); err != nil {
			f.s.t.Fatal(err)
		}
	}
	f.s.collect()
}

// sent takes the DATA chunks emitted since the last call, noting the new
// TSNs as outstanding, and returns their count.
func (f *flow) sent() int {
	n := 0
	for len(f.s.out) > 0 {
		_, p, _ := f.s.next()
		it := p.Chunks()
		for c, ok := it.Next(); ok; c, ok = it.Next() {
			if c.Type() != wire.ChunkData {
				continue
			}
			d := decode[wire.Data](f.s.t, c)
			n++
			if len(f.outstanding) == 0 || f.outstanding[len(f.outstanding)-1].Less(d.TSN) {
				f.outstanding = append(f.outstanding, d.TSN)
			}
		}
	}
	return n
}

// ackOne acknowledges the lowest outstanding TSN with a full window.
func (f *flow) ackOne() {
	f.cum = f.outstanding[0]
	f.outstanding = f.outstanding[1:]
	f.s.deliver(f.tag, sack(f.cum, 1<<20))
}

// ackAll acknowledges everything outstanding in one SACK.
func (f *flow) ackAll() {
	f.cum = f.outstanding[len(f.outstanding)-1]
	f.outstanding = f.outstanding[:0]
	f.s.deliver(f.tag, sack(f.cum, 1<<20))
}

func (f *flow) cwnd() int { return f.s.a.paths[0].Cwnd() }

// checkWindow is §6.1 B: the flight never reaches cwnd + PMDCS, and
// while data waits it is not left below cwnd.
func (f *flow) checkWindow(when string) {
	f.s.t.Helper()
	flight, cwnd := f.s.a.snd.FlightSize(0), f.cwnd()
	if flight >= cwnd+f.pmdcs || (flight < cwnd && f.s.a.snd.HasNew()) {
		f.s.t.Fatalf("%s: flight %d with cwnd %d (PMDCS %d)", when, flight, cwnd, f.pmdcs)
	}
}

// growTo runs the ack clock until cwnd reaches n PMDCS, then lets
// everything be acknowledged, leaving nothing queued or in flight.
func (f *flow) growTo(n int) {
	f.s.t.Helper()
	for range 1000 {
		if f.cwnd() >= n*f.pmdcs {
			break
		}
		if !f.s.a.snd.HasNew() { // keep the window full: it grows only then
			f.queue(8)
			f.sent()
		}
		f.ackOne()
		f.sent()
	}
	for range 1000 {
		if len(f.outstanding) == 0 {
			break
		}
		f.ackAll()
		f.sent()
	}
	if f.cwnd() < n*f.pmdcs || len(f.outstanding) > 0 || f.s.a.snd.HasNew() {
		f.s.t.Fatalf("cwnd %d, %d outstanding, queued %v, flight %d, rwnd %d", f.cwnd(), len(f.outstanding), f.s.a.snd.HasNew(), f.s.a.snd.FlightSize(0), f.s.a.snd.PeerRwnd())
	}
}

// chunksIn is how many full chunks go out at once into an empty window w:
// while the flight is below w (§6.1 B).
func (f *flow) chunksIn(w int) int { return (w + f.pmdcs - 1) / f.pmdcs }

// §7.2.1: the initial window is min(4*PMDCS, max(2*PMDCS, 4404)) for an
// IPv4 peer, and in slow start every SACK that acknowledges data while
// the window is fully used opens it by what it acknowledged, at most one
// PMDCS (L = 1).
func TestRFC9260_7_2_1_SlowStart(t *testing.T) {
	f := newFlow(t, Config{})
	f.queue(40)
	init := min(4*f.pmdcs, max(2*f.pmdcs, 4404))
	if f.cwnd() != init {
		t.Fatalf("initial cwnd %d, want %d", f.cwnd(), init)
	}
	if got := f.sent(); got != f.chunksIn(init) {
		t.Fatalf("%d chunks in the initial window of %d bytes, want %d", got, init, f.chunksIn(init))
	}
	for i := range 8 {
		before := f.cwnd()
		f.ackOne()
		if f.cwnd() != before+f.pmdcs {
			t.Fatalf("ack %d: cwnd %d -> %d, want one PMDCS more", i, before, f.cwnd())
		}
		f.sent()
		f.checkWindow("slow start")
	}
}

// §7.2.2: above ssthresh the window grows by one PMDCS per window's worth
// of acknowledged bytes, not per SACK. ssthresh comes from a T3-rtx
// expiry (§7.2.3: ssthresh = max(cwnd/2, 4*PMDCS), cwnd = PMDCS), which
// also leaves room for exactly one packet.
func TestRFC9260_7_2_2_CongestionAvoidance(t *testing.T) {
	f := newFlow(t, Config{})
	f.queue(300)
	f.sent()
	f.s.advance(f.s.a.paths[0].RTO())
	p := f.s.a.paths[0]
	if p.Cwnd() != f.pmdcs || p.Ssthresh() != 4*f.pmdcs {
		t.Fatalf("after T3: cwnd %d ssthresh %d, want %d and %d", p.Cwnd(), p.Ssthresh(), f.pmdcs, 4*f.pmdcs)
	}
	if got := f.sent(); got != 1 {
		t.Fatalf("%d chunks retransmitted with cwnd = PMDCS, want 1", got)
	}
	// Slow start up to ssthresh, one PMDCS per SACK...
	for p.Cwnd() <= p.Ssthresh() {
		before := p.Cwnd()
		f.ackOne()
		if p.Cwnd() != before+f.pmdcs {
			t.Fatalf("slow start: cwnd %d -> %d", before, p.Cwnd())
		}
		f.sent()
		f.checkWindow("slow start")
	}
	// ...then one PMDCS per cwnd bytes acknowledged.
	for range 3 {
		start := p.Cwnd()
		acks := 0
		for p.Cwnd() == start {
			f.ackOne()
			f.sent()
			f.checkWindow("congestion avoidance")
			acks++
			if acks > 100 {
				t.Fatal("cwnd stopped growing")
			}
		}
		if p.Cwnd() != start+f.pmdcs || acks != start/f.pmdcs {
			t.Fatalf("congestion avoidance: cwnd %d -> %d after %d acks, want +%d after %d", start, p.Cwnd(), acks, f.pmdcs, start/f.pmdcs)
		}
	}
}

// §6.1 D: new data goes out in bursts of at most Max.Burst packets, even
// when cwnd would allow more; cwnd itself is not lowered. With the limit
// off, the whole window goes at once.
func TestRFC9260_6_1_MaxBurst(t *testing.T) {
	for _, burst := range []int{4, -1} {
		cfg := Config{}
		cfg.Path.MaxBurst = burst
		f := newFlow(t, cfg)
		f.growTo(12)
		cwnd := f.cwnd()
		f.queue(40)
		got := f.sent()
		want := f.chunksIn(cwnd)
		if burst > 0 {
			want = burst
		}
		if got != want {
			t.Fatalf("Max.Burst %d: %d chunks at once with cwnd %d, want %d", burst, got, cwnd, want)
		}
		if f.cwnd() != cwnd {
			t.Fatalf("Max.Burst %d changed cwnd from %d to %d", burst, cwnd, f.cwnd())
		}
	}
}

// §7.2.1: a path that sends nothing for an RTO has its cwnd halved, not
// below 4*PMDCS, once per RTO, with ssthresh set to the cwnd first.
func TestRFC9260_7_2_1_CwndAfterIdle(t *testing.T) {
	cfg := Config{}
	cfg.Path.MaxBurst = -1 // to see the whole window go out
	f := newFlow(t, cfg)
	f.growTo(20)
	cwnd := f.cwnd()
	rto := f.s.a.paths[0].RTO()
	f.s.advance(2*rto + rto/2)
	f.s.out = nil // heartbeats went out while idle; they are not data
	f.queue(60)
	got := f.sent()
	want := max(cwnd/4, 4*f.pmdcs)
	if f.cwnd() != want || got != f.chunksIn(want) {
		t.Fatalf("after two idle RTOs: cwnd %d, %d chunks sent; want cwnd %d/4 = %d", f.cwnd(), got, cwnd, want)
	}
	if p := f.s.a.paths[0]; p.Ssthresh() != cwnd {
		t.Fatalf("ssthresh %d, want the cwnd before the decay %d", p.Ssthresh(), cwnd)
	}
}
