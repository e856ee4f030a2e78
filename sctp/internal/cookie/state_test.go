package cookie

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"
	"time"
	"unsafe"

	"github.com/rserpool/rserpool/sctp/wire"
)

// RFC 9260 §5.1.3: the cookie carries "all the information necessary for
// it to establish the association"; every field comes back as sealed,
// including the Tie-Tags of §5.2.2, zero for a new association and
// random for a restart.
func TestRFC9260_5_1_3_RoundTripEveryField(t *testing.T) {
	s, _ := newSigner(t, 1)
	tests := []struct {
		name string
		edit func(*State)
	}{
		{"every field set", func(*State) {}},
		{"5.2.2 no existing association, tie-tags zero", func(st *State) { st.LocalTieTag, st.PeerTieTag = 0, 0 }},
		{"IPv6 peer", func(st *State) { st.PeerAddr = netip.MustParseAddr("2001:db8::1") }},
		{"IPv4-mapped IPv6 peer stays IPv6", func(st *State) { st.PeerAddr = netip.MustParseAddr("::ffff:192.0.2.1") }},
		{"no peer address", func(st *State) { st.PeerAddr = netip.Addr{} }},
		{"empty INIT", func(st *State) { st.Init = nil }},
		{"longest INIT", func(st *State) { st.Init = testInit(MaxInitLen) }},
		{"zero lifetime", func(st *State) { st.Lifetime = 0 }},
		{"lifetime of one rotation", func(st *State) { st.Lifetime = time.Hour }},
		{"largest values", func(st *State) {
			st.LocalVTag, st.LocalTSN, st.LocalRwnd = 0xffffffff, 0xffffffff, 0xffffffff
			st.OutStreams, st.InStreams, st.LocalPort, st.PeerPort = 0xffff, 0xffff, 0xffff, 0xffff
			st.LocalTieTag, st.PeerTieTag = 0xffffffff, 0xffffffff
		}},
		{"sub-microsecond creation time", func(st *State) { st.Created = t0.Add(time.Nanosecond) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := sampleState()
			tt.edit(&want)
			b := seal(t, s, want, t0)
			if len(b) != want.sealedLen() {
				t.Fatalf("sealed %d bytes, want %d", len(b), want.sealedLen())
			}
			got, err := s.Open(b, want.Created)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			sameState(t, got, want)
		})
	}
}

// RFC 9260 §5.1.3 leaves the zone of a link-local peer out of the
// cookie: the receiver knows the interface.
func TestRFC9260_5_1_3_ZoneNotCarried(t *testing.T) {
	s, _ := newSigner(t, 1)
	st := sampleState()
	st.PeerAddr = netip.MustParseAddr("fe80::1%eth0")
	got, err := s.Open(seal(t, s, st, t0), t0)
	if err != nil {
		t.Fatal(err)
	}
	if want := netip.MustParseAddr("fe80::1"); got.PeerAddr != want {
		t.Errorf("PeerAddr = %v, want %v", got.PeerAddr, want)
	}
}

// Open returns Init aliasing the cookie: nothing is copied.
func TestRFC9260_5_1_5_InitAliasesCookie(t *testing.T) {
	s, _ := newSigner(t, 1)
	b := seal(t, s, sampleState(), t0)
	got, err := s.Open(b, t0)
	if err != nil {
		t.Fatal(err)
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(got.Init)))
	if p < start || p+uintptr(len(got.Init)) > start+uintptr(len(b)) {
		t.Fatal("Init does not alias the cookie")
	}
	if cap(got.Init) != len(got.Init) {
		t.Errorf("cap(Init) = %d, want %d so that appending cannot overwrite the MAC", cap(got.Init), len(got.Init))
	}
}

// Seal appends to dst, growing it at most once, and keeps what was there.
func TestRFC9260_5_1_3_SealAppends(t *testing.T) {
	s, _ := newSigner(t, 1)
	st := sampleState()
	prefix := []byte("prefix")
	b, err := s.Seal(append([]byte(nil), prefix...), &st, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, prefix) {
		t.Fatalf("prefix lost: %q", b[:len(prefix)])
	}
	if _, err := s.Open(b[len(prefix):], t0); err != nil {
		t.Fatalf("Open: %v", err)
	}
	if n := testing.AllocsPerRun(20, func() { _, _ = s.Seal(nil, &st, t0) }); n > 1 {
		t.Errorf("Seal into nil: %v allocations, want at most 1", n)
	}
}

// The first byte is the format version; a cookie of another version is
// refused as not ours even with a valid MAC, so that a later format is
// never misread.
func TestRFC9260_5_1_3_VersionRefused(t *testing.T) {
	s, _ := newSigner(t, 1)
	b := seal(t, s, sampleState(), t0)
	if b[0] != version {
		t.Fatalf("first byte %d, want version %d", b[0], version)
	}
	for _, v := range []byte{0, version + 1, 0xff} {
		c := bytes.Clone(b)
		c[0] = v
		resign(s, c)
		if _, err := s.Open(c, t0); err != ErrBadMAC {
			t.Errorf("version %d: err = %v, want ErrBadMAC", v, err)
		}
	}
}

// RFC 9260 §5.1.5 step 3: the ports and the tag in the cookie must be
// those of the packet's common header.
func TestRFC9260_5_1_5_Step3_MatchesHeader(t *testing.T) {
	st := sampleState()
	ok := wire.Header{SrcPort: st.PeerPort, DstPort: st.LocalPort, VTag: st.LocalVTag}
	if !st.MatchesHeader(ok) {
		t.Fatal("matching header refused")
	}
	for name, h := range map[string]wire.Header{
		"source port":      {SrcPort: st.PeerPort + 1, DstPort: st.LocalPort, VTag: st.LocalVTag},
		"destination port": {SrcPort: st.PeerPort, DstPort: st.LocalPort + 1, VTag: st.LocalVTag},
		"ports swapped":    {SrcPort: st.LocalPort, DstPort: st.PeerPort, VTag: st.LocalVTag},
		"tag":              {SrcPort: st.PeerPort, DstPort: st.LocalPort, VTag: st.LocalVTag + 1},
		"peer's tie-tag":   {SrcPort: st.PeerPort, DstPort: st.LocalPort, VTag: st.PeerTieTag},
	} {
		if st.MatchesHeader(h) {
			t.Errorf("%s differs, header accepted", name)
		}
	}
}

// Seal refuses what it cannot carry faithfully, and leaves dst alone.
func TestRFC9260_5_1_3_SealRefuses(t *testing.T) {
	s, _ := newSigner(t, 1)
	tests := []struct {
		name string
		edit func(*State)
		want error
	}{
		{"INIT one byte too long", func(st *State) { st.Init = testInit(MaxInitLen + 1) }, ErrInitTooLong},
		{"zero creation time", func(st *State) { st.Created = time.Time{} }, ErrInvalidState},
		{"creation after 2262", func(st *State) { st.Created = time.Date(2263, 1, 1, 0, 0, 0, 0, time.UTC) }, ErrInvalidState},
		{"negative lifetime", func(st *State) { st.Lifetime = -time.Nanosecond }, ErrInvalidState},
		{"lifetime beyond the rotation", func(st *State) { st.Lifetime = time.Hour + time.Nanosecond }, ErrInvalidState},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := sampleState()
			tt.edit(&st)
			dst := []byte{1, 2, 3}
			b, err := s.Seal(dst, &st, t0)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if !bytes.Equal(b, dst) {
				t.Errorf("dst changed to %x", b)
			}
		})
	}
}

// An authentic cookie whose fields do not decode is reported, with the
// offset and the rule, and does not panic.
func TestRFC9260_5_1_5_MalformedAuthentic(t *testing.T) {
	s, _ := newSigner(t, 1)
	good := seal(t, s, sampleState(), t0)
	tests := []struct {
		name   string
		cookie func() []byte
		offset int
	}{
		{"negative lifetime", func() []byte {
			b := bytes.Clone(good)
			b[10] = 0x80
			return b
		}, 10},
		{"address length 5", func() []byte {
			b := bytes.Clone(good)
			b[offAddrLen] = 5
			return b
		}, offAddrLen},
		{"IPv6 address past the MAC", func() []byte {
			st := sampleState()
			st.PeerAddr, st.Init = netip.Addr{}, testInit(8)
			b := seal(t, s, st, t0)
			b = append(b[:fixedLen], make([]byte, macLen)...)
			b[offAddrLen] = 16
			return b
		}, offAddrLen},
		{"INIT longer than MaxInitLen", func() []byte {
			st := sampleState()
			st.PeerAddr = netip.Addr{}
			b := st.appendBody(nil, 0)
			b = append(b[:fixedLen], testInit(MaxInitLen+1)...)
			return append(b, make([]byte, macLen)...)
		}, fixedLen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.cookie()
			resign(s, b)
			_, err := s.Open(b, t0)
			var me *MalformedError
			if !errors.As(err, &me) || !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want *MalformedError", err)
			}
			if me.Offset != tt.offset {
				t.Errorf("offset %d, want %d (%v)", me.Offset, tt.offset, err)
			}
		})
	}
}
