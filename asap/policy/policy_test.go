package policy

import (
	"errors"
	"testing"

	"github.com/rserpool/rserpool/asap/msg"
)

// every holds one value of each RFC 5356 policy, with distinct values in
// every field its encoding has.
var every = []Policy{
	RoundRobin{},
	WeightedRoundRobin{Weight: 7},
	Random{},
	WeightedRandom{Weight: 9},
	Priority{Priority: 11},
	LeastUsed{Load: 13},
	LeastUsedDegradation{Load: 15, LoadDegradation: 17},
	PriorityLeastUsed{Load: 19, LoadDegradation: 21},
	RandomizedLeastUsed{Load: 23},
}

func TestParamRoundTrip(t *testing.T) {
	types := make(map[msg.PolicyType]bool)
	for _, p := range every {
		w := p.Param()
		if w.Type != p.Type() {
			t.Errorf("%T: Param type %v, Type %v", p, w.Type, p.Type())
		}
		if err := w.Check(); err != nil {
			t.Errorf("%T: %v", p, err)
		}
		// Through the wire and back.
		var dec msg.Policy
		q, err := msg.ParseParam(w.Append(nil))
		if err == nil {
			err = dec.Decode(q)
		}
		if err != nil {
			t.Fatalf("%T: %v", p, err)
		}
		back, err := FromParam(dec)
		if err != nil {
			t.Fatalf("%T: FromParam: %v", p, err)
		}
		if back != p {
			t.Errorf("FromParam(%+v) = %#v, want %#v", dec, back, p)
		}
		types[p.Type()] = true
	}
	if len(types) != 9 {
		t.Errorf("%d distinct types, want the nine of RFC 5356 §7.1", len(types))
	}
}

// rsplib's Priority Least Used without a load degradation reads as a
// degradation of 0 and goes out in the RFC's form.
func TestFromParamShortPriorityLeastUsed(t *testing.T) {
	p, err := FromParam(msg.Policy{Type: msg.PolicyPriorityLeastUsed, Load: 5, NoDegradation: true})
	if err != nil {
		t.Fatal(err)
	}
	if p != (PriorityLeastUsed{Load: 5}) {
		t.Fatalf("got %#v", p)
	}
	if w := p.Param(); w.NoDegradation || w.Len() != 16 {
		t.Fatalf("Param %+v, length %d; want the RFC's 16", w, w.Len())
	}
}

func TestUnknownPolicy(t *testing.T) {
	for _, typ := range []msg.PolicyType{0, 0x40000000, 6, 0x40000005, 0x80000001} {
		p, err := FromParam(msg.Policy{Type: typ, Data: []byte{1, 2, 3, 4}})
		var pe *msg.PolicyError
		if p != nil || !errors.As(err, &pe) || !errors.Is(err, msg.ErrPolicyNotSupported) {
			t.Errorf("FromParam(%v) = %v, %v; want a *msg.PolicyError", typ, p, err)
		} else if pe.Policy.Type != typ || len(pe.Policy.Data) != 4 {
			t.Errorf("FromParam(%v): error carries %+v", typ, pe.Policy)
		}
		s, err := New(typ)
		if s != nil || !errors.As(err, &pe) || pe.Policy.Type != typ {
			t.Errorf("New(%v) = %v, %v; want a *msg.PolicyError", typ, s, err)
		}
	}
}

func TestNewType(t *testing.T) {
	for _, p := range every {
		s := mustNew(t, p.Type())
		if s.Type() != p.Type() || s.Len() != 0 {
			t.Errorf("New(%v): Type %v, Len %d", p.Type(), s.Type(), s.Len())
		}
	}
}

// A pool has one policy (RFC 5352 §3.1): a member of another type is
// refused and changes nothing.
func TestSetOtherType(t *testing.T) {
	for _, p := range every {
		s := mustNew(t, p.Type())
		mustSet(t, s, 1, p)
		for _, o := range every {
			if o.Type() == p.Type() {
				continue
			}
			for _, id := range []msg.PEID{1, 2} {
				err := s.Set(id, o.Param())
				var te *TypeError
				if !errors.As(err, &te) || !errors.Is(err, ErrInconsistentPolicy) || te.Pool != p.Type() || te.Member != o.Type() {
					t.Fatalf("%v pool, Set(%v, %v): %v", p.Type(), id, o.Type(), err)
				}
			}
		}
		if st, ok := s.State(1); s.Len() != 1 || !ok || !samePolicy(st.Policy, p.Param()) {
			t.Fatalf("%v pool changed: Len %d, State %+v", p.Type(), s.Len(), st)
		}
		if _, ok := s.State(2); ok {
			t.Fatalf("%v pool: refused member 2 is there", p.Type())
		}
	}
}

// withValue returns a policy of p's type with the number v in its
// fields.
func withValue(p Policy, v uint32) Policy {
	switch p.(type) {
	case WeightedRoundRobin:
		return WeightedRoundRobin{Weight: v}
	case WeightedRandom:
		return WeightedRandom{Weight: v}
	case Priority:
		return Priority{Priority: v}
	case LeastUsed:
		return LeastUsed{Load: v}
	case LeastUsedDegradation:
		return LeastUsedDegradation{Load: v, LoadDegradation: v / 2}
	case PriorityLeastUsed:
		return PriorityLeastUsed{Load: v, LoadDegradation: v / 3}
	case RandomizedLeastUsed:
		return RandomizedLeastUsed{Load: v}
	}
	return p
}

// unselectable reports whether a member of policy p can never be
// selected: weight 0 (RFC 5356 §3.2), or no unused capacity left (§5.4).
func unselectable(p Policy) bool {
	switch p := p.(type) {
	case WeightedRoundRobin:
		return p.Weight == 0
	case WeightedRandom:
		return p.Weight == 0
	case RandomizedLeastUsed:
		return p.Load == 0xffffffff
	}
	return false
}

func TestEmptyAndLimits(t *testing.T) {
	for _, p := range every {
		s := mustNew(t, p.Type())
		r := seeded(1)
		if got := s.Select(nil, 5, r); len(got) != 0 {
			t.Errorf("%v: empty selector gave %v", p.Type(), got)
		}
		if s.Remove(1) {
			t.Errorf("%v: removed a member of an empty selector", p.Type())
		}
		for _, id := range ids(4) {
			mustSet(t, s, id, withValue(p, uint32(id)))
		}
		for _, n := range []int{-1, 0} {
			if got := s.Select(nil, n, r); len(got) != 0 {
				t.Errorf("%v: Select(%d) gave %v", p.Type(), n, got)
			}
		}
		// More than there are: every member once. A nil source works.
		for _, src := range []Rand{r, nil} {
			if got := selectN(t, s, 10, src); len(got) != 4 {
				t.Errorf("%v: Select(10) of 4 gave %v", p.Type(), got)
			}
		}
		// dst is appended to.
		if got := s.Select([]msg.PEID{99}, 1, r); len(got) != 2 || got[0] != 99 {
			t.Errorf("%v: Select onto dst gave %v", p.Type(), got)
		}
		checkInvariants(t, s)
	}
}

// TestRandomOperations runs random Set, Remove and Select on every
// selector against a map of what it should hold, checking the internal
// structures after each step.
func TestRandomOperations(t *testing.T) {
	for _, p := range every {
		s := mustNew(t, p.Type())
		r := seeded(uint64(p.Type()))
		model := make(map[msg.PEID]Policy)
		for step := range 3000 {
			id := msg.PEID(r.IntN(60))
			switch op := r.IntN(10); {
			case op < 5:
				v := withValue(p, uint32(r.IntN(5)))
				if r.IntN(8) == 0 {
					v = withValue(p, [...]uint32{0, 0xffffffff}[r.IntN(2)])
				}
				mustSet(t, s, id, v)
				model[id] = v
			case op < 7:
				_, want := model[id]
				if got := s.Remove(id); got != want {
					t.Fatalf("%v step %d: Remove(%v) = %v, want %v", p.Type(), step, id, got, want)
				}
				delete(model, id)
			default:
				n := r.IntN(8)
				got := selectN(t, s, n, r)
				eligible := 0
				for _, v := range model {
					if !unselectable(v) {
						eligible++
					}
				}
				if want := min(n, eligible); len(got) != want {
					t.Fatalf("%v step %d: Select(%d) gave %d of %d eligible", p.Type(), step, n, len(got), eligible)
				}
				for _, id := range got {
					if unselectable(model[id]) {
						t.Fatalf("%v step %d: selected %v, which cannot serve: %+v", p.Type(), step, id, model[id])
					}
				}
			}
			if s.Len() != len(model) {
				t.Fatalf("%v step %d: Len %d, want %d", p.Type(), step, s.Len(), len(model))
			}
			if err := invariants(s); err != nil {
				t.Fatalf("%v step %d: %v", p.Type(), step, err)
			}
		}
		for id, v := range model {
			st, ok := s.State(id)
			if !ok || !samePolicy(st.Policy, v.Param()) {
				t.Fatalf("%v: State(%v) = %+v, %v; want %+v", p.Type(), id, st, ok, v.Param())
			}
		}
	}
}

// badRand answers out of range, as a broken source might.
type badRand struct{}

func (badRand) Uint64N(n uint64) uint64 { return n + 12345 }

// A source that breaks its contract cannot make a selection fail.
func TestBadRand(t *testing.T) {
	for _, p := range every {
		s := mustNew(t, p.Type())
		for _, id := range ids(5) {
			mustSet(t, s, id, withValue(p, uint32(id)))
		}
		if got := selectN(t, s, 3, badRand{}); len(got) != 3 {
			t.Fatalf("%v: %v", p.Type(), got)
		}
		checkInvariants(t, s)
	}
}
