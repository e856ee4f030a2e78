package msg

import (
	"encoding/binary"
	"strconv"

	"github.com/rserpool/rserpool/internal/tlv"
)

// This file holds the Operation Error parameter of RFC 5354 §3.12 and its
// error causes (§3.12.1-§3.12.11): how a registrar says why it rejected a
// request, and how any endpoint reports a message or parameter it did not
// understand.

// CauseCode is the code of an error cause (RFC 5354 §3.12, Table 2).
type CauseCode uint16

var causeNames = map[CauseCode]string{
	CauseUnspecified:               "Unspecified Error",
	CauseUnrecognizedParameter:     "Unrecognized Parameter",
	CauseUnrecognizedMessage:       "Unrecognized Message",
	CauseInvalidValues:             "Invalid Values",
	CauseNonUniquePEIdentifier:     "Non-Unique PE Identifier",
	CauseInconsistentPoolingPolicy: "Inconsistent Pooling Policy",
	CauseLackOfResources:           "Lack of Resources",
	CauseInconsistentTransportType: "Inconsistent Transport Type",
	CauseInconsistentDataControl:   "Inconsistent Data/Control Configuration",
	CauseUnknownPoolHandle:         "Unknown Pool Handle",
	CauseRejectedSecurity:          "Rejected Due to Security Considerations",
}

// String returns the cause's name, or "cause code N".
func (c CauseCode) String() string {
	if s, ok := causeNames[c]; ok {
		return s
	}
	return "cause code " + strconv.Itoa(int(c))
}

// Cause is one error cause: a code and the cause-specific information,
// which is, by code (RFC 5354 §3.12.2-§3.12.11):
//
//	Unrecognized Parameter       the complete unrecognized parameter TLV
//	Unrecognized Message         the unrecognized message
//	Invalid Values               the TLV holding the invalid value(s)
//	Inconsistent Pooling Policy  a policy TLV with the pool's policy
//	Inconsistent Transport Type  a transport TLV with the pool's transport
//	the others                   nothing
//
// Info aliases the decoded message; the accessors Param, Policy and
// Transport decode it.
type Cause struct {
	Code CauseCode
	Info []byte
}

// Len returns the cause length field.
func (c Cause) Len() int { return tlvHeaderLen + len(c.Info) }

// Append appends the cause with its padding. A cause longer than the
// 16-bit Cause Length can describe (RFC 5354 §3.12) gets the length 0,
// which no receiver accepts, and makes the enclosing Operation Error's
// Len exceed 65535 (see Message); MaxCauseInfo is how much information
// fits.
func (c Cause) Append(b []byte) []byte {
	n := c.Len()
	b = tlv.AppendHeader(b, uint16(c.Code), fitLength(n))
	b = append(b, c.Info...)
	return appendPad(b, n)
}

// Param parses Info as a parameter TLV (Unrecognized Parameter, Invalid
// Values). Offsets in errors count from the start of Info.
func (c Cause) Param() (Param, error) { return ParseParam(c.Info) }

// Policy decodes Info as a policy parameter (Inconsistent Pooling Policy).
func (c Cause) Policy() (Policy, error) {
	var p Policy
	q, err := ParseParam(c.Info)
	if err == nil {
		err = p.Decode(q)
	}
	return p, err
}

// Transport decodes Info as a transport parameter (Inconsistent Transport
// Type).
func (c Cause) Transport() (Transport, error) {
	var t Transport
	q, err := ParseParam(c.Info)
	if err == nil {
		err = t.Decode(q)
	}
	return t, err
}

// UnrecognizedParameterCause builds the cause that reports an
// unrecognized parameter (RFC 5354 §3.12.2), such as one that Report or
// Unrecognized.Report hands out: the parameter TLV, cut to its first
// MaxCauseInfo bytes when longer (see MaxCauseInfo).
func UnrecognizedParameterCause(p Param) Cause {
	return Cause{Code: CauseUnrecognizedParameter, Info: causeInfo(p.Bytes())}
}

// InconsistentPoolingPolicyCause builds the cause that tells a registering
// PE the pool's policy (RFC 5354 §3.12.6).
func InconsistentPoolingPolicyCause(pool Policy) Cause {
	return Cause{Code: CauseInconsistentPoolingPolicy, Info: tlvBytes(&pool)}
}

// InconsistentTransportTypeCause builds the cause that tells a registering
// PE the pool's transport (RFC 5354 §3.12.8).
func InconsistentTransportTypeCause(pool Transport) Cause {
	return Cause{Code: CauseInconsistentTransportType, Info: tlvBytes(&pool)}
}

// tlvBytes encodes a parameter without its padding, as cause-specific
// information carries it.
func tlvBytes(p Parameter) []byte { return p.Append(nil)[:p.Len()] }

// Causes is a view of a list of error causes.
type Causes struct {
	b   []byte
	off int
}

// MakeCauses encodes causes into a list.
func MakeCauses(cs ...Cause) Causes {
	var b []byte
	for _, c := range cs {
		b = c.Append(b)
	}
	return Causes{b: b}
}

func causeName(c uint16) string { return CauseCode(c).String() }

func (cs Causes) iter() tlvIter {
	return newTLVIter(cs.b, cs.off, "error cause", causeName)
}

// Iter returns an iterator over the causes.
func (cs Causes) Iter() CauseIter { return CauseIter{it: cs.iter()} }

// Count returns the number of causes.
func (cs Causes) Count() int {
	n := 0
	it := cs.Iter()
	for _, ok := it.Next(); ok; _, ok = it.Next() {
		n++
	}
	return n
}

// First returns the first cause; ok is false when there is none.
func (cs Causes) First() (c Cause, ok bool) {
	it := cs.Iter()
	return it.Next()
}

// CauseIter walks a cause list without allocating.
type CauseIter struct{ it tlvIter }

// Next returns the next cause, or false at the end or on a malformed one
// (then Err says why).
func (ci *CauseIter) Next() (Cause, bool) {
	t, ok := ci.it.next()
	if !ok {
		return Cause{}, false
	}
	return Cause{Code: CauseCode(binary.BigEndian.Uint16(t.b)), Info: t.b[tlvHeaderLen:]}, true
}

// Err returns the error that stopped the iteration, if any.
func (ci *CauseIter) Err() error { return ci.it.err }

// OperationError is the Operation Error parameter: one or more error
// causes (RFC 5354 §3.12). Since it cannot be empty on the wire, the zero
// OperationError (no causes) stands for "no error" where the parameter is
// optional; where it is mandatory (ASAP_ERROR, ENRP_ERROR) Encode refuses
// it.
type OperationError struct {
	Causes Causes
}

// NewOperationError builds an Operation Error from causes.
func NewOperationError(cs ...Cause) OperationError { return OperationError{Causes: MakeCauses(cs...)} }

// IsZero reports whether e holds no cause.
func (e *OperationError) IsZero() bool { return len(e.Causes.b) == 0 }

// ParamType returns ParamOperationError.
func (e *OperationError) ParamType() ParamType { return ParamOperationError }

// causesSize adds up the causes as the list views of tlv.go do, taking the
// rest of the list as one item from a cause that does not frame (a cause
// too long for its length field, see Cause.Append).
func (e *OperationError) causesSize() sizer {
	var s sizer
	it := e.Causes.iter()
	for t, ok := it.next(); ok; t, ok = it.next() {
		s.add(len(t.b))
	}
	if it.err != nil {
		s.add(len(e.Causes.b) - it.Rest())
	}
	return s
}

// Len returns the parameter length field: the causes, each padded but the
// last (RFC 5354 §2).
func (e *OperationError) Len() int {
	s := e.causesSize()
	return tlvHeaderLen + s.total()
}

// Append appends the parameter.
func (e *OperationError) Append(b []byte) []byte {
	b = appendTLVHeader(b, ParamOperationError, e.Len())
	it := e.Causes.iter()
	for t, ok := it.next(); ok; t, ok = it.next() {
		b = append(b, t.b...)
		b = appendPad(b, len(t.b))
	}
	if it.err != nil {
		rest := e.Causes.b[it.Rest():]
		b = append(b, rest...)
		b = appendPad(b, len(rest))
	}
	return b
}

// Decode reads an Operation Error parameter and checks its cause list.
func (e *OperationError) Decode(p Param) error {
	if err := p.expect(ParamOperationError); err != nil {
		return err
	}
	if p.Len() == tlvHeaderLen {
		return p.err(2, "no error cause")
	}
	cs := Causes{b: p.b[tlvHeaderLen:], off: p.off + tlvHeaderLen}
	it := cs.iter()
	for _, ok := it.next(); ok; _, ok = it.next() {
	}
	if it.err != nil {
		return it.err
	}
	e.Causes = cs
	return nil
}
