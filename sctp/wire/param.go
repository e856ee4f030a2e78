package wire

import (
	"strconv"

	"github.com/rserpool/rserpool/internal/tlv"
)

// ParamType is the type of a chunk parameter (RFC 9260 §3.2.1). Types are
// unique across all chunks, so one set covers INIT, INIT ACK, HEARTBEAT,
// ASCONF, ASCONF-ACK and RE-CONFIG.
type ParamType uint16

// Parameter types of RFC 9260 and of the extensions this package speaks.
const (
	ParamHeartbeatInfo             ParamType = 1      // RFC 9260 §3.3.5
	ParamIPv4Address               ParamType = 5      // RFC 9260 §3.3.2.1.1
	ParamIPv6Address               ParamType = 6      // RFC 9260 §3.3.2.1.2
	ParamStateCookie               ParamType = 7      // RFC 9260 §3.3.3.1
	ParamUnrecognizedParameter     ParamType = 8      // RFC 9260 §3.3.3.1
	ParamCookiePreservative        ParamType = 9      // RFC 9260 §3.3.2.1.3
	ParamHostNameAddress           ParamType = 11     // RFC 9260 §3.3.2.1.4
	ParamSupportedAddressTypes     ParamType = 12     // RFC 9260 §3.3.2.1.5
	ParamOutgoingSSNResetRequest   ParamType = 13     // RFC 6525 §4.1
	ParamIncomingSSNResetRequest   ParamType = 14     // RFC 6525 §4.2
	ParamSSNTSNResetRequest        ParamType = 15     // RFC 6525 §4.3
	ParamReconfigResponse          ParamType = 16     // RFC 6525 §4.4
	ParamAddOutgoingStreams        ParamType = 17     // RFC 6525 §4.5
	ParamAddIncomingStreams        ParamType = 18     // RFC 6525 §4.6
	ParamECNCapable                ParamType = 0x8000 // RFC 9260 §3.3.2 Table 6, §3.3.3 Table 8 (reserved)
	ParamRandom                    ParamType = 0x8002 // RFC 4895 §3.1
	ParamChunkList                 ParamType = 0x8003 // RFC 4895 §3.2
	ParamRequestedHMACAlgorithm    ParamType = 0x8004 // RFC 4895 §3.3
	ParamPadding                   ParamType = 0x8005 // RFC 4820 §4
	ParamSupportedExtensions       ParamType = 0x8008 // RFC 5061 §4.2.7
	ParamForwardTSNSupported       ParamType = 0xC000 // RFC 3758 §3.1
	ParamAddIPAddress              ParamType = 0xC001 // RFC 5061 §4.2.1
	ParamDeleteIPAddress           ParamType = 0xC002 // RFC 5061 §4.2.2
	ParamErrorCauseIndication      ParamType = 0xC003 // RFC 5061 §4.2.3
	ParamSetPrimaryAddress         ParamType = 0xC004 // RFC 5061 §4.2.4
	ParamSuccessIndication         ParamType = 0xC005 // RFC 5061 §4.2.5
	ParamAdaptationLayerIndication ParamType = 0xC006 // RFC 5061 §4.2.6
)

var paramNames = map[ParamType]string{
	ParamHeartbeatInfo:             "Heartbeat Info",
	ParamIPv4Address:               "IPv4 Address",
	ParamIPv6Address:               "IPv6 Address",
	ParamStateCookie:               "State Cookie",
	ParamUnrecognizedParameter:     "Unrecognized Parameter",
	ParamCookiePreservative:        "Cookie Preservative",
	ParamHostNameAddress:           "Host Name Address",
	ParamSupportedAddressTypes:     "Supported Address Types",
	ParamOutgoingSSNResetRequest:   "Outgoing SSN Reset Request",
	ParamIncomingSSNResetRequest:   "Incoming SSN Reset Request",
	ParamSSNTSNResetRequest:        "SSN/TSN Reset Request",
	ParamReconfigResponse:          "Re-configuration Response",
	ParamAddOutgoingStreams:        "Add Outgoing Streams Request",
	ParamAddIncomingStreams:        "Add Incoming Streams Request",
	ParamECNCapable:                "ECN Capable",
	ParamRandom:                    "Random",
	ParamChunkList:                 "Chunk List",
	ParamRequestedHMACAlgorithm:    "Requested HMAC Algorithm",
	ParamPadding:                   "Padding",
	ParamSupportedExtensions:       "Supported Extensions",
	ParamForwardTSNSupported:       "Forward-TSN-Supported",
	ParamAddIPAddress:              "Add IP Address",
	ParamDeleteIPAddress:           "Delete IP Address",
	ParamErrorCauseIndication:      "Error Cause Indication",
	ParamSetPrimaryAddress:         "Set Primary Address",
	ParamSuccessIndication:         "Success Indication",
	ParamAdaptationLayerIndication: "Adaptation Layer Indication",
}

// String returns the parameter type's name, or "parameter type N".
func (t ParamType) String() string {
	if s, ok := paramNames[t]; ok {
		return s
	}
	return "parameter type " + strconv.Itoa(int(t))
}

// Known reports whether this package has a codec for the parameter type.
// ParamECNCapable is reserved by RFC 9260 and has none.
func (t ParamType) Known() bool {
	_, ok := paramNames[t]
	return ok && t != ParamECNCapable
}

// UnknownAction returns what to do with this parameter type when it is not
// recognized (RFC 9260 §3.2.1, Table 3).
func (t ParamType) UnknownAction() UnknownAction { return UnknownAction(t >> 14) }

func paramName(t uint16) string { return ParamType(t).String() }

// Param is a view of one parameter: header and value, no padding.
type Param struct {
	b   []byte
	off int
}

// ParseParam checks that b starts with a well-formed parameter and
// returns it. Trailing padding is not required.
func ParseParam(b []byte) (Param, error) {
	it := newTLVIter(b, 0, "parameter", paramName)
	t, ok := it.next()
	if !ok {
		if it.err == nil {
			return Param{}, parseErr(0, "parameter", "fewer than 4 bytes left for a header")
		}
		return Param{}, it.err
	}
	return Param(t), nil
}

// Type returns the parameter type.
func (p Param) Type() ParamType { return ParamType(uint16(p.b[0])<<8 | uint16(p.b[1])) }

// Len returns the parameter length field (no padding).
func (p Param) Len() int { return len(p.b) }

// Value returns the parameter value.
func (p Param) Value() []byte { return p.b[tlvHeaderLen:] }

// Bytes returns the parameter's header and value, no padding.
func (p Param) Bytes() []byte { return p.b }

// Offset returns the parameter's offset in the buffer it was cut from.
func (p Param) Offset() int { return p.off }

func (p Param) err(rel int, rule string) error {
	return parseErr(p.off+rel, p.Type().String()+" parameter", rule)
}

func (p Param) expect(t ParamType) error {
	if p.b == nil {
		return parseErr(p.off, t.String()+" parameter", "no parameter")
	}
	if p.Type() != t {
		return parseErr(p.off, t.String()+" parameter", "parameter is a "+p.Type().String())
	}
	return nil
}

// Params is a view of an encoded list of parameters, as carried by INIT,
// INIT ACK, ASCONF, ASCONF-ACK and RE-CONFIG. It is built by appending
// parameters with their Append methods, and decoded by iterating.
type Params struct {
	b   []byte
	off int
}

// MakeParams wraps an encoded parameter list (for example one built with
// the parameters' Append methods) without checking it; decoders of
// received chunks check their lists.
func MakeParams(b []byte) Params { return Params{b: b} }

// parseParams checks every parameter of the list b found at offset off.
func parseParams(b []byte, off int) (Params, error) {
	if err := validTLVs(b, off, "parameter", paramName); err != nil {
		return Params{}, err
	}
	return Params{b: b, off: off}, nil
}

// Bytes returns the encoded list.
func (ps Params) Bytes() []byte { return ps.b }

// Len returns the number of bytes the list adds to a chunk length: the
// list without the last parameter's padding (RFC 9260 §3.2).
func (ps Params) Len() int { return tlv.ListLen(ps.b) }

// Iter returns an iterator over the parameters.
func (ps Params) Iter() ParamIter {
	return ParamIter{it: newTLVIter(ps.b, ps.off, "parameter", paramName)}
}

// Find returns the first parameter of type t.
func (ps Params) Find(t ParamType) (Param, bool) {
	it := ps.Iter()
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		if p.Type() == t {
			return p, true
		}
	}
	return Param{}, false
}

// appendTo appends the list as a chunk carries it: every parameter but
// the last padded, the last one's padding left to the chunk's.
func (ps Params) appendTo(b []byte) []byte { return append(b, ps.b[:ps.Len()]...) }

// ParamIter walks a parameter list without allocating.
type ParamIter struct{ it tlvIter }

// Next returns the next parameter, or false at the end or on a malformed
// parameter (then Err says why).
func (pi *ParamIter) Next() (Param, bool) {
	t, ok := pi.it.next()
	return Param(t), ok
}

// Err returns the error that stopped the iteration, if any.
func (pi *ParamIter) Err() error { return pi.it.err }

// Parameter is a parameter ready to be encoded; each parameter type's
// struct implements it.
type Parameter interface {
	// ParamType returns the parameter type.
	ParamType() ParamType
	// Len returns the parameter length field: header and value, no padding.
	Len() int
	// Append appends the parameter with its padding to b. The encoding
	// is valid only while Len() is at most 65535: the length field is 16
	// bits (RFC 9260 §3.2.1) and a larger Len is written wrapped. The
	// chunk that carries the parameter is longer still, so Builder
	// refuses that chunk (see MaxPacketLen).
	Append(b []byte) []byte
}

// AppendParams appends each parameter in turn: a convenience for building
// a Params list (MakeParams(AppendParams(nil, ...))).
func AppendParams(b []byte, ps ...Parameter) []byte {
	for _, p := range ps {
		b = p.Append(b)
	}
	return b
}

// RawParam is a parameter of any type kept as its undecoded value: the
// form of an unrecognized parameter.
type RawParam struct {
	Type  ParamType
	Value []byte
}

// ParamType returns the parameter type.
func (r *RawParam) ParamType() ParamType { return r.Type }

// Len returns the parameter length field.
func (r *RawParam) Len() int { return tlvHeaderLen + len(r.Value) }

// Append appends the parameter with its padding.
func (r *RawParam) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(r.Type), r.Len())
	b = append(b, r.Value...)
	return appendPad(b, r.Len())
}

// Decode takes any parameter as raw type and value (aliasing p).
func (r *RawParam) Decode(p Param) error {
	if p.b == nil {
		return parseErr(p.off, "parameter", "no parameter")
	}
	r.Type, r.Value = p.Type(), p.Value()
	return nil
}

// CheckUnrecognized applies RFC 9260 §3.2.1 to a received list: it walks
// the parameters, skips those known(t) accepts, and for each one it does
// not recognize calls report(p) when the type's upper bits ask for a
// report. It stops where an unrecognized type says to stop and returns
// stopped=true then. report may be nil.
func (ps Params) CheckUnrecognized(known func(ParamType) bool, report func(Param)) (stopped bool, err error) {
	it := ps.Iter()
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		if known(p.Type()) {
			continue
		}
		a := p.Type().UnknownAction()
		if a.Report() && report != nil {
			report(p)
		}
		if a.Stop() {
			return true, nil
		}
	}
	return false, it.Err()
}
