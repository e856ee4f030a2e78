package ip

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"
)

// Pseudo-header c000+0201+c000+0202+0011+000a, header 26ab+26ab+000a+0000,
// data 6162: 0x232e0, folded 0x32e2, complemented 0xcd1d.
func TestUDPv4ChecksumByHand(t *testing.T) {
	got, err := AppendUDP(nil, netip.AddrPortFrom(v4a, 9899), netip.AddrPortFrom(v4b, 9899), []byte("ab"))
	if err != nil {
		t.Fatal(err)
	}
	want := hexBytes(t, 0x26ab, 0x26ab, 0x000a, 0xcd1d, 0x6162)
	if !bytes.Equal(got, want) {
		t.Fatalf("got  % x\nwant % x", got, want)
	}
	if !VerifyUDPChecksum(v4a, v4b, got) {
		t.Fatal("checksum does not verify")
	}
}

// Pseudo-header 2001+0db8+0001+2001+0db8+0002+0000+000a+0011, header
// 26ab+26ab+000a, data 6162: 0x10a52, folded 0x0a53, complemented 0xf5ac.
func TestUDPv6ChecksumByHand(t *testing.T) {
	got, err := AppendUDP(nil, netip.AddrPortFrom(v6a, 9899), netip.AddrPortFrom(v6b, 9899), []byte("ab"))
	if err != nil {
		t.Fatal(err)
	}
	want := hexBytes(t, 0x26ab, 0x26ab, 0x000a, 0xf5ac, 0x6162)
	if !bytes.Equal(got, want) {
		t.Fatalf("got  % x\nwant % x", got, want)
	}
	if !VerifyUDPChecksum(v6a, v6b, got) {
		t.Fatal("checksum does not verify")
	}
}

// RFC 768: a computed checksum of zero is transmitted as all ones. With
// the pseudo-header and header of TestUDPv4ChecksumByHand summing to
// 0xd17f, the data word 0x2e80 brings the sum to 0xffff.
func TestUDPZeroChecksumSentAsOnes(t *testing.T) {
	got, err := AppendUDP(nil, netip.AddrPortFrom(v4a, 9899), netip.AddrPortFrom(v4b, 9899), []byte{0x2e, 0x80})
	if err != nil {
		t.Fatal(err)
	}
	if got[6] != 0xff || got[7] != 0xff {
		t.Fatalf("checksum % x, want ff ff", got[6:8])
	}
	if !VerifyUDPChecksum(v4a, v4b, got) {
		t.Fatal("all-ones checksum does not verify")
	}
}

// The pseudo-header binds the checksum to the addresses and the length:
// change any of them, or the data, and the checksum no longer verifies.
func TestUDPChecksumCoversPseudoHeader(t *testing.T) {
	for _, fam := range []struct{ a, b, c netip.Addr }{
		{v4a, v4b, netip.MustParseAddr("192.0.2.3")},
		{v6a, v6b, netip.MustParseAddr("2001:db8::3")},
	} {
		d, err := AppendUDP(nil, netip.AddrPortFrom(fam.a, 1), netip.AddrPortFrom(fam.b, 2), []byte("hello, world"))
		if err != nil {
			t.Fatal(err)
		}
		if !VerifyUDPChecksum(fam.a, fam.b, d) {
			t.Fatalf("%v: does not verify", fam.a)
		}
		if VerifyUDPChecksum(fam.a, fam.c, d) || VerifyUDPChecksum(fam.c, fam.b, d) {
			t.Errorf("%v: verifies with another address", fam.a)
		}
		if VerifyUDPChecksum(fam.a, fam.b, d[:len(d)-1]) {
			t.Errorf("%v: verifies with another length", fam.a)
		}
		d[len(d)-1] ^= 1
		if VerifyUDPChecksum(fam.a, fam.b, d) {
			t.Errorf("%v: verifies with changed data", fam.a)
		}
	}
}

func TestVerifyUDPChecksumRejectsZero(t *testing.T) {
	d := hexBytes(t, 0x26ab, 0x26ab, 0x000a, 0x0000, 0x6162)
	if VerifyUDPChecksum(v4a, v4b, d) {
		t.Fatal("a datagram without checksum verified")
	}
	if VerifyUDPChecksum(v4a, v4b, d[:7]) {
		t.Fatal("a short datagram verified")
	}
}

func TestUDPErrors(t *testing.T) {
	if _, err := AppendUDP(nil, netip.AddrPortFrom(v4a, 1), netip.AddrPortFrom(v6b, 1), nil); !errors.Is(err, ErrAddress) {
		t.Errorf("mixed families: %v", err)
	}
	if _, err := AppendUDP(nil, netip.AddrPort{}, netip.AddrPortFrom(v4b, 1), nil); !errors.Is(err, ErrAddress) {
		t.Errorf("invalid source: %v", err)
	}
	big := make([]byte, MaxUDPPayload+1)
	if _, err := AppendUDP(nil, netip.AddrPortFrom(v6a, 1), netip.AddrPortFrom(v6b, 1), big); !errors.Is(err, ErrTooLong) {
		t.Errorf("oversized payload: %v", err)
	}
	// A UDP payload that fits the UDP length but not IPv4's total length.
	b, err := AppendUDPPacket([]byte{7}, netip.AddrPortFrom(v4a, 1), netip.AddrPortFrom(v4b, 1), big[:MaxUDPPayload], 64)
	if !errors.Is(err, ErrTooLong) || len(b) != 1 {
		t.Errorf("oversized IPv4 packet: %v, %d bytes", err, len(b))
	}
	if _, err := AppendUDPPacket(nil, netip.AddrPortFrom(v6a, 1), netip.AddrPortFrom(v6b, 1), big[:MaxUDPPayload], 64); err != nil {
		t.Errorf("largest IPv6 datagram refused: %v", err)
	}
}

func TestUDPPacket(t *testing.T) {
	src, dst := netip.AddrPortFrom(v4a, 9899), netip.AddrPortFrom(v4b, 9899)
	p, err := AppendUDPPacket(nil, src, dst, []byte("ab"), 64)
	if err != nil {
		t.Fatal(err)
	}
	if len(p) != IPv4HeaderLen+UDPHeaderLen+2 || p[9] != ProtoUDP || p[3] != byte(len(p)) {
		t.Fatalf("bad packet % x", p)
	}
	if Checksum(p[:IPv4HeaderLen]) != 0 || !VerifyUDPChecksum(v4a, v4b, p[IPv4HeaderLen:]) {
		t.Fatalf("checksums do not verify: % x", p)
	}
}
