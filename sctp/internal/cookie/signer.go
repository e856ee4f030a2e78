package cookie

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"time"
)

// DefaultRotation is the key rotation period NewSigner uses when given
// zero: RFC 9260 §5.1.3 suggests changing the secret "e.g., hourly". A key
// is then in use for two hours at most (one as the current key, one as the
// previous), while the usual lifespan is a minute (Valid.Cookie.Life, §16).
const DefaultRotation = time.Hour

// keyLen is the size of a secret key: the output size of SHA-256, which
// RFC 2104 §3 gives as the useful minimum for HMAC and beyond which a
// longer key adds little.
const keyLen = sha256.Size

// key is one secret key, kept as a ready HMAC that is Reset between uses
// so that sealing and opening allocate nothing.
type key struct {
	mac   hash.Hash // nil when there is no such key
	id    byte      // carried in the cookie to pick the key without trying both
	start time.Time // when it became the current key
}

// Signer seals and opens cookies (RFC 9260 §5.1.3, §5.1.5). It holds the
// current secret key and the one before it. It is not safe for concurrent
// use: Open reuses the same HMAC state as Seal.
type Signer struct {
	rand   io.Reader
	rotate time.Duration
	cur    key
	prev   key
	sum    [macLen]byte // Open's MAC, kept here so that it does not escape per call
}

// NewSigner returns a Signer whose first key is read from rand now. The
// key changes every rotate (DefaultRotation when zero); rand is read again
// only then, so a Signer given the same bytes and times is deterministic.
// rand should be crypto/rand.Reader or as good: §5.1.3 wants the secret
// random (RFC 4086).
func NewSigner(rand io.Reader, now time.Time, rotate time.Duration) (*Signer, error) {
	if rand == nil {
		return nil, errors.New("cookie: nil random source")
	}
	if rotate < 0 {
		return nil, fmt.Errorf("cookie: negative key rotation period %v", rotate)
	}
	if rotate == 0 {
		rotate = DefaultRotation
	}
	s := &Signer{rand: rand, rotate: rotate}
	mac, err := s.newMAC()
	if err != nil {
		return nil, err
	}
	s.cur = key{mac: mac, start: now}
	return s, nil
}

// Rotation returns the key rotation period, which bounds the lifespan
// Seal accepts.
func (s *Signer) Rotation() time.Duration { return s.rotate }

// newMAC reads a fresh secret key and returns an HMAC keyed with it.
func (s *Signer) newMAC() (hash.Hash, error) {
	var k [keyLen]byte
	if _, err := io.ReadFull(s.rand, k[:]); err != nil {
		return nil, fmt.Errorf("cookie: reading secret key: %w", err)
	}
	return hmac.New(sha256.New, k[:]), nil
}

// rotateIfDue makes a new current key once the current one has served a
// whole period. The old one becomes the previous key if it was current in
// the period just ended; after a longer quiet spell it has outlived even
// that and is dropped. Periods stay aligned on the first key's start, so
// no key is current for longer than one period whenever Seal is called.
func (s *Signer) rotateIfDue(now time.Time) error {
	elapsed := now.Sub(s.cur.start)
	if elapsed < s.rotate {
		return nil
	}
	mac, err := s.newMAC()
	if err != nil {
		return err
	}
	periods := elapsed / s.rotate
	if periods == 1 {
		s.prev = s.cur
	} else {
		s.prev = key{}
	}
	s.cur = key{mac: mac, id: s.cur.id + 1, start: s.cur.start.Add(periods * s.rotate)}
	return nil
}

// keyFor returns the HMAC of the key a cookie names, if that key is still
// accepted at now: the current key for two periods after it started
// (current, then previous), the previous one until the current one has
// served its period. Deciding from the clock as well as from what Seal
// rotated keeps old keys from living on while nothing is sealed.
func (s *Signer) keyFor(id byte, now time.Time) hash.Hash {
	elapsed := now.Sub(s.cur.start) // saturates; negative after a clock step back
	switch {
	case id == s.cur.id && elapsed/s.rotate < 2:
		return s.cur.mac
	case s.prev.mac != nil && id == s.prev.id && elapsed < s.rotate:
		return s.prev.mac
	}
	return nil
}

// Seal appends to dst the cookie carrying st, signed with the current key,
// and returns the extended slice; dst is grown at most once. It first
// changes the key if a rotation is due, which is the only time it reads
// randomness. On error dst is returned unchanged: ErrInitTooLong,
// ErrInvalidState (see State), or the random source's failure.
//
// st.Created is normally now; now only drives the key rotation.
func (s *Signer) Seal(dst []byte, st *State, now time.Time) ([]byte, error) {
	if err := st.check(s.rotate); err != nil {
		return dst, err
	}
	if err := s.rotateIfDue(now); err != nil {
		return dst, err
	}
	start := len(dst)
	if n := st.sealedLen(); cap(dst)-start < n {
		grown := make([]byte, start, start+n)
		copy(grown, dst)
		dst = grown
	}
	dst = st.appendBody(dst, s.cur.id)
	mac := s.cur.mac
	mac.Reset()
	mac.Write(dst[start:])
	return mac.Sum(dst), nil
}

// Open authenticates a cookie from a COOKIE ECHO and decodes it (RFC 9260
// §5.1.5). The returned State's Init aliases b; nothing is allocated
// unless an error other than ErrBadMAC is returned.
//
// Errors:
//   - ErrBadMAC (steps 1 and 2): a length or version Seal does not make, a
//     key no longer held, or a wrong MAC, compared in constant time. The
//     packet is to be silently discarded.
//   - *StaleError (step 4): the cookie is authentic but now is past
//     Created+Lifetime, or before Created-Lifetime. The State is returned
//     as well, for §5.2.4 step 3.
//   - *MalformedError, matching ErrMalformed: authentic, but fields that
//     Seal never writes.
//
// A cookie created in the future, which only a backward step of our clock
// can produce, is taken as fresh while it is at most its lifespan ahead:
// a small correction must not break the handshakes under way. Further
// ahead it is stale, so that a large step cannot stretch the window in
// which the cookie can be replayed beyond twice its lifespan; stale rather
// than silently dropped, because the Stale Cookie error makes the peer
// start again with a new INIT (§5.2.6) instead of retransmitting the
// COOKIE ECHO until it gives up.
func (s *Signer) Open(b []byte, now time.Time) (State, error) {
	if len(b) < minCookieLen || len(b) > MaxCookieLen || b[0] != version {
		return State{}, ErrBadMAC
	}
	mac := s.keyFor(b[1], now)
	if mac == nil {
		return State{}, ErrBadMAC
	}
	body := b[:len(b)-macLen]
	mac.Reset()
	mac.Write(body)
	if !hmac.Equal(mac.Sum(s.sum[:0]), b[len(body):]) {
		return State{}, ErrBadMAC
	}
	st, err := decodeBody(body)
	if err != nil {
		return State{}, err
	}
	if expiry := st.Created.Add(st.Lifetime); now.After(expiry) {
		return st, &StaleError{Staleness: now.Sub(expiry)}
	}
	if now.Before(st.Created.Add(-st.Lifetime)) {
		return st, &StaleError{}
	}
	return st, nil
}
