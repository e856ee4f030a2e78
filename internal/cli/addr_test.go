package cli

import (
	"errors"
	"net/netip"
	"reflect"
	"testing"
)

func addrs(ss ...string) []netip.Addr {
	var out []netip.Addr
	for _, s := range ss {
		out = append(out, netip.MustParseAddr(s))
	}
	return out
}

func TestParseEndpoint(t *testing.T) {
	tests := []struct {
		in   string
		want Endpoint
	}{
		{"127.0.0.1:5000", Endpoint{addrs("127.0.0.1"), 5000}},
		{"127.0.0.2,127.0.0.12:5000", Endpoint{addrs("127.0.0.2", "127.0.0.12"), 5000}},
		{"[::1]:1", Endpoint{addrs("::1"), 1}},
		{"[::1],[fd00::2]:65535", Endpoint{addrs("::1", "fd00::2"), 65535}},
		{"10.0.0.1,[fd00::1]:7", Endpoint{addrs("10.0.0.1", "fd00::1"), 7}},
		{"[fe80::1%lo]:9", Endpoint{addrs("fe80::1%lo"), 9}},
		// An IPv4-mapped address is the IPv4 address: the same host.
		{"::ffff:10.1.2.3:80", Endpoint{addrs("10.1.2.3"), 80}},
		{"[::ffff:10.1.2.3]:80", Endpoint{addrs("10.1.2.3"), 80}},
	}
	for _, tt := range tests {
		got, err := ParseEndpoint(tt.in)
		if err != nil {
			t.Errorf("ParseEndpoint(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseEndpoint(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseEndpointErrors(t *testing.T) {
	tests := []struct {
		in   string
		off  int
		rule string
	}{
		{"127.0.0.1", 9, "missing :PORT after the address list"},
		{":5000", 0, "empty address list"},
		{"127.0.0.1:", 10, "missing port number"},
		{"127.0.0.1:0", 10, "port must lie in 1..65535"},
		{"127.0.0.1:65536", 10, "port must lie in 1..65535"},
		{"127.0.0.1:5x", 11, "port must be a decimal number"},
		{"127.0.0.1:-1", 10, "port must be a decimal number"},
		{"127.0.0.1,,127.0.0.2:1", 10, "empty address in the list"},
		{"127.0.0.1,:1", 10, "empty address in the list"},
		{"127.0.0.1,host:1", 10, `not an IP address: "host"`},
		{"127.0.0.1,127.0.0.1:1", 10, "address 127.0.0.1 repeated"},
		{"::1:5000", 0, "an IPv6 address before :PORT needs brackets, as in [::1]:PORT"},
		{"[::1:5000", 0, "'[' without ']'"},
		{"[::1]x:5000", 5, "text after ']'"},
		{"1[::1]:5000", 1, "'[' must start the address"},
		{"::1]:5000", 3, "']' without '['"},
		{"[[::1]]:5000", 1, "brackets nest"},
		{"[]:5000", 0, "empty brackets"},
		{"[127.0.0.1]:5000", 1, `not an IPv6 address: "127.0.0.1"`},
		{"0.0.0.0:5000", 0, "the wildcard address 0.0.0.0 names no host; give the addresses"},
		{"10.0.0.1,[::]:5000", 9, "the wildcard address :: names no host; give the addresses"},
		{"224.0.0.1:5000", 0, "multicast address 224.0.0.1 cannot be an SCTP address"},
	}
	for _, tt := range tests {
		_, err := ParseEndpoint(tt.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("ParseEndpoint(%q) error = %v, want a *ParseError", tt.in, err)
			continue
		}
		if pe.Offset != tt.off || pe.Rule != tt.rule || pe.Input != tt.in {
			t.Errorf("ParseEndpoint(%q) = %+v, want offset %d rule %q", tt.in, *pe, tt.off, tt.rule)
		}
	}
}

func TestParseListen(t *testing.T) {
	got, err := ParseListen("5000")
	if err != nil || got.Addrs != nil || got.Port != 5000 {
		t.Errorf("ParseListen(5000) = %v, %v", got, err)
	}
	got, err = ParseListen("127.0.0.2,[::1]:9")
	if err != nil || !reflect.DeepEqual(got, Endpoint{addrs("127.0.0.2", "::1"), 9}) {
		t.Errorf("ParseListen(list) = %v, %v", got, err)
	}
	for _, in := range []string{"", "0", "x", "70000"} {
		if _, err := ParseListen(in); err == nil {
			t.Errorf("ParseListen(%q) accepted", in)
		}
	}
}

func TestParseAddrs(t *testing.T) {
	got, err := ParseAddrs("127.0.0.3,::1,[fd00::3]")
	if err != nil || !reflect.DeepEqual(got, addrs("127.0.0.3", "::1", "fd00::3")) {
		t.Errorf("ParseAddrs = %v, %v", got, err)
	}
	if _, err := ParseAddrs(""); err == nil {
		t.Error("ParseAddrs(\"\") accepted")
	}
}

func TestParsePrefixes(t *testing.T) {
	got, err := ParsePrefixes("10.9.0.1/24,fd00:9::1/64")
	want := []netip.Prefix{netip.MustParsePrefix("10.9.0.1/24"), netip.MustParsePrefix("fd00:9::1/64")}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ParsePrefixes = %v, %v", got, err)
	}
	_, err = ParsePrefixes("10.9.0.1/24,10.9.0.2")
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Offset != 12 {
		t.Errorf("ParsePrefixes without bits: %v", err)
	}
	if _, err := ParsePrefixes("10.9.0.1/24,"); err == nil {
		t.Error("ParsePrefixes with an empty item accepted")
	}
}

func TestParseErrorMessage(t *testing.T) {
	_, err := ParseEndpoint("1.2.3.4:x")
	if got, want := err.Error(), `"1.2.3.4:x" at byte 8: port must be a decimal number`; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}
