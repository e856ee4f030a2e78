package wire

// Serial number arithmetic of RFC 1982, as RFC 9260 §1.6 requires for TSNs
// (32 bits) and SSNs (16 bits), and RFC 8260 §2.1 for MIDs (32 bits).
// Each number space is its own type so that a TSN cannot be compared with
// an SSN or added to a stream identifier by mistake.

// TSN is a Transmission Sequence Number (RFC 9260 §3.3.1).
type TSN uint32

// Less reports whether t precedes u in serial number arithmetic.
func (t TSN) Less(u TSN) bool { return t != u && int32(t-u) < 0 }

// LessEq reports whether t precedes or equals u.
func (t TSN) LessEq(u TSN) bool { return int32(t-u) <= 0 }

// Greater reports whether t follows u.
func (t TSN) Greater(u TSN) bool { return t != u && int32(t-u) > 0 }

// Add returns t advanced by n, wrapping modulo 2^32.
func (t TSN) Add(n uint32) TSN { return t + TSN(n) }

// Sub returns the signed distance t-u, valid while the two are less than
// 2^31 apart.
func (t TSN) Sub(u TSN) int32 { return int32(t - u) }

// InWindow reports whether t lies in [first, first+size).
func (t TSN) InWindow(first TSN, size uint32) bool { return uint32(t-first) < size }

// SSN is a Stream Sequence Number (RFC 9260 §3.3.1), 16-bit serial.
type SSN uint16

// Less reports whether s precedes u in serial number arithmetic.
func (s SSN) Less(u SSN) bool { return s != u && int16(s-u) < 0 }

// LessEq reports whether s precedes or equals u.
func (s SSN) LessEq(u SSN) bool { return int16(s-u) <= 0 }

// Greater reports whether s follows u.
func (s SSN) Greater(u SSN) bool { return s != u && int16(s-u) > 0 }

// Add returns s advanced by n, wrapping modulo 2^16.
func (s SSN) Add(n uint16) SSN { return s + SSN(n) }

// Sub returns the signed distance s-u.
func (s SSN) Sub(u SSN) int16 { return int16(s - u) }

// MID is an I-DATA Message Identifier (RFC 8260 §2.1), 32-bit serial.
type MID uint32

// Less reports whether m precedes u in serial number arithmetic.
func (m MID) Less(u MID) bool { return m != u && int32(m-u) < 0 }

// LessEq reports whether m precedes or equals u.
func (m MID) LessEq(u MID) bool { return int32(m-u) <= 0 }

// Greater reports whether m follows u.
func (m MID) Greater(u MID) bool { return m != u && int32(m-u) > 0 }

// Add returns m advanced by n, wrapping modulo 2^32.
func (m MID) Add(n uint32) MID { return m + MID(n) }

// Sub returns the signed distance m-u.
func (m MID) Sub(u MID) int32 { return int32(m - u) }

// StreamID identifies a stream (RFC 9260 §3.3.1). Not a serial number.
type StreamID uint16

// VTag is a Verification Tag (RFC 9260 §3.1). Not a serial number.
type VTag uint32

// PPID is a Payload Protocol Identifier (RFC 9260 §3.3.1), opaque to SCTP
// and carried in network byte order.
type PPID uint32
