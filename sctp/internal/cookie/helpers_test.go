package cookie

import (
	"bytes"
	"crypto/sha256"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/wire"
)

// t0 is an arbitrary start for the tests' clock.
var t0 = time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)

// countingReader yields a deterministic byte stream and counts what was
// read, so that tests can see when a Signer reads randomness.
type countingReader struct {
	next byte
	n    int
}

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.next
		r.next = r.next*31 + 7
	}
	r.n += len(p)
	return len(p), nil
}

func newSigner(t testing.TB, seed byte) (*Signer, *countingReader) {
	t.Helper()
	r := &countingReader{next: seed}
	s, err := NewSigner(r, t0, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return s, r
}

// testInit is a plausible INIT chunk: the header and fixed fields of RFC
// 9260 §3.3.2 followed by n-20 bytes of parameters' worth.
func testInit(n int) []byte {
	b := make([]byte, n)
	b[0] = byte(wire.ChunkInit)
	b[2], b[3] = byte(n>>8), byte(n)
	for i := 4; i < n; i++ {
		b[i] = byte(i * 7)
	}
	return b
}

// sampleState has a distinct non-zero value in every field, so that a
// round trip shows each one.
func sampleState() State {
	return State{
		Created:     t0,
		Lifetime:    60 * time.Second,
		LocalVTag:   0x11223344,
		LocalTSN:    0x55667788,
		LocalRwnd:   0x0000f000,
		OutStreams:  10,
		InStreams:   65535,
		LocalTieTag: 0x99aabbcc,
		PeerTieTag:  0xddeeff01,
		LocalPort:   9899,
		PeerPort:    5000,
		PeerAddr:    netip.MustParseAddr("192.0.2.7"),
		Init:        testInit(100),
	}
}

func seal(t testing.TB, s *Signer, st State, now time.Time) []byte {
	t.Helper()
	b, err := s.Seal(nil, &st, now)
	if err != nil {
		t.Fatalf("Seal: %v", err)
	}
	return b
}

// resign gives b a valid MAC under s's current key, so that tests can
// reach what Open checks after authentication.
func resign(s *Signer, b []byte) {
	b[1] = s.cur.id
	body := b[:len(b)-macLen]
	s.cur.mac.Reset()
	s.cur.mac.Write(body)
	copy(b[len(body):], s.cur.mac.Sum(make([]byte, 0, sha256.Size)))
}

// sameState compares two States field by field, times with Equal.
func sameState(t testing.TB, got, want State) {
	t.Helper()
	if !got.Created.Equal(want.Created) {
		t.Errorf("Created = %v, want %v", got.Created, want.Created)
	}
	if !bytes.Equal(got.Init, want.Init) {
		t.Errorf("Init = %x, want %x", got.Init, want.Init)
	}
	got.Created, want.Created = time.Time{}, time.Time{}
	got.Init, want.Init = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("State =\n %+v, want\n %+v", got, want)
	}
}
