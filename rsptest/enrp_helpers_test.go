package rsptest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"os/exec"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/enrp"
)

// netENRP is the subnet of the ENRP test: registrars at .1 to .3, pool
// elements from .10, pool users from .100. It is far from the list in
// net_test.go so that the two never meet.
const netENRP subnet = 200

// ENRP timers of the test's registrars: short, so that a takeover takes
// seconds (RFC 5353 §4.2 defaults: 30 s, 61 s, 5 s).
var enrpTimers = []string{
	"-peer-heartbeat", "300ms", "-max-time-last-heard", "1s", "-max-time-no-response", "500ms",
	"-keepalive-interval", "500ms", "-keepalive-timeout", "500ms",
}

// startPeerRegistrar runs rspregistrar at host i of s with ENRP on
// port 9901 of the same address, the registrars at peers for static
// peers, and identifier id; it waits until the handlespace is served.
func startPeerRegistrar(t *testing.T, s subnet, i int, id msg.ServerID, peers ...int) *registrar {
	t.Helper()
	addr := s.host(i)
	args := []string{
		"-asap", addr.String() + ":3863", "-no-announce", "-no-enrp-multicast",
		"-hsdump-addr", netip.AddrPortFrom(addr, 8863).String(),
		"-enrp", netip.AddrPortFrom(addr, msg.PortENRP).String(),
		"-id", "0x" + strconv.FormatUint(uint64(id), 16),
	}
	for _, j := range peers {
		args = append(args, "-peer", netip.AddrPortFrom(s.host(j), msg.PortENRP).String())
	}
	args = append(args, enrpTimers...)
	r := &registrar{proc: startProc(t, "rspregistrar "+addr.String(), "rspregistrar", args...), addr: addr}
	d := r.waitFor(t, "the registrar to serve its handlespace", func(enrp.Dump) bool { return true })
	if d.ServerID != id {
		t.Fatalf("registrar at %v has identifier %v, want %v", addr, d.ServerID, id)
	}
	r.id = id
	return r
}

// hsdump reads a registrar's handlespace with the hsdump command, as
// JSON.
func hsdump(t *testing.T, r *registrar) enrp.Dump {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), replyTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, binary("hsdump"), "-addr", netip.AddrPortFrom(r.addr, 8863).String(), "-json").Output()
	if err != nil {
		t.Fatalf("hsdump of %v: %v", r.addr, err)
	}
	var d enrp.Dump
	if err := json.Unmarshal(out, &d); err != nil {
		t.Fatalf("hsdump of %v: %v", r.addr, err)
	}
	return d
}

// homes is a handlespace as "pool/pe@home" strings, sorted: what
// registrars that agree hold alike.
func homes(d enrp.Dump) []string {
	var out []string
	for _, p := range d.Pools {
		for _, e := range p.Elements {
			out = append(out, fmt.Sprintf("%s/%v@%v", p.Handle, e.ID, e.Home))
		}
	}
	slices.Sort(out)
	return out
}

// activePeers lists the peers a dump shows active, sorted.
func activePeers(d enrp.Dump) []msg.ServerID {
	var out []msg.ServerID
	for _, p := range d.Peers {
		if p.Status == "active" {
			out = append(out, p.ID)
		}
	}
	slices.Sort(out)
	return out
}

// waitAgree polls the registrars until their handlespaces are equal,
// homes included, and cond holds of it; it returns the common view.
func waitAgree(t *testing.T, what string, rs []*registrar, cond func([]string, []enrp.Dump) bool) []string {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		var ds []enrp.Dump
		var views [][]string
		for _, r := range rs {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			d, err := r.dump(ctx)
			cancel()
			if err != nil {
				break
			}
			ds = append(ds, d)
			views = append(views, homes(d))
		}
		agree := len(ds) == len(rs)
		for i := 1; agree && i < len(views); i++ {
			agree = slices.Equal(views[i], views[0])
		}
		if agree && cond(views[0], ds) {
			return views[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: not within %v; views %q", what, waitTimeout, views)
		}
		for _, r := range rs {
			if !r.running() {
				t.Fatalf("waiting for %s: registrar %v ended", what, r.id)
			}
		}
		<-tick.C
	}
}
