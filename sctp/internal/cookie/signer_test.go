package cookie

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"
)

// RFC 9260 §5.1.5 step 2: a cookie that is not exactly as sealed fails
// authentication, whichever bit is changed.
func TestRFC9260_5_1_5_Step2_FlippedBitRefused(t *testing.T) {
	s, _ := newSigner(t, 1)
	b := seal(t, s, sampleState(), t0)
	for i := range b {
		for bit := range 8 {
			c := bytes.Clone(b)
			c[i] ^= 1 << bit
			if _, err := s.Open(c, t0); err != ErrBadMAC {
				t.Fatalf("byte %d bit %d flipped: err = %v, want ErrBadMAC", i, bit, err)
			}
		}
	}
	if _, err := s.Open(b, t0); err != nil {
		t.Fatalf("original: %v", err)
	}
}

// RFC 9260 §5.1.5 step 2: a cookie cut short at any length, or lengthened,
// is refused without a panic.
func TestRFC9260_5_1_5_Step2_TruncatedRefused(t *testing.T) {
	s, _ := newSigner(t, 1)
	b := seal(t, s, sampleState(), t0)
	for n := range len(b) {
		if _, err := s.Open(b[:n], t0); err != ErrBadMAC {
			t.Fatalf("%d of %d bytes: err = %v, want ErrBadMAC", n, len(b), err)
		}
	}
	if _, err := s.Open(append(bytes.Clone(b), 0), t0); err != ErrBadMAC {
		t.Fatalf("one byte more: err = %v, want ErrBadMAC", err)
	}
	// Longer than Seal ever makes: refused before any MAC is computed,
	// even if the MAC were right.
	st := sampleState()
	long := st.appendBody(nil, 0)[:fixedLen]
	long[offAddrLen] = 0
	long = append(long, make([]byte, MaxCookieLen+1-fixedLen)...)
	resign(s, long)
	if _, err := s.Open(long, t0); err != ErrBadMAC {
		t.Fatalf("longer than MaxCookieLen: err = %v, want ErrBadMAC", err)
	}
}

// RFC 9260 §5.1.5 step 2: only cookies made with our secret pass; another
// Signer's key, even at the same key identifier, does not.
func TestRFC9260_5_1_5_Step2_OtherSignerRefused(t *testing.T) {
	a, _ := newSigner(t, 1)
	b, _ := newSigner(t, 2)
	c := seal(t, a, sampleState(), t0)
	if _, err := b.Open(c, t0); err != ErrBadMAC {
		t.Fatalf("err = %v, want ErrBadMAC", err)
	}
}

// RFC 9260 §5.1.3: the secret changes every rotation period, and the
// previous one still opens cookies, so that one sealed just before a
// change lives its lifespan; after a second change it is gone and §5.1.5
// step 1 discards the cookie.
func TestRFC9260_5_1_3_KeyRotation(t *testing.T) {
	const r = time.Hour
	st := sampleState()
	st.Lifetime = r
	before := t0.Add(r - time.Nanosecond)
	st.Created = before

	t.Run("sealed again at each rotation", func(t *testing.T) {
		s, _ := newSigner(t, 1)
		c := seal(t, s, st, before)
		seal(t, s, st, t0.Add(r)) // first rotation
		if _, err := s.Open(c, t0.Add(r)); err != nil {
			t.Fatalf("after one rotation: %v", err)
		}
		seal(t, s, st, t0.Add(2*r)) // second rotation
		if _, err := s.Open(c, t0.Add(2*r)); err != ErrBadMAC {
			t.Fatalf("after two rotations: err = %v, want ErrBadMAC", err)
		}
	})
	t.Run("nothing sealed since", func(t *testing.T) {
		s, _ := newSigner(t, 1)
		c := seal(t, s, st, before)
		if _, err := s.Open(c, t0.Add(2*r-time.Nanosecond)); err != nil {
			t.Fatalf("within two periods: %v", err)
		}
		if _, err := s.Open(c, t0.Add(2*r)); err != ErrBadMAC {
			t.Fatalf("two periods after the key started: err = %v, want ErrBadMAC", err)
		}
	})
	t.Run("previous key refused once its successor served a period", func(t *testing.T) {
		s, _ := newSigner(t, 1)
		c := seal(t, s, st, before)
		seal(t, s, st, t0.Add(r))
		if _, err := s.Open(c, t0.Add(2*r)); err != ErrBadMAC {
			t.Fatalf("err = %v, want ErrBadMAC", err)
		}
	})
	t.Run("long quiet spell drops the old key", func(t *testing.T) {
		s, _ := newSigner(t, 1)
		c := seal(t, s, st, before)
		now := t0.Add(2*r + r/2)
		seal(t, s, st, now) // two periods at once: current key starts at t0+2r
		if _, err := s.Open(c, now); err != ErrBadMAC {
			t.Fatalf("err = %v, want ErrBadMAC", err)
		}
	})
	t.Run("new key in use after rotation", func(t *testing.T) {
		s, _ := newSigner(t, 1)
		c1 := seal(t, s, st, before)
		c2 := seal(t, s, st, t0.Add(r))
		if c1[1] == c2[1] || bytes.Equal(c1[len(c1)-macLen:], c2[len(c2)-macLen:]) {
			t.Fatal("same key identifier or MAC after rotation")
		}
	})
}

// RFC 9260 §5.1.3: the secret is random, read from the caller's source
// when a key is made and at no other time, so that the Signer is
// deterministic for a given source.
func TestRFC9260_5_1_3_RandReadOnlyAtRotation(t *testing.T) {
	s, r := newSigner(t, 1)
	if r.n != keyLen {
		t.Fatalf("NewSigner read %d bytes, want %d", r.n, keyLen)
	}
	st := sampleState()
	st.Lifetime = time.Hour
	var c []byte
	for i := range 10 {
		now := t0.Add(time.Duration(i) * time.Minute)
		st.Created = now
		c = seal(t, s, st, now)
		if _, err := s.Open(c, now); err != nil {
			t.Fatal(err)
		}
	}
	if r.n != keyLen {
		t.Fatalf("read %d bytes before any rotation, want %d", r.n, keyLen)
	}
	seal(t, s, st, t0.Add(time.Hour))
	if r.n != 2*keyLen {
		t.Fatalf("read %d bytes after one rotation, want %d", r.n, 2*keyLen)
	}
	if _, err := s.Open(c, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if r.n != 2*keyLen {
		t.Fatalf("Open read randomness")
	}

	s2, _ := newSigner(t, 1)
	if c2 := seal(t, s2, st, st.Created); !bytes.Equal(c2, c) {
		t.Fatal("same source and inputs, different cookie")
	}
}

// Key periods stay on the grid of the first key's start, whichever call
// makes the rotation: a key made late in its period is still replaced at
// the period's end, so none is current for longer than the period §5.1.3
// wants the secret changed at.
func TestRFC9260_5_1_3_RotationAligned(t *testing.T) {
	s, r := newSigner(t, 1)
	st := sampleState()
	seal(t, s, st, t0.Add(time.Hour+59*time.Minute)) // late in the second period
	if r.n != 2*keyLen {
		t.Fatalf("read %d bytes, want %d", r.n, 2*keyLen)
	}
	seal(t, s, st, t0.Add(2*time.Hour-time.Nanosecond))
	if r.n != 2*keyLen {
		t.Fatalf("rotated before the period ended")
	}
	seal(t, s, st, t0.Add(2*time.Hour))
	if r.n != 3*keyLen {
		t.Fatalf("not rotated at the end of the period")
	}
}

type failingReader struct{ after int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.after <= 0 {
		return 0, io.ErrUnexpectedEOF
	}
	n := min(len(p), r.after)
	r.after -= n
	return n, nil
}

// A failing random source is reported, never papered over with a weak
// key; the old key stays in use until a rotation succeeds.
func TestRFC9260_5_1_3_RandFailure(t *testing.T) {
	if _, err := NewSigner(&failingReader{after: keyLen - 1}, t0, 0); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("NewSigner: err = %v", err)
	}
	s, err := NewSigner(&failingReader{after: keyLen}, t0, 0)
	if err != nil {
		t.Fatal(err)
	}
	st := sampleState()
	st.Lifetime = time.Hour
	c := seal(t, s, st, t0)
	dst := []byte{9}
	b, err := s.Seal(dst, &st, t0.Add(time.Hour))
	if !errors.Is(err, io.ErrUnexpectedEOF) || !bytes.Equal(b, dst) {
		t.Fatalf("Seal at rotation: %x, %v", b, err)
	}
	if _, err := s.Open(c, t0.Add(time.Hour)); err != nil {
		t.Fatalf("old key lost: %v", err)
	}
}

func TestNewSignerArguments(t *testing.T) {
	s, err := NewSigner(&countingReader{}, t0, 0)
	if err != nil || s.Rotation() != DefaultRotation {
		t.Fatalf("rotation 0: %v, %v", s, err)
	}
	if _, err := NewSigner(&countingReader{}, t0, -time.Second); err == nil {
		t.Error("negative rotation accepted")
	}
	if _, err := NewSigner(nil, t0, 0); err == nil {
		t.Error("nil source accepted")
	}
}
