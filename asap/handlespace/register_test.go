package handlespace

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/asap/policy"
)

// RFC 5352 §3.1 rule 1: the first PE creates the pool and sets its
// policy, transport type and transport use.
func TestRegisterNew(t *testing.T) {
	h := New(Limits{})
	in := pe(0x1234, 0xa, policy.WeightedRandom{Weight: 5})
	in.UserTransport = sctp(9, msg.DataPlusControl, "127.0.0.2", "127.0.0.3")
	in.ASAPTransport = sctp(3863, msg.DataOnly, "127.0.0.2")
	e, created, err := h.Register([]byte("pool"), in, at(30))
	if err != nil || !created {
		t.Fatalf("Register: %v, created %v", err, created)
	}
	if e.ID() != 0x1234 || e.Home() != 0xa || e.Handle() != "pool" || !e.Expires().Equal(at(30)) || !e.Registered() {
		t.Fatalf("element: id %v home %v handle %q expires %v", e.ID(), e.Home(), e.Handle(), e.Expires())
	}
	got := e.Param()
	if !bytes.Equal(e.AppendParam(nil), in.Append(nil)) || !bytes.Equal(got.Append(nil), in.Append(nil)) {
		t.Fatal("stored element encodes differently")
	}
	if got.UserTransport.Addrs.Count() != 2 || got.ASAPTransport.Port != 3863 || got.RegistrationLife != 30 {
		t.Fatalf("stored element %+v", got)
	}
	if e.Policy().Weight != 5 {
		t.Fatalf("policy %+v", e.Policy())
	}
	p, ok := h.Pool([]byte("pool"))
	if !ok || p != e.Pool() || p.Len() != 1 || p.PolicyType() != msg.PolicyWeightedRandom || p.Handle() != "pool" {
		t.Fatalf("pool %v %+v", ok, p)
	}
	if k, u := p.Transport(); k != msg.ParamSCTPTransport || u != msg.DataPlusControl {
		t.Fatalf("pool transport %v %v", k, u)
	}
	if pp := p.Policy(); pp.Type != msg.PolicyWeightedRandom {
		t.Fatalf("pool policy %+v", pp)
	}
	if l, ok := h.Lookup([]byte("pool"), 0x1234); !ok || l != e {
		t.Fatal("Lookup misses the element")
	}
	if _, ok := h.Lookup([]byte("pool"), 1); ok {
		t.Fatal("Lookup finds an element never registered")
	}
	if _, ok := h.Lookup([]byte("other"), 0x1234); ok {
		t.Fatal("Lookup finds an element in a pool never made")
	}
	if st, ok := e.PolicyState(); !ok || st.Policy.Weight != 5 {
		t.Fatalf("policy state %+v %v", st, ok)
	}
	if h.Len() != 1 || h.PoolCount() != 1 {
		t.Fatalf("Len %d, PoolCount %d", h.Len(), h.PoolCount())
	}
}

// The handlespace keeps its own copy: the buffer a registration was
// decoded from can be reused.
func TestRegisterCopies(t *testing.T) {
	reg := msg.Registration{PoolHandle: []byte("echo"), PoolElement: *pe(7, 1, policy.RoundRobin{})}
	buf := reg.Append(nil)
	m, err := msg.DecodeMessage(msg.ASAP, buf)
	if err != nil {
		t.Fatal(err)
	}
	dec := m.(*msg.Registration)
	h := New(Limits{})
	e := mustRegister(t, h, string(dec.PoolHandle), &dec.PoolElement, time.Time{})
	want := e.AppendParam(nil)
	for i := range buf {
		buf[i] = 0xee
	}
	if got := e.Param(); !bytes.Equal(got.Append(nil), want) || got.UserTransport.Addrs.First().String() != "127.0.0.2" {
		t.Fatal("stored element changed with the caller's buffer")
	}
	if e.Handle() != "echo" {
		t.Fatalf("handle %q", e.Handle())
	}
}

// RFC 5352 §3.1 rule 3: a re-registration replaces the attributes; RFC
// 5356 §5.2.2: and resets the degradation counter.
func TestReregister(t *testing.T) {
	h := New(Limits{})
	first := pe(1, 0xa, policy.LeastUsedDegradation{Load: 10, LoadDegradation: 5})
	e := mustRegister(t, h, "p", first, at(30))
	mustRegister(t, h, "p", pe(2, 0xa, policy.LeastUsedDegradation{Load: 100}), at(30))
	for range 3 {
		if _, err := h.Resolve(nil, []byte("p"), 1, nil); err != nil {
			t.Fatal(err)
		}
	}
	if st, _ := e.PolicyState(); st.Degradation != 3 {
		t.Fatalf("counter %d, want 3", st.Degradation)
	}
	again := pe(1, 0xb, policy.LeastUsedDegradation{Load: 20, LoadDegradation: 6})
	again.UserTransport = sctp(8, msg.DataOnly, "127.0.0.9")
	again.RegistrationLife = 60
	e2, created, err := h.Register([]byte("p"), again, at(90))
	if err != nil || created || e2 != e {
		t.Fatalf("re-registration: %v, created %v, same element %v", err, created, e2 == e)
	}
	got := e.Param()
	if e.Home() != 0xb || got.RegistrationLife != 60 || got.UserTransport.Port != 8 || e.Policy().Load != 20 || !e.Expires().Equal(at(90)) {
		t.Fatalf("attributes not replaced: %+v", got)
	}
	if st, _ := e.PolicyState(); st.Degradation != 0 || st.Policy.Load != 20 || st.Policy.LoadDegradation != 6 {
		t.Fatalf("policy state %+v", st)
	}
	if h.Len() != 2 || h.OwnedCount(0xa) != 1 || h.OwnedCount(0xb) != 1 {
		t.Fatalf("Len %d, owned by a %d, by b %d", h.Len(), h.OwnedCount(0xa), h.OwnedCount(0xb))
	}
}

func TestRegisterRefused(t *testing.T) {
	const pool = "pool"
	setup := func() *Handlespace {
		h := New(Limits{MaxHandleLen: 8})
		first := pe(1, 0xa, policy.LeastUsed{Load: 1})
		first.UserTransport = sctp(7, msg.DataPlusControl, "127.0.0.2")
		mustRegister(t, h, pool, first, at(30))
		tp := pe(1, 0xa, policy.RoundRobin{})
		tp.UserTransport = tcp(80, "127.0.0.4")
		mustRegister(t, h, "tcp", tp, at(30))
		return h
	}
	lu := func(id msg.PEID) *msg.PoolElement {
		p := pe(id, 0xa, policy.LeastUsed{Load: 2})
		p.UserTransport = sctp(7, msg.DataPlusControl, "127.0.0.3")
		return p
	}
	for _, c := range []struct {
		name     string
		handle   string
		pe       func() *msg.PoolElement
		sentinel error
		code     msg.CauseCode
		check    func(t *testing.T, e *Error)
	}{
		{"empty handle", "", func() *msg.PoolElement { return lu(2) }, ErrEmptyHandle, msg.CauseInvalidValues,
			func(t *testing.T, e *Error) {
				if q, err := e.Cause.Param(); err != nil || q.Type() != msg.ParamPoolHandle || len(q.Value()) != 0 {
					t.Fatalf("cause info %x", e.Cause.Info)
				}
			}},
		{"handle too long", "123456789", func() *msg.PoolElement { return lu(2) }, ErrHandleTooLong, msg.CauseInvalidValues,
			func(t *testing.T, e *Error) {
				if q, err := e.Cause.Param(); err != nil || string(q.Value()) != "123456789" {
					t.Fatalf("cause info %x", e.Cause.Info)
				}
			}},
		{"unknown policy", pool, func() *msg.PoolElement {
			p := lu(2)
			p.Policy = msg.Policy{Type: 0x80000001, Data: []byte{1, 2, 3, 4}}
			return p
		}, msg.ErrPolicyNotSupported, msg.CauseInvalidValues,
			func(t *testing.T, e *Error) {
				var pe *msg.PolicyError
				if !errors.As(e, &pe) || pe.Policy.Type != 0x80000001 {
					t.Fatalf("no *msg.PolicyError in %v", e)
				}
				if p, err := e.Cause.Policy(); err != nil || p.Type != 0x80000001 {
					t.Fatalf("cause policy %+v %v", p, err)
				}
			}},
		{"unknown policy in a new pool", "new", func() *msg.PoolElement {
			p := lu(2)
			p.Policy = msg.Policy{Type: 6}
			return p
		}, msg.ErrPolicyNotSupported, msg.CauseInvalidValues, nil},
		{"other policy, new PE", pool, func() *msg.PoolElement {
			p := lu(2)
			p.Policy = policy.RoundRobin{}.Param()
			return p
		}, ErrInconsistentPolicy, msg.CauseInconsistentPoolingPolicy,
			func(t *testing.T, e *Error) {
				if p, err := e.Cause.Policy(); err != nil || p.Type != msg.PolicyLeastUsed {
					t.Fatalf("cause carries %+v, %v; want the pool's Least Used", p, err)
				}
			}},
		{"other policy, re-registration", pool, func() *msg.PoolElement {
			p := lu(1)
			p.Policy = policy.LeastUsedDegradation{}.Param()
			return p
		}, ErrInconsistentPolicy, msg.CauseInconsistentPoolingPolicy, nil},
		{"other transport", pool, func() *msg.PoolElement {
			p := lu(2)
			p.UserTransport = tcp(7, "127.0.0.3")
			return p
		}, ErrInconsistentTransport, msg.CauseInconsistentTransportType,
			func(t *testing.T, e *Error) {
				if tr, err := e.Cause.Transport(); err != nil || tr.Kind != msg.ParamSCTPTransport || tr.Addrs.First().String() != "127.0.0.2" {
					t.Fatalf("cause carries %+v, %v; want the pool's SCTP transport", tr, err)
				}
			}},
		{"other transport use", pool, func() *msg.PoolElement {
			p := lu(2)
			p.UserTransport.Use = msg.DataOnly
			return p
		}, ErrInconsistentDataControl, msg.CauseInconsistentDataControl, nil},
		{"no user transport", "new", func() *msg.PoolElement {
			p := lu(2)
			p.UserTransport = msg.Transport{}
			return p
		}, ErrInvalidElement, msg.CauseInvalidValues, nil},
		{"transport without address", "new", func() *msg.PoolElement {
			p := lu(2)
			p.UserTransport = msg.Transport{Kind: msg.ParamSCTPTransport}
			return p
		}, ErrInvalidElement, msg.CauseInvalidValues, nil},
		{"element too long", "new", func() *msg.PoolElement {
			p := lu(2)
			p.UserTransport = msg.Transport{Kind: msg.ParamOpaqueTransport, Opaque: make([]byte, 70000)}
			return p
		}, ErrInvalidElement, msg.CauseInvalidValues, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := setup()
			before := collect(h.After(Cursor{}))
			beforeSum := h.Checksum(0xa)
			e, created, err := h.Register([]byte(c.handle), c.pe(), at(99))
			if e != nil || created {
				t.Fatalf("refused registration returned %v, %v", e, created)
			}
			he := wantErr(t, err, c.sentinel, c.code)
			if he.Rule == "" || !strings.HasPrefix(he.Error(), "handlespace: ") {
				t.Fatalf("error text %q", he.Error())
			}
			if c.check != nil {
				c.check(t, he)
			}
			after := collect(h.After(Cursor{}))
			if len(after) != len(before) || h.PoolCount() != 2 || h.Checksum(0xa) != beforeSum {
				t.Fatalf("handlespace changed: %d elements, %d pools", len(after), h.PoolCount())
			}
			old, _ := h.Lookup([]byte(pool), 1)
			if old.Policy().Type != msg.PolicyLeastUsed || old.Policy().Load != 1 || !old.Expires().Equal(at(30)) {
				t.Fatalf("existing element changed: %+v", old.Param())
			}
		})
	}
}

// The transport use is the SCTP Transport's; for TCP the field is
// reserved (RFC 5354 §3.5), so a different value there is no
// inconsistency.
func TestTransportUseOnlyForSCTP(t *testing.T) {
	h := New(Limits{})
	a := pe(1, 1, policy.RoundRobin{})
	a.UserTransport = tcp(80, "127.0.0.2")
	mustRegister(t, h, "web", a, time.Time{})
	b := pe(2, 1, policy.RoundRobin{})
	b.UserTransport = tcp(80, "127.0.0.3")
	b.UserTransport.Use = msg.DataPlusControl
	mustRegister(t, h, "web", b, time.Time{})
}

// Each limit has its own error; an update is never refused by a limit.
func TestLimits(t *testing.T) {
	rr := func(id msg.PEID) *msg.PoolElement { return pe(id, 1, policy.RoundRobin{}) }

	h := New(Limits{MaxPools: 2})
	mustRegister(t, h, "a", rr(1), time.Time{})
	mustRegister(t, h, "b", rr(1), time.Time{})
	_, _, err := h.Register([]byte("c"), rr(1), time.Time{})
	wantErr(t, err, ErrTooManyPools, msg.CauseLackOfResources)
	mustRegister(t, h, "a", rr(2), time.Time{}) // an existing pool still grows
	h.Deregister([]byte("b"), 1)
	mustRegister(t, h, "c", rr(1), time.Time{}) // room again

	h = New(Limits{MaxPoolElements: 2})
	mustRegister(t, h, "a", rr(1), time.Time{})
	mustRegister(t, h, "a", rr(2), time.Time{})
	_, _, err = h.Register([]byte("a"), rr(3), time.Time{})
	wantErr(t, err, ErrPoolFull, msg.CauseLackOfResources)
	mustRegister(t, h, "a", rr(2), time.Time{}) // a re-registration is fine
	mustRegister(t, h, "b", rr(3), time.Time{}) // another pool is fine

	h = New(Limits{MaxElements: 3})
	mustRegister(t, h, "a", rr(1), time.Time{})
	mustRegister(t, h, "a", rr(2), time.Time{})
	mustRegister(t, h, "b", rr(1), time.Time{})
	for _, handle := range []string{"a", "c"} {
		_, _, err = h.Register([]byte(handle), rr(9), time.Time{})
		wantErr(t, err, ErrHandlespaceFull, msg.CauseLackOfResources)
	}
	mustRegister(t, h, "b", rr(1), time.Time{})

	h = New(Limits{MaxHandleLen: 4})
	mustRegister(t, h, "abcd", rr(1), time.Time{})
	_, _, err = h.Register([]byte("abcde"), rr(1), time.Time{})
	wantErr(t, err, ErrHandleTooLong, msg.CauseInvalidValues)

	if l := New(Limits{}).Limits(); l.MaxPools != DefaultMaxPools || l.MaxPoolElements != DefaultMaxPoolElements ||
		l.MaxElements != DefaultMaxElements || l.MaxHandleLen != DefaultMaxHandleLen {
		t.Fatalf("defaults %+v", l)
	}
}
