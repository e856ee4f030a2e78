package enrp

import (
	"net/netip"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

// TestENRPDownload10k measures the time a new registrar takes to
// download a handlespace of 10,000 PEs from its mentor, in virtual time
// (simnet without delay: what the round trips of the pieces cost) and
// in wall-clock time (the CPU of both registrars and of SCTP).
func TestENRPDownload10k(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 pool elements")
	}
	for _, piece := range []int{DefaultHandleTablePiece, 1024} {
		t.Run("piece"+strconv.Itoa(piece), func(t *testing.T) {
			var virt time.Duration
			wstart := time.Now()
			synctest.Test(t, func(t *testing.T) {
				cl := newCluster(t, 5, fastENRP(Config{HandleTablePiece: piece}))
				m := cl.start(0, 0xa0000001)
				cl.waitReady(0)
				m.r.mu.Lock()
				for i := range benchPEs {
					pe := msg.PoolElement{ID: msg.PEID(i + 1), HomeServer: 0xa0000001, RegistrationLife: 300, Policy: roundRobin,
						UserTransport: msg.Transport{Kind: msg.ParamSCTPTransport, Port: 7000, Use: msg.DataOnly,
							Addrs: msg.MakeAddrs(netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)}))},
						ASAPTransport: msg.Transport{Kind: msg.ParamSCTPTransport, Port: 7001, Use: msg.DataOnly,
							Addrs: msg.MakeAddrs(netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)}))}}
					if _, _, err := m.r.hs.Register([]byte("pool-"+strconv.Itoa(i%benchPools)), &pe, time.Time{}); err != nil {
						t.Fatal(err)
					}
				}
				m.r.mu.Unlock()
				start := time.Now()
				cl.start(1, 0xa0000002, 0)
				cl.waitReady(1)
				virt = time.Since(start)
				if n := cl.nodes[1].r.Stats().PoolElements; n != benchPEs {
					t.Fatalf("downloaded %d PEs, want %d", n, benchPEs)
				}
				if p := m.r.Stats().TablePiecesSent; p < uint64(benchPEs/piece) {
					t.Fatalf("%d pieces", p)
				}
			})
			t.Logf("10,000 PEs in pieces of %d: %v virtual; %v wall clock for the whole run (filling the mentor included)", piece, virt, time.Since(wstart))
		})
	}
}
