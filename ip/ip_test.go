package ip

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"testing"
)

var (
	v4a = netip.MustParseAddr("192.0.2.1")
	v4b = netip.MustParseAddr("192.0.2.2")
	v6a = netip.MustParseAddr("2001:db8::1")
	v6b = netip.MustParseAddr("2001:db8::2")
)

func hexBytes(t *testing.T, words ...uint16) []byte {
	t.Helper()
	var b []byte
	for _, w := range words {
		b = binary.BigEndian.AppendUint16(b, w)
	}
	return b
}

// The header of RFC 791 §3.1 with the checksum worked out by hand: the
// well-known example 4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7.
func TestIPv4HeaderKnownExample(t *testing.T) {
	got, err := AppendIPv4Header(nil, netip.MustParseAddr("192.168.0.1"), netip.MustParseAddr("192.168.0.199"), ProtoUDP, 0x73-20, 64)
	if err != nil {
		t.Fatal(err)
	}
	want := hexBytes(t, 0x4500, 0x0073, 0x0000, 0x4000, 0x4011, 0xb861, 0xc0a8, 0x0001, 0xc0a8, 0x00c7)
	if !bytes.Equal(got, want) {
		t.Fatalf("got  % x\nwant % x", got, want)
	}
}

// 4500+0020+0000+4000+4084+0000+c000+0201+c633+6402 = 0x2b1da; folded
// 0xb1dc; complemented 0x4e23.
func TestIPv4HeaderSCTP(t *testing.T) {
	got, err := AppendIPv4Header([]byte{0xee}, v4a, netip.MustParseAddr("198.51.100.2"), ProtoSCTP, 12, 64)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]byte{0xee}, hexBytes(t, 0x4500, 0x0020, 0x0000, 0x4000, 0x4084, 0x4e23, 0xc000, 0x0201, 0xc633, 0x6402)...)
	if !bytes.Equal(got, want) {
		t.Fatalf("got  % x\nwant % x", got, want)
	}
	if Checksum(got[1:]) != 0 {
		t.Fatal("header checksum does not verify")
	}
}

func TestIPv4HeaderMappedAddresses(t *testing.T) {
	a, _ := AppendIPv4Header(nil, v4a, v4b, ProtoSCTP, 0, 1)
	b, err := AppendIPv4Header(nil, netip.AddrFrom16(v4a.As16()), netip.AddrFrom16(v4b.As16()), ProtoSCTP, 0, 1)
	if err != nil || !bytes.Equal(a, b) {
		t.Fatalf("mapped addresses: % x, %v; want % x", b, err, a)
	}
}

func TestIPv4HeaderErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		src, dst netip.Addr
		n        int
		want     error
	}{
		{"v6 source", v6a, v4b, 0, ErrAddress},
		{"v6 destination", v4a, v6b, 0, ErrAddress},
		{"invalid", netip.Addr{}, v4b, 0, ErrAddress},
		{"negative", v4a, v4b, -1, ErrNegativeLength},
		{"too long", v4a, v4b, MaxIPv4Payload + 1, ErrTooLong},
	} {
		b, err := AppendIPv4Header([]byte{1}, tc.src, tc.dst, ProtoSCTP, tc.n, 64)
		if !errors.Is(err, tc.want) || len(b) != 1 {
			t.Errorf("%s: got %v, %d bytes; want %v and nothing appended", tc.name, err, len(b), tc.want)
		}
	}
	if _, err := AppendIPv4Header(nil, v4a, v4b, ProtoSCTP, MaxIPv4Payload, 64); err != nil {
		t.Errorf("largest payload refused: %v", err)
	}
}

func TestIPv6Header(t *testing.T) {
	got, err := AppendIPv6Header(nil, v6a, v6b, ProtoSCTP, 12, 64)
	if err != nil {
		t.Fatal(err)
	}
	want := hexBytes(t, 0x6000, 0x0000, 0x000c, 0x8440,
		0x2001, 0x0db8, 0, 0, 0, 0, 0, 0x0001,
		0x2001, 0x0db8, 0, 0, 0, 0, 0, 0x0002)
	if !bytes.Equal(got, want) {
		t.Fatalf("got  % x\nwant % x", got, want)
	}
}

func TestIPv6HeaderErrors(t *testing.T) {
	mapped := netip.AddrFrom16(v4a.As16())
	for _, tc := range []struct {
		name     string
		src, dst netip.Addr
		n        int
		want     error
	}{
		{"v4 source", v4a, v6b, 0, ErrAddress},
		{"mapped source", mapped, v6b, 0, ErrAddress},
		{"mapped destination", v6a, mapped, 0, ErrAddress},
		{"negative", v6a, v6b, -1, ErrNegativeLength},
		{"too long", v6a, v6b, MaxIPv6Payload + 1, ErrTooLong},
	} {
		b, err := AppendIPv6Header(nil, tc.src, tc.dst, ProtoSCTP, tc.n, 64)
		if !errors.Is(err, tc.want) || len(b) != 0 {
			t.Errorf("%s: got %v, %d bytes; want %v", tc.name, err, len(b), tc.want)
		}
	}
}

func TestAppendIPHeaderPicksFamily(t *testing.T) {
	b4, _ := AppendIPHeader(nil, v4a, v4b, ProtoSCTP, 4, 64)
	b6, _ := AppendIPHeader(nil, v6a, v6b, ProtoSCTP, 4, 64)
	if len(b4) != IPv4HeaderLen || b4[0]>>4 != 4 || len(b6) != IPv6HeaderLen || b6[0]>>4 != 6 {
		t.Fatalf("v4 % x\nv6 % x", b4, b6)
	}
}

func TestChecksumOddLength(t *testing.T) {
	// RFC 1071 §1: an odd final byte is padded with zero on the right.
	if got, want := Checksum([]byte{0x12, 0x34, 0x56}), ^uint16(0x1234+0x5600); got != want {
		t.Fatalf("got %#04x, want %#04x", got, want)
	}
}

func TestChecksumLongInputCarries(t *testing.T) {
	// 0x20000 words of 0xffff: the accumulator must fold instead of
	// overflowing, and the sum of all-ones words is all ones.
	b := bytes.Repeat([]byte{0xff}, 0x40000)
	if got := Checksum(b); got != 0 {
		t.Fatalf("got %#04x, want 0", got)
	}
	b[0] = 0xfe // sum becomes 0xfeff; complement 0x0100
	if got := Checksum(b); got != 0x0100 {
		t.Fatalf("got %#04x, want 0x0100", got)
	}
}
