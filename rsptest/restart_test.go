package rsptest

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/rserpool/rserpool/enrp"
)

// The registrar goes and a new one starts at its address, with an
// empty handlespace: the pool elements register with it again, by the
// server hunt of RFC 5352 §3.6 once they know their association is gone.
// A registrar that exits on SIGTERM shuts its associations down, which
// the elements see at once. One killed with SIGKILL says nothing; the
// elements learn of it when they next send, their re-registration at
// T4 here (a 6 s lifetime puts T4 at 3 s), which the new registrar's
// SCTP answers with an ABORT (RFC 9260 §8.4), since it has no such
// association.
func TestRegistrarRestart(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		net  subnet
		stop func(t *testing.T, r *registrar)
		life string
	}{
		{"SIGKILL", netRestartKill, func(t *testing.T, r *registrar) { r.kill(t) }, "6s"},
		{"SIGTERM", netRestartTerm, func(t *testing.T, r *registrar) {
			r.signal(t, syscall.SIGTERM)
			if st := r.exitStatus(t); st != 0 {
				t.Fatalf("rspregistrar exited with %d after SIGTERM", st)
			}
		}, "300s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := tc.net
			r1 := startRegistrar(t, s, "-id", "0x11111111")
			const handle = "RestartPool"
			a := startPE(t, r1, s.host(hostPE), handle, 0xf1, "-lifetime", tc.life)
			b := startPE(t, r1, s.host(hostPE+1), handle, 0xf2, "-lifetime", tc.life)
			r1.waitPEs(t, handle, a.id, b.id)

			tc.stop(t, r1)
			stopped := time.Now()
			r2 := startRegistrar(t, s, "-id", "0x22222222")
			if r2.id == r1.id {
				t.Fatalf("new registrar has the old one's identifier %v", r1.id)
			}
			if d := r2.mustDump(t); d.Stats.Registrations > 2 {
				t.Fatalf("new registrar: %+v", d.Stats)
			}
			d := r2.waitFor(t, fmt.Sprintf("both elements to register with %v", r2.id), func(d enrp.Dump) bool {
				for _, pe := range []*poolElement{a, b} {
					if e, ok := element(d, handle, pe.id); !ok || e.Home != r2.id || !e.Owned {
						return false
					}
				}
				return true
			})
			t.Logf("both elements registered with the new registrar %v after the old one stopped",
				time.Since(stopped).Round(10*time.Millisecond))
			if s := d.Stats; s.Registrations != 2 || s.RegistrationsRejected != 0 || len(d.Pools) != 1 {
				t.Errorf("new registrar: pools %d, %+v", len(d.Pools), s)
			}
			checkConsistent(t, d)
			if !a.running() || !b.running() {
				t.Errorf("a pool element ended")
			}
		})
	}
}
