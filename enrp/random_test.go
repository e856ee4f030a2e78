package enrp

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

// model is what the handlespace should hold, worked out from the
// requests alone.
type model struct {
	pools map[string]msg.PolicyType
	pes   map[modelKey]modelPE
}

type modelKey struct {
	pool string
	id   msg.PEID
}

type modelPE struct {
	owner   int // index of the client that registered it
	value   uint32
	reports int
}

func (m *model) count(pool string) int {
	n := 0
	for k := range m.pes {
		if k.pool == pool {
			n++
		}
	}
	return n
}

func (m *model) remove(k modelKey) {
	delete(m.pes, k)
	if m.count(k.pool) == 0 {
		delete(m.pools, k.pool)
	}
}

// Random registrations, re-registrations, de-registrations, resolutions
// and unreachability reports from several clients; after each step the
// registrar's handlespace is checked against a model of what the RFC
// rules make of the same steps.
func TestRandomConsistency(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) { randomRun(t, seed, 300) })
		})
	}
}

func randomRun(t *testing.T, seed uint64, steps int) {
	tb := newTestbed(t, Config{
		KeepAliveInterval:        time.Hour,
		MaxHandleResolutionItems: 3,
		UnreachableRate:          1e9,
		UnreachableBurst:         1 << 20,
	})
	rng := rand.New(rand.NewPCG(seed, 2))
	clients := make([]*client, 3)
	for i := range clients {
		clients[i] = tb.client()
		clients[i].startAutoAck()
	}
	pools := []string{"a", "b", "c"}
	policies := []func(uint32) msg.Policy{
		weighted, priority,
		func(uint32) msg.Policy { return roundRobin },
	}
	m := &model{pools: map[string]msg.PolicyType{}, pes: map[modelKey]modelPE{}}

	for step := range steps {
		k := rng.IntN(len(clients))
		c := clients[k]
		key := modelKey{pools[rng.IntN(len(pools))], msg.PEID(1 + rng.IntN(6))}
		var op string
		switch r := rng.IntN(10); {
		case r < 4:
			op = "register"
			pol := policies[rng.IntN(len(policies))](uint32(1 + rng.IntN(100)))
			resp := c.register(key.pool, c.pe(key.id, pol))
			cur, exists := m.pes[key]
			pt, poolExists := m.pools[key.pool]
			var want msg.CauseCode = 0xffff // granted
			switch {
			case exists && cur.owner != k:
				want = msg.CauseNonUniquePEIdentifier
			case poolExists && pt != pol.Type:
				want = msg.CauseInconsistentPoolingPolicy
			}
			if want == 0xffff {
				if resp.Reject {
					t.Fatalf("step %d: %s %+v refused: %v", step, op, key, causes(resp.Error))
				}
				m.pools[key.pool] = pol.Type
				// A registration starts the count of reports again.
				m.pes[key] = modelPE{owner: k, value: pol.Weight + pol.Priority}
			} else {
				if !resp.Reject {
					t.Fatalf("step %d: %s %+v granted, want %v", step, op, key, want)
				}
				wantCause(t, resp.Error, want)
			}
		case r < 6:
			op = "deregister"
			c.send(&msg.Deregistration{PoolHandle: []byte(key.pool), ID: key.id})
			dr := expect[*msg.DeregistrationResponse](c)
			cur, exists := m.pes[key]
			if exists && cur.owner != k {
				wantCause(t, dr.Error, msg.CauseRejectedSecurity)
			} else {
				if !dr.Error.IsZero() {
					t.Fatalf("step %d: %s %+v refused: %v", step, op, key, causes(dr.Error))
				}
				m.remove(key)
			}
		case r < 8:
			op = "resolve"
			resp := c.resolve(key.pool, 0)
			n := m.count(key.pool)
			if n == 0 {
				wantCause(t, resp.Error, msg.CauseUnknownPoolHandle)
				break
			}
			got := ids(t, resp)
			if len(got) != min(n, 3) {
				t.Fatalf("step %d: resolution of %s gave %v, pool has %d", step, key.pool, got, n)
			}
			for i, id := range got {
				if _, ok := m.pes[modelKey{key.pool, id}]; !ok || slices.Contains(got[i+1:], id) {
					t.Fatalf("step %d: resolution of %s gave %v", step, key.pool, got)
				}
			}
		default:
			op = "unreachable"
			c.send(&msg.EndpointUnreachable{PoolHandle: []byte(key.pool), ID: key.id})
			if cur, ok := m.pes[key]; ok {
				cur.reports++
				m.pes[key] = cur
				if cur.reports >= DefaultMaxBadPEReports {
					m.remove(key)
				}
			}
		}
		synctest.Wait()
		checkModel(t, tb, clients, m, fmt.Sprintf("step %d (%s %+v)", step, op, key))
	}
}

// checkModel compares the registrar's snapshot with the model.
func checkModel(t *testing.T, tb *testbed, clients []*client, m *model, where string) {
	t.Helper()
	got := map[modelKey]modelPE{}
	for _, p := range tb.r.Snapshot() {
		if len(p.Elements) == 0 {
			t.Fatalf("%s: pool %q without elements", where, p.Handle)
		}
		if want := m.pools[p.Handle].String(); p.Policy != want {
			t.Fatalf("%s: pool %q of %s, want %s", where, p.Handle, p.Policy, want)
		}
		for _, e := range p.Elements {
			owner := -1
			for i, c := range clients {
				if e.ASAPTransport != nil && e.ASAPTransport.Port == c.ep.Port() {
					owner = i
				}
			}
			if e.Home != testServerID || !e.Owned || !e.Connected {
				t.Fatalf("%s: %s/%v home %v owned %v connected %v", where, p.Handle, e.ID, e.Home, e.Owned, e.Connected)
			}
			got[modelKey{p.Handle, e.ID}] = modelPE{owner: owner, value: e.Policy.Weight + e.Policy.Priority, reports: e.UnreachableReports}
		}
	}
	if !maps.Equal(got, m.pes) {
		t.Fatalf("%s: handlespace\n%v\nwant\n%v", where, got, m.pes)
	}
	if s := tb.r.Stats(); s.PoolElements != len(m.pes) || s.Pools != len(m.pools) || s.Owned != len(m.pes) {
		t.Fatalf("%s: stats %+v, model %d elements in %d pools", where, s, len(m.pes), len(m.pools))
	}
}
