package assoc

import (
	"math/rand/v2"
	"net/netip"
	"sort"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/lower"
)

// pair is two endpoints joined by a simulated link in virtual time:
// packets take delay (plus jitter), and may be lost, duplicated or
// reordered, all drawn from a seeded source.
type pair struct {
	t                     *testing.T
	now                   time.Time
	a, b                  *Endpoint
	aa, ba                *Assoc // the associations at A and B
	rng                   *rand.Rand
	delay                 time.Duration
	jitter                time.Duration
	loss                  float64
	dup                   float64
	inflight              []flight
	seq                   int
	delivered, lost, dups int
	// onPacket, when set, sees every packet put on the link and may
	// drop it (return false).
	onPacket func(p lower.Packet) bool
}

type flight struct {
	at  time.Time
	seq int
	pkt lower.Packet
}

func newPair(t *testing.T, seed uint64, cfgA, cfgB Config) *pair {
	t.Helper()
	a, err := NewEndpoint(cfgA, portA, []netip.AddrPort{addrA}, 1452, newSeeded(seed*2+1), t0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewEndpoint(cfgB, portB, []netip.AddrPort{addrB}, 1452, newSeeded(seed*2+2), t0)
	if err != nil {
		t.Fatal(err)
	}
	b.Listen(true)
	return &pair{t: t, now: t0, a: a, b: b, rng: rand.New(rand.NewPCG(seed, 7)), delay: 5 * time.Millisecond}
}

// connect dials from A to B and runs until both are established.
func (p *pair) connect() {
	p.t.Helper()
	aa, err := p.a.Dial(p.now, []netip.AddrPort{addrB}, portB)
	if err != nil {
		p.t.Fatal(err)
	}
	p.aa = aa
	p.pump()
	p.runUntil(func() bool {
		return p.aa.State() == Established && p.ba != nil && p.ba.State() == Established
	}, time.Minute)
	if p.aa.State() != Established || p.ba == nil || p.ba.State() != Established {
		p.t.Fatalf("not established: A %v", p.aa.State())
	}
}

// pump moves what the endpoints emitted onto the link.
func (p *pair) pump() {
	put := func(pkts []lower.Packet) {
		for _, pk := range pkts {
			pk.Buf = append([]byte(nil), pk.Buf...)
			if p.onPacket != nil && !p.onPacket(pk) {
				p.lost++
				continue
			}
			if p.rng.Float64() < p.loss {
				p.lost++
				continue
			}
			n := 1
			if p.rng.Float64() < p.dup {
				n = 2
				p.dups++
			}
			for range n {
				d := p.delay
				if p.jitter > 0 {
					d += time.Duration(p.rng.Int64N(int64(p.jitter)))
				}
				p.seq++
				p.inflight = append(p.inflight, flight{p.now.Add(d), p.seq, pk})
			}
		}
	}
	for range 8 {
		n := len(p.inflight)
		put(p.a.Output())
		put(p.b.Output())
		if p.aa != nil {
			put(p.aa.Output())
		}
		for _, acc := range p.b.Accepted() {
			if p.ba == nil {
				p.ba = acc
			}
		}
		if p.ba != nil {
			put(p.ba.Output())
		}
		if len(p.inflight) == n {
			break
		}
	}
}

// step runs the next event (a delivery or a timer) and reports false
// when there is none before limit.
func (p *pair) step(limit time.Time) bool {
	sort.Slice(p.inflight, func(i, j int) bool {
		if !p.inflight[i].at.Equal(p.inflight[j].at) {
			return p.inflight[i].at.Before(p.inflight[j].at)
		}
		return p.inflight[i].seq < p.inflight[j].seq
	})
	next := time.Time{}
	if len(p.inflight) > 0 {
		next = p.inflight[0].at
	}
	for _, as := range []*Assoc{p.aa, p.ba} {
		if as == nil {
			continue
		}
		if d := as.Deadline(); !d.IsZero() && (next.IsZero() || d.Before(next)) {
			next = d
		}
	}
	if next.IsZero() || next.After(limit) {
		return false
	}
	if next.After(p.now) {
		p.now = next
	}
	if len(p.inflight) > 0 && !p.inflight[0].at.After(p.now) {
		f := p.inflight[0]
		p.inflight = p.inflight[1:]
		p.delivered++
		if f.pkt.Dst.Addr() == addrA.Addr() {
			p.a.Receive(p.now, f.pkt)
		} else {
			p.b.Receive(p.now, f.pkt)
		}
	}
	for _, as := range []*Assoc{p.aa, p.ba} {
		if as != nil {
			if d := as.Deadline(); !d.IsZero() && !d.After(p.now) {
				as.Timeout(p.now)
			}
		}
	}
	p.pump()
	return true
}

// runUntil steps until cond holds or d of virtual time passed; it
// reports whether cond held.
func (p *pair) runUntil(cond func() bool, d time.Duration) bool {
	limit := p.now.Add(d)
	for range 5_000_000 {
		if cond() {
			return true
		}
		if !p.step(limit) {
			break
		}
	}
	if p.now.Before(limit) && !cond() {
		p.now = limit
	}
	return cond()
}
