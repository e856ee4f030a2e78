package cli

import (
	"net/netip"
	"testing"
)

func TestParseRegistrars(t *testing.T) {
	got, port, err := ParseRegistrars([]string{"127.0.0.1", "[::1]:3863"}, 9899)
	if err != nil || port != 3863 || len(got) != 2 || got[0] != netip.MustParseAddrPort("127.0.0.1:9899") || got[1] != netip.MustParseAddrPort("[::1]:9899") {
		t.Fatalf("%v %d %v", got, port, err)
	}
	if _, _, err := ParseRegistrars([]string{"127.0.0.1:3863", "127.0.0.2:4000"}, 9899); err == nil {
		t.Fatal("registrars on different SCTP ports accepted")
	}
	for _, bad := range []string{"localhost", "127.0.0.1:0", "1.2.3"} {
		if _, _, err := ParseRegistrars([]string{bad}, 9899); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestParseLocal(t *testing.T) {
	if a, p, err := ParseLocal("127.0.0.2:5000"); err != nil || a != netip.MustParseAddr("127.0.0.2") || p != 5000 {
		t.Fatalf("%v %d %v", a, p, err)
	}
	if _, p, err := ParseLocal("::1"); err != nil || p != 0 {
		t.Fatalf("%d %v", p, err)
	}
	if _, _, err := ParseLocal("0.0.0.0"); err == nil {
		t.Fatal("the wildcard accepted")
	}
}
