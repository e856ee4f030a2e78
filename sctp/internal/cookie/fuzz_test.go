package cookie

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/wire"
)

// FuzzOpen checks that Open never panics on arbitrary bytes, nor on
// arbitrary bytes that carry a valid MAC (which reach the decoder), and
// that a cookie sealed from arbitrary State fields and INIT bytes opens
// to exactly that State, stale or not.
func FuzzOpen(f *testing.F) {
	other, _ := newSigner(f, 9)
	f.Add(seal(f, other, sampleState(), t0), int64(0), int64(60e9), uint64(1), uint64(2), uint32(3), uint32(4), []byte{192, 0, 2, 1}, testInit(20))
	f.Add([]byte{}, int64(-1), int64(-1), uint64(0), uint64(0), uint32(0), uint32(0), []byte{}, []byte{})
	f.Add(make([]byte, minCookieLen), int64(1<<62), int64(3600e9), ^uint64(0), ^uint64(0), ^uint32(0), ^uint32(0), make([]byte, 16), []byte{1})

	f.Fuzz(func(t *testing.T, raw []byte, created, lifetime int64, tags, tsnRwnd uint64, streams, ports uint32, addr, init []byte) {
		s, _ := newSigner(t, 1)

		// Arbitrary bytes: refused, without a panic.
		if _, err := s.Open(raw, t0); err != ErrBadMAC {
			t.Fatalf("forged cookie: err = %v", err)
		}
		// The same with a valid MAC reaches the decoder.
		if len(raw) >= minCookieLen && len(raw) <= MaxCookieLen {
			b := bytes.Clone(raw)
			b[0] = version
			resign(s, b)
			_, err := s.Open(b, t0)
			var se *StaleError
			if err != nil && !errors.Is(err, ErrMalformed) && !errors.As(err, &se) {
				t.Fatalf("authentic cookie: err = %v", err)
			}
		}

		// A cookie we made from arbitrary fields round-trips.
		if lifetime < 0 {
			lifetime = -(lifetime + 1)
		}
		want := State{
			Created:     time.Unix(0, created).UTC(),
			Lifetime:    time.Duration(lifetime) % (s.Rotation() + 1),
			LocalVTag:   wire.VTag(tags >> 32),
			LocalTieTag: wire.VTag(tags),
			PeerTieTag:  wire.VTag(tags>>16) ^ wire.VTag(tsnRwnd),
			LocalTSN:    wire.TSN(tsnRwnd >> 32),
			LocalRwnd:   uint32(tsnRwnd),
			OutStreams:  uint16(streams >> 16),
			InStreams:   uint16(streams),
			LocalPort:   uint16(ports >> 16),
			PeerPort:    uint16(ports),
			Init:        init,
		}
		switch len(addr) {
		case 4:
			want.PeerAddr = netip.AddrFrom4([4]byte(addr))
		case 16:
			want.PeerAddr = netip.AddrFrom16([16]byte(addr))
		}
		b, err := s.Seal(nil, &want, t0)
		if len(init) > MaxInitLen {
			if !errors.Is(err, ErrInitTooLong) {
				t.Fatalf("INIT of %d bytes: err = %v", len(init), err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Seal: %v", err)
		}
		// Opened at t0, so that the key is current; the creation time
		// decides freshness (§5.1.5 step 4), and the State comes back
		// either way.
		got, err := s.Open(b, t0)
		fresh := !t0.Before(want.Created.Add(-want.Lifetime)) && !t0.After(want.Created.Add(want.Lifetime))
		var se *StaleError
		switch {
		case fresh && err != nil:
			t.Fatalf("Open of a fresh cookie: %v", err)
		case !fresh && !errors.As(err, &se):
			t.Fatalf("Open of a stale cookie: err = %v", err)
		}
		sameState(t, got, want)
	})
}
