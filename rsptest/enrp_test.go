package rsptest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/enrp"
)

// Three registrars as processes, peering over ENRP (RFC 5353) on their
// own loopback addresses, with pool elements registered at each. They
// converge to one handlespace, homes included (read with hsdump), so a
// PE registered at one is resolved at the others. Killed with SIGKILL,
// the home of two PEs is taken over by exactly one survivor: it becomes their home in both survivors' handlespaces,
// its keep-alives with the H flag reach them, and they go on serving a
// pool user that resolves them at the other survivor.
func TestENRPRegistrarsTakeOver(t *testing.T) {
	t.Parallel()
	s := netENRP
	const (
		id1, id2, id3 = msg.ServerID(0x5ee50001), msg.ServerID(0x5ee50002), msg.ServerID(0x5ee50003)
		poolA, poolB  = "EnrpA", "EnrpB"
	)
	r1 := startPeerRegistrar(t, s, 1, id1)
	r2 := startPeerRegistrar(t, s, 2, id2, 1)
	r3 := startPeerRegistrar(t, s, 3, id3, 1, 2)
	all := []*registrar{r1, r2, r3}
	waitAgree(t, "three registrars to know each other", all, func(_ []string, ds []enrp.Dump) bool {
		for _, d := range ds {
			if len(activePeers(d)) != 2 {
				return false
			}
		}
		return true
	})

	a1 := startPE(t, r1, s.host(10), poolA, 0xa1, "-lifetime", "300s")
	a2 := startPE(t, r1, s.host(11), poolA, 0xa2, "-lifetime", "300s")
	startPE(t, r2, s.host(12), poolB, 0xb2, "-lifetime", "300s")
	startPE(t, r3, s.host(13), poolB, 0xb3, "-lifetime", "300s")
	want := []string{"EnrpA/0x000000a1@0x5ee50001", "EnrpA/0x000000a2@0x5ee50001",
		"EnrpB/0x000000b2@0x5ee50002", "EnrpB/0x000000b3@0x5ee50003"}
	waitAgree(t, "the registrars to agree on four PEs", all, func(v []string, _ []enrp.Dump) bool {
		return slices.Equal(v, want)
	})
	for _, r := range all {
		d := hsdump(t, r)
		if got := homes(d); !slices.Equal(got, want) {
			t.Fatalf("hsdump of %v: %q, want %q", r.id, got, want)
		}
		checkConsistent(t, d)
	}
	pu := poolUser(t, s.host(100), r3, 0)
	if got := resolveNow(t, pu, poolA); len(got) != 2 {
		t.Fatalf("registrar 3 resolves %d PEs of %s registered at registrar 1, want 2", len(got), poolA)
	}

	// SIGKILL: no ABORT, no SHUTDOWN; the peers hear nothing more.
	r1.kill(t)
	killed := time.Now()
	survivors := []*registrar{r2, r3}
	var took time.Duration
	waitAgree(t, "a survivor to take over registrar 1", survivors, func(v []string, ds []enrp.Dump) bool {
		for _, e := range v {
			if strings.HasSuffix(e, "@"+id1.String()) {
				return false
			}
		}
		for _, d := range ds {
			for _, p := range d.Peers {
				if p.ID == id1 {
					return false
				}
			}
		}
		took = time.Since(killed)
		return len(v) == 4
	})
	t.Logf("registrar 1 taken over %v after SIGKILL (heartbeat 300ms, last heard 1s, no response 500ms)", took.Round(10*time.Millisecond))

	var winner *registrar
	var takeovers uint64
	for _, r := range survivors {
		d := r.mustDump(t)
		checkConsistent(t, d)
		takeovers += d.Stats.Takeovers
		if d.Stats.Takeovers == 1 {
			winner = r
		}
	}
	if takeovers != 1 || winner == nil {
		t.Fatalf("%d takeovers among the survivors, want exactly 1", takeovers)
	}
	// Which survivor wins depends on which notices the silence first:
	// the lowest identifier wins only among takeovers started together
	// (RFC 5353 §3.5.1 rule 2), and a peer that has not started its own
	// acknowledges the first (rule 3).
	t.Logf("registrar %v took over", winner.id)
	// The new home watches the adopted PEs: its keep-alives (the first
	// with the H flag) are answered, over and over, and nobody is
	// removed.
	start := winner.mustDump(t).Stats.KeepAlivesSent
	d := winner.waitFor(t, "keep-alives to the adopted PEs", func(d enrp.Dump) bool {
		return d.Stats.KeepAlivesSent >= start+6
	})
	for _, pe := range []*poolElement{a1, a2} {
		e, ok := element(d, poolA, pe.id)
		if !ok || !e.Owned || e.Home != winner.id || !e.Connected {
			t.Errorf("adopted PE %v at the new home: %+v (present %v)", pe.id, e, ok)
		}
	}
	if d.Stats.KeepAliveFailures != 0 || d.Stats.Removals != 0 {
		t.Errorf("the new home lost PEs: %+v", d.Stats)
	}

	// Resolved at the other survivor, the adopted PEs still serve.
	other := r3
	if winner == r3 {
		other = r2
	}
	if got := resolveNow(t, poolUser(t, s.host(101), other, 0), poolA); len(got) != 2 {
		t.Fatalf("registrar %v resolves %d PEs of %s after the takeover, want 2", other.id, len(got), poolA)
	}
	term := startProc(t, "rspterminal", "rspterminal", "-poolhandle", poolA, "-registrar", other.addr.String(),
		"-local", s.host(102).String(), "-count", "3", "-interval", "10ms")
	if st := term.exitStatus(t); st != 0 {
		t.Fatalf("rspterminal exited with %d", st)
	}
	if got := term.out.String(); got != "message 1\nmessage 2\nmessage 3\n" {
		t.Errorf("rspterminal printed %q", got)
	}
	if !a1.running() || !a2.running() {
		t.Error("an adopted pool element ended")
	}
}
