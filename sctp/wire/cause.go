package wire

import (
	"strconv"

	"github.com/rserpool/rserpool/internal/tlv"
)

// CauseCode identifies an error cause carried by ERROR and ABORT chunks
// and by the ASCONF Error Cause Indication parameter (RFC 9260 §3.3.10).
type CauseCode uint16

// Error cause codes of RFC 9260 §3.3.10 and of the extensions.
const (
	CauseInvalidStreamIdentifier    CauseCode = 1      // RFC 9260 §3.3.10.1
	CauseMissingMandatoryParameter  CauseCode = 2      // RFC 9260 §3.3.10.2
	CauseStaleCookie                CauseCode = 3      // RFC 9260 §3.3.10.3
	CauseOutOfResource              CauseCode = 4      // RFC 9260 §3.3.10.4
	CauseUnresolvableAddress        CauseCode = 5      // RFC 9260 §3.3.10.5
	CauseUnrecognizedChunkType      CauseCode = 6      // RFC 9260 §3.3.10.6
	CauseInvalidMandatoryParameter  CauseCode = 7      // RFC 9260 §3.3.10.7
	CauseUnrecognizedParameters     CauseCode = 8      // RFC 9260 §3.3.10.8
	CauseNoUserData                 CauseCode = 9      // RFC 9260 §3.3.10.9
	CauseCookieWhileShuttingDown    CauseCode = 10     // RFC 9260 §3.3.10.10
	CauseRestartWithNewAddresses    CauseCode = 11     // RFC 9260 §3.3.10.11
	CauseUserInitiatedAbort         CauseCode = 12     // RFC 9260 §3.3.10.12
	CauseProtocolViolation          CauseCode = 13     // RFC 9260 §3.3.10.13
	CauseUnsupportedHMACIdentifier  CauseCode = 0x0105 // RFC 4895 §4.1
	CauseDeleteLastRemainingAddress CauseCode = 160    // RFC 5061 §4.3.1
	CauseResourceShortage           CauseCode = 161    // RFC 5061 §4.3.2
	CauseDeleteSourceAddress        CauseCode = 162    // RFC 5061 §4.3.3
	CauseIllegalASCONFAck           CauseCode = 163    // RFC 5061 §4.3.4
	CauseNoAuthorization            CauseCode = 164    // RFC 5061 §4.3.5
)

var causeNames = map[CauseCode]string{
	CauseInvalidStreamIdentifier:    "Invalid Stream Identifier",
	CauseMissingMandatoryParameter:  "Missing Mandatory Parameter",
	CauseStaleCookie:                "Stale Cookie Error",
	CauseOutOfResource:              "Out of Resource",
	CauseUnresolvableAddress:        "Unresolvable Address",
	CauseUnrecognizedChunkType:      "Unrecognized Chunk Type",
	CauseInvalidMandatoryParameter:  "Invalid Mandatory Parameter",
	CauseUnrecognizedParameters:     "Unrecognized Parameters",
	CauseNoUserData:                 "No User Data",
	CauseCookieWhileShuttingDown:    "Cookie Received While Shutting Down",
	CauseRestartWithNewAddresses:    "Restart of an Association with New Addresses",
	CauseUserInitiatedAbort:         "User-Initiated Abort",
	CauseProtocolViolation:          "Protocol Violation",
	CauseUnsupportedHMACIdentifier:  "Unsupported HMAC Identifier",
	CauseDeleteLastRemainingAddress: "Request to Delete Last Remaining IP Address",
	CauseResourceShortage:           "Operation Refused Due to Resource Shortage",
	CauseDeleteSourceAddress:        "Request to Delete Source IP Address",
	CauseIllegalASCONFAck:           "Association Aborted Due to Illegal ASCONF-ACK",
	CauseNoAuthorization:            "Request Refused - No Authorization",
}

// String returns the cause's name, or "error cause N" when unknown.
func (c CauseCode) String() string {
	if s, ok := causeNames[c]; ok {
		return s
	}
	return "error cause " + strconv.Itoa(int(c))
}

// Known reports whether this package has a codec for the cause code.
func (c CauseCode) Known() bool {
	_, ok := causeNames[c]
	return ok
}

func causeName(c uint16) string { return CauseCode(c).String() }

// Cause is a view of one error cause: header and value, no padding.
type Cause struct {
	b   []byte
	off int
}

// ParseCause checks that b starts with a well-formed error cause and
// returns it. Trailing padding is not required.
func ParseCause(b []byte) (Cause, error) {
	it := newTLVIter(b, 0, "error cause", causeName)
	t, ok := it.next()
	if !ok {
		if it.err == nil {
			return Cause{}, parseErr(0, "error cause", "fewer than 4 bytes left for a header")
		}
		return Cause{}, it.err
	}
	return Cause(t), nil
}

// Code returns the cause code.
func (c Cause) Code() CauseCode { return CauseCode(uint16(c.b[0])<<8 | uint16(c.b[1])) }

// Len returns the cause length field (no padding).
func (c Cause) Len() int { return len(c.b) }

// Value returns the cause-specific information.
func (c Cause) Value() []byte { return c.b[tlvHeaderLen:] }

// Bytes returns the cause's header and value, no padding.
func (c Cause) Bytes() []byte { return c.b }

// Offset returns the cause's offset in the buffer it was cut from.
func (c Cause) Offset() int { return c.off }

func (c Cause) err(rel int, rule string) error {
	return parseErr(c.off+rel, c.Code().String()+" error cause", rule)
}

func (c Cause) expect(code CauseCode) error {
	if c.b == nil {
		return parseErr(c.off, code.String()+" error cause", "no error cause")
	}
	if c.Code() != code {
		return parseErr(c.off, code.String()+" error cause", "error cause is a "+c.Code().String())
	}
	return nil
}

// Causes is a view of an encoded list of error causes, as carried by ABORT,
// ERROR and the Error Cause Indication parameter.
type Causes struct {
	b   []byte
	off int
}

// MakeCauses wraps an encoded cause list without checking it.
func MakeCauses(b []byte) Causes { return Causes{b: b} }

func parseCauses(b []byte, off int) (Causes, error) {
	if err := validTLVs(b, off, "error cause", causeName); err != nil {
		return Causes{}, err
	}
	return Causes{b: b, off: off}, nil
}

// Bytes returns the encoded list.
func (cs Causes) Bytes() []byte { return cs.b }

// Len returns the number of bytes the list adds to a chunk length.
func (cs Causes) Len() int { return tlv.ListLen(cs.b) }

// Iter returns an iterator over the causes.
func (cs Causes) Iter() CauseIter {
	return CauseIter{it: newTLVIter(cs.b, cs.off, "error cause", causeName)}
}

func (cs Causes) appendTo(b []byte) []byte { return append(b, cs.b[:cs.Len()]...) }

// CauseIter walks a cause list without allocating.
type CauseIter struct{ it tlvIter }

// Next returns the next cause, or false at the end or on a malformed one.
func (ci *CauseIter) Next() (Cause, bool) {
	t, ok := ci.it.next()
	return Cause(t), ok
}

// Err returns the error that stopped the iteration, if any.
func (ci *CauseIter) Err() error { return ci.it.err }

// ErrorCause is an error cause ready to be encoded; each cause's struct
// implements it.
type ErrorCause interface {
	// CauseCode returns the cause code.
	CauseCode() CauseCode
	// Len returns the cause length field: header and value, no padding.
	Len() int
	// Append appends the cause with its padding to b. The encoding is
	// valid only while Len() is at most 65535: the length field is 16
	// bits (RFC 9260 §3.3.10) and a larger Len is written wrapped. The
	// chunk that carries the cause is longer still, so Builder refuses
	// that chunk (see MaxPacketLen).
	Append(b []byte) []byte
}

// AppendCauses appends each cause in turn, to build a Causes list.
func AppendCauses(b []byte, cs ...ErrorCause) []byte {
	for _, c := range cs {
		b = c.Append(b)
	}
	return b
}

// RawCause is an error cause of any code kept as its undecoded value.
type RawCause struct {
	Code  CauseCode
	Value []byte
}

// CauseCode returns the cause code.
func (r *RawCause) CauseCode() CauseCode { return r.Code }

// Len returns the cause length field.
func (r *RawCause) Len() int { return tlvHeaderLen + len(r.Value) }

// Append appends the cause with its padding.
func (r *RawCause) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(r.Code), r.Len())
	b = append(b, r.Value...)
	return appendPad(b, r.Len())
}

// Decode takes any cause as raw code and value (aliasing c).
func (r *RawCause) Decode(c Cause) error {
	if c.b == nil {
		return parseErr(c.off, "error cause", "no error cause")
	}
	r.Code, r.Value = c.Code(), c.Value()
	return nil
}
