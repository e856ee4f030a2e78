package enrp

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/netip"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/simnet"
)

// The ENRP tests run several registrars in one simnet, each with an ASAP
// endpoint at 10.0.0.N and an ENRP endpoint at 10.0.2.N, and fake pool
// elements at 10.0.1.K that register over raw ASAP, listen for the
// association a new home starts, and acknowledge every keep-alive.

// fastENRP are timers that make the tests short in virtual time.
func fastENRP(cfg Config) Config {
	cfg.PeerHeartbeatCycle = time.Second
	cfg.MaxTimeLastHeard = 2500 * time.Millisecond
	cfg.MaxTimeNoResponse = 500 * time.Millisecond
	cfg.MentorRetryDelay = 500 * time.Millisecond
	cfg.KeepAliveInterval = time.Second
	cfg.KeepAliveTimeout = 500 * time.Millisecond
	return cfg
}

func regASAPAddr(i int) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(i + 1)}), 9899)
}

func regENRPAddr(i int) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 2, byte(i + 1)}), msg.PortENRP)
}

type node struct {
	i      int
	r      *Registrar
	asap   *sctp.Endpoint
	enrp   *sctp.Endpoint
	cancel context.CancelFunc
	done   chan struct{} // closed when Serve and ServeENRP have returned
	alive  bool
}

type cluster struct {
	t     testing.TB
	n     *simnet.Network
	nodes map[int]*node
	pes   map[msg.PEID]*fakePE
	base  Config
	seed  uint64
	nextK int
	debug bool
	mcast *fakeGroup // the ENRP multicast group of the registrars; nil: multicast off

	stopping []chan struct{} // registrars killed, until they have stopped
}

func newCluster(t testing.TB, seed uint64, base Config) *cluster {
	n := simnet.New(int64(seed))
	cl := &cluster{t: t, n: n, nodes: make(map[int]*node), pes: make(map[msg.PEID]*fakePE), base: base, seed: seed}
	t.Cleanup(func() {
		for _, nd := range cl.nodes {
			cl.stop(nd)
		}
		for _, ch := range cl.stopping {
			<-ch
		}
		for _, pe := range cl.pes {
			pe.close()
		}
		n.Close()
	})
	return cl
}

// start runs registrar i with identifier id and the given static peers.
func (cl *cluster) start(i int, id msg.ServerID, peers ...int) *node {
	cl.t.Helper()
	cl.n.Down(regASAPAddr(i).Addr(), false)
	cl.n.Down(regENRPAddr(i).Addr(), false)
	cfg := cl.base
	cfg.ServerID = id
	cfg.MaxHandleResolutionItems = -1
	if testing.Verbose() && cl.debug {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})).With("n", i)
	}
	cfg.DisableAnnounce = true
	if cl.mcast != nil {
		cfg.ENRPMulticastConn = cl.mcast.join()
	} else {
		cfg.DisableENRPMulticast = true
	}
	cfg.Rand = rand.New(rand.NewPCG(cl.seed, uint64(id)))
	cfg.Peers = nil
	for _, j := range peers {
		cfg.Peers = append(cfg.Peers, regENRPAddr(j))
	}
	r, err := New(cfg)
	if err != nil {
		cl.t.Fatal(err)
	}
	asap, err := sctp.NewEndpoint(cl.n.Host(regASAPAddr(i)), msg.PortASAP, &sctp.Config{Rand: rand.NewChaCha8([32]byte{byte(id), byte(id >> 8), 1})})
	if err != nil {
		cl.t.Fatal(err)
	}
	enrpEP, err := sctp.NewEndpoint(cl.n.Host(regENRPAddr(i)), msg.PortENRP, &sctp.Config{Rand: rand.NewChaCha8([32]byte{byte(id), byte(id >> 8), 2})})
	if err != nil {
		cl.t.Fatal(err)
	}
	// Listening before Serve runs: a PE may dial the registrar at once.
	if err := asap.Listen(); err != nil {
		cl.t.Fatal(err)
	}
	if err := enrpEP.Listen(); err != nil {
		cl.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	nd := &node{i: i, r: r, asap: asap, enrp: enrpEP, cancel: cancel, done: make(chan struct{}), alive: true}
	errs := make(chan error, 2)
	go func() { errs <- r.Serve(ctx, asap) }()
	go func() { errs <- r.ServeENRP(ctx, enrpEP) }()
	go func() {
		defer close(nd.done)
		for range 2 {
			if err := <-errs; err != nil {
				cl.t.Errorf("registrar %v: %v", id, err)
			}
		}
	}()
	cl.nodes[i] = nd
	return nd
}

// kill makes registrar i fall silent at once, as a crash does, and then
// stops it.
func (cl *cluster) kill(i int) {
	nd := cl.nodes[i]
	cl.n.Down(regASAPAddr(i).Addr(), true)
	cl.n.Down(regENRPAddr(i).Addr(), true)
	nd.alive = false // for the checks, dead now; the stop takes its time
	stopped := make(chan struct{})
	cl.stopping = append(cl.stopping, stopped)
	go func() {
		defer close(stopped)
		nd.cancel()
		<-nd.done
		nd.r.Close()
		nd.asap.Close()
		nd.enrp.Close()
	}()
}

func (cl *cluster) stop(nd *node) {
	if !nd.alive {
		return
	}
	nd.alive = false
	nd.cancel()
	<-nd.done
	nd.r.Close()
	nd.asap.Close()
	nd.enrp.Close()
}

func (cl *cluster) live() []*node {
	var out []*node
	for i := range 16 {
		if nd := cl.nodes[i]; nd != nil && nd.alive {
			out = append(out, nd)
		}
	}
	return out
}

// view is a registrar's handlespace as "pool/pe@home" strings, sorted.
func view(r *Registrar) []string {
	var out []string
	for _, p := range r.Snapshot() {
		for _, e := range p.Elements {
			out = append(out, fmt.Sprintf("%s/%v@%v", p.Handle, e.ID, e.Home))
		}
	}
	slices.Sort(out)
	return out
}

// ids is the set of PEs a registrar holds, without homes.
func peSet(r *Registrar) []string {
	var out []string
	for _, p := range r.Snapshot() {
		for _, e := range p.Elements {
			out = append(out, fmt.Sprintf("%s/%v", p.Handle, e.ID))
		}
	}
	slices.Sort(out)
	return out
}

// livePEs is what every registrar should hold.
func (cl *cluster) livePEs() []string {
	var out []string
	for _, pe := range cl.pes {
		if pe.alive {
			out = append(out, fmt.Sprintf("%s/%v", pe.handle, pe.id))
		}
	}
	slices.Sort(out)
	return out
}

// converged reports whether every live registrar holds the same
// handlespace, homes included, with exactly the live PEs, each with a
// live registrar for home.
func (cl *cluster) converged() (bool, string) {
	want := cl.livePEs()
	nodes := cl.live()
	homes := map[msg.ServerID]bool{}
	for _, nd := range nodes {
		homes[nd.r.ID()] = true
	}
	first := view(nodes[0].r)
	for _, nd := range nodes {
		v := view(nd.r)
		if !slices.Equal(v, first) {
			return false, fmt.Sprintf("registrar %v holds %v, registrar %v holds %v", nd.r.ID(), v, nodes[0].r.ID(), first)
		}
		if got := peSet(nd.r); !slices.Equal(got, want) {
			return false, fmt.Sprintf("registrar %v holds %v, want %v", nd.r.ID(), got, want)
		}
		for _, p := range nd.r.Snapshot() {
			for _, e := range p.Elements {
				if !homes[e.Home] {
					return false, fmt.Sprintf("registrar %v: %s/%v has home %v, not a live registrar", nd.r.ID(), p.Handle, e.ID, e.Home)
				}
			}
		}
	}
	return true, ""
}

// waitConverged waits up to limit of virtual time for convergence, and
// returns how long it took.
func (cl *cluster) waitConverged(limit time.Duration) time.Duration {
	cl.t.Helper()
	start := time.Now()
	for {
		ok, why := cl.converged()
		if ok {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			cl.t.Fatalf("not converged after %v: %s", limit, why)
		}
		wait(50 * time.Millisecond)
	}
}

// waitPeers waits until every live registrar has n active peers.
func (cl *cluster) waitPeers(n int, limit time.Duration) {
	cl.t.Helper()
	start := time.Now()
	for {
		ok := true
		for _, nd := range cl.live() {
			active := 0
			for _, p := range nd.r.Peers() {
				if p.Status == "active" {
					active++
				}
			}
			if active != n {
				ok = false
				if time.Since(start) > limit {
					cl.t.Fatalf("registrar %v has %d active peers, want %d", nd.r.ID(), active, n)
				}
			}
		}
		if ok {
			return
		}
		wait(50 * time.Millisecond)
	}
}

// waitReady waits for registrar i's initialization.
func (cl *cluster) waitReady(i int) {
	cl.t.Helper()
	select {
	case <-cl.nodes[i].r.Ready():
	case <-time.After(time.Minute):
		cl.t.Fatalf("registrar %d not initialized", i)
	}
}

// fakePE is a pool element that registers with raw ASAP and answers
// every keep-alive, whoever sends it.
type fakePE struct {
	cl      *cluster
	k       int
	id      msg.PEID
	handle  string
	addr    netip.AddrPort
	ep      *sctp.Endpoint
	a       *sctp.Association
	inbox   chan msg.Message
	alive   bool
	home    atomic.Uint32 // the ServerID of the last keep-alive with H set
	kas     atomic.Int64  // keep-alives answered
	closing sync.Once
}

// addPE starts a PE and registers it at registrar reg.
func (cl *cluster) addPE(reg int, handle string, id msg.PEID) *fakePE {
	cl.t.Helper()
	cl.nextK++
	k := cl.nextK
	addr := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 1 + byte(k/250), byte(k%250 + 1)}), 9899)
	ep, err := sctp.NewEndpoint(cl.n.Host(addr), uint16(40000+k), &sctp.Config{Rand: rand.NewChaCha8([32]byte{byte(k), byte(k >> 8), 3})})
	if err != nil {
		cl.t.Fatal(err)
	}
	if err := ep.Listen(); err != nil {
		cl.t.Fatal(err)
	}
	pe := &fakePE{cl: cl, k: k, id: id, handle: handle, addr: addr, ep: ep, inbox: make(chan msg.Message, 16), alive: true}
	cl.pes[id] = pe
	a, err := ep.Dial(context.Background(), []netip.AddrPort{regASAPAddr(reg)}, msg.PortASAP)
	if err != nil {
		cl.t.Fatal("PE dial:", err)
	}
	pe.a = a
	go pe.serve(a, true)
	go func() {
		for {
			a, err := ep.Accept(context.Background())
			if err != nil {
				return
			}
			go pe.serve(a, false)
		}
	}()
	pe.send(&msg.Registration{PoolHandle: []byte(handle), PoolElement: msg.PoolElement{
		ID: id, RegistrationLife: 3600, Policy: roundRobin,
		UserTransport: msg.Transport{Kind: msg.ParamSCTPTransport, Port: 7000, Use: msg.DataOnly, Addrs: msg.MakeAddrs(addr.Addr())},
	}})
	resp, ok := pe.next().(*msg.RegistrationResponse)
	if !ok || resp.Reject {
		cl.t.Fatalf("registration of %v refused", id)
	}
	return pe
}

func (pe *fakePE) send(m msg.Message) {
	b, err := msg.Encode(nil, m)
	if err != nil {
		pe.cl.t.Fatal(err)
	}
	if err := pe.a.Send(context.Background(), sctp.Message{PPID: msg.PPIDASAP, Data: b}); err != nil {
		pe.cl.t.Fatal("PE send:", err)
	}
}

func (pe *fakePE) next() msg.Message {
	select {
	case m := <-pe.inbox:
		return m
	case <-time.After(time.Minute):
		pe.cl.t.Fatal("PE: no answer")
		return nil
	}
}

// serve answers keep-alives on a; the first association's other
// messages go to the inbox.
func (pe *fakePE) serve(a *sctp.Association, first bool) {
	for {
		sm, err := a.Receive(context.Background())
		if err != nil {
			return
		}
		m, err := msg.DecodeASAP(sm.Data)
		if err != nil {
			continue
		}
		if ka, ok := m.(*msg.EndpointKeepAlive); ok {
			if ka.Home {
				pe.home.Store(uint32(ka.ServerID))
			}
			pe.kas.Add(1)
			b, _ := msg.Encode(nil, &msg.EndpointKeepAliveAck{PoolHandle: ka.PoolHandle, ID: ka.ID})
			if a.Send(context.Background(), sctp.Message{PPID: msg.PPIDASAP, Data: b}) != nil {
				return
			}
			continue
		}
		if first {
			select {
			case pe.inbox <- m:
			default:
			}
		}
	}
}

// deregister de-registers the PE and ends it.
func (pe *fakePE) deregister() {
	pe.send(&msg.Deregistration{PoolHandle: []byte(pe.handle), ID: pe.id})
	if _, ok := pe.next().(*msg.DeregistrationResponse); !ok {
		pe.cl.t.Fatal("no de-registration response")
	}
	pe.alive = false
	pe.close()
}

// die makes the PE fall silent, then stops it.
func (pe *fakePE) die() {
	pe.alive = false
	pe.cl.n.Down(pe.addr.Addr(), true)
	pe.close()
}

func (pe *fakePE) close() {
	pe.closing.Do(func() {
		pe.ep.Close() // which ends its goroutines
	})
}

// resolveAt resolves handle at registrar i as a pool user and returns
// the identifiers it got.
func (cl *cluster) resolveAt(i int, handle string) []msg.PEID {
	cl.t.Helper()
	cl.nextK++
	k := cl.nextK
	addr := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 3, byte(k%250 + 1)}), 9899)
	ep, err := sctp.NewEndpoint(cl.n.Host(addr), uint16(50000+k%10000), &sctp.Config{Rand: rand.NewChaCha8([32]byte{byte(k), 4})})
	if err != nil {
		cl.t.Fatal(err)
	}
	defer ep.Close()
	a, err := ep.Dial(context.Background(), []netip.AddrPort{regASAPAddr(i)}, msg.PortASAP)
	if err != nil {
		cl.t.Fatal("PU dial:", err)
	}
	b, _ := msg.Encode(nil, &msg.HandleResolution{PoolHandle: []byte(handle), Items: 100, HasItems: true})
	if err := a.Send(context.Background(), sctp.Message{PPID: msg.PPIDASAP, Data: b}); err != nil {
		cl.t.Fatal(err)
	}
	sm, err := a.Receive(context.Background())
	if err != nil {
		cl.t.Fatal(err)
	}
	m, err := msg.DecodeASAP(sm.Data)
	if err != nil {
		cl.t.Fatal(err)
	}
	resp := m.(*msg.HandleResolutionResponse)
	var out []msg.PEID
	it := resp.PoolElements.Iter()
	var pe msg.PoolElement
	for it.Next(&pe) {
		out = append(out, pe.ID)
	}
	slices.Sort(out)
	a.Abort("done")
	return out
}
