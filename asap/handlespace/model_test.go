package handlespace

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/asap/policy"
)

// The model is the handlespace as plain maps: what every index must agree
// with.
type modelPE struct {
	home msg.ServerID
	exp  time.Time
	pol  msg.Policy
	port uint16
}

type modelPool struct {
	ptype msg.PolicyType
	kind  msg.ParamType
	use   msg.TransportUse
	pes   map[msg.PEID]modelPE
}

type model struct {
	pools map[string]*modelPool
	n     int
}

func (m *model) keys() []key {
	var ks []key
	for h, p := range m.pools {
		for id := range p.pes {
			ks = append(ks, key{h, id})
		}
	}
	return sortedKeys(ks)
}

var allPolicies = []policy.Policy{
	policy.RoundRobin{}, policy.WeightedRoundRobin{}, policy.Random{}, policy.WeightedRandom{},
	policy.Priority{}, policy.LeastUsed{}, policy.LeastUsedDegradation{}, policy.PriorityLeastUsed{},
	policy.RandomizedLeastUsed{},
}

// randomPolicy returns a policy of type typ with random values, some of
// them the extremes.
func randomPolicy(r *rand.Rand, typ msg.PolicyType) msg.Policy {
	v := func() uint32 {
		switch r.IntN(6) {
		case 0:
			return 0
		case 1:
			return 0xffffffff
		}
		return uint32(r.IntN(20))
	}
	p, err := policy.FromParam(msg.Policy{Type: typ, Weight: v(), Priority: v(), Load: v(), LoadDegradation: v()})
	if err != nil {
		return msg.Policy{Type: typ}
	}
	return p.Param()
}

func eligible(p msg.Policy) bool {
	switch p.Type {
	case msg.PolicyWeightedRoundRobin, msg.PolicyWeightedRandom:
		return p.Weight > 0
	case msg.PolicyRandomizedLeastUsed:
		return p.Load < 0xffffffff
	}
	return true
}

// TestModel runs seeded random registrations, updates, deregistrations,
// expiries and resolutions against the model, and checks every index
// after each step.
func TestModel(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { runModel(t, seed, 4000) })
	}
}

func runModel(t *testing.T, seed uint64, steps int) {
	r := seeded(seed)
	lim := Limits{MaxPools: 5, MaxPoolElements: 9, MaxElements: 30, MaxHandleLen: 8}
	h := New(lim)
	m := &model{pools: map[string]*modelPool{}}
	valid := []string{"a", "b", "ab", "pool", "echo\x00", "12345678"}
	pick := func() string {
		if r.IntN(12) == 0 {
			return [...]string{"", "123456789"}[r.IntN(2)]
		}
		return valid[r.IntN(len(valid))]
	}
	now := t0
	var removed []*Element
	outcomes := map[error]int{}
	maxN := 0
	for step := range steps {
		switch op := r.IntN(20); {
		case op < 10:
			handle := pick()
			id := msg.PEID(r.IntN(24))
			mp := m.pools[handle]
			typ := allPolicies[r.IntN(len(allPolicies))].Type()
			if mp != nil && r.IntN(10) > 0 {
				typ = mp.ptype
			}
			if r.IntN(40) == 0 {
				typ = 0x40000009
			}
			in := pe(id, msg.ServerID(r.IntN(4)), policy.RoundRobin{})
			in.Policy = randomPolicy(r, typ)
			in.UserTransport.Port = uint16(r.IntN(1000))
			switch r.IntN(30) {
			case 0:
				in.UserTransport = tcp(in.UserTransport.Port, "127.0.0.5")
			case 1:
				in.UserTransport.Use = msg.DataPlusControl
			}
			var exp time.Time
			if r.IntN(5) > 0 {
				exp = now.Add(time.Duration(1+r.IntN(100)) * time.Second)
			}
			var want error
			exists := mp.has(id)
			switch {
			case handle == "":
				want = ErrEmptyHandle
			case len(handle) > lim.MaxHandleLen:
				want = ErrHandleTooLong
			case !typ.Known():
				want = msg.ErrPolicyNotSupported
			case mp != nil && typ != mp.ptype:
				want = ErrInconsistentPolicy
			case mp != nil && in.UserTransport.Kind != mp.kind:
				want = ErrInconsistentTransport
			case mp != nil && in.UserTransport.Use != mp.use:
				want = ErrInconsistentDataControl
			case mp == nil && len(m.pools) >= lim.MaxPools:
				want = ErrTooManyPools
			case mp != nil && !exists && len(mp.pes) >= lim.MaxPoolElements:
				want = ErrPoolFull
			case !exists && m.n >= lim.MaxElements:
				want = ErrHandlespaceFull
			}
			e, created, err := h.Register([]byte(handle), in, exp)
			outcomes[want]++
			if want != nil {
				if !errors.Is(err, want) || e != nil {
					t.Fatalf("step %d: Register(%q, %v, %v): %v, want %v", step, handle, id, typ, err, want)
				}
				break
			}
			if err != nil || e == nil || created == exists {
				t.Fatalf("step %d: Register(%q, %v): %v, created %v, existed %v", step, handle, id, err, created, exists)
			}
			if mp == nil {
				mp = &modelPool{ptype: typ, kind: in.UserTransport.Kind, use: in.UserTransport.Use, pes: map[msg.PEID]modelPE{}}
				m.pools[handle] = mp
			}
			if !exists {
				m.n++
			}
			mp.pes[id] = modelPE{home: in.HomeServer, exp: exp, pol: in.Policy, port: in.UserTransport.Port}
		case op < 13:
			handle := pick()
			id := msg.PEID(r.IntN(24))
			mp := m.pools[handle]
			_, want := mp.peOK(id)
			e, ok := h.Deregister([]byte(handle), id)
			if ok != want {
				t.Fatalf("step %d: Deregister(%q, %v) = %v, want %v", step, handle, id, ok, want)
			}
			if ok {
				removed = append(removed, e)
				m.drop(handle, id)
			}
		case op < 16:
			now = now.Add(time.Duration(r.IntN(20)) * time.Second)
			var want []key
			for handle, mp := range m.pools {
				for id, x := range mp.pes {
					if !x.exp.IsZero() && !x.exp.After(now) {
						want = append(want, key{handle, id})
					}
				}
			}
			got := h.Expire(nil, now)
			for i := 1; i < len(got); i++ {
				if got[i].Expires().Before(got[i-1].Expires()) {
					t.Fatalf("step %d: Expire out of order", step)
				}
			}
			if !slices.Equal(sortedKeys(keysOf(got)), sortedKeys(want)) {
				t.Fatalf("step %d: Expire(%v) = %v, want %v", step, now.Sub(t0), keysOf(got), want)
			}
			for _, k := range want {
				m.drop(k.handle, k.id)
			}
			removed = append(removed, got...)
		default:
			handle := pick()
			n := r.IntN(7)
			got, err := h.Resolve(nil, []byte(handle), n, r)
			mp := m.pools[handle]
			if mp == nil {
				if !errors.Is(err, ErrUnknownPool) || len(got) != 0 {
					t.Fatalf("step %d: Resolve(%q) = %v, %v", step, handle, got, err)
				}
				break
			}
			can := 0
			for _, x := range mp.pes {
				if eligible(x.pol) {
					can++
				}
			}
			if err != nil || len(got) != min(n, can) {
				t.Fatalf("step %d: Resolve(%q, %d) gave %d of %d eligible: %v", step, handle, n, len(got), can, err)
			}
			seen := map[msg.PEID]bool{}
			for _, e := range got {
				x, ok := mp.pes[e.ID()]
				if !ok || seen[e.ID()] || !eligible(x.pol) || e.Handle() != handle {
					t.Fatalf("step %d: Resolve(%q) gave %v", step, handle, keysOf(got))
				}
				seen[e.ID()] = true
			}
		}
		if err := checkModel(h, m); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		for _, e := range removed {
			if e.Registered() {
				if mp := m.pools[e.Handle()]; mp == nil || !mp.has(e.ID()) {
					t.Fatalf("step %d: removed element %v/%v says it is registered", step, e.Handle(), e.ID())
				}
			}
		}
		if len(removed) > 100 {
			removed = removed[50:]
		}
		maxN = max(maxN, m.n)
	}
	// The run must have reached every outcome, or it proves little.
	for _, want := range []error{nil, ErrEmptyHandle, ErrHandleTooLong, msg.ErrPolicyNotSupported, ErrInconsistentPolicy,
		ErrInconsistentTransport, ErrInconsistentDataControl, ErrTooManyPools, ErrPoolFull, ErrHandlespaceFull} {
		if outcomes[want] == 0 {
			t.Errorf("no registration ended in %v", want)
		}
	}
	t.Logf("outcomes %v, largest handlespace %d", outcomes, maxN)
}

func (p *modelPool) peOK(id msg.PEID) (modelPE, bool) {
	if p == nil {
		return modelPE{}, false
	}
	x, ok := p.pes[id]
	return x, ok
}

func (p *modelPool) has(id msg.PEID) bool { _, ok := p.peOK(id); return ok }

func (m *model) drop(handle string, id msg.PEID) {
	mp := m.pools[handle]
	delete(mp.pes, id)
	m.n--
	if len(mp.pes) == 0 {
		delete(m.pools, handle)
	}
}

// checkModel checks every index of h against m.
func checkModel(h *Handlespace, m *model) error {
	if h.Len() != m.n || h.PoolCount() != len(m.pools) {
		return fmt.Errorf("Len %d, PoolCount %d; model %d, %d", h.Len(), h.PoolCount(), m.n, len(m.pools))
	}
	want := m.keys()
	all := collect(h.After(Cursor{}))
	if got := keysOf(all); !slices.Equal(got, want) {
		return fmt.Errorf("order %v\nmodel %v", got, want)
	}
	if err := checkTree(&h.all, nil); err != nil {
		return fmt.Errorf("handlespace tree: %v", err)
	}
	owned := map[msg.ServerID][]key{}
	var minExp time.Time
	inHeap := 0
	for _, e := range all {
		mp := m.pools[e.Handle()]
		x := mp.pes[e.ID()]
		if e.Home() != x.home || !e.Expires().Equal(x.exp) || e.Param().UserTransport.Port != x.port || !e.Registered() {
			return fmt.Errorf("element %v/%v: home %v expires %v port %d; model %+v", e.Handle(), e.ID(), e.Home(), e.Expires(), e.Param().UserTransport.Port, x)
		}
		if got := e.Policy(); got.Type != x.pol.Type || got.Weight != x.pol.Weight || got.Load != x.pol.Load {
			return fmt.Errorf("element %v/%v: policy %+v, model %+v", e.Handle(), e.ID(), got, x.pol)
		}
		st, ok := e.PolicyState()
		if !ok || !sameValues(st.Policy, x.pol) {
			return fmt.Errorf("element %v/%v: selector holds %+v, model %+v", e.Handle(), e.ID(), st.Policy, x.pol)
		}
		owned[x.home] = append(owned[x.home], key{e.Handle(), e.ID()})
		if !x.exp.IsZero() {
			inHeap++
			if minExp.IsZero() || x.exp.Before(minExp) {
				minExp = x.exp
			}
			if e.heapIdx < 0 || int(e.heapIdx) >= len(h.expiry) || h.expiry[e.heapIdx] != e {
				return fmt.Errorf("element %v/%v: heap index %d", e.Handle(), e.ID(), e.heapIdx)
			}
		} else if e.heapIdx >= 0 {
			return fmt.Errorf("element %v/%v never expires but is in the heap", e.Handle(), e.ID())
		}
	}
	for handle, mp := range m.pools {
		p, ok := h.Pool([]byte(handle))
		if !ok || p.Len() != len(mp.pes) || p.sel.Len() != len(mp.pes) || p.PolicyType() != mp.ptype {
			return fmt.Errorf("pool %q: %v, Len %d, selector %d; model %d", handle, ok, p.Len(), p.sel.Len(), len(mp.pes))
		}
		if k, u := p.Transport(); k != mp.kind || u != mp.use {
			return fmt.Errorf("pool %q: transport %v %v", handle, k, u)
		}
		n := 0
		for e := range p.Elements() {
			if e.Pool() != p {
				return fmt.Errorf("pool %q yields an element of another pool", handle)
			}
			n++
		}
		if n != len(mp.pes) {
			return fmt.Errorf("pool %q yields %d elements", handle, n)
		}
	}
	// The expiry heap.
	if len(h.expiry) != inHeap {
		return fmt.Errorf("heap holds %d, %d elements expire", len(h.expiry), inHeap)
	}
	for i := 1; i < len(h.expiry); i++ {
		if h.expiry[i].expires.Before(h.expiry[(i-1)/2].expires) {
			return fmt.Errorf("heap order broken at %d", i)
		}
	}
	if next, ok := h.NextExpiry(); ok != !minExp.IsZero() || !next.Equal(minExp) {
		return fmt.Errorf("NextExpiry %v %v, model %v", next, ok, minExp)
	}
	// Owners, their order and checksums.
	var homes []msg.ServerID
	for home, ks := range owned {
		homes = append(homes, home)
		o := h.owners[home]
		if o == nil {
			return fmt.Errorf("home %v has no owner entry", home)
		}
		if err := checkTree(&o.elems, func(e *Element) bool { return e.Home() == home }); err != nil {
			return fmt.Errorf("home %v tree: %v", home, err)
		}
		if got := keysOf(collect(h.Owned(home, Cursor{}))); !slices.Equal(got, ks) {
			return fmt.Errorf("home %v owns %v, model %v", home, got, ks)
		}
		if h.Checksum(home) != checksumOf(ks) || h.OwnedCount(home) != len(ks) {
			return fmt.Errorf("home %v: checksum %#04x, recomputed %#04x", home, h.Checksum(home), checksumOf(ks))
		}
	}
	slices.Sort(homes)
	if got := h.Owners(nil); !slices.Equal(got, homes) || len(h.owners) != len(homes) {
		return fmt.Errorf("owners %v, model %v", got, homes)
	}
	return nil
}

// sameValues compares the fields of a policy that its encoding carries.
func sameValues(a, b msg.Policy) bool {
	x, errA := policy.FromParam(a)
	y, errB := policy.FromParam(b)
	return errA == nil && errB == nil && x == y
}

// checkTree checks the AVL invariants, the order and the count of t, and
// that every element satisfies belongs.
func checkTree(t *tree, belongs func(*Element) bool) error {
	var prev *Element
	n := 0
	var walk func(e *Element) (int32, error)
	walk = func(e *Element) (int32, error) {
		if e == nil {
			return 0, nil
		}
		l := t.l(e)
		hl, err := walk(l.left)
		if err != nil {
			return 0, err
		}
		if prev != nil && compare(prev, e.pool.handle, e.id) >= 0 {
			return 0, fmt.Errorf("%v/%v after %v/%v", e.Handle(), e.ID(), prev.Handle(), prev.ID())
		}
		if belongs != nil && !belongs(e) {
			return 0, fmt.Errorf("%v/%v does not belong", e.Handle(), e.ID())
		}
		if !e.Registered() {
			return 0, fmt.Errorf("%v/%v is not registered", e.Handle(), e.ID())
		}
		prev = e
		n++
		hr, err := walk(l.right)
		if err != nil {
			return 0, err
		}
		if d := hl - hr; d > 1 || d < -1 {
			return 0, fmt.Errorf("%v/%v unbalanced: %d, %d", e.Handle(), e.ID(), hl, hr)
		}
		if hh := 1 + max(hl, hr); hh != l.height {
			return 0, fmt.Errorf("%v/%v height %d, want %d", e.Handle(), e.ID(), l.height, hh)
		}
		return l.height, nil
	}
	if _, err := walk(t.root); err != nil {
		return err
	}
	if n != t.n {
		return fmt.Errorf("tree holds %d, count says %d", n, t.n)
	}
	return nil
}
