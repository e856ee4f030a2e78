package ip

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"
)

// The RFC 791 example header of TestIPv4HeaderKnownExample, carrying 0x73-20
// bytes of UDP.
func knownIPv4(t *testing.T) []byte {
	t.Helper()
	b := hexBytes(t, 0x4500, 0x0073, 0x0000, 0x4000, 0x4011, 0xb861, 0xc0a8, 0x0001, 0xc0a8, 0x00c7)
	return append(b, make([]byte, 0x73-20)...)
}

func TestParseHeaderIPv4(t *testing.T) {
	b := knownIPv4(t)
	b[20] = 0xaa
	h, payload, err := ParseHeader(append(b, 0, 0, 0)) // link padding after Total Length
	if err != nil {
		t.Fatal(err)
	}
	want := Header{Src: netip.MustParseAddr("192.168.0.1"), Dst: netip.MustParseAddr("192.168.0.199"), Proto: ProtoUDP, Len: 20}
	if h != want {
		t.Fatalf("header %+v, want %+v", h, want)
	}
	if len(payload) != 0x73-20 || payload[0] != 0xaa {
		t.Fatalf("payload of %d bytes starting % x", len(payload), payload[:1])
	}
}

// An IHL of 6 carries one option word, covered by the checksum and not
// part of the payload.
func TestParseHeaderIPv4Options(t *testing.T) {
	b := hexBytes(t, 0x4600, 0x001c, 0x0000, 0x4000, 0x4084, 0x0000, 0xc000, 0x0201, 0xc000, 0x0202, 0x0101, 0x0101, 0xabcd, 0xef01)
	b[10], b[11] = 0, 0
	c := Checksum(b[:24])
	b[10], b[11] = byte(c>>8), byte(c)
	h, payload, err := ParseHeader(b)
	if err != nil {
		t.Fatal(err)
	}
	if h.Len != 24 || h.Proto != ProtoSCTP || !bytes.Equal(payload, []byte{0xab, 0xcd, 0xef, 0x01}) {
		t.Fatalf("header %+v payload % x", h, payload)
	}
}

func TestParseHeaderIPv4Fragments(t *testing.T) {
	for _, tc := range []struct {
		name  string
		flags uint16
		frag  bool
	}{
		{"DF", 0x4000, false},
		{"none", 0x0000, false},
		{"MF", 0x2000, true},
		{"offset", 0x0001, true},
		{"last", 0x1fff, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := hexBytes(t, 0x4500, 0x0014, 0x1234, tc.flags, 0x4084, 0x0000, 0xc000, 0x0201, 0xc000, 0x0202)
			c := Checksum(b)
			b[10], b[11] = byte(c>>8), byte(c)
			h, _, err := ParseHeader(b)
			if err != nil {
				t.Fatal(err)
			}
			if h.Fragment != tc.frag {
				t.Fatalf("Fragment %v, want %v", h.Fragment, tc.frag)
			}
		})
	}
}

func TestParseHeaderIPv4Errors(t *testing.T) {
	good := knownIPv4(t)
	mod := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	for _, tc := range []struct {
		name     string
		b        []byte
		off      int
		checksum bool
	}{
		{"empty", nil, 0, false},
		{"version 5", mod(func(b []byte) []byte { b[0] = 0x55; return b }), 0, false},
		{"short", good[:19], 0, false},
		{"IHL 4", mod(func(b []byte) []byte { b[0] = 0x44; return b }), 0, false},
		{"total below IHL", mod(func(b []byte) []byte { b[2], b[3] = 0, 19; return b }), 2, false},
		{"total past packet", good[:0x72], 2, false},
		{"checksum", mod(func(b []byte) []byte { b[11]++; return b }), 10, true},
		{"checksum covers addresses", mod(func(b []byte) []byte { b[19]++; return b }), 10, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ParseHeader(tc.b)
			var he *HeaderError
			if !errors.As(err, &he) {
				t.Fatalf("error %v, want a *HeaderError", err)
			}
			if he.Offset != tc.off {
				t.Fatalf("offset %d, want %d (%v)", he.Offset, tc.off, err)
			}
			if errors.Is(err, ErrHeaderChecksum) != tc.checksum {
				t.Fatalf("%v: ErrHeaderChecksum %v, want %v", err, !tc.checksum, tc.checksum)
			}
		})
	}
}

// ipv6 builds an IPv6 header for a payload whose first header is next.
func ipv6(t *testing.T, next uint8, payload []byte) []byte {
	t.Helper()
	b, err := AppendIPv6Header(nil, v6a, v6b, next, len(payload), 64)
	if err != nil {
		t.Fatal(err)
	}
	return append(b, payload...)
}

func TestParseHeaderIPv6Plain(t *testing.T) {
	h, payload, err := ParseHeader(append(ipv6(t, ProtoSCTP, []byte{1, 2, 3}), 9, 9))
	if err != nil {
		t.Fatal(err)
	}
	want := Header{Src: v6a, Dst: v6b, Proto: ProtoSCTP, Len: 40}
	if h != want || !bytes.Equal(payload, []byte{1, 2, 3}) {
		t.Fatalf("header %+v payload % x", h, payload)
	}
}

// Hop-by-Hop (8 bytes), Destination Options (16 bytes), AH (12 bytes of
// length field 1), then SCTP: the walk lands on the SCTP bytes.
func TestParseHeaderIPv6ExtensionChain(t *testing.T) {
	var ext []byte
	ext = append(ext, ipv6DestOpts, 0, 1, 4, 0, 0, 0, 0)                    // hop-by-hop, PadN
	ext = append(ext, ipv6AH, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) // dest opts, 16 bytes
	ext = append(ext, ProtoSCTP, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1)           // AH: (1+2)*4 = 12 bytes
	h, payload, err := ParseHeader(ipv6(t, ipv6HopByHop, append(ext, 0xca, 0xfe)))
	if err != nil {
		t.Fatal(err)
	}
	if h.Proto != ProtoSCTP || h.Len != 40+36 || h.Fragment || !bytes.Equal(payload, []byte{0xca, 0xfe}) {
		t.Fatalf("header %+v payload % x", h, payload)
	}
}

func TestParseHeaderIPv6Fragments(t *testing.T) {
	for _, tc := range []struct {
		name string
		word uint16 // offset, reserved bits, M flag
		frag bool
	}{
		{"atomic", 0x0000, false},
		{"reserved bits only", 0x0006, false},
		{"first", 0x0001, true},
		{"later", 0x0008, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A later fragment's payload need not look like a header:
			// here it would be a truncated hop-by-hop header if walked.
			fh := []byte{ProtoSCTP, 0, byte(tc.word >> 8), byte(tc.word), 0, 0, 0, 7}
			h, payload, err := ParseHeader(ipv6(t, ipv6Fragment, append(fh, 0, 1)))
			if err != nil {
				t.Fatal(err)
			}
			if h.Fragment != tc.frag || h.Proto != ProtoSCTP || h.Len != 48 || !bytes.Equal(payload, []byte{0, 1}) {
				t.Fatalf("header %+v payload % x", h, payload)
			}
		})
	}
}

func TestParseHeaderIPv6Errors(t *testing.T) {
	short := ipv6(t, ProtoSCTP, []byte{1, 2, 3})
	jumbo := ipv6(t, ipv6HopByHop, nil)
	for _, tc := range []struct {
		name string
		b    []byte
		off  int
	}{
		{"short", short[:39], 0},
		{"payload length past packet", short[:42], 4},
		{"jumbogram", jumbo, 4},
		{"hop-by-hop truncated", ipv6(t, ipv6HopByHop, []byte{ProtoSCTP, 0, 0, 0}), 40},
		{"routing length past packet", ipv6(t, ipv6Routing, []byte{ProtoSCTP, 1, 0, 0, 0, 0, 0, 0}), 41},
		{"AH truncated", ipv6(t, ipv6AH, []byte{ProtoSCTP, 1}), 40},
		{"AH length past packet", ipv6(t, ipv6AH, []byte{ProtoSCTP, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}), 41},
		{"fragment truncated", ipv6(t, ipv6Fragment, []byte{ProtoSCTP, 0, 0, 1}), 40},
		{"second header truncated", ipv6(t, ipv6DestOpts, []byte{ipv6Routing, 0, 1, 4, 0, 0, 0, 0, ProtoSCTP}), 48},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ParseHeader(tc.b)
			var he *HeaderError
			if !errors.As(err, &he) {
				t.Fatalf("error %v, want a *HeaderError", err)
			}
			if he.Offset != tc.off {
				t.Fatalf("offset %d, want %d (%v)", he.Offset, tc.off, err)
			}
		})
	}
}

// Every prefix of valid packets parses or fails cleanly, and a payload is
// always inside the packet.
func TestParseHeaderTruncations(t *testing.T) {
	for _, b := range [][]byte{knownIPv4(t), ipv6(t, ipv6DestOpts, []byte{ProtoSCTP, 0, 1, 4, 0, 0, 0, 0, 1, 2})} {
		for n := range len(b) {
			h, payload, err := ParseHeader(b[:n])
			if err == nil && h.Len+len(payload) > n {
				t.Fatalf("%d bytes: header %d + payload %d", n, h.Len, len(payload))
			}
		}
	}
}
