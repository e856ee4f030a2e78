package handlespace

import (
	"errors"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/asap/policy"
)

// t0 is the tests' time origin.
var t0 = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

func at(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }

func seeded(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 5352)) }

// sctp returns an SCTP user transport on the given loopback addresses.
func sctp(port uint16, use msg.TransportUse, addrs ...string) msg.Transport {
	as := make([]netip.Addr, len(addrs))
	for i, a := range addrs {
		as[i] = netip.MustParseAddr(a)
	}
	return msg.Transport{Kind: msg.ParamSCTPTransport, Port: port, Use: use, Addrs: msg.MakeAddrs(as...)}
}

func tcp(port uint16, addr string) msg.Transport {
	return msg.Transport{Kind: msg.ParamTCPTransport, Port: port, Addrs: msg.MakeAddrs(netip.MustParseAddr(addr))}
}

// pe builds a pool element of the given policy, on SCTP data only.
func pe(id msg.PEID, home msg.ServerID, p policy.Policy) *msg.PoolElement {
	return &msg.PoolElement{
		ID:               id,
		HomeServer:       home,
		RegistrationLife: 30,
		UserTransport:    sctp(7, msg.DataOnly, "127.0.0.2"),
		Policy:           p.Param(),
	}
}

func mustRegister(t testing.TB, h *Handlespace, handle string, p *msg.PoolElement, exp time.Time) *Element {
	t.Helper()
	e, _, err := h.Register([]byte(handle), p, exp)
	if err != nil {
		t.Fatalf("Register(%q, %v): %v", handle, p.ID, err)
	}
	return e
}

// keys lists elements as "handle/id" for comparisons.
type key struct {
	handle string
	id     msg.PEID
}

func keysOf(es []*Element) []key {
	out := make([]key, len(es))
	for i, e := range es {
		out[i] = key{e.Handle(), e.ID()}
	}
	return out
}

func collect(seq func(func(*Element) bool)) []*Element {
	var out []*Element
	for e := range seq {
		out = append(out, e)
	}
	return out
}

// checksumOf computes the PE checksum of a set of keys afresh.
func checksumOf(ks []key) uint16 {
	var c msg.PEChecksum
	for _, k := range ks {
		c.Add([]byte(k.handle), k.id)
	}
	return c.Value()
}

// wantErr checks err is an *Error matching sentinel and carrying a cause
// of the given code.
func wantErr(t *testing.T, err error, sentinel error, code msg.CauseCode) *Error {
	t.Helper()
	var he *Error
	if !errors.As(err, &he) {
		t.Fatalf("got %v, want an *Error", err)
	}
	if !errors.Is(err, sentinel) {
		t.Fatalf("got %v, want %v", err, sentinel)
	}
	for _, other := range sentinels {
		if other != sentinel && errors.Is(err, other) {
			t.Fatalf("%v also matches %v", err, other)
		}
	}
	if he.Cause.Code != code {
		t.Fatalf("%v: cause %v, want %v", err, he.Cause.Code, code)
	}
	return he
}

var sentinels = []error{
	ErrEmptyHandle, ErrHandleTooLong, ErrTooManyPools, ErrPoolFull, ErrHandlespaceFull,
	ErrInconsistentPolicy, ErrInconsistentTransport, ErrInconsistentDataControl, ErrInvalidElement,
	ErrUnknownPool, msg.ErrPolicyNotSupported,
}

func sortedKeys(ks []key) []key {
	return slices.SortedFunc(slices.Values(ks), func(a, b key) int {
		if a.handle != b.handle {
			if a.handle < b.handle {
				return -1
			}
			return 1
		}
		return int(int64(a.id) - int64(b.id))
	})
}
