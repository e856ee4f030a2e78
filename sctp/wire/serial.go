package wire

// Serial number arithmetic of RFC 1982, as RFC 9260 §1.6 requires for TSNs
// (32 bits) and SSNs (16 bits), and RFC 8260 §2.1 for MIDs and FSNs (32
// bits). Each number space is its own type so that a TSN cannot be
// compared with an SSN or added to a stream identifier by mistake.
//
// RFC 1982 §3.2: s1 is less than s2 when they differ and s2 - s1, modulo
// 2^SERIAL_BITS, is below 2^(SERIAL_BITS-1). Two numbers exactly
// 2^(SERIAL_BITS-1) apart are left undefined there; Less and Greater
// report false for such a pair in both directions, so that neither is
// taken to precede the other and the two comparisons stay antisymmetric.

// serialLess32 reports s1 < s2 in 32-bit serial number arithmetic.
func serialLess32(s1, s2 uint32) bool {
	d := s2 - s1
	return d != 0 && d < 1<<31
}

// serialLess16 reports s1 < s2 in 16-bit serial number arithmetic.
func serialLess16(s1, s2 uint16) bool {
	d := s2 - s1
	return d != 0 && d < 1<<15
}

// TSN is a Transmission Sequence Number (RFC 9260 §3.3.1).
type TSN uint32

// Less reports whether t precedes u in serial number arithmetic. It is
// false when t and u are 2^31 apart.
func (t TSN) Less(u TSN) bool { return serialLess32(uint32(t), uint32(u)) }

// LessEq reports whether t precedes or equals u.
func (t TSN) LessEq(u TSN) bool { return t == u || t.Less(u) }

// Greater reports whether t follows u. It is false when t and u are 2^31
// apart.
func (t TSN) Greater(u TSN) bool { return u.Less(t) }

// Add returns t advanced by n, wrapping modulo 2^32.
func (t TSN) Add(n uint32) TSN { return t + TSN(n) }

// Sub returns the signed distance t-u, valid while the two are less than
// 2^31 apart.
func (t TSN) Sub(u TSN) int32 { return int32(t - u) }

// InWindow reports whether t lies in [first, first+size).
func (t TSN) InWindow(first TSN, size uint32) bool { return uint32(t-first) < size }

// SSN is a Stream Sequence Number (RFC 9260 §3.3.1), 16-bit serial.
type SSN uint16

// Less reports whether s precedes u in serial number arithmetic. It is
// false when s and u are 2^15 apart.
func (s SSN) Less(u SSN) bool { return serialLess16(uint16(s), uint16(u)) }

// LessEq reports whether s precedes or equals u.
func (s SSN) LessEq(u SSN) bool { return s == u || s.Less(u) }

// Greater reports whether s follows u. It is false when s and u are 2^15
// apart.
func (s SSN) Greater(u SSN) bool { return u.Less(s) }

// Add returns s advanced by n, wrapping modulo 2^16.
func (s SSN) Add(n uint16) SSN { return s + SSN(n) }

// Sub returns the signed distance s-u, valid while the two are less than
// 2^15 apart.
func (s SSN) Sub(u SSN) int16 { return int16(s - u) }

// MID is an I-DATA Message Identifier (RFC 8260 §2.1), 32-bit serial.
type MID uint32

// Less reports whether m precedes u in serial number arithmetic. It is
// false when m and u are 2^31 apart.
func (m MID) Less(u MID) bool { return serialLess32(uint32(m), uint32(u)) }

// LessEq reports whether m precedes or equals u.
func (m MID) LessEq(u MID) bool { return m == u || m.Less(u) }

// Greater reports whether m follows u. It is false when m and u are 2^31
// apart.
func (m MID) Greater(u MID) bool { return u.Less(m) }

// Add returns m advanced by n, wrapping modulo 2^32.
func (m MID) Add(n uint32) MID { return m + MID(n) }

// Sub returns the signed distance m-u, valid while the two are less than
// 2^31 apart.
func (m MID) Sub(u MID) int32 { return int32(m - u) }

// FSN is an I-DATA Fragment Sequence Number (RFC 8260 §2.1): "For the
// FSN, the serial number arithmetic defined in [RFC1982] applies with
// SERIAL_BITS = 32."
type FSN uint32

// Less reports whether f precedes u in serial number arithmetic. It is
// false when f and u are 2^31 apart.
func (f FSN) Less(u FSN) bool { return serialLess32(uint32(f), uint32(u)) }

// LessEq reports whether f precedes or equals u.
func (f FSN) LessEq(u FSN) bool { return f == u || f.Less(u) }

// Greater reports whether f follows u. It is false when f and u are 2^31
// apart.
func (f FSN) Greater(u FSN) bool { return u.Less(f) }

// Add returns f advanced by n, wrapping modulo 2^32.
func (f FSN) Add(n uint32) FSN { return f + FSN(n) }

// Sub returns the signed distance f-u, valid while the two are less than
// 2^31 apart.
func (f FSN) Sub(u FSN) int32 { return int32(f - u) }

// StreamID identifies a stream (RFC 9260 §3.3.1). Not a serial number.
type StreamID uint16

// VTag is a Verification Tag (RFC 9260 §3.1). Not a serial number.
type VTag uint32

// PPID is a Payload Protocol Identifier (RFC 9260 §3.3.1), opaque to SCTP
// and carried in network byte order.
type PPID uint32
