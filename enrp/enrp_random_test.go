package enrp

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

// The randomized test: registrations, de-registrations, PE deaths,
// registrar deaths and restarts at random, seeded; after the network
// calms, every live registrar holds exactly the live PEs, each with a
// live home, and they all agree.
//
// ENRP_SEEDS=N runs N seeds (default 50; 10 with -short or the race
// detector), ENRP_SEED=K only seed K; ENRP_DEBUG=1 with -v logs the
// registrars.
func TestENRPRandomized(t *testing.T) {
	seeds := uint64(50)
	if testing.Short() || raceEnabled {
		seeds = 10
	}
	if v, err := strconv.ParseUint(os.Getenv("ENRP_SEEDS"), 10, 32); err == nil {
		seeds = v
	}
	first := uint64(0)
	if v, err := strconv.ParseUint(os.Getenv("ENRP_SEED"), 10, 64); err == nil {
		first, seeds = v, v+1
	}
	for seed := first; seed < seeds; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) { enrpRandomRun(t, seed) })
		})
	}
}

func enrpRandomRun(t *testing.T, seed uint64) {
	const slots, steps = 4, 50
	rng := rand.New(rand.NewPCG(seed, 8))
	cl := newCluster(t, seed+100, fastENRP(Config{}))
	cl.debug = os.Getenv("ENRP_DEBUG") != ""
	nextID := msg.ServerID(0xb0000000)
	others := func(i int) []int {
		var out []int
		for j := range slots {
			if j != i {
				out = append(out, j)
			}
		}
		return out
	}
	startSlot := func(i int) {
		nextID++
		cl.start(i, nextID, others(i)...)
	}
	cl.start(0, 0xa0000000)
	cl.waitReady(0)
	for i := 1; i < slots; i++ {
		startSlot(i)
	}
	regOf := map[msg.PEID]*node{} // the registrar instance each PE registered with
	nextPE := msg.PEID(1)
	var log []string
	for range steps {
		live := cl.live()
		var livePEs []*fakePE
		for id := msg.PEID(1); id < nextPE; id++ {
			if pe := cl.pes[id]; pe != nil && pe.alive {
				livePEs = append(livePEs, pe)
			}
		}
		switch op := rng.IntN(10); {
		case op < 4:
			nd := live[rng.IntN(len(live))]
			handle := fmt.Sprint("pool", rng.IntN(3))
			cl.addPE(nd.i, handle, nextPE)
			regOf[nextPE] = nd
			log = append(log, fmt.Sprintf("register %v at %v", nextPE, nd.r.ID()))
			nextPE++
		case op < 5 && len(livePEs) > 0:
			pe := livePEs[rng.IntN(len(livePEs))]
			if nd := regOf[pe.id]; nd.alive && cl.nodes[nd.i] == nd && msg.ServerID(pe.home.Load()) == 0 {
				pe.deregister()
				log = append(log, fmt.Sprintf("deregister %v", pe.id))
			}
		case op < 7 && len(livePEs) > 0:
			pe := livePEs[rng.IntN(len(livePEs))]
			pe.die()
			log = append(log, fmt.Sprintf("PE %v dies", pe.id))
		case op < 8 && len(live) > 2:
			nd := live[rng.IntN(len(live))]
			cl.kill(nd.i)
			log = append(log, fmt.Sprintf("registrar %v dies", nd.r.ID()))
		case op < 10:
			for i := range slots {
				if nd := cl.nodes[i]; nd != nil && !nd.alive {
					startSlot(i)
					log = append(log, fmt.Sprintf("registrar restarted as %v", cl.nodes[i].r.ID()))
					break
				}
			}
		}
		wait(time.Duration(rng.IntN(3000)) * time.Millisecond)
	}
	// Calm: no more events; failure detection, takeovers and audits
	// settle within a few MaxTimeLastHeard.
	defer func() {
		if t.Failed() {
			for _, l := range log {
				t.Log(l)
			}
		}
	}()
	took := cl.waitConverged(2 * time.Minute)
	t.Logf("%d live PEs on %d registrars; converged %v after the last event", len(cl.livePEs()), len(cl.live()), took)
}
