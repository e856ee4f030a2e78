package tuntest

import (
	"net/netip"
	"testing"

	"github.com/rserpool/rserpool/tun"
)

// The addresses of a Pair. Each device has a /24 and a /64 of its own;
// each endpoint an address inside its device's prefixes that is not the
// kernel's, so the kernel forwards between the two devices instead of
// answering.
var (
	DeviceA = []netip.Prefix{netip.MustParsePrefix("10.201.1.1/24"), netip.MustParsePrefix("fd00:201:1::1/64")}
	DeviceB = []netip.Prefix{netip.MustParsePrefix("10.201.2.1/24"), netip.MustParsePrefix("fd00:201:2::1/64")}
	AddrA4  = netip.MustParseAddr("10.201.1.2")
	AddrA6  = netip.MustParseAddr("fd00:201:1::2")
	AddrB4  = netip.MustParseAddr("10.201.2.2")
	AddrB6  = netip.MustParseAddr("fd00:201:2::2")
)

// Pair is two SCTP endpoints' lower layers joined by a router: in a
// namespace of its own, device tunA carries endpoint A (AddrA4, AddrA6)
// and device tunB endpoint B (AddrB4, AddrB6), and the namespace forwards
// IPv4 and IPv6 between them.
type Pair struct {
	Netns *Netns
	A, B  *tun.Conn
}

// NewPair builds a Pair for t, skipping t without root. The Conns are
// closed, and the namespace with its devices deleted, when t ends.
func NewPair(t testing.TB) *Pair {
	t.Helper()
	n := NewNetns(t)
	for _, s := range []string{"net/ipv4/ip_forward", "net/ipv6/conf/all/forwarding"} {
		if err := n.Sysctl(s, "1"); err != nil {
			t.Fatalf("tuntest: enabling forwarding: %v", err)
		}
	}
	p := &Pair{Netns: n}
	open := func(name string, prefixes []netip.Prefix, addrs ...netip.Addr) *tun.Conn {
		var c *tun.Conn
		err := n.Do(func() error {
			var err error
			c, err = tun.Open(tun.Config{Name: name, Addrs: addrs, Configure: true, Prefixes: prefixes})
			return err
		})
		if err != nil {
			t.Fatalf("tuntest: %v", err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	p.A = open("tunA", DeviceA, AddrA4, AddrA6)
	p.B = open("tunB", DeviceB, AddrB4, AddrB6)
	return p
}
