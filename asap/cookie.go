package asap

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"strconv"
	"time"
)

// RFC 5352 §3.8 leaves the cookie's contents to the pool elements and
// asks only that "a cookie should be signed by the sending PE ASAP
// Endpoint and ... verified by the receiving PE's ASAP Endpoint": the pool
// user keeps it and echoes it unmodified to whichever PE takes over. The
// PEs of a pool therefore share one key, and any of them can check what
// another signed. A CookieSigner is that shared key bound to the pool
// handle, so that a cookie of one pool is refused by another.
//
// The format, all of it covered by the MAC:
//
//	offset 0   version (1 byte, 1)
//	offset 1   issue time, Unix nanoseconds (8 bytes, big-endian)
//	offset 9   application state (any length up to MaxCookieState)
//	end-32     HMAC-SHA-256(key, handle length (2) | handle | bytes 0..end-32)

// Limits of cookies.
const (
	// MaxCookieState bounds the application state a cookie carries: the
	// pool user holds it for the whole session, and the cookie rides in
	// one SCTP message.
	MaxCookieState = 60 * 1024
	// MinCookieKey is the shortest pool key accepted: 128 bits.
	MinCookieKey = 16

	cookieVersion = 1
	cookieHeader  = 9
	cookieMAC     = sha256.Size
	// MaxCookieLen is the longest cookie a CookieSigner makes, and so the
	// longest a session keeps.
	MaxCookieLen = cookieHeader + MaxCookieState + cookieMAC
)

// ErrCookieInvalid is matched by every *CookieError.
var ErrCookieInvalid = errors.New("asap: invalid cookie")

// CookieError says why an echoed cookie was refused: the byte offset in
// the cookie where the fault is and the rule broken.
type CookieError struct {
	Offset int
	Rule   string
}

func (e *CookieError) Error() string {
	return "asap: cookie refused at byte " + strconv.Itoa(e.Offset) + ": " + e.Rule
}

// Is makes errors.Is(err, ErrCookieInvalid) true.
func (e *CookieError) Is(target error) bool { return target == ErrCookieInvalid }

// CookieSigner signs and verifies the cookies of one pool with the key
// all its pool elements are configured with. It is safe for concurrent
// use.
type CookieSigner struct {
	key    []byte
	handle string
	now    func() time.Time
}

// NewCookieSigner returns the signer of pool handle's cookies with key,
// which must be at least MinCookieKey bytes and the same on every PE of
// the pool.
func NewCookieSigner(key []byte, handle string) (*CookieSigner, error) {
	if len(key) < MinCookieKey {
		return nil, &ConfigError{Field: "cookie key", Rule: "shorter than " + strconv.Itoa(MinCookieKey) + " bytes"}
	}
	if err := checkHandle(handle); err != nil {
		return nil, err
	}
	return &CookieSigner{key: append([]byte(nil), key...), handle: handle, now: time.Now}, nil
}

// Seal returns a signed cookie carrying state.
func (s *CookieSigner) Seal(state []byte) ([]byte, error) {
	if len(state) > MaxCookieState {
		return nil, &ConfigError{Field: "cookie state", Rule: strconv.Itoa(len(state)) + " bytes, more than " + strconv.Itoa(MaxCookieState)}
	}
	b := make([]byte, 0, cookieHeader+len(state)+cookieMAC)
	b = append(b, cookieVersion)
	b = binary.BigEndian.AppendUint64(b, uint64(s.now().UnixNano()))
	b = append(b, state...)
	return append(b, s.mac(b)...), nil
}

// Open verifies a cookie and returns the state it carries, which aliases
// cookie. A cookie that another key signed, that names another pool, or
// that was altered in any byte is refused with a *CookieError.
func (s *CookieSigner) Open(cookie []byte) ([]byte, error) {
	switch {
	case len(cookie) < cookieHeader+cookieMAC:
		return nil, &CookieError{Offset: len(cookie), Rule: "shorter than the " + strconv.Itoa(cookieHeader+cookieMAC) + " bytes of header and MAC"}
	case len(cookie) > MaxCookieLen:
		return nil, &CookieError{Offset: MaxCookieLen, Rule: "longer than " + strconv.Itoa(MaxCookieLen) + " bytes"}
	}
	body := cookie[:len(cookie)-cookieMAC]
	if !hmac.Equal(s.mac(body), cookie[len(body):]) {
		return nil, &CookieError{Offset: len(body), Rule: "HMAC does not match: forged, altered, or signed with another pool's key"}
	}
	if cookie[0] != cookieVersion {
		return nil, &CookieError{Offset: 0, Rule: "version " + strconv.Itoa(int(cookie[0])) + ", not 1"}
	}
	return body[cookieHeader:], nil
}

// Issued returns when a cookie that Open accepted was made.
func (s *CookieSigner) Issued(cookie []byte) time.Time {
	if len(cookie) < cookieHeader {
		return time.Time{}
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(cookie[1:9])))
}

func (s *CookieSigner) mac(body []byte) []byte {
	h := hmac.New(sha256.New, s.key)
	var n [2]byte
	binary.BigEndian.PutUint16(n[:], uint16(len(s.handle)))
	h.Write(n[:])
	h.Write([]byte(s.handle))
	h.Write(body)
	return h.Sum(nil)
}
