package enrp

import (
	"slices"
	"testing"
	"testing/synctest"

	"github.com/rserpool/rserpool/asap/msg"
)

// Round Robin: each resolution starts one element further, and the
// response carries the pool's policy even though RFC 5352 §3.3 lets a
// Round Robin pool leave it out (rsplib sends it too).
func TestResolveRoundRobin(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{MaxHandleResolutionItems: 2})
		pe := tb.client()
		for id := msg.PEID(1); id <= 3; id++ {
			pe.mustRegister("rr", pe.pe(id, roundRobin))
		}
		pu := tb.client()
		var got [][]msg.PEID
		for range 3 {
			resp := pu.resolve("rr", 0)
			if resp.Policy.Type != msg.PolicyRoundRobin || !resp.Error.IsZero() || string(resp.PoolHandle) != "rr" {
				t.Fatalf("response %+v", resp)
			}
			got = append(got, ids(t, resp))
		}
		want := [][]msg.PEID{{1, 2}, {2, 3}, {3, 1}}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("selections %v, want %v", got, want)
		}
		if s := tb.r.Stats(); s.Resolutions != 3 || s.ResolutionsFailed != 0 {
			t.Errorf("stats %+v", s)
		}
	})
}

// Priority and Least Used order by their parameter (RFC 5356 §4.5,
// §5.1); the pool user's Handle Resolution Option asks for fewer than
// the registrar's maximum, and more than it gets the maximum.
func TestResolveOrderedPolicies(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{MaxHandleResolutionItems: 3})
		pe := tb.client()
		for id, v := range map[msg.PEID]uint32{1: 10, 2: 30, 3: 20, 4: 5} {
			pe.mustRegister("prio", pe.pe(id, priority(v)))
			pe.mustRegister("lu", pe.pe(id, leastUsed(v)))
		}
		pu := tb.client()
		if got := ids(t, pu.resolve("prio", 0)); !slices.Equal(got, []msg.PEID{2, 3, 1}) {
			t.Errorf("priority: %v", got)
		}
		if got := ids(t, pu.resolve("lu", 0)); !slices.Equal(got, []msg.PEID{4, 1, 3}) {
			t.Errorf("least used: %v", got)
		}
		if got := ids(t, pu.resolve("prio", 1)); !slices.Equal(got, []msg.PEID{2}) {
			t.Errorf("priority, one item: %v", got)
		}
		if got := ids(t, pu.resolve("prio", 100)); len(got) != 3 {
			t.Errorf("priority, 100 items asked: %v", got)
		}
	})
}

// Random and Weighted Random give distinct elements drawn from the pool;
// an element of weight 0 is never given (RFC 5356 §3.2); a negative
// maximum gives the whole pool.
func TestResolveRandomPolicies(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{MaxHandleResolutionItems: -1})
		pe := tb.client()
		for id := msg.PEID(1); id <= 5; id++ {
			pe.mustRegister("random", pe.pe(id, random))
			w := uint32(id - 1) // element 1 has weight 0
			pe.mustRegister("weighted", pe.pe(id, weighted(w)))
		}
		pu := tb.client()
		seen := map[msg.PEID]bool{}
		for range 20 {
			got := ids(t, pu.resolve("random", 0))
			sorted := slices.Sorted(slices.Values(got))
			if !slices.Equal(sorted, []msg.PEID{1, 2, 3, 4, 5}) {
				t.Fatalf("random: %v", got)
			}
			seen[got[0]] = true
			w := ids(t, pu.resolve("weighted", 0))
			if len(w) != 4 || slices.Contains(w, 1) {
				t.Fatalf("weighted random: %v", w)
			}
		}
		if len(seen) < 3 {
			t.Errorf("random put only %v first in 20 draws", seen)
		}
	})
}

// The response's elements are the registered ones without the ASAP
// transport, which is the registrar's business.
func TestResolveElementContents(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{})
		pe := tb.client()
		pe.mustRegister("pool", pe.pe(77, weightedRR(4)))
		resp := tb.client().resolve("pool", 0)
		var got msg.PoolElement
		it := resp.PoolElements.Iter()
		if !it.Next(&got) {
			t.Fatal(it.Err())
		}
		if got.ID != 77 || got.HomeServer != testServerID || got.RegistrationLife != 300 ||
			got.Policy.Weight != 4 || got.UserTransport.Port != 7000 || !got.ASAPTransport.IsZero() {
			t.Fatalf("pool element %+v", got)
		}
		if resp.Policy.Type != msg.PolicyWeightedRoundRobin {
			t.Fatalf("policy %v", resp.Policy.Type)
		}
	})
}

// An unknown pool is answered with Unknown Pool Handle (RFC 5352 §3.3),
// without policy or elements (§2.2.6).
func TestResolveUnknownPool(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{})
		pu := tb.client()
		resp := pu.resolve("nowhere", 0)
		wantCause(t, resp.Error, msg.CauseUnknownPoolHandle)
		if resp.PoolElements.Count() != 0 || !resp.Policy.IsZero() || string(resp.PoolHandle) != "nowhere" {
			t.Fatalf("response %+v", resp)
		}
		// A pool none of whose elements may be selected, likewise.
		pe := tb.client()
		pe.mustRegister("zero", pe.pe(1, weighted(0)))
		wantCause(t, pu.resolve("zero", 0).Error, msg.CauseUnknownPoolHandle)
		if s := tb.r.Stats(); s.ResolutionsFailed != 2 {
			t.Errorf("stats %+v", s)
		}
	})
}
