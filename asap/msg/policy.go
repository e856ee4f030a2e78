package msg

import (
	"encoding/binary"
	"strconv"
)

// This file holds the Pool Member Selection Policy parameter: its general
// form is RFC 5354 §3.8 (a 32-bit policy type, then policy-specific data);
// the nine policies and their fields are RFC 5356 §4 and §5, their type
// codes §7.1.

// PolicyType identifies a pool member selection policy (RFC 5356 §7.1).
// The top bit (X) marks private, non-standard policies and the next (A)
// adaptive ones.
type PolicyType uint32

var policyNames = map[PolicyType]string{
	PolicyRoundRobin:           "Round Robin",
	PolicyWeightedRoundRobin:   "Weighted Round Robin",
	PolicyRandom:               "Random",
	PolicyWeightedRandom:       "Weighted Random",
	PolicyPriority:             "Priority",
	PolicyLeastUsed:            "Least Used",
	PolicyLeastUsedDegradation: "Least Used with Degradation",
	PolicyPriorityLeastUsed:    "Priority Least Used",
	PolicyRandomizedLeastUsed:  "Randomized Least Used",
}

// String returns the policy's name, or "policy type 0xNNNNNNNN".
func (t PolicyType) String() string {
	if s, ok := policyNames[t]; ok {
		return s
	}
	return "policy type 0x" + strconv.FormatUint(uint64(t)|1<<32, 16)[1:]
}

// Known reports whether t is one of the nine policies of RFC 5356.
func (t PolicyType) Known() bool {
	_, ok := policyNames[t]
	return ok
}

// Adaptive reports whether the A bit is set: the policy uses load
// information that the pool element updates (RFC 5356 §5, §7.1).
func (t PolicyType) Adaptive() bool { return t&policyBitAdaptive != 0 }

// Private reports whether the X bit is set: a user-defined policy outside
// the IETF's numbering (RFC 5356 §7.1).
func (t PolicyType) Private() bool { return t&policyBitPrivate != 0 }

// dataLen returns the length of the policy-specific data of a known type.
func (t PolicyType) dataLen() int {
	switch t {
	case PolicyRoundRobin, PolicyRandom:
		return 0
	case PolicyLeastUsedDegradation, PolicyPriorityLeastUsed:
		return 8
	}
	return 4
}

// Policy is a Pool Member Selection Policy parameter. Each field is used
// by the policies whose encodings carry it (RFC 5356 §4.x.4, §5.x.4):
//
//	Round Robin, Random                         -
//	Weighted Round Robin, Weighted Random       Weight
//	Priority                                    Priority
//	Least Used, Randomized Least Used           Load
//	Least Used with Degradation, Priority LU    Load, LoadDegradation
//
// A policy of a type this package does not know decodes with its
// policy-specific data in Data and encodes it back unchanged; Check tells
// the receiver that it cannot apply it. The zero Policy (type 0, reserved
// as invalid by RFC 5356 §7.1) stands for "no policy" where one is
// optional.
type Policy struct {
	Type            PolicyType
	Weight          uint32 // Weighted Round Robin, Weighted Random
	Priority        uint32 // Priority: larger numbers mean higher priority
	Load            uint32 // 0 = not utilized, 0xffffffff = fully utilized (RFC 5356 §3.1)
	LoadDegradation uint32 // Least Used with Degradation, Priority Least Used
	Data            []byte // policy-specific data of an unknown type

	// NoDegradation drops the Load Degradation field of a Priority Least
	// Used policy. RFC 5356 §5.3.4 gives the policy load and load
	// degradation (length 16), but rsplib 3.x encodes it with the load
	// only (length 12). Decoding sets it for that shorter form, so the
	// policy re-encodes as it arrived; leave it false to follow the RFC.
	NoDegradation bool
}

// IsZero reports whether p is the zero Policy.
func (p *Policy) IsZero() bool { return p.Type == 0 }

// ParamType returns ParamPolicy.
func (p *Policy) ParamType() ParamType { return ParamPolicy }

func (p *Policy) dataLen() int {
	if !p.Type.Known() {
		return len(p.Data)
	}
	if p.Type == PolicyPriorityLeastUsed && p.NoDegradation {
		return 4
	}
	return p.Type.dataLen()
}

// Len returns the parameter length field.
func (p *Policy) Len() int { return 8 + p.dataLen() }

// Append appends the parameter with its padding.
func (p *Policy) Append(b []byte) []byte {
	n := p.Len()
	b = appendTLVHeader(b, ParamPolicy, n)
	b = binary.BigEndian.AppendUint32(b, uint32(p.Type))
	switch p.Type {
	case PolicyRoundRobin, PolicyRandom:
	case PolicyWeightedRoundRobin, PolicyWeightedRandom:
		b = binary.BigEndian.AppendUint32(b, p.Weight)
	case PolicyPriority:
		b = binary.BigEndian.AppendUint32(b, p.Priority)
	case PolicyLeastUsed, PolicyRandomizedLeastUsed:
		b = binary.BigEndian.AppendUint32(b, p.Load)
	case PolicyLeastUsedDegradation, PolicyPriorityLeastUsed:
		b = binary.BigEndian.AppendUint32(b, p.Load)
		if p.Type != PolicyPriorityLeastUsed || !p.NoDegradation {
			b = binary.BigEndian.AppendUint32(b, p.LoadDegradation)
		}
	default:
		b = append(b, p.Data...)
	}
	return appendPad(b, n)
}

// Decode reads a policy parameter. A known type must have exactly the
// length its RFC 5356 encoding gives (Priority Least Used also rsplib's
// shorter form); an unknown type keeps its data raw. Types 0x00000000 and
// 0x40000000 are refused: RFC 5356 §7.1 lists both as "(reserved,
// invalid value)", policy number 0 without and with the adaptive bit.
func (p *Policy) Decode(q Param) error {
	if err := q.expect(ParamPolicy); err != nil {
		return err
	}
	if q.Len() < 8 {
		return q.err(2, "length below 8")
	}
	t := PolicyType(binary.BigEndian.Uint32(q.b[4:]))
	switch t {
	case policyReservedNonAdaptive:
		return q.err(4, "policy type 0 is reserved as invalid")
	case policyReservedAdaptive:
		return q.err(4, "policy type 0x40000000 is reserved as invalid")
	}
	*p = Policy{Type: t}
	d := q.b[8:]
	if !t.Known() {
		p.Data = d
		return nil
	}
	want := t.dataLen()
	if t == PolicyPriorityLeastUsed && len(d) == 4 {
		p.NoDegradation, want = true, 4
	}
	if len(d) != want {
		return q.err(2, t.String()+" policy length is not "+strconv.Itoa(8+want))
	}
	switch t {
	case PolicyWeightedRoundRobin, PolicyWeightedRandom:
		p.Weight = binary.BigEndian.Uint32(d)
	case PolicyPriority:
		p.Priority = binary.BigEndian.Uint32(d)
	case PolicyLeastUsed, PolicyRandomizedLeastUsed:
		p.Load = binary.BigEndian.Uint32(d)
	case PolicyLeastUsedDegradation, PolicyPriorityLeastUsed:
		p.Load = binary.BigEndian.Uint32(d)
		if !p.NoDegradation {
			p.LoadDegradation = binary.BigEndian.Uint32(d[4:])
		}
	}
	return nil
}

// Check reports whether this package implements the policy: nil for the
// nine policies of RFC 5356, a *PolicyError otherwise (a private type,
// a reserved one, or one registered after RFC 5356).
func (p *Policy) Check() error {
	if p.Type.Known() {
		return nil
	}
	return &PolicyError{Policy: *p}
}

// PolicyError says a policy parameter is well formed but of a type this
// package does not implement. RFC 5354 §3.12 has no "policy not
// supported" cause; the closest are Invalid Values (§3.12.4), carrying the
// offending policy TLV, which Cause returns, and Inconsistent Pooling
// Policy (§3.12.6), which a registrar uses when a known policy differs
// from the pool's.
type PolicyError struct {
	Policy Policy
}

func (e *PolicyError) Error() string {
	return "asap/msg: pool policy " + e.Policy.Type.String() + " not supported"
}

// Is makes errors.Is(err, ErrPolicyNotSupported) true.
func (e *PolicyError) Is(target error) bool { return target == ErrPolicyNotSupported }

// Cause returns the Invalid Values cause carrying the policy TLV.
func (e *PolicyError) Cause() Cause {
	return Cause{Code: CauseInvalidValues, Info: tlvBytes(&e.Policy)}
}
