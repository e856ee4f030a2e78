package rsptest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/enrp"
)

// Bounds of the polls of the handlespace.
const (
	// waitTimeout bounds one wait for the handlespace to reach a state.
	// It is long beside the timers the tests set (seconds) so that a
	// loaded machine does not fail a test, and a state that is never
	// reached still ends the test.
	waitTimeout = 30 * time.Second
	pollEvery   = 50 * time.Millisecond
)

// httpClient reads the handlespace dumps, straight to the loopback
// address, whatever proxy the environment names.
var httpClient = &http.Client{
	Timeout:   5 * time.Second,
	Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 1},
}

// registrar is an rspregistrar process.
type registrar struct {
	*proc
	addr netip.Addr   // where it serves ASAP (SCTP port 3863) and its dump (TCP port 8863)
	id   msg.ServerID // its server identifier
}

// startRegistrar runs rspregistrar at the subnet's registrar address
// without announcements (the tests send nothing but to loopback) and
// waits until it serves its handlespace; args come after the others and
// may add to them.
func startRegistrar(t *testing.T, s subnet, args ...string) *registrar {
	t.Helper()
	addr := s.host(hostRegistrar)
	all := append([]string{
		"-asap", addr.String() + ":3863", "-no-announce",
		"-hsdump-addr", netip.AddrPortFrom(addr, 8863).String(),
	}, args...)
	r := &registrar{proc: startProc(t, "rspregistrar "+addr.String(), "rspregistrar", all...), addr: addr}
	d := r.waitFor(t, "the registrar to serve its handlespace", func(enrp.Dump) bool { return true })
	r.id = d.ServerID
	return r
}

// lower is the registrar's address on the lower layer, for pool users
// and clients in the test process.
func (r *registrar) lower() netip.AddrPort { return netip.AddrPortFrom(r.addr, encapPort) }

// dump reads the handlespace as rspregistrar serves it for hsdump.
func (r *registrar) dump(ctx context.Context) (enrp.Dump, error) {
	var d enrp.Dump
	url := "http://" + netip.AddrPortFrom(r.addr, 8863).String() + "/handlespace"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return d, err
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return d, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return d, errors.New(url + ": " + resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return d, err
	}
	return d, json.Unmarshal(b, &d)
}

// mustDump reads the handlespace once.
func (r *registrar) mustDump(t *testing.T) enrp.Dump {
	t.Helper()
	d, err := r.dump(context.Background())
	if err != nil {
		t.Fatalf("reading the handlespace: %v", err)
	}
	return d
}

// waitFor polls the handlespace until cond holds and returns the dump
// that satisfied it. It fails the test when waitTimeout passes first or
// the registrar ends.
func (r *registrar) waitFor(t *testing.T, what string, cond func(enrp.Dump) bool) enrp.Dump {
	t.Helper()
	deadline := time.NewTimer(waitTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	var last enrp.Dump
	var lastErr error
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		d, err := r.dump(ctx)
		cancel()
		if err == nil {
			if cond(d) {
				return d
			}
			last, lastErr = d, nil
		} else {
			lastErr = err
		}
		select {
		case <-tick.C:
		case <-r.done:
			t.Fatalf("waiting for %s: the registrar ended (%v)", what, r.werr)
		case <-deadline.C:
			if lastErr != nil {
				t.Fatalf("waiting for %s: not within %v; last read: %v", what, waitTimeout, lastErr)
			}
			t.Fatalf("waiting for %s: not within %v; handlespace:\n%s", what, waitTimeout, describeDump(last))
		}
	}
}

// waitPEs waits until the pool holds exactly the identifiers ids (in
// any order) and returns the dump.
func (r *registrar) waitPEs(t *testing.T, handle string, ids ...msg.PEID) enrp.Dump {
	t.Helper()
	want := slices.Clone(ids)
	slices.Sort(want)
	return r.waitFor(t, fmt.Sprintf("pool %q to hold %v", handle, want), func(d enrp.Dump) bool {
		return slices.Equal(poolIDs(d, handle), want)
	})
}

// pool finds a pool of a dump.
func pool(d enrp.Dump, handle string) (enrp.PoolInfo, bool) {
	for _, p := range d.Pools {
		if p.Handle == handle {
			return p, true
		}
	}
	return enrp.PoolInfo{}, false
}

// poolIDs lists the identifiers of a pool's elements, sorted; none when
// the pool is not there.
func poolIDs(d enrp.Dump, handle string) []msg.PEID {
	p, _ := pool(d, handle)
	var ids []msg.PEID
	for _, e := range p.Elements {
		ids = append(ids, e.ID)
	}
	slices.Sort(ids)
	return ids
}

// element finds a pool element of a dump.
func element(d enrp.Dump, handle string, id msg.PEID) (enrp.ElementInfo, bool) {
	p, _ := pool(d, handle)
	for _, e := range p.Elements {
		if e.ID == id {
			return e, true
		}
	}
	return enrp.ElementInfo{}, false
}

// describeDump shows a dump in a failure message.
func describeDump(d enrp.Dump) string {
	b, _ := json.MarshalIndent(d, "", "  ")
	return string(b)
}

// checkConsistent checks what must hold of any handlespace a registrar
// serves: the counters agree with the pools, no pool is empty, pools
// come in handle order with their elements in identifier order and
// each identifier once, every element has its pool's policy and
// transport (RFC 5352 §3.1 rule 2), the elements this registrar owns
// name it as their home and the others do not (RFC 5353 §3.3), and
// every lifetime is one a registration can have been granted.
func checkConsistent(t *testing.T, d enrp.Dump) {
	t.Helper()
	if d.ServerID == 0 {
		t.Errorf("handlespace: server identifier 0")
	}
	total, owned := 0, 0
	for i, p := range d.Pools {
		if i > 0 && d.Pools[i-1].HandleHex >= p.HandleHex {
			t.Errorf("handlespace: pool %q after %q", p.Handle, d.Pools[i-1].Handle)
		}
		if len(p.Elements) == 0 {
			t.Errorf("handlespace: pool %q is empty", p.Handle)
		}
		for j, e := range p.Elements {
			total++
			if j > 0 && p.Elements[j-1].ID >= e.ID {
				t.Errorf("handlespace: pool %q: element %v after %v", p.Handle, e.ID, p.Elements[j-1].ID)
			}
			if e.Policy.Name != p.Policy {
				t.Errorf("handlespace: pool %q of %s holds %v of %s", p.Handle, p.Policy, e.ID, e.Policy.Name)
			}
			if e.UserTransport.Kind != p.Transport || e.UserTransport.Use != p.TransportUse {
				t.Errorf("handlespace: pool %q of %s, %s holds %v of %s, %s", p.Handle, p.Transport, p.TransportUse,
					e.ID, e.UserTransport.Kind, e.UserTransport.Use)
			}
			if e.Owned {
				owned++
				if e.Home != d.ServerID {
					t.Errorf("handlespace: %v is owned but its home is %v, not %v", e.ID, e.Home, d.ServerID)
				}
			} else if e.Home == d.ServerID {
				t.Errorf("handlespace: %v names this registrar as home but is not owned", e.ID)
			}
			if e.RegistrationLife <= 0 {
				t.Errorf("handlespace: %v has lifetime %d", e.ID, e.RegistrationLife)
			}
			// The loop removes an element at its expiry; a dump taken
			// just then may still show it, not one long gone.
			if !e.Expires.IsZero() && e.Expires.Before(d.Time.Add(-2*time.Second)) {
				t.Errorf("handlespace: %v expired at %v, dump of %v", e.ID, e.Expires, d.Time)
			}
		}
	}
	s := d.Stats
	if s.Pools != len(d.Pools) || s.PoolElements != total || s.Owned != owned {
		t.Errorf("handlespace: counters say %d pools, %d elements, %d owned; the pools hold %d, %d, %d",
			s.Pools, s.PoolElements, s.Owned, len(d.Pools), total, owned)
	}
}
