package enrp

import (
	"context"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/handlespace"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/simnet"
)

// The benchmarks measure the registrar's handling of a request, from
// the decoded message to the encoded answer queued for the association,
// with 10,000 pool elements in 100 pools; and the same over SCTP on
// simnet, one request at a time.

const benchPools, benchPEs = 100, 10000

var benchAddr = netip.MustParseAddr("10.0.1.1")

// benchConn is an association without SCTP under it: the loop queues
// answers in out, which the benchmark empties.
func benchConn() *conn {
	return &conn{
		out: make(chan []byte, 1), gone: make(chan struct{}), kill: make(chan struct{}),
		remote: []netip.Addr{benchAddr}, port: 5000, alive: true,
		pes:     make(map[*handlespace.Element]*peState),
		reports: newBucket(1, 1),
	}
}

func benchRegistrar(b *testing.B) *Registrar {
	r, err := New(Config{
		ServerID: testServerID, Rand: rand.New(rand.NewPCG(1, 1)),
		MaxRegistrationsPerAssociation: benchPEs, KeepAliveInterval: time.Hour, DisableAnnounce: true,
	})
	if err != nil {
		b.Fatal(err)
	}
	return r
}

func benchRegistration(i int, p msg.Policy) *msg.Registration {
	return &msg.Registration{
		PoolHandle: []byte("pool-" + strconv.Itoa(i%benchPools)),
		PoolElement: msg.PoolElement{
			ID: msg.PEID(i), RegistrationLife: 300, Policy: p,
			UserTransport: msg.Transport{Kind: msg.ParamSCTPTransport, Port: 7000, Addrs: msg.MakeAddrs(benchAddr)},
		},
	}
}

func fill(b *testing.B, r *Registrar, c *conn, p msg.Policy, now time.Time) {
	for i := range benchPEs {
		r.register(c, benchRegistration(i, p), now)
		if resp, _ := msg.DecodeASAP(<-c.out); resp.(*msg.RegistrationResponse).Reject {
			b.Fatal("registration refused")
		}
	}
}

// BenchmarkRegister registers 10,000 new pool elements in 100 pools per
// iteration, into an empty registrar.
func BenchmarkRegister(b *testing.B) {
	now := time.Now()
	regs := make([]*msg.Registration, benchPEs)
	for i := range regs {
		regs[i] = benchRegistration(i, roundRobin)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		r := benchRegistrar(b)
		c := benchConn()
		b.StartTimer()
		for _, m := range regs {
			r.register(c, m, now)
			<-c.out
		}
	}
	b.ReportMetric(float64(b.N*benchPEs)/b.Elapsed().Seconds(), "registrations/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchPEs), "ns/registration")
}

// BenchmarkReregister renews one registration of 10,000 per iteration.
func BenchmarkReregister(b *testing.B) {
	r, c, now := benchRegistrar(b), benchConn(), time.Now()
	fill(b, r, c, roundRobin, now)
	regs := make([]*msg.Registration, benchPEs)
	for i := range regs {
		regs[i] = benchRegistration(i, roundRobin)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r.register(c, regs[i%benchPEs], now)
		<-c.out
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "registrations/s")
}

// BenchmarkResolve answers one handle resolution per iteration, three
// elements of a pool of 100 chosen by its policy, encoded.
func BenchmarkResolve(b *testing.B) {
	for _, tc := range []struct {
		name string
		p    msg.Policy
	}{
		{"RoundRobin", roundRobin},
		{"WeightedRandom", weighted(10)},
		{"LeastUsed", leastUsed(100)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			r, c, now := benchRegistrar(b), benchConn(), time.Now()
			fill(b, r, c, tc.p, now)
			reqs := make([]*msg.HandleResolution, benchPools)
			for i := range reqs {
				reqs[i] = &msg.HandleResolution{PoolHandle: []byte("pool-" + strconv.Itoa(i))}
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				r.resolve(c, reqs[i%benchPools])
				if len(<-c.out) < 100 {
					b.Fatal("short response")
				}
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "resolutions/s")
		})
	}
}

// BenchmarkResolveSCTP resolves over an association on simnet (real
// time, no delay), one request at a time: the round trip through both
// SCTP stacks and the registrar's goroutines.
func BenchmarkResolveSCTP(b *testing.B) {
	n := simnet.New(1)
	defer n.Close()
	r := benchRegistrar(b)
	defer r.Close()
	c := benchConn()
	fill(b, r, c, roundRobin, time.Now())
	r.mu.Lock()
	for _, s := range r.owned {
		s.c = nil // the bench connection is not served
	}
	clear(r.monitor)
	r.monitor = r.monitor[:0]
	r.mu.Unlock()
	ep, err := sctp.NewEndpoint(n.Host(regAddr), msg.PortASAP, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer ep.Close()
	if err := ep.Listen(); err != nil { // before the dial, as Serve would
		b.Fatal(err)
	}
	go r.Serve(context.Background(), ep)
	pu, err := sctp.NewEndpoint(n.Host(netip.AddrPortFrom(benchAddr, 9899)), 5000, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer pu.Close()
	a, err := pu.Dial(context.Background(), []netip.AddrPort{regAddr}, msg.PortASAP)
	if err != nil {
		b.Fatal(err)
	}
	req, _ := msg.Encode(nil, &msg.HandleResolution{PoolHandle: []byte("pool-7")})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := a.Send(ctx, sctp.Message{PPID: msg.PPIDASAP, Data: req}); err != nil {
			b.Fatal(err)
		}
		if _, err := a.Receive(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "resolutions/s")
}
