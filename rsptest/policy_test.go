package rsptest

import (
	"slices"
	"strconv"
	"testing"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/enrp"
)

// peSpec is one pool element of a policy's pool: its identifier, its
// -policy flag and its -load.
type peSpec struct {
	id     msg.PEID
	policy string
	load   uint32
}

// policyCase is a pool of one policy and what its resolutions must
// show. one resolves with one element per answer, the registrar's first
// choice; all with the registrar's default of three.
type policyCase struct {
	handle string
	pes    []peSpec
	check  func(t *testing.T, one, all func() []msg.PEID)
}

// Handle resolution by each policy of RFC 5356 (RFC 5352 §3.3): one
// registrar process, one pool per policy, each of rspserver processes
// started with -policy and -load, and a pool user in the test process
// that asks the registrar again for every resolution. With one element
// per answer (rsplib's Handle Resolution Option) each answer is the
// policy's choice, so a sequence of answers shows the policy at work.
func TestResolutionPolicies(t *testing.T) {
	t.Parallel()
	s := netPolicies
	r := startRegistrar(t, s, "-keepalive-interval", "1h")
	cases := policyCases()
	host := hostPE
	want := map[string][]msg.PEID{}
	for _, c := range cases {
		for _, pe := range c.pes {
			startPE(t, r, s.host(host), c.handle, pe.id, "-policy", pe.policy, "-load", strconv.FormatUint(uint64(pe.load), 10))
			host++
			want[c.handle] = append(want[c.handle], pe.id)
		}
	}
	d := r.waitFor(t, "every pool element", func(d enrp.Dump) bool {
		for h, ids := range want {
			if len(poolIDs(d, h)) != len(ids) {
				return false
			}
		}
		return true
	})
	checkConsistent(t, d)
	if len(d.Pools) != len(cases) {
		t.Fatalf("%d pools, want %d", len(d.Pools), len(cases))
	}

	puOne := poolUser(t, s.host(hostUser), r, 1)
	puAll := poolUser(t, s.host(hostUser+1), r, 0)
	asked := uint64(0) // resolutions sent, each of which the registrar must count
	for _, c := range cases {
		t.Run(c.handle, func(t *testing.T) {
			p, _ := pool(d, c.handle)
			if got, want := p.Policy, policyName(t, c.pes[0].policy); got != want {
				t.Fatalf("pool policy %s, want %s", got, want)
			}
			one := func() []msg.PEID {
				t.Helper()
				asked++
				got := peIDs(resolveNow(t, puOne, c.handle))
				if len(got) != 1 {
					t.Fatalf("asked for one element, got %v", got)
				}
				return got
			}
			all := func() []msg.PEID {
				t.Helper()
				asked++
				return peIDs(resolveNow(t, puAll, c.handle))
			}
			c.check(t, one, all)
		})
	}
	d = r.mustDump(t)
	checkConsistent(t, d)
	if d.Stats.Resolutions != asked || d.Stats.ResolutionsFailed != 0 {
		t.Errorf("%d resolutions sent; registrar's counters: %+v", asked, d.Stats)
	}
}

func policyCases() []policyCase {
	return []policyCase{
		{
			// RFC 5356 §4.1: the list rotates by one per resolution.
			handle: "rr",
			pes:    []peSpec{{0x101, "rr", 0}, {0x102, "rr", 0}, {0x103, "rr", 0}},
			check: func(t *testing.T, one, all func() []msg.PEID) {
				seq := picks(one, 9)
				if !distinct(seq[:3]) {
					t.Fatalf("first round %v repeats an element", seq[:3])
				}
				for i := 3; i < len(seq); i++ {
					if seq[i] != seq[i-3] {
						t.Fatalf("sequence %v is not a rotation", seq)
					}
				}
				prev := all()
				for range 4 {
					next := all()
					if len(next) != 3 || !distinct(next) || next[0] != prev[1] || next[1] != prev[2] {
						t.Fatalf("list %v after %v: the head did not move on by one", next, prev)
					}
					prev = next
				}
			},
		},
		{
			// RFC 5356 §4.2: each element in proportion to its weight.
			handle: "wrr",
			pes:    []peSpec{{0x201, "wrr:1", 0}, {0x202, "wrr:2", 0}, {0x203, "wrr:3", 0}},
			check: func(t *testing.T, one, all func() []msg.PEID) {
				n := count(picks(one, 60))
				for id, want := range map[msg.PEID]int{0x201: 10, 0x202: 20, 0x203: 30} {
					if n[id] < want-2 || n[id] > want+2 {
						t.Errorf("%v chosen %d times in 60, want %d (weights 1:2:3)", id, n[id], want)
					}
				}
			},
		},
		{
			// RFC 5356 §4.3: uniform, distinct elements in one list.
			handle: "rand",
			pes:    []peSpec{{0x301, "random", 0}, {0x302, "random", 0}, {0x303, "random", 0}},
			check: func(t *testing.T, one, all func() []msg.PEID) {
				n := count(picks(one, 150))
				for _, id := range []msg.PEID{0x301, 0x302, 0x303} {
					// Expected 50; below 20 has odds of about 1e-7.
					if n[id] < 20 {
						t.Errorf("%v chosen %d times in 150", id, n[id])
					}
				}
				if got := all(); len(got) != 3 || !distinct(got) {
					t.Errorf("list %v", got)
				}
			},
		},
		{
			// RFC 5356 §4.4: in proportion to the weight; weight 0 is
			// never chosen (§3.2).
			handle: "wrand",
			pes:    []peSpec{{0x401, "wrand:1", 0}, {0x402, "wrand:3", 0}, {0x403, "wrand:0", 0}},
			check: func(t *testing.T, one, all func() []msg.PEID) {
				n := count(picks(one, 200))
				// Expected 50 and 150.
				if n[0x403] != 0 || n[0x401] < 20 || n[0x402] < 2*n[0x401] {
					t.Errorf("weights 1, 3, 0 chosen %d, %d, %d times in 200", n[0x401], n[0x402], n[0x403])
				}
				if got := all(); slices.Contains(got, 0x403) || len(got) != 2 {
					t.Errorf("list %v holds the element of weight 0", got)
				}
			},
		},
		{
			// RFC 5356 §4.5: the highest priority first.
			handle: "prio",
			pes:    []peSpec{{0x501, "prio:1", 0}, {0x502, "prio:5", 0}, {0x503, "prio:3", 0}},
			check: func(t *testing.T, one, all func() []msg.PEID) {
				if n := count(picks(one, 10)); n[0x502] != 10 {
					t.Errorf("choices %v, want priority 5 every time", n)
				}
				if got := all(); !slices.Equal(got, []msg.PEID{0x502, 0x503, 0x501}) {
					t.Errorf("list %v, want priorities 5, 3, 1", got)
				}
			},
		},
		{
			// RFC 5356 §5.1: the lowest load first.
			handle: "lu",
			pes:    []peSpec{{0x601, "lu", 300}, {0x602, "lu", 100}, {0x603, "lu", 200}},
			check: func(t *testing.T, one, all func() []msg.PEID) {
				if n := count(picks(one, 10)); n[0x602] != 10 {
					t.Errorf("choices %v, want load 100 every time", n)
				}
				if got := all(); !slices.Equal(got, []msg.PEID{0x602, 0x603, 0x601}) {
					t.Errorf("list %v, want loads 100, 200, 300", got)
				}
			},
		},
		{
			// RFC 5356 §5.2: each selection adds the degradation to the
			// element's load until it registers again: loads 0 and 1000
			// with 400 a selection give 0, 400, 800 for the first, then
			// 1000 for the second, then 1200 and 1400 alternate.
			handle: "lud",
			pes:    []peSpec{{0x701, "lud:400", 0}, {0x702, "lud:400", 1000}},
			check: func(t *testing.T, one, all func() []msg.PEID) {
				want := []msg.PEID{0x701, 0x701, 0x701, 0x702, 0x701, 0x702, 0x701, 0x702}
				if got := picks(one, len(want)); !slices.Equal(got, want) {
					t.Errorf("choices %v, want %v", got, want)
				}
			},
		},
		{
			// RFC 5356 §5.3: the lowest load plus degradation, with no
			// count of selections: 100+500 comes after 200+0 and 300+0.
			handle: "plu",
			pes:    []peSpec{{0x801, "plu:500", 100}, {0x802, "plu:0", 200}, {0x803, "plu:0", 300}},
			check: func(t *testing.T, one, all func() []msg.PEID) {
				if n := count(picks(one, 10)); n[0x802] != 10 {
					t.Errorf("choices %v, want load 200 + 0 every time", n)
				}
				if got := all(); !slices.Equal(got, []msg.PEID{0x802, 0x803, 0x801}) {
					t.Errorf("list %v, want 200+0, 300+0, 100+500", got)
				}
			},
		},
		{
			// RFC 5356 §5.4: random, weighted by the unused capacity; a
			// fully loaded element is never chosen.
			handle: "rlu",
			pes:    []peSpec{{0x901, "rlu", 0}, {0x902, "rlu", 0xc0000000}, {0x903, "rlu", 0xffffffff}},
			check: func(t *testing.T, one, all func() []msg.PEID) {
				n := count(picks(one, 200))
				// Expected 160 and 40.
				if n[0x903] != 0 || n[0x902] < 10 || n[0x901] < 2*n[0x902] {
					t.Errorf("loads 0, 3/4, full chosen %d, %d, %d times in 200", n[0x901], n[0x902], n[0x903])
				}
				if got := all(); slices.Contains(got, 0x903) || len(got) != 2 {
					t.Errorf("list %v holds the fully loaded element", got)
				}
			},
		},
	}
}

// policyName is the registrar's name of a -policy flag's policy.
func policyName(t *testing.T, flag string) string {
	t.Helper()
	p, err := asap.ParsePolicy(flag)
	if err != nil {
		t.Fatal(err)
	}
	return p.Type.String()
}

func peIDs(infos []asap.PoolElementInfo) []msg.PEID {
	ids := make([]msg.PEID, len(infos))
	for i, e := range infos {
		ids[i] = e.ID
	}
	return ids
}

// picks returns the single choices of n resolutions.
func picks(one func() []msg.PEID, n int) []msg.PEID {
	seq := make([]msg.PEID, n)
	for i := range seq {
		seq[i] = one()[0]
	}
	return seq
}

func count(ids []msg.PEID) map[msg.PEID]int {
	n := map[msg.PEID]int{}
	for _, id := range ids {
		n[id]++
	}
	return n
}

func distinct(ids []msg.PEID) bool {
	seen := map[msg.PEID]bool{}
	for _, id := range ids {
		if seen[id] {
			return false
		}
		seen[id] = true
	}
	return true
}
