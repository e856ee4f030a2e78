package handlespace

import (
	"slices"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/asap/policy"
)

// RFC 5352 §3.2: deregistration removes the PE, and the pool with its
// last PE; an unknown PE is no error.
func TestDeregister(t *testing.T) {
	h := New(Limits{})
	a := mustRegister(t, h, "p", pe(1, 0xa, policy.RoundRobin{}), at(10))
	mustRegister(t, h, "p", pe(2, 0xa, policy.RoundRobin{}), at(20))
	if e, ok := h.Deregister([]byte("p"), 1); !ok || e != a {
		t.Fatalf("Deregister(1) = %v, %v", e, ok)
	}
	if a.Registered() || a.ID() != 1 || a.Handle() != "p" {
		t.Fatalf("removed element: registered %v, id %v, handle %q", a.Registered(), a.ID(), a.Handle())
	}
	if _, ok := a.PolicyState(); ok {
		t.Fatal("removed element still has policy state")
	}
	if _, ok := h.Lookup([]byte("p"), 1); ok {
		t.Fatal("Lookup finds the removed element")
	}
	if h.Len() != 1 || h.OwnedCount(0xa) != 1 || h.Checksum(0xa) != checksumOf([]key{{"p", 2}}) {
		t.Fatalf("Len %d, owned %d", h.Len(), h.OwnedCount(0xa))
	}
	if next, ok := h.NextExpiry(); !ok || !next.Equal(at(20)) {
		t.Fatal("expiry heap lost the other element")
	}
	for _, c := range []struct {
		handle string
		id     msg.PEID
	}{{"p", 1}, {"p", 3}, {"q", 2}, {"", 0}} {
		if e, ok := h.Deregister([]byte(c.handle), c.id); ok || e != nil {
			t.Fatalf("Deregister(%q, %v) = %v, %v", c.handle, c.id, e, ok)
		}
	}
	h.Deregister([]byte("p"), 2)
	if _, ok := h.Pool([]byte("p")); ok || h.PoolCount() != 0 || h.Len() != 0 {
		t.Fatal("pool outlived its last element")
	}
	if _, ok := h.NextExpiry(); ok || h.Checksum(0xa) != 0xffff || h.OwnedCount(0xa) != 0 {
		t.Fatal("indexes keep a removed element")
	}
	// The handle can start a new pool, with another policy.
	mustRegister(t, h, "p", pe(1, 0xa, policy.Random{}), time.Time{})
}

// RFC 5352 §3.3: a resolution returns the pool's elements as its policy
// orders them; an unknown handle gets Unknown Pool Handle.
func TestResolve(t *testing.T) {
	h := New(Limits{})
	if got, err := h.Resolve(nil, []byte("none"), 5, nil); len(got) != 0 {
		t.Fatalf("unknown pool gave %v", got)
	} else {
		wantErr(t, err, ErrUnknownPool, msg.CauseUnknownPoolHandle)
	}
	for _, id := range []msg.PEID{3, 1, 2} {
		mustRegister(t, h, "rr", pe(id, 1, policy.RoundRobin{}), time.Time{})
	}
	want := [][]key{
		{{"rr", 3}, {"rr", 1}},
		{{"rr", 1}, {"rr", 2}},
		{{"rr", 2}, {"rr", 3}},
	}
	for i, w := range want {
		got, err := h.Resolve(nil, []byte("rr"), 2, nil)
		if err != nil || !slices.Equal(keysOf(got), w) {
			t.Fatalf("resolution %d: %v %v, want %v", i, keysOf(got), err, w)
		}
	}
	// dst is appended to; n is capped at the pool.
	pre := []*Element{nil}
	got, _ := h.Resolve(pre, []byte("rr"), 10, nil)
	if len(got) != 4 || got[0] != nil {
		t.Fatalf("Resolve onto dst: %v", got)
	}

	// Least Used: ascending load; a re-registration with a new load moves
	// the element.
	for id, load := range map[msg.PEID]uint32{1: 30, 2: 10, 3: 20} {
		mustRegister(t, h, "lu", pe(id, 1, policy.LeastUsed{Load: load}), time.Time{})
	}
	got, _ = h.Resolve(nil, []byte("lu"), 3, nil)
	if w := []key{{"lu", 2}, {"lu", 3}, {"lu", 1}}; !slices.Equal(keysOf(got), w) {
		t.Fatalf("least used: %v, want %v", keysOf(got), w)
	}
	mustRegister(t, h, "lu", pe(1, 1, policy.LeastUsed{Load: 0}), time.Time{})
	got, _ = h.Resolve(nil, []byte("lu"), 1, nil)
	if w := []key{{"lu", 1}}; !slices.Equal(keysOf(got), w) {
		t.Fatalf("after the load update: %v, want %v", keysOf(got), w)
	}

	// Weighted random with a seeded source: weight 0 never comes.
	mustRegister(t, h, "w", pe(1, 1, policy.WeightedRandom{Weight: 0}), time.Time{})
	mustRegister(t, h, "w", pe(2, 1, policy.WeightedRandom{Weight: 1}), time.Time{})
	r := seeded(1)
	for range 50 {
		got, _ := h.Resolve(nil, []byte("w"), 2, r)
		if w := []key{{"w", 2}}; !slices.Equal(keysOf(got), w) {
			t.Fatalf("weighted: %v, want %v", keysOf(got), w)
		}
	}
}

// RFC 5352 §3.2: a registration that is not renewed expires.
func TestExpire(t *testing.T) {
	h := New(Limits{})
	for id, exp := range map[msg.PEID]time.Time{1: at(30), 2: at(10), 3: at(20), 4: {}, 5: at(20)} {
		mustRegister(t, h, "p", pe(id, 1, policy.RoundRobin{}), exp)
	}
	if next, ok := h.NextExpiry(); !ok || !next.Equal(at(10)) {
		t.Fatalf("NextExpiry %v %v", next, ok)
	}
	if got := h.Expire(nil, at(9)); len(got) != 0 {
		t.Fatalf("expired early: %v", keysOf(got))
	}
	// At its expiry time an element is gone.
	got := h.Expire(nil, at(10))
	if w := []key{{"p", 2}}; !slices.Equal(keysOf(got), w) || got[0].Registered() {
		t.Fatalf("at 10: %v", keysOf(got))
	}
	// Re-registration renews: 3 now expires at 40, 1 never.
	mustRegister(t, h, "p", pe(3, 1, policy.RoundRobin{}), at(40))
	mustRegister(t, h, "p", pe(1, 1, policy.RoundRobin{}), time.Time{})
	got = h.Expire(nil, at(35))
	if w := []key{{"p", 5}}; !slices.Equal(keysOf(got), w) {
		t.Fatalf("at 35: %v, want %v", keysOf(got), w)
	}
	// An element given a lifetime again joins the heap.
	mustRegister(t, h, "p", pe(4, 1, policy.RoundRobin{}), at(38))
	got = h.Expire(nil, at(1000))
	if w := []key{{"p", 4}, {"p", 3}}; !slices.Equal(keysOf(got), w) {
		t.Fatalf("at 1000: %v, want %v", keysOf(got), w)
	}
	if _, ok := h.NextExpiry(); ok {
		t.Fatal("NextExpiry with only an infinite lifetime left")
	}
	if h.Len() != 1 {
		t.Fatalf("Len %d, want the element that never expires", h.Len())
	}
	// The last element expiring takes the pool with it.
	mustRegister(t, h, "q", pe(1, 1, policy.RoundRobin{}), at(5))
	h.Expire(nil, at(2000))
	if _, ok := h.Pool([]byte("q")); ok {
		t.Fatal("pool outlived its expired element")
	}
}

// The order is (handle, id): handles as byte strings, ids as numbers.
func TestOrderAndCursor(t *testing.T) {
	h := New(Limits{})
	var all []key
	for _, handle := range []string{"b", "a", "ab", "\x00", "\xff"} {
		for _, id := range []msg.PEID{0xffffffff, 0, 256, 1} {
			mustRegister(t, h, handle, pe(id, msg.ServerID(id%2), policy.RoundRobin{}), time.Time{})
			all = append(all, key{handle, id})
		}
	}
	all = sortedKeys(all)
	if got := keysOf(collect(h.After(Cursor{}))); !slices.Equal(got, all) {
		t.Fatalf("order %v\nwant %v", got, all)
	}
	var pools []string
	for p := range h.Pools() {
		pools = append(pools, p.Handle())
		var ids []msg.PEID
		for e := range p.Elements() {
			ids = append(ids, e.ID())
		}
		if !slices.Equal(ids, []msg.PEID{0, 1, 256, 0xffffffff}) {
			t.Fatalf("pool %q: %v", p.Handle(), ids)
		}
	}
	if !slices.Equal(pools, []string{"\x00", "a", "ab", "b", "\xff"}) {
		t.Fatalf("pools %q", pools)
	}

	// In pieces of three, resuming from a cursor.
	var got []key
	c := Cursor{}
	for {
		n := 0
		for e := range h.After(c) {
			got = append(got, key{e.Handle(), e.ID()})
			c = e.Cursor()
			if n++; n == 3 {
				break
			}
		}
		if n == 0 {
			break
		}
	}
	if !slices.Equal(got, all) {
		t.Fatalf("in pieces: %v", got)
	}

	// Changes between pieces: the element at the cursor leaves, one
	// before it comes, one after it comes.
	c = Cursor{}
	for e := range h.After(c) {
		if e.Handle() == "a" && e.ID() == 1 {
			c = e.Cursor()
			break
		}
	}
	h.Deregister([]byte("a"), 1)
	mustRegister(t, h, "a", pe(0, 0, policy.RoundRobin{}), time.Time{}) // already there: an update
	mustRegister(t, h, "a", pe(2, 0, policy.RoundRobin{}), time.Time{})
	mustRegister(t, h, "\x00", pe(7, 0, policy.RoundRobin{}), time.Time{})
	rest := keysOf(collect(h.After(c)))
	if rest[0] != (key{"a", 2}) || rest[1] != (key{"a", 256}) || slices.Contains(rest, key{"\x00", 7}) {
		t.Fatalf("after the changes: %v", rest[:3])
	}

	// Removing elements during an iteration.
	n := 0
	for e := range h.After(Cursor{}) {
		h.Deregister([]byte(e.Handle()), e.ID())
		n++
	}
	if n != len(all)+1 || h.Len() != 0 {
		t.Fatalf("removed %d while iterating, %d left", n, h.Len())
	}
}

// RFC 5353 §3.6.2: the PE checksum per home registrar, kept as elements
// come, move and go.
func TestOwnersAndChecksum(t *testing.T) {
	h := New(Limits{})
	if h.Checksum(1) != 0xffff || h.OwnedCount(1) != 0 {
		t.Fatal("empty handlespace: checksum is not 0xffff")
	}
	// The value rsplib's registrar sends for this one PE (see
	// msg.TestPEChecksumByHand).
	mustRegister(t, h, "EchoPool", pe(0x5297b1e4, 0xf15cc54b, policy.RoundRobin{}), time.Time{})
	if got := h.Checksum(0xf15cc54b); got != 0x8dd5 {
		t.Fatalf("checksum %#04x, want 0x8dd5", got)
	}
	owned := map[msg.ServerID][]key{0xf15cc54b: {{"EchoPool", 0x5297b1e4}}}
	add := func(handle string, id msg.PEID, home msg.ServerID) {
		mustRegister(t, h, handle, pe(id, home, policy.RoundRobin{}), time.Time{})
		owned[home] = append(owned[home], key{handle, id})
	}
	add("abc", 1, 2)
	add("abc", 2, 3)
	add("xyz", 9, 2)
	add("EchoPool", 5, 2)
	check := func() {
		t.Helper()
		for home, ks := range owned {
			ks = sortedKeys(ks)
			if got := keysOf(collect(h.Owned(home, Cursor{}))); !slices.Equal(got, ks) {
				t.Fatalf("home %v owns %v, want %v", home, got, ks)
			}
			if h.Checksum(home) != checksumOf(ks) || h.OwnedCount(home) != len(ks) {
				t.Fatalf("home %v: checksum %#04x, want %#04x", home, h.Checksum(home), checksumOf(ks))
			}
		}
		var homes []msg.ServerID
		for home, ks := range owned {
			if len(ks) > 0 {
				homes = append(homes, home)
			}
		}
		slices.Sort(homes)
		if got := h.Owners(nil); !slices.Equal(got, homes) {
			t.Fatalf("Owners %v, want %v", got, homes)
		}
	}
	check()
	// A takeover: the re-registration names a new home (RFC 5352 §3.1
	// rule 4).
	mustRegister(t, h, "abc", pe(1, 3, policy.RoundRobin{}), time.Time{})
	owned[2] = slices.DeleteFunc(owned[2], func(k key) bool { return k == key{"abc", 1} })
	owned[3] = append(owned[3], key{"abc", 1})
	check()
	h.Deregister([]byte("abc"), 2)
	owned[3] = slices.DeleteFunc(owned[3], func(k key) bool { return k == key{"abc", 2} })
	check()
	h.Deregister([]byte("abc"), 1)
	owned[3] = nil
	check()

	// Owned resumes after a cursor, and follows changes of home.
	c := Cursor{}
	for e := range h.Owned(2, Cursor{}) {
		c = e.Cursor()
		break
	}
	mustRegister(t, h, "xyz", pe(9, 4, policy.RoundRobin{}), time.Time{})
	if got := keysOf(collect(h.Owned(2, c))); !slices.Equal(got, nil) {
		t.Fatalf("after the cursor: %v", got)
	}
	// Moving every element of a home while iterating over it.
	n := 0
	for e := range h.Owned(4, Cursor{}) {
		mustRegister(t, h, e.Handle(), pe(e.ID(), 5, policy.RoundRobin{}), time.Time{})
		n++
	}
	if n != 1 || h.OwnedCount(4) != 0 || h.OwnedCount(5) != 1 {
		t.Fatalf("moved %d; owned by 4: %d, by 5: %d", n, h.OwnedCount(4), h.OwnedCount(5))
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"echo":     `"echo"`,
		"a\x00\"b": `"a\x00\x22b"`,
		"\xff":     `"\xff"`,
	} {
		if got := quote([]byte(in)); got != want {
			t.Errorf("quote(%q) = %s, want %s", in, got, want)
		}
	}
}
