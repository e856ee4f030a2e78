package session

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/enrp"
	"github.com/rserpool/rserpool/internal/services"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/simnet"
)

var update = flag.Bool("update", false, "write the results to ../results/session")

// Parameters of the run.
const (
	pes          = 3
	kills        = 20
	pingInterval = 20 * time.Millisecond
	replyTimeout = 500 * time.Millisecond
	reviveAfter  = 3 * time.Second
	linkDelay    = time.Millisecond
)

var (
	regAddr = netip.MustParseAddrPort("10.0.0.1:9899")
	puAddr  = netip.MustParseAddrPort("10.0.2.1:9899")
)

func peAddr(i int) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 1, byte(i + 1)}), 9899)
}

type ping struct {
	at    time.Duration // when the pong came, since the start
	seq   uint64
	count uint64
	pe    msg.PEID
	rtt   time.Duration
	// failovers the session had completed when the pong came
	failovers int
}

type kill struct {
	at, recovered time.Duration
	pe            msg.PEID
	failovers     int // the session's failovers at the kill
}

func TestSimnetFailover(t *testing.T) {
	var pings []ping
	var ks []kill
	var lost int
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(7)
		n.SetDefault(simnet.LinkConfig{Delay: linkDelay})
		t.Cleanup(func() { n.Close() })
		seed := byte(0)
		endpoint := func(addr netip.AddrPort, port uint16) *sctp.Endpoint {
			seed++
			ep, err := sctp.NewEndpoint(n.Host(addr), port, &sctp.Config{Rand: rand.NewChaCha8([32]byte{seed})})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ep.Close() })
			return ep
		}
		reg, err := enrp.New(enrp.Config{ServerID: 1, DisableAnnounce: true, KeepAliveInterval: time.Second, KeepAliveTimeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		rctx, rcancel := context.WithCancel(context.Background())
		var rwg sync.WaitGroup
		rwg.Add(1)
		regEP := endpoint(regAddr, msg.PortASAP)
		go func() { defer rwg.Done(); reg.Serve(rctx, regEP) }()
		t.Cleanup(func() { rcancel(); rwg.Wait() })
		key := []byte("benchmark pool key, 32 bytes...")
		signer, err := asap.NewCookieSigner(key, "PingPongPool")
		if err != nil {
			t.Fatal(err)
		}
		for i := range pes {
			ep := endpoint(peAddr(i), 5000)
			pe, err := asap.NewPoolElement(context.Background(), ep, asap.PEConfig{
				Config:     asap.Config{Registrars: []netip.AddrPort{regAddr}},
				PoolHandle: "PingPongPool", ID: msg.PEID(i + 1), TransportUse: msg.DataPlusControl,
				Lifetime: 30 * time.Second,
			})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					a, err := pe.Accept(ctx)
					if err != nil {
						return
					}
					wg.Add(1)
					go func() {
						defer wg.Done()
						p := &services.PingPong{}
						ss := asap.NewServerSession(a, asap.ServerSessionConfig{Signer: signer, Restore: p.Restore})
						p.Serve(ctx, ss, nil)
						a.Abort("done")
					}()
				}
			}()
			t.Cleanup(func() {
				cancel()
				c, cc := context.WithTimeout(context.Background(), time.Second)
				pe.Close(c)
				cc()
				ep.Close()
				wg.Wait()
			})
		}
		time.Sleep(2 * time.Second) // registrations
		pu, err := asap.NewPoolUser(context.Background(), endpoint(puAddr, 7000), asap.PUConfig{
			Config: asap.Config{Registrars: []netip.AddrPort{regAddr}}, DialTimeout: time.Second,
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pu.Close() })
		s, err := pu.OpenSession(context.Background(), "PingPongPool", asap.SessionConfig{ReplyTimeout: replyTimeout, RetryInterval: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		cl := &services.PingPongClient{S: s}
		start := time.Now()
		rnd := rand.New(rand.NewPCG(1, 2))
		var mu sync.Mutex
		done := make(chan struct{})
		go func() {
			defer close(done)
			for k := 0; k < kills; k++ {
				time.Sleep(2*time.Second + time.Duration(rnd.Int64N(int64(2*time.Second))))
				cur, ok := s.PoolElement()
				if !ok {
					continue
				}
				addr := cur.Addrs[0]
				n.Down(addr, true)
				mu.Lock()
				ks = append(ks, kill{at: time.Since(start), pe: cur.ID, failovers: s.Failovers()})
				mu.Unlock()
				time.AfterFunc(reviveAfter, func() { n.Down(addr, false) })
			}
			time.Sleep(reviveAfter + time.Second)
		}()
		for {
			select {
			case <-done:
				return
			default:
			}
			t0 := time.Now()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			p, err := cl.Ping(ctx)
			cancel()
			if err != nil {
				lost++
				continue
			}
			pe, _ := s.PoolElement()
			mu.Lock()
			pings = append(pings, ping{at: time.Since(start), seq: p.Seq, count: p.Count, pe: pe.ID, rtt: time.Since(t0), failovers: s.Failovers()})
			mu.Unlock()
			time.Sleep(pingInterval)
		}
	})
	header := fmt.Sprintf("simnet, virtual time: %d PEs, ping every %v, link delay %v, ReplyTimeout %v", pes, pingInterval, linkDelay, replyTimeout)
	report(t, "simnet", header, pings, ks, lost)
}
