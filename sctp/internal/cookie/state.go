package cookie

import (
	"encoding/binary"
	"math"
	"net/netip"
	"time"

	"github.com/rserpool/rserpool/sctp/wire"
)

// State is what a cookie carries: what RFC 9260 §5.1.3 asks for ("a
// timestamp on when the State Cookie is created and the lifespan of the
// State Cookie, along with all the information necessary for it to
// establish the association, including the port numbers and the
// Verification Tags"). The peer's side (its tag, initial TSN, window,
// streams and addresses) is in Init.
type State struct {
	// Created is the time of the INIT ACK. It is carried with nanosecond
	// precision (Time.UnixNano), so it must lie between the years 1678
	// and 2262; Open returns it in UTC.
	Created time.Time
	// Lifetime is Valid.Cookie.Life plus any Cookie Preservative
	// increment granted (see GrantedLifetime). Seal refuses one that is
	// negative or longer than the Signer's rotation period, since the key
	// would be gone before the cookie expired.
	Lifetime time.Duration

	LocalVTag  wire.VTag // our Initiate Tag in the INIT ACK
	LocalTSN   wire.TSN  // our initial TSN
	LocalRwnd  uint32    // our a_rwnd in the INIT ACK
	OutStreams uint16    // our OS in the INIT ACK
	InStreams  uint16    // our MIS in the INIT ACK

	// LocalTieTag and PeerTieTag are the Tie-Tags of §5.2.2, compared by
	// §5.2.4 when a COOKIE ECHO arrives for an existing association; both
	// are zero when no association existed.
	LocalTieTag wire.VTag
	PeerTieTag  wire.VTag

	LocalPort uint16 // destination port of the INIT
	PeerPort  uint16 // source port of the INIT

	// PeerAddr is the source address of the packet that carried the INIT,
	// which §3.3.2.1.1 counts among the peer's addresses and which the
	// COOKIE ECHO need not come from; the zero Addr when not recorded.
	// Its zone is not carried: the receiver knows the interface the
	// COOKIE ECHO arrived on.
	PeerAddr netip.Addr

	// Init is the peer's whole INIT chunk as received (header included,
	// padding not), decoded again on COOKIE ECHO. After Open it aliases
	// the cookie bytes.
	Init []byte
}

// MatchesHeader reports whether a packet with common header h may carry
// this cookie in its COOKIE ECHO: RFC 9260 §5.1.5 step 3 compares the
// ports and the Verification Tag in the cookie with those of the packet
// and has the packet silently discarded when they differ.
func (st *State) MatchesHeader(h wire.Header) bool {
	return h.SrcPort == st.PeerPort && h.DstPort == st.LocalPort && h.VTag == st.LocalVTag
}

// Format of version 1, big-endian, offsets from the start of the cookie:
//
//	0   version                 1 byte
//	1   key identifier          1 byte
//	2   Created, Unix ns        8
//	10  Lifetime, ns            8
//	18  LocalVTag               4
//	22  LocalTSN                4
//	26  LocalRwnd               4
//	30  OutStreams              2
//	32  InStreams               2
//	34  LocalTieTag             4
//	38  PeerTieTag              4
//	42  LocalPort               2
//	44  PeerPort                2
//	46  PeerAddr length n       1 (0, 4 or 16)
//	47  PeerAddr                n
//	    Init                    the rest up to the MAC
//	    HMAC-SHA256             32, over every byte before it
const (
	version    = 1
	offAddrLen = 46
	fixedLen   = 47
	macLen     = 32 // sha256.Size: the full HMAC, not truncated
)

// MaxInitLen is the longest INIT a cookie carries. The cookie travels in
// the State Cookie parameter of an INIT ACK, whose 16-bit length field
// bounds the chunk at 65,535 bytes, and that INIT ACK must also carry our
// own addresses and parameters and fit in one packet. 32 KiB leaves half
// the chunk for those, and still takes an INIT listing about 4,000 IPv4 or
// 1,600 IPv6 addresses, far beyond any real multihomed peer.
const MaxInitLen = 32 << 10

// Overhead is the size of a cookie beyond its INIT at most (with an IPv6
// PeerAddr); MaxCookieLen is the longest cookie Seal makes, which Open
// uses to refuse longer input before computing anything.
const (
	Overhead     = fixedLen + 16 + macLen
	MaxCookieLen = MaxInitLen + Overhead
	minCookieLen = fixedLen + macLen
)

// Bounds of Time.UnixNano, outside which it is undefined.
var (
	minCreated = time.Unix(0, math.MinInt64)
	maxCreated = time.Unix(0, math.MaxInt64)
)

// check reports why Seal cannot carry st for a signer rotating its key
// every rotate, or nil.
func (st *State) check(rotate time.Duration) error {
	switch {
	case len(st.Init) > MaxInitLen:
		return ErrInitTooLong
	case st.Created.Before(minCreated) || st.Created.After(maxCreated):
		return ErrInvalidState
	case st.Lifetime < 0 || st.Lifetime > rotate:
		return ErrInvalidState
	}
	return nil
}

// addrBytes returns the length and bytes of the encoded PeerAddr.
func (st *State) addrBytes() (int, [16]byte) {
	switch {
	case !st.PeerAddr.IsValid():
		return 0, [16]byte{}
	case st.PeerAddr.Is4():
		var b [16]byte
		a := st.PeerAddr.As4()
		copy(b[:], a[:])
		return 4, b
	default:
		return 16, st.PeerAddr.As16()
	}
}

// sealedLen is the length of the sealed cookie.
func (st *State) sealedLen() int {
	n, _ := st.addrBytes()
	return fixedLen + n + len(st.Init) + macLen
}

// appendBody appends everything but the MAC.
func (st *State) appendBody(b []byte, keyID byte) []byte {
	b = append(b, version, keyID)
	b = binary.BigEndian.AppendUint64(b, uint64(st.Created.UnixNano()))
	b = binary.BigEndian.AppendUint64(b, uint64(st.Lifetime))
	b = binary.BigEndian.AppendUint32(b, uint32(st.LocalVTag))
	b = binary.BigEndian.AppendUint32(b, uint32(st.LocalTSN))
	b = binary.BigEndian.AppendUint32(b, st.LocalRwnd)
	b = binary.BigEndian.AppendUint16(b, st.OutStreams)
	b = binary.BigEndian.AppendUint16(b, st.InStreams)
	b = binary.BigEndian.AppendUint32(b, uint32(st.LocalTieTag))
	b = binary.BigEndian.AppendUint32(b, uint32(st.PeerTieTag))
	b = binary.BigEndian.AppendUint16(b, st.LocalPort)
	b = binary.BigEndian.AppendUint16(b, st.PeerPort)
	n, a := st.addrBytes()
	b = append(b, byte(n))
	b = append(b, a[:n]...)
	return append(b, st.Init...)
}

// decodeBody decodes an authenticated cookie without its MAC; body is at
// least fixedLen long. Init aliases body.
func decodeBody(body []byte) (State, error) {
	be := binary.BigEndian
	st := State{
		Created:     time.Unix(0, int64(be.Uint64(body[2:]))).UTC(),
		Lifetime:    time.Duration(be.Uint64(body[10:])),
		LocalVTag:   wire.VTag(be.Uint32(body[18:])),
		LocalTSN:    wire.TSN(be.Uint32(body[22:])),
		LocalRwnd:   be.Uint32(body[26:]),
		OutStreams:  be.Uint16(body[30:]),
		InStreams:   be.Uint16(body[32:]),
		LocalTieTag: wire.VTag(be.Uint32(body[34:])),
		PeerTieTag:  wire.VTag(be.Uint32(body[38:])),
		LocalPort:   be.Uint16(body[42:]),
		PeerPort:    be.Uint16(body[44:]),
	}
	if st.Lifetime < 0 {
		return State{}, &MalformedError{Offset: 10, Rule: "negative lifetime"}
	}
	n := int(body[offAddrLen])
	rest := body[fixedLen:]
	switch {
	case n != 0 && n != 4 && n != 16:
		return State{}, &MalformedError{Offset: offAddrLen, Rule: "peer address length not 0, 4 or 16"}
	case n > len(rest):
		return State{}, &MalformedError{Offset: offAddrLen, Rule: "peer address runs past the MAC"}
	case n == 4:
		st.PeerAddr = netip.AddrFrom4([4]byte(rest))
	case n == 16:
		st.PeerAddr = netip.AddrFrom16([16]byte(rest))
	}
	st.Init = rest[n:len(rest):len(rest)]
	if len(st.Init) > MaxInitLen {
		return State{}, &MalformedError{Offset: fixedLen + n, Rule: "INIT longer than MaxInitLen"}
	}
	return st, nil
}
