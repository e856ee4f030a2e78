package msg

import (
	"encoding/binary"
	"strconv"
)

// This file holds the transport parameters of RFC 5354 §3.3-§3.7 (DCCP,
// SCTP, TCP, UDP, UDP-Lite) and the Opaque Transport parameter of §3.16:
// how a pool element tells pool users where to reach it, and a registrar
// where its peers and users reach it.

// TransportUse says what a transport carries (RFC 5354 §3.4).
type TransportUse uint16

// String returns "data only", "data plus control" or "transport use N".
func (u TransportUse) String() string {
	switch u {
	case DataOnly:
		return "data only"
	case DataPlusControl:
		return "data plus control"
	}
	return "transport use " + strconv.Itoa(int(u))
}

// Transport is one of the transport parameters; Kind says which. The zero
// Transport (Kind 0) stands for "no transport" where one is optional.
//
// Layout (RFC 5354 §3.3-§3.7): after the TLV header a 16-bit port and a
// 16-bit field that is the Transport Use for SCTP and reserved for the
// others, then for DCCP a 32-bit service code, then IPv4/IPv6 Address
// parameters: one or more for SCTP, exactly one for the others. The Opaque
// Transport (§3.16) is a byte string instead.
//
// The address list is a list of parameters like any other, so the
// unknown-type rules of RFC 5354 §3 apply in it: a parameter of an unknown
// type stops the decoding (00, 01) or is skipped and kept in Unrecognized
// (10, 11). A parameter of a known type other than an address has no
// place there by the figures of §3.3-§3.7 and is refused as malformed.
type Transport struct {
	Kind ParamType // ParamSCTPTransport, ParamTCPTransport, ..., ParamOpaqueTransport
	Port uint16
	// Use is the SCTP Transport Use. For the other kinds it is the field
	// RFC 5354 §3.3 and §3.5-§3.7 label "(reserved)", without saying what
	// a sender puts there; it is kept as received and encoded as given
	// (0 in the zero value). rsplib writes the transport use into the TCP
	// Transport's reserved field (it is "data only" for TCP, UDP, UDP-Lite
	// and DCCP by the notes of those sections whatever it says).
	Use          TransportUse
	ServiceCode  uint32       // DCCP only (§3.3)
	Addrs        Addrs        // the address list; not used by the Opaque Transport
	Opaque       []byte       // Opaque Transport Data (§3.16)
	Unrecognized Unrecognized // skipped parameters of the address list; not used by the Opaque Transport
}

// IsZero reports whether t is the zero Transport.
func (t *Transport) IsZero() bool { return t.Kind == 0 }

// ParamType returns t.Kind.
func (t *Transport) ParamType() ParamType { return t.Kind }

// fixedLen is the length of the header and fixed fields of a transport
// with an address list.
func (t *Transport) fixedLen() int {
	if t.Kind == ParamDCCPTransport {
		return 12
	}
	return 8
}

// Len returns the parameter length field.
func (t *Transport) Len() int {
	if t.Kind == ParamOpaqueTransport {
		return tlvHeaderLen + len(t.Opaque)
	}
	s := sizer{n: t.fixedLen()}
	t.Addrs.size(&s)
	t.Unrecognized.size(&s)
	return s.total()
}

// Append appends the parameter.
func (t *Transport) Append(b []byte) []byte {
	if t.Kind == ParamOpaqueTransport {
		return appendBytesParam(b, t.Kind, t.Opaque)
	}
	b = appendTLVHeader(b, t.Kind, t.Len())
	b = binary.BigEndian.AppendUint16(b, t.Port)
	b = binary.BigEndian.AppendUint16(b, uint16(t.Use))
	if t.Kind == ParamDCCPTransport {
		b = binary.BigEndian.AppendUint32(b, t.ServiceCode)
	}
	b = t.Addrs.appendTo(b)
	return t.Unrecognized.appendTo(b)
}

// Decode reads any transport parameter. An unknown parameter type in the
// address list whose bits say stop gives an *UnrecognizedParamError (RFC
// 5354 §3).
func (t *Transport) Decode(p Param) error {
	if p.b == nil {
		return parseErr(p.off, "transport parameter", "no parameter")
	}
	k := p.Type()
	if !k.isTransport() {
		return p.err(0, "not a transport parameter")
	}
	*t = Transport{Kind: k}
	if k == ParamOpaqueTransport {
		t.Opaque = p.Value()
		return nil
	}
	fixed := t.fixedLen()
	if p.Len() < fixed {
		return p.err(2, "length below "+strconv.Itoa(fixed))
	}
	t.Port = binary.BigEndian.Uint16(p.b[4:])
	t.Use = TransportUse(binary.BigEndian.Uint16(p.b[6:]))
	if k == ParamDCCPTransport {
		t.ServiceCode = binary.BigEndian.Uint32(p.b[8:])
	}
	if k == ParamSCTPTransport && t.Use != DataOnly && t.Use != DataPlusControl {
		return p.err(6, "transport use is neither data only nor data plus control")
	}
	w := newWalker(p.b[fixed:], p.off+fixed, k)
	n := 0
	for a, ok := w.next(); ok; a, ok = w.next() {
		if !a.Type().isAddress() {
			return w.fail(a, "not an address parameter")
		}
		if _, err := decodeAddr(a); err != nil {
			return err
		}
		n++
		if n > 1 && k != ParamSCTPTransport {
			return a.err(0, "second address in a single-address transport")
		}
	}
	if err := w.err(); err != nil {
		return err
	}
	if n == 0 {
		return p.err(2, "no address")
	}
	t.Addrs = Addrs{w.region}
	t.Unrecognized = w.unrecognized()
	return nil
}

// Transports is a view of a list of transport parameters, as an
// ASAP_SERVER_ANNOUNCE carries (RFC 5352 §2.2.10).
type Transports struct{ l list }

func transportType(t ParamType) bool { return t.isTransport() }

// MakeTransports encodes transports into a list.
func MakeTransports(ts ...Transport) Transports {
	var b []byte
	for i := range ts {
		b = ts[i].Append(b)
	}
	return Transports{list{b: b}}
}

// Iter returns an iterator over the transports.
func (ts Transports) Iter() TransportIter { return TransportIter{it: ts.l.iter(transportType)} }

// Count returns the number of transports.
func (ts Transports) Count() int { return ts.l.count(transportType) }

func (ts Transports) size(s *sizer)            { ts.l.size(s, transportType) }
func (ts Transports) appendTo(b []byte) []byte { return ts.l.appendTo(b, transportType) }

// TransportIter walks a transport list without allocating.
type TransportIter struct {
	it  ParamIter
	err error
}

// Next decodes the next transport into t and reports whether there was
// one; at the end or on a malformed entry it returns false (then Err says
// why).
func (ti *TransportIter) Next(t *Transport) bool {
	if ti.err != nil {
		return false
	}
	p, ok := ti.it.Next()
	if !ok {
		ti.err = ti.it.Err()
		return false
	}
	if err := t.Decode(p); err != nil {
		ti.err = err
		return false
	}
	return true
}

// Err returns the error that stopped the iteration, if any.
func (ti *TransportIter) Err() error { return ti.err }
