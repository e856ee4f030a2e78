package asap

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"net/netip"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

func TestCookieRoundTrip(t *testing.T) {
	s, err := NewCookieSigner(testPoolKey, "EchoPool")
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Seal([]byte("state"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c) != cookieHeader+5+cookieMAC || c[0] != 1 {
		t.Fatalf("cookie % x", c)
	}
	got, err := s.Open(c)
	if err != nil || !bytes.Equal(got, []byte("state")) {
		t.Fatalf("Open: %q, %v", got, err)
	}
	if s.Issued(c).IsZero() {
		t.Error("no issue time")
	}
}

// RFC 5352 §3.8: the receiving PE verifies the cookie; every way of
// making one without the pool's key is refused, naming the offset.
func TestCookieRefused(t *testing.T) {
	s, _ := NewCookieSigner(testPoolKey, "EchoPool")
	good, _ := s.Seal([]byte("counter=3"))
	other, _ := NewCookieSigner([]byte("another key of sixteen+"), "EchoPool")
	otherPool, _ := NewCookieSigner(testPoolKey, "OtherPool")
	byOther, _ := other.Seal([]byte("counter=3"))
	byOtherPool, _ := otherPool.Seal([]byte("counter=3"))
	altered := bytes.Clone(good)
	altered[cookieHeader] ^= 1
	badVersion := bytes.Clone(good)
	badVersion[0] = 2
	tests := []struct {
		name   string
		cookie []byte
		offset int
		rule   string
	}{
		{"short", good[:cookieHeader+cookieMAC-1], 40, "shorter than the 41 bytes of header and MAC"},
		{"too long", make([]byte, MaxCookieLen+1), MaxCookieLen, "longer than 61481 bytes"},
		{"forged", append([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 'x'}, make([]byte, 32)...), 10, "HMAC does not match: forged, altered, or signed with another pool's key"},
		{"altered state", altered, len(good) - cookieMAC, "HMAC does not match: forged, altered, or signed with another pool's key"},
		{"altered version", badVersion, len(good) - cookieMAC, "HMAC does not match: forged, altered, or signed with another pool's key"},
		{"another key", byOther, len(good) - cookieMAC, "HMAC does not match: forged, altered, or signed with another pool's key"},
		{"another pool", byOtherPool, len(good) - cookieMAC, "HMAC does not match: forged, altered, or signed with another pool's key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			state, err := s.Open(tc.cookie)
			var ce *CookieError
			if !errors.As(err, &ce) || !errors.Is(err, ErrCookieInvalid) {
				t.Fatalf("Open: %q, %v", state, err)
			}
			if ce.Offset != tc.offset || ce.Rule != tc.rule {
				t.Errorf("error at %d %q, want %d %q", ce.Offset, ce.Rule, tc.offset, tc.rule)
			}
		})
	}
}

func TestCookieSignerConfig(t *testing.T) {
	if _, err := NewCookieSigner([]byte("short"), "EchoPool"); !errors.Is(err, ErrConfig) {
		t.Errorf("short key: %v", err)
	}
	if _, err := NewCookieSigner(testPoolKey, ""); !errors.Is(err, ErrConfig) {
		t.Errorf("empty handle: %v", err)
	}
	s, _ := NewCookieSigner(testPoolKey, "EchoPool")
	if _, err := s.Seal(make([]byte, MaxCookieState+1)); !errors.Is(err, ErrConfig) {
		t.Errorf("oversized state: %v", err)
	}
}

// A pool user echoing a forged or altered cookie gets nothing restored:
// the PE's ServerSession refuses it with a *CookieError, and an honest
// cookie on the same PE still restores.
func TestServerSessionRefusesForgedCookie(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		pe := tn.sessionPE(pe1Addr, 1, testPoolKey)
		ep := tn.endpoint(puAddr, 7000)
		other, _ := NewCookieSigner([]byte("not the pool's key at all"), "EchoPool")
		forged, _ := other.Seal([]byte{0, 0, 0, 0, 0, 0, 0, 99})
		good, _ := pe.signer.Seal([]byte{0, 0, 0, 0, 0, 0, 0, 7})
		altered := bytes.Clone(good)
		altered[len(altered)-cookieMAC-1] = 99
		for _, c := range [][]byte{forged, altered, []byte("garbage")} {
			a, err := ep.Dial(context.Background(), pe1Addrs(), pePort)
			if err != nil {
				t.Fatal(err)
			}
			if err := WriteMessage(context.Background(), a, &msg.CookieEcho{Cookie: c}); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-pe.refused:
				if !errors.Is(err, ErrCookieInvalid) {
					t.Errorf("refused with %v", err)
				}
			case got := <-pe.restored:
				t.Fatalf("cookie % x restored %d", c, got)
			case <-time.After(time.Second):
				t.Fatal("cookie neither refused nor restored")
			}
			<-a.Done()
		}
		a, err := ep.Dial(context.Background(), pe1Addrs(), pePort)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Abort("done")
		if err := WriteMessage(context.Background(), a, &msg.CookieEcho{Cookie: good}); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-pe.restored:
			if got != 7 {
				t.Errorf("restored %d", got)
			}
		case <-time.After(time.Second):
			t.Fatal("good cookie not restored")
		}
	})
}

func pe1Addrs() []netip.AddrPort { return []netip.AddrPort{pe1Addr} }

// ServerSessionConfig.MaxCookieAge: an honest cookie echoed after the
// age is refused at the issue time's offset, a fresh one restores, and
// without the limit the old one restores too.
func TestServerSessionMaxCookieAge(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tn := newTestNet(t)
		pe := tn.sessionPE(pe1Addr, 1, testPoolKey)
		pe.maxAge.Store(int64(time.Minute))
		ep := tn.endpoint(puAddr, 7000)
		old, _ := pe.signer.Seal([]byte{0, 0, 0, 0, 0, 0, 0, 5})
		time.Sleep(time.Minute + time.Second)
		fresh, _ := pe.signer.Seal([]byte{0, 0, 0, 0, 0, 0, 0, 6})
		var a *sctp.Association
		echo := func(c []byte) {
			t.Helper()
			if a != nil {
				a.Abort("next")
				<-a.Done()
			}
			var err error
			if a, err = ep.Dial(context.Background(), pe1Addrs(), pePort); err != nil {
				t.Fatal(err)
			}
			if err := WriteMessage(context.Background(), a, &msg.CookieEcho{Cookie: c}); err != nil {
				t.Fatal(err)
			}
		}
		defer func() { a.Abort("done") }()
		echo(old)
		select {
		case err := <-pe.refused:
			var ce *CookieError
			if !errors.As(err, &ce) || ce.Offset != 1 || !strings.Contains(ce.Rule, "more than MaxCookieAge 1m0s") {
				t.Errorf("refused with %v", err)
			}
		case got := <-pe.restored:
			t.Fatalf("stale cookie restored %d", got)
		case <-time.After(time.Second):
			t.Fatal("stale cookie neither refused nor restored")
		}
		for _, tc := range []struct {
			maxAge time.Duration
			cookie []byte
			want   uint64
		}{{time.Minute, fresh, 6}, {0, old, 5}} {
			pe.maxAge.Store(int64(tc.maxAge))
			echo(tc.cookie)
			select {
			case got := <-pe.restored:
				if got != tc.want {
					t.Errorf("restored %d, want %d", got, tc.want)
				}
			case err := <-pe.refused:
				t.Errorf("MaxCookieAge %v: cookie refused: %v", tc.maxAge, err)
			case <-time.After(time.Second):
				t.Fatal("cookie neither refused nor restored")
			}
		}
	})
}
