package rsptest

import (
	"testing"
	"time"

	"github.com/rserpool/rserpool/enrp"
)

// The registrar sends keep-alives to the pool elements it is home for;
// live ones answer and stay; one killed with SIGKILL answers nothing
// and is removed after the keep-alive timeout (RFC 5352 §3.5), with no
// help from its lifetime, which is long.
func TestKeepAliveRemovesDeadElement(t *testing.T) {
	t.Parallel()
	s := netKeepAlive
	r := startRegistrar(t, s, "-keepalive-interval", "500ms", "-keepalive-timeout", "1s")
	const handle = "KeepAlivePool"
	a := startPE(t, r, s.host(hostPE), handle, 0xc1)
	b := startPE(t, r, s.host(hostPE+1), handle, 0xc2)
	r.waitPEs(t, handle, a.id, b.id)

	d := r.waitFor(t, "three rounds of keep-alives", func(d enrp.Dump) bool { return d.Stats.KeepAlivesSent >= 6 })
	if got := poolIDs(d, handle); len(got) != 2 || d.Stats.KeepAliveFailures != 0 || d.Stats.Removals != 0 {
		t.Fatalf("live elements after %d keep-alives: pool %v, %+v", d.Stats.KeepAlivesSent, got, d.Stats)
	}

	killed := time.Now()
	a.kill(t)
	d = r.waitPEs(t, handle, b.id)
	t.Logf("the killed element was removed %v after SIGKILL (keep-alives every 0.25-0.75 s, 1 s to answer)",
		time.Since(killed).Round(10*time.Millisecond))
	if s := d.Stats; s.KeepAliveFailures != 1 || s.Removals != 1 || s.Expirations != 0 || s.Deregistrations != 0 {
		t.Errorf("after the removal: %+v", s)
	}
	checkConsistent(t, d)

	sent := d.Stats.KeepAlivesSent
	d = r.waitFor(t, "more keep-alives to the live element", func(d enrp.Dump) bool { return d.Stats.KeepAlivesSent >= sent+3 })
	if got := poolIDs(d, handle); len(got) != 1 || got[0] != b.id || d.Stats.KeepAliveFailures != 1 {
		t.Errorf("live element after more keep-alives: pool %v, %+v", got, d.Stats)
	}
	checkConsistent(t, d)
}
