package policy

import (
	"errors"
	"math/rand/v2"

	"github.com/rserpool/rserpool/asap/msg"
)

// Rand is the source of randomness of the random policies. *rand.Rand of
// math/rand/v2 implements it; tests pass a seeded one so that selections
// repeat exactly.
type Rand interface {
	// Uint64N returns a uniform number in [0, n); n is never 0.
	Uint64N(n uint64) uint64
}

// Policy is the selection policy one pool element registers, with the
// parameters of its RFC 5356 encoding. The nine RFC 5356 policies are the
// types of this package named after them.
type Policy interface {
	// Type is the policy's type code (RFC 5356 §7.1).
	Type() msg.PolicyType
	// Param is the wire parameter that carries the policy (RFC 5356
	// §4.x.4, §5.x.4).
	Param() msg.Policy
}

// FromParam converts a decoded policy parameter into its Policy. A type
// other than the nine of RFC 5356 gives a *msg.PolicyError, whose Cause
// is what a registrar sends back (RFC 5354 §3.12.4, Invalid Values).
//
// rsplib's Priority Least Used without the load degradation field
// (msg.Policy.NoDegradation) becomes a degradation of 0, which its
// Param encodes in the RFC's longer form.
func FromParam(p msg.Policy) (Policy, error) {
	switch p.Type {
	case msg.PolicyRoundRobin:
		return RoundRobin{}, nil
	case msg.PolicyWeightedRoundRobin:
		return WeightedRoundRobin{Weight: p.Weight}, nil
	case msg.PolicyRandom:
		return Random{}, nil
	case msg.PolicyWeightedRandom:
		return WeightedRandom{Weight: p.Weight}, nil
	case msg.PolicyPriority:
		return Priority{Priority: p.Priority}, nil
	case msg.PolicyLeastUsed:
		return LeastUsed{Load: p.Load}, nil
	case msg.PolicyLeastUsedDegradation:
		return LeastUsedDegradation{Load: p.Load, LoadDegradation: p.LoadDegradation}, nil
	case msg.PolicyPriorityLeastUsed:
		return PriorityLeastUsed{Load: p.Load, LoadDegradation: p.LoadDegradation}, nil
	case msg.PolicyRandomizedLeastUsed:
		return RandomizedLeastUsed{Load: p.Load}, nil
	}
	return nil, &msg.PolicyError{Policy: p}
}

// Selector is one pool's selection state for one policy type: every
// member of the pool with its policy parameters, and what the policy
// remembers between selections.
type Selector interface {
	// Type is the policy type of every member.
	Type() msg.PolicyType

	// Len is the number of members, selectable or not.
	Len() int

	// Set adds a member, or replaces the parameters of one (a
	// re-registration, which resets the degradation counter as RFC 5356
	// §5.2.2 requires). A policy of another type gives a *TypeError and
	// changes nothing: a pool has one policy (RFC 5352 §3.1).
	Set(id msg.PEID, p msg.Policy) error

	// Remove removes a member and reports whether it was one.
	Remove(id msg.PEID) bool

	// State returns what the selector holds for a member.
	State(id msg.PEID) (State, bool)

	// Select appends to dst up to n distinct members in the order the
	// policy gives them to a pool user, and updates the policy's state
	// for the selection (round robin head, degradation counters). Random
	// policies draw from r; a nil r stands for a source of the
	// selector's own with a fixed seed.
	Select(dst []msg.PEID, n int, r Rand) []msg.PEID
}

// State is what a selector holds for one member.
type State struct {
	// Policy holds the type and the parameters selection uses (the
	// fields its RFC 5356 encoding has).
	Policy msg.Policy
	// Degradation counts the member's selections since it was last Set
	// (Least Used with Degradation, RFC 5356 §5.2.2); 0 for the others.
	Degradation uint32
}

// ErrInconsistentPolicy is matched by *TypeError.
var ErrInconsistentPolicy = errors.New("policy: policy type differs from the pool's")

// TypeError says a member's policy is not of the selector's type.
type TypeError struct {
	Pool, Member msg.PolicyType
}

func (e *TypeError) Error() string {
	return "policy: member policy " + e.Member.String() + " in a pool of " + e.Pool.String()
}

// Is makes errors.Is(err, ErrInconsistentPolicy) true.
func (e *TypeError) Is(target error) bool { return target == ErrInconsistentPolicy }

func checkType(pool msg.PolicyType, p msg.Policy) error {
	if p.Type != pool {
		return &TypeError{Pool: pool, Member: p.Type}
	}
	return nil
}

// New returns an empty Selector for policy type t, or a *msg.PolicyError
// for a type other than the nine of RFC 5356.
func New(t msg.PolicyType) (Selector, error) {
	switch t {
	case msg.PolicyRoundRobin:
		return newRoundRobin(), nil
	case msg.PolicyWeightedRoundRobin:
		return newWeightedRoundRobin(), nil
	case msg.PolicyRandom:
		return newRandom(), nil
	case msg.PolicyWeightedRandom:
		return newWeightedRandom(), nil
	case msg.PolicyPriority:
		return newPriority(), nil
	case msg.PolicyLeastUsed:
		return newLeastUsed(), nil
	case msg.PolicyLeastUsedDegradation:
		return newLeastUsedDegradation(), nil
	case msg.PolicyPriorityLeastUsed:
		return newPriorityLeastUsed(), nil
	case msg.PolicyRandomizedLeastUsed:
		return newRandomizedLeastUsed(), nil
	}
	return nil, &msg.PolicyError{Policy: msg.Policy{Type: t}}
}

// ownRand stands in for a nil Rand: a generator with a fixed seed, made
// on first use, so that a caller that forgets the source gets repeatable
// selections rather than a crash.
type ownRand struct{ r *rand.Rand }

// draw returns a number in [0, n) from r, n > 0. A source that breaks
// its contract and answers n or more is folded back into range, so that
// it cannot make a selection index out of bounds.
func draw(r Rand, n uint64) uint64 {
	v := r.Uint64N(n)
	if v >= n {
		v %= n
	}
	return v
}

func (o *ownRand) or(r Rand) Rand {
	if r != nil {
		return r
	}
	if o.r == nil {
		o.r = rand.New(rand.NewPCG(5356, 5352))
	}
	return o.r
}
