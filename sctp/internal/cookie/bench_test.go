package cookie

import (
	"testing"
)

// The cookie is made for every INIT and checked for every COOKIE ECHO,
// including forged ones sent to exhaust us (§5.1.3 asks for a MAC that
// resists "cookie flooding attacks"), so neither should allocate.

func BenchmarkSeal(b *testing.B) {
	s, _ := newSigner(b, 1)
	st := sampleState() // 100-byte INIT
	dst := make([]byte, 0, MaxCookieLen)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if dst, err = s.Seal(dst[:0], &st, t0); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(dst)))
}

func BenchmarkOpen(b *testing.B) {
	s, _ := newSigner(b, 1)
	c := seal(b, s, sampleState(), t0)
	b.ReportAllocs()
	b.SetBytes(int64(len(c)))
	for b.Loop() {
		if _, err := s.Open(c, t0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenForged(b *testing.B) {
	s, _ := newSigner(b, 1)
	c := seal(b, s, sampleState(), t0)
	c[len(c)-1] ^= 1
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Open(c, t0); err != ErrBadMAC {
			b.Fatal(err)
		}
	}
}

func BenchmarkSealNilDst(b *testing.B) {
	s, _ := newSigner(b, 1)
	st := sampleState()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Seal(nil, &st, t0); err != nil {
			b.Fatal(err)
		}
	}
}

// Open allocates nothing, whether the cookie is good or forged, and Seal
// nothing when dst has room: a flood of INITs or forged COOKIE ECHOs must
// not turn into garbage to collect.
func TestRFC9260_5_1_3_NoAllocations(t *testing.T) {
	s, _ := newSigner(t, 1)
	st := sampleState()
	c := seal(t, s, st, t0)
	forged := append([]byte(nil), c...)
	forged[len(forged)-1] ^= 1
	dst := make([]byte, 0, MaxCookieLen)
	for name, f := range map[string]func(){
		"Open":        func() { _, _ = s.Open(c, t0) },
		"Open forged": func() { _, _ = s.Open(forged, t0) },
		"Seal":        func() { _, _ = s.Seal(dst[:0], &st, t0) },
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocations, want 0", name, n)
		}
	}
}
