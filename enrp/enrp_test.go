package enrp

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

// Three registrars converge after every step: a PE registered at one is
// resolvable at the others within one update, and de-registrations and
// PE deaths reach all of them.
func TestENRPThreeConverge(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cl := newCluster(t, 1, fastENRP(Config{}))
		cl.start(0, 0xa0000001)
		cl.waitReady(0)
		cl.start(1, 0xa0000002, 0)
		cl.start(2, 0xa0000003, 0, 1)
		cl.waitReady(1)
		cl.waitReady(2)
		cl.waitConverged(10 * time.Second)
		cl.waitPeers(2, 5*time.Second)

		pe := cl.addPE(0, "pool", 1)
		// Within one update: the HANDLE_UPDATE has crossed one link.
		wait(10 * time.Millisecond)
		for i := range 3 {
			if got := cl.resolveAt(i, "pool"); !slices.Equal(got, []msg.PEID{1}) {
				t.Fatalf("registrar %d resolves %v, want [1]", i, got)
			}
		}
		cl.waitConverged(time.Second)

		cl.addPE(1, "pool", 2)
		cl.waitConverged(time.Second)
		cl.addPE(2, "other", 3)
		cl.waitConverged(time.Second)
		for i := range 3 {
			if got := cl.resolveAt(i, "pool"); !slices.Equal(got, []msg.PEID{1, 2}) {
				t.Fatalf("registrar %d resolves %v, want [1 2]", i, got)
			}
		}
		pe.deregister()
		cl.waitConverged(time.Second)
		cl.pes[3].die()
		cl.waitConverged(10 * time.Second)
		for _, nd := range cl.live() {
			if s := nd.r.Stats(); s.AuditMismatches != 0 {
				t.Errorf("registrar %v: %d audit mismatches without any loss", nd.r.ID(), s.AuditMismatches)
			}
		}
	})
}

// startThree starts three registrars, the first alone and the others
// with it for mentor, and waits for them to know each other.
func startThree(t *testing.T, cl *cluster) {
	t.Helper()
	cl.start(0, 0xa0000001)
	cl.waitReady(0)
	cl.start(1, 0xa0000002, 0)
	cl.start(2, 0xa0000003, 0, 1)
	cl.waitReady(1)
	cl.waitReady(2)
	cl.waitConverged(10 * time.Second)
}

// takeover kills registrar 0, home of three PEs, and checks that
// exactly one peer takes it over, that the PEs answer the new home's
// keep-alives and stay resolvable everywhere; it returns the time from
// the kill to convergence.
func takeover(t *testing.T, cfg Config, limit time.Duration) (time.Duration, TakeoverInfo) {
	var took time.Duration
	var info TakeoverInfo
	synctest.Test(t, func(t *testing.T) {
		cl := newCluster(t, 2, cfg)
		startThree(t, cl)
		for id := range msg.PEID(3) {
			cl.addPE(0, "pool", 10+id)
		}
		cl.addPE(1, "pool", 20)
		cl.waitConverged(time.Second)
		start := time.Now()
		cl.kill(0)
		cl.waitConverged(limit)
		took = time.Since(start)
		var winner *node
		for _, nd := range cl.live() {
			if n := nd.r.Stats().Takeovers; n == 1 {
				if winner != nil {
					t.Fatalf("two registrars took over: %v and %v", winner.r.ID(), nd.r.ID())
				}
				winner = nd
			} else if n != 0 {
				t.Fatalf("registrar %v: %d takeovers", nd.r.ID(), n)
			}
		}
		if winner == nil {
			t.Fatal("nobody took over")
		}
		info = winner.r.LastTakeover()
		if info.Target != 0xa0000001 || info.PEs != 3 {
			t.Fatalf("takeover %+v, want target a0000001 and 3 PEs", info)
		}
		if winner.r.ID() != 0xa0000002 {
			t.Errorf("winner %v, want the lowest identifier a0000002", winner.r.ID())
		}
		// The keep-alives with the H flag are on their way when the
		// handlespaces agree: each PE has its new home within one
		// association setup and one message.
		for id := range msg.PEID(3) {
			pe := cl.pes[10+id]
			for deadline := time.Now().Add(winner.r.Config().MaxTimeNoResponse); ; wait(10 * time.Millisecond) {
				got := msg.ServerID(pe.home.Load())
				if got == winner.r.ID() {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("PE %v adopted by %v, want %v", pe.id, got, winner.r.ID())
				}
			}
		}
		// The adopted PEs keep answering the new home: several keep-alive
		// rounds later they are all still there, everywhere.
		before := cl.pes[10].kas.Load()
		wait(5 * cfg.KeepAliveInterval)
		if cl.pes[10].kas.Load() <= before {
			t.Error("no keep-alive from the new home")
		}
		cl.waitConverged(time.Second)
		for _, nd := range cl.live() {
			if got := cl.resolveAt(nd.i, "pool"); !slices.Equal(got, []msg.PEID{10, 11, 12, 20}) {
				t.Fatalf("registrar %v resolves %v", nd.r.ID(), got)
			}
		}
	})
	return took, info
}

// A registrar killed is taken over by exactly one peer, the lowest.
func TestENRPTakeover(t *testing.T) {
	took, info := takeover(t, fastENRP(Config{}), time.Minute)
	t.Logf("tuned timers: converged %v after the kill; takeover completed %v after the peer's last word", took, info.Duration)
}

// The same with the RFC 5353 §4.2 defaults (heartbeat 30 s, last heard
// 61 s, no response 5 s).
func TestENRPTakeoverDefaultTimers(t *testing.T) {
	if testing.Short() {
		t.Skip("long in virtual time")
	}
	took, info := takeover(t, Config{KeepAliveInterval: time.Second, KeepAliveTimeout: time.Second}, 5*time.Minute)
	t.Logf("default timers: converged %v after the kill; takeover completed %v after the peer's last word", took, info.Duration)
}

// A registrar restarted with an empty handlespace downloads it from its
// mentor, in pieces (M flag) of HandleTablePiece elements.
func TestENRPRestartDownloadsFromMentor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := fastENRP(Config{HandleTablePiece: 2})
		cl := newCluster(t, 3, cfg)
		startThree(t, cl)
		for id := range msg.PEID(7) {
			cl.addPE(int(id)%2, "pool", 100+id)
		}
		cl.addPE(0, "other", 200)
		cl.waitConverged(time.Second)
		pieces := cl.nodes[0].r.Stats().TablePiecesSent + cl.nodes[1].r.Stats().TablePiecesSent
		cl.stop(cl.nodes[2])
		cl.start(2, 0xa0000033, 0, 1)
		cl.waitReady(2)
		if got, want := peSet(cl.nodes[2].r), cl.livePEs(); !slices.Equal(got, want) {
			t.Fatalf("after the download: %v, want %v", got, want)
		}
		sent := cl.nodes[0].r.Stats().TablePiecesSent + cl.nodes[1].r.Stats().TablePiecesSent - pieces
		if sent < 4 { // 8 PEs in pieces of 2
			t.Fatalf("%d pieces sent, want at least 4", sent)
		}
		cl.waitConverged(30 * time.Second)
	})
}

// A lost HANDLE_UPDATE is repaired by the audit: a PE missing at one
// registrar (its ADD_PE lost) and a PE left over (its DEL_PE lost) are
// found by the PE checksum of the home's next PRESENCE and fixed by the
// re-synchronization of that home's PEs only.
func TestENRPAuditRepairsLostUpdate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cl := newCluster(t, 4, fastENRP(Config{}))
		startThree(t, cl)
		cl.addPE(0, "pool", 1)
		cl.addPE(0, "pool", 2)
		cl.addPE(1, "pool", 3)
		cl.waitConverged(time.Second)

		// Registrar 2 lost the ADD_PE of PE 2 and the DEL_PE of PE 9.
		r2 := cl.nodes[2].r
		r2.mu.Lock()
		r2.hs.Deregister([]byte("pool"), 2)
		ghost := msg.PoolElement{ID: 9, HomeServer: 0xa0000001, RegistrationLife: 60, Policy: roundRobin,
			UserTransport: msg.Transport{Kind: msg.ParamSCTPTransport, Port: 1, Use: msg.DataOnly, Addrs: msg.MakeAddrs(regASAPAddr(9).Addr())}}
		if _, _, err := r2.hs.Register([]byte("pool"), &ghost, time.Time{}); err != nil {
			t.Fatal(err)
		}
		r2.mu.Unlock()
		if ok, _ := cl.converged(); ok {
			t.Fatal("converged with a lost update")
		}
		took := cl.waitConverged(cl.base.PeerHeartbeatCycle + time.Second)
		s := r2.Stats()
		if s.AuditMismatches == 0 || s.Resyncs == 0 {
			t.Fatalf("repaired without the audit: %+v", s)
		}
		if s.Resyncs != 1 {
			t.Errorf("%d re-synchronizations, want 1 (registrar 0's PEs only)", s.Resyncs)
		}
		t.Logf("repaired %v after the loss", took)
	})
}
