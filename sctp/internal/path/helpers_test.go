package path

import (
	"net/netip"
	"testing"
	"time"
)

var (
	v4 = netip.MustParseAddrPort("192.0.2.1:9899")
	v6 = netip.MustParseAddrPort("[2001:db8::1]:9899")

	// t0 is an arbitrary instant of virtual time.
	t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
)

// pmdcs1500 is the PMDCS of a 1500-byte PMTU: less the 12-byte common
// header.
const pmdcs1500 = 1488

// newPath returns a confirmed IPv4 path with a PMTU of 1500 and p.
func newPath(t *testing.T, p *Params) *Path {
	t.Helper()
	path := New(v4, 1500, p, true)
	if path.PMDCS() != pmdcs1500 {
		t.Fatalf("PMDCS = %d, want %d", path.PMDCS(), pmdcs1500)
	}
	return path
}

func wantDuration(t *testing.T, what string, got, want time.Duration) {
	t.Helper()
	if got != want {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

func wantInt(t *testing.T, what string, got, want int) {
	t.Helper()
	if got != want {
		t.Fatalf("%s = %d, want %d", what, got, want)
	}
}
