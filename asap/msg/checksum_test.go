package msg

import "testing"

// TestPEChecksumByHand checks PEChecksum against values worked out by hand
// from RFC 5353 §3.6.2: each PE contributes its pool handle padded with
// zeros to a 32-bit boundary and then its PE identifier; the checksum is
// the RFC 1071 Internet checksum of those blocks (16-bit big-endian words
// added with end-around carry, then complemented).
func TestPEChecksumByHand(t *testing.T) {
	// No PE at all: the sum is 0, its complement 0xffff. rsplib's
	// registrars send 0xffff before any PE registers (reference captures).
	var empty PEChecksum
	if v := empty.Value(); v != 0xffff {
		t.Fatalf("empty: %#04x, want 0xffff", v)
	}

	// "EchoPool" = 45 63 68 6f 50 6f 6f 6c (8 bytes, no padding), PE id
	// 0x5297b1e4:
	//   0x4563 + 0x686f + 0x506f + 0x6f6c + 0x5297 + 0xb1e4 = 0x27228
	//   fold: 0x7228 + 0x2 = 0x722a;  complement: 0x8dd5
	// rsplib's registrar 0xf15cc54b, owning just this PE, sends 0x8dd5 in
	// its PRESENCE messages (rsplib-asap-enrp-encap0.pcap, frame 68).
	var echo PEChecksum
	echo.Add([]byte("EchoPool"), 0x5297b1e4)
	if v := echo.Value(); v != 0x8dd5 {
		t.Fatalf("EchoPool/0x5297b1e4: %#04x, want 0x8dd5", v)
	}

	// "abc" = 61 62 63, padded with one zero byte to 61 62 63 00; PE id
	// 0x00000001:
	//   0x6162 + 0x6300 + 0x0000 + 0x0001 = 0xc463;  complement: 0x3b9c
	var abc PEChecksum
	abc.Add([]byte("abc"), 1)
	if v := abc.Value(); v != 0x3b9c {
		t.Fatalf("abc/1: %#04x, want 0x3b9c", v)
	}

	// Both PEs: 0x27228 + 0xc463 = 0x3368b
	//   fold: 0x368b + 0x3 = 0x368e;  complement: 0xc971
	var both PEChecksum
	both.Add([]byte("abc"), 1)
	both.Add([]byte("EchoPool"), 0x5297b1e4)
	if v := both.Value(); v != 0xc971 {
		t.Fatalf("both: %#04x, want 0xc971", v)
	}

	// Removing a PE gives what adding the others alone gives (the RFC's
	// implementation note).
	both.Remove([]byte("abc"), 1)
	if both != echo {
		t.Fatalf("after removal %#04x, want %#04x", both.Value(), echo.Value())
	}

	// Carries fold twice: "\xff\xff" padded to ff ff 00 00, PE id
	// 0xffff0001:
	//   0xffff + 0x0000 + 0xffff + 0x0001 = 0x1ffff
	//   fold: 0xffff + 0x1 = 0x10000; fold: 0x0000 + 0x1 = 0x0001
	//   complement: 0xfffe
	var carry PEChecksum
	carry.Add([]byte{0xff, 0xff}, 0xffff0001)
	if v := carry.Value(); v != 0xfffe {
		t.Fatalf("carry: %#04x, want 0xfffe", v)
	}

	// One's complement has two zeros. "\xff\xff" with PE id 0 sums to
	// 0xffff (checksum 0x0000); removing that PE must give the empty
	// handlespace's 0xffff again, not the other zero's complement 0x0000,
	// which subtracting in one's complement arithmetic would give.
	var zero PEChecksum
	zero.Add([]byte{0xff, 0xff}, 0)
	if v := zero.Value(); v != 0x0000 {
		t.Fatalf("0xffff sum: %#04x, want 0x0000", v)
	}
	zero.Remove([]byte{0xff, 0xff}, 0)
	if v := zero.Value(); v != 0xffff {
		t.Fatalf("after removing it: %#04x, want 0xffff", v)
	}

	// The order of the blocks does not matter, and a handle of length
	// 4k+2 needs two bytes of padding, which add nothing:
	//   "ab" -> 61 62 00 00, id 0x00020003:
	//   0x6162 + 0x0000 + 0x0002 + 0x0003 = 0x6167; complement 0x9e98
	var ab PEChecksum
	ab.Add([]byte("ab"), 0x00020003)
	if v := ab.Value(); v != 0x9e98 {
		t.Fatalf("ab: %#04x, want 0x9e98", v)
	}
}
