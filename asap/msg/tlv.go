package msg

import (
	"encoding/binary"
	"strconv"

	"github.com/rserpool/rserpool/internal/tlv"
)

// This file holds the parameter TLV of RFC 5354 §3: a 16-bit type whose
// upper two bits say what a receiver that does not know the type does, a
// 16-bit length counting the 4-byte header but not the padding, and the
// value padded with zeros to a multiple of 4. Nested parameters count the
// padding between them but not the last one's (RFC 5354 §2), so the last
// item of a list may come without its padding.

// ParamType is the type of an RSerPool parameter (RFC 5354 §3, Table 1).
type ParamType uint16

var paramNames = map[ParamType]string{
	ParamIPv4Address:            "IPv4 Address",
	ParamIPv6Address:            "IPv6 Address",
	ParamDCCPTransport:          "DCCP Transport",
	ParamSCTPTransport:          "SCTP Transport",
	ParamTCPTransport:           "TCP Transport",
	ParamUDPTransport:           "UDP Transport",
	ParamUDPLiteTransport:       "UDP-Lite Transport",
	ParamPolicy:                 "Pool Member Selection Policy",
	ParamPoolHandle:             "Pool Handle",
	ParamPoolElement:            "Pool Element",
	ParamServerInfo:             "Server Information",
	ParamOperationError:         "Operation Error",
	ParamCookie:                 "Cookie",
	ParamPEIdentifier:           "PE Identifier",
	ParamPEChecksum:             "PE Checksum",
	ParamOpaqueTransport:        "Opaque Transport",
	ParamHandleResolutionOption: "Handle Resolution Option",
}

// String returns the parameter type's name, or "parameter type N".
func (t ParamType) String() string {
	if s, ok := paramNames[t]; ok {
		return s
	}
	return "parameter type " + strconv.Itoa(int(t))
}

// Known reports whether t is one of the parameter types of RFC 5354 (§3,
// Table 1), which every message and parameter of this package recognizes.
// rsplib's Handle Resolution Option is not: it is recognized only in
// ASAP_HANDLE_RESOLUTION, the one message rsplib defines it for, and
// anywhere else is an unknown type that its bits (10) say to skip (RFC
// 5354 §3), as a receiver that follows the RFCs does.
func (t ParamType) Known() bool {
	return t >= ParamIPv4Address && t <= ParamOpaqueTransport
}

// UnknownAction returns what RFC 5354 §3 tells a receiver to do with a
// parameter of this type when it does not recognize the type.
func (t ParamType) UnknownAction() UnknownAction { return UnknownAction(t >> 14) }

// isTransport reports whether t is one of the user transport parameters a
// Pool Element may carry (RFC 5354 §3.10).
func (t ParamType) isTransport() bool {
	return (t >= ParamDCCPTransport && t <= ParamUDPLiteTransport) || t == ParamOpaqueTransport
}

// isAddress reports whether t is one of the address parameters a
// transport's address list holds (RFC 5354 §3.1, §3.2).
func (t ParamType) isAddress() bool { return t == ParamIPv4Address || t == ParamIPv6Address }

func paramName(t uint16) string { return ParamType(t).String() }

// UnknownAction is what RFC 5354 tells a receiver to do with a type it
// does not recognize, encoded in the type's two highest-order bits: §3 for
// parameters, §4 for messages (where 10 and 11 are reserved).
type UnknownAction uint8

// Stop reports whether the message is to be discarded.
func (a UnknownAction) Stop() bool { return a&2 == 0 }

// Report reports whether the sender is to be told.
func (a UnknownAction) Report() bool { return a&1 != 0 }

// tlvItem is one type-length-value item cut from a list.
type tlvItem struct {
	b   []byte // header and value, no padding
	off int    // offset of b[0] in the caller's buffer
}

// tlvIter walks a TLV list with internal/tlv's Iter and turns a broken
// framing rule into a ParseError. what names the kind of item for errors
// ("parameter", "error cause") and name turns an item's type into its name.
type tlvIter struct {
	tlv.Iter
	err  error
	what string
	name func(uint16) string
}

func newTLVIter(b []byte, base int, what string, name func(uint16) string) tlvIter {
	return tlvIter{Iter: tlv.NewIter(b, base), what: what, name: name}
}

func (it *tlvIter) next() (tlvItem, bool) {
	b, off, ok := it.Next()
	if f := it.Failure(); f.Failed() && it.err == nil {
		it.err = parseErr(f.Off, f.Describe(it.what, it.name), f.Rule)
	}
	return tlvItem{b: b, off: off}, ok
}

// sizer adds up the encoded size of a list of TLVs: each one padded, but
// the enclosing length leaves out the last one's padding (RFC 5354 §2).
type sizer struct {
	n       int // bytes so far, every item padded
	lastPad int // padding of the last item added
}

func (s *sizer) add(n int) {
	s.n += pad4(n)
	s.lastPad = pad4(n) - n
}

// total returns the length an enclosing length field counts.
func (s *sizer) total() int { return s.n - s.lastPad }

// pad4 rounds n up to a multiple of 4.
func pad4(n int) int { return tlv.Pad4(n) }

// appendPad appends the zero bytes that bring a structure of length n up
// to a multiple of 4.
func appendPad(b []byte, n int) []byte { return tlv.AppendPad(b, n) }

// appendTLVHeader appends a parameter header whose length field is n, or
// 0 when n does not fit 16 bits (see Message).
func appendTLVHeader(b []byte, t ParamType, n int) []byte {
	return tlv.AppendHeader(b, uint16(t), fitLength(n))
}

// appendBytesParam appends a parameter whose value is v, with padding.
func appendBytesParam(b []byte, t ParamType, v []byte) []byte {
	n := tlvHeaderLen + len(v)
	b = appendTLVHeader(b, t, n)
	b = append(b, v...)
	return appendPad(b, n)
}

// appendU32Param appends a parameter whose value is one 32-bit number.
func appendU32Param(b []byte, t ParamType, v uint32) []byte {
	b = appendTLVHeader(b, t, 8)
	return binary.BigEndian.AppendUint32(b, v)
}

// Param is a view of one parameter: header and value, no padding. It
// remembers its offset in the buffer it was cut from, so that errors of
// its decoders name offsets in that buffer.
type Param struct {
	b   []byte
	off int
}

// ParseParam checks that b starts with a well-formed parameter TLV and
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

// The accessors below also serve the zero Param, which holds no
// parameter: its type is 0, it has no length or value.

// Type returns the parameter type, or 0 for the zero Param.
func (p Param) Type() ParamType {
	if len(p.b) < tlvHeaderLen {
		return 0
	}
	return ParamType(binary.BigEndian.Uint16(p.b))
}

// Len returns the parameter length field (no padding).
func (p Param) Len() int { return len(p.b) }

// Value returns the parameter value.
func (p Param) Value() []byte {
	if len(p.b) < tlvHeaderLen {
		return nil
	}
	return p.b[tlvHeaderLen:]
}

// Bytes returns the parameter's header and value, no padding.
func (p Param) Bytes() []byte { return p.b }

// Offset returns the parameter's offset in the buffer it was cut from.
func (p Param) Offset() int { return p.off }

// IsZero reports whether p is the zero Param.
func (p Param) IsZero() bool { return p.b == nil }

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

// Parameter is a parameter ready to be encoded; each parameter type of
// this package implements it.
type Parameter interface {
	// ParamType returns the parameter type.
	ParamType() ParamType
	// Len returns the parameter length field: header and value, no padding.
	Len() int
	// Append appends the parameter with its padding to b.
	Append(b []byte) []byte
}

// AppendParams appends each parameter in turn.
func AppendParams(b []byte, ps ...Parameter) []byte {
	for _, p := range ps {
		b = p.Append(b)
	}
	return b
}

// RawParam is a parameter of any type kept as its undecoded value: the
// form of a parameter this package does not know.
type RawParam struct {
	Type  ParamType
	Value []byte
}

// ParamType returns the parameter type.
func (r *RawParam) ParamType() ParamType { return r.Type }

// Len returns the parameter length field.
func (r *RawParam) Len() int { return tlvHeaderLen + len(r.Value) }

// Append appends the parameter with its padding.
func (r *RawParam) Append(b []byte) []byte { return appendBytesParam(b, r.Type, r.Value) }

// Decode takes any parameter as raw type and value (aliasing p).
func (r *RawParam) Decode(p Param) error {
	if p.b == nil {
		return parseErr(p.off, "parameter", "no parameter")
	}
	r.Type, r.Value = p.Type(), p.Value()
	return nil
}

// list is a view of an encoded run of parameters found at offset off of
// the caller's buffer. The typed views below wrap it and pick out the
// parameters they hold, so that a decoder can hand out a view of the
// message's parameter region without copying or allocating.
//
// A view sizes and encodes itself by reading its items back. A decoded
// view frames, since its decoder checked it; a built one may not, where
// an item too long for its length field has the length 0 (see Message),
// or where MakePoolEntries was given bytes that do not frame. From the
// item that does not frame on, size and appendTo take the rest of the
// list as one item, as it is: a length that did not fit then keeps the
// enclosing lengths above 65535, and Len and Append agree.
type list struct {
	b   []byte
	off int
}

func (l list) iter(keep func(ParamType) bool) ParamIter {
	return ParamIter{it: newTLVIter(l.b, l.off, "parameter", paramName), keep: keep}
}

// size adds the kept parameters to s, and the rest of the list from an
// item that does not frame.
func (l list) size(s *sizer, keep func(ParamType) bool) {
	it := l.iter(keep)
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		s.add(p.Len())
	}
	if it.Err() != nil {
		s.add(len(l.b) - it.it.Rest())
	}
}

// appendTo appends the kept parameters, each padded, and the rest of the
// list from an item that does not frame.
func (l list) appendTo(b []byte, keep func(ParamType) bool) []byte {
	it := l.iter(keep)
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		b = append(b, p.b...)
		b = appendPad(b, p.Len())
	}
	if it.Err() != nil {
		rest := l.b[it.it.Rest():]
		b = append(b, rest...)
		b = appendPad(b, len(rest))
	}
	return b
}

func (l list) count(keep func(ParamType) bool) int {
	n := 0
	it := l.iter(keep)
	for _, ok := it.Next(); ok; _, ok = it.Next() {
		n++
	}
	return n
}

// ParamIter walks parameters without allocating:
//
//	it := ps.Iter()
//	for p, ok := it.Next(); ok; p, ok = it.Next() { ... }
//	if err := it.Err(); err != nil { ... }
type ParamIter struct {
	it   tlvIter
	keep func(ParamType) bool
}

// Next returns the next parameter, or false at the end or on a malformed
// TLV (then Err says why).
func (pi *ParamIter) Next() (Param, bool) {
	for {
		t, ok := pi.it.next()
		if !ok {
			return Param{}, false
		}
		if p := Param(t); pi.keep == nil || pi.keep(p.Type()) {
			return p, true
		}
	}
}

// Err returns the error that stopped the iteration, if any.
func (pi *ParamIter) Err() error { return pi.it.err }

// Params is a view of any encoded parameter list.
type Params struct{ l list }

// MakeParams wraps an encoded parameter list (for example one built with
// AppendParams) without checking it.
func MakeParams(b []byte) Params { return Params{list{b: b}} }

// ParseParams checks every TLV of the list b and returns a view of it.
func ParseParams(b []byte) (Params, error) {
	it := newTLVIter(b, 0, "parameter", paramName)
	for {
		if _, ok := it.next(); !ok {
			break
		}
	}
	if it.err != nil {
		return Params{}, it.err
	}
	return Params{list{b: b}}, nil
}

// Bytes returns the encoded list.
func (ps Params) Bytes() []byte { return ps.l.b }

// Iter returns an iterator over the parameters.
func (ps Params) Iter() ParamIter { return ps.l.iter(nil) }

// Unrecognized is a view of the parameters of types this package does not
// know that a message, a Pool Element, a Server Information or a
// transport parameter carried and whose type bits said to skip them (RFC
// 5354 §3: 10 and 11). Decoders keep them so that a re-encoded message
// carries them on, after the known parameters; its iterator yields only
// such parameters, whatever else the underlying bytes hold.
type Unrecognized struct {
	l list
	// resolution says the view is of an ASAP_HANDLE_RESOLUTION, where
	// the Handle Resolution Option is known.
	resolution bool
}

func unknownType(t ParamType) bool { return !t.Known() }

// unknownInResolution is unknownType in ASAP_HANDLE_RESOLUTION.
func unknownInResolution(t ParamType) bool {
	return !t.Known() && t != ParamHandleResolutionOption
}

func (u Unrecognized) keep() func(ParamType) bool {
	if u.resolution {
		return unknownInResolution
	}
	return unknownType
}

// MakeUnrecognized builds a list of unrecognized parameters to encode.
func MakeUnrecognized(ps ...RawParam) Unrecognized {
	var b []byte
	for i := range ps {
		b = ps[i].Append(b)
	}
	return Unrecognized{l: list{b: b}}
}

// Iter returns an iterator over the parameters.
func (u Unrecognized) Iter() ParamIter { return u.l.iter(u.keep()) }

// Empty reports whether there are none.
func (u Unrecognized) Empty() bool {
	it := u.Iter()
	_, ok := it.Next()
	return !ok
}

// Report calls fn for each parameter whose type bits ask the receiver to
// report it in an Unrecognized Parameter error (11). It sees only the
// parameters of the structure the view belongs to; the package function
// Report also sees those nested in a message's parameters.
func (u Unrecognized) Report(fn func(Param)) {
	it := u.Iter()
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		if p.Type().UnknownAction().Report() {
			fn(p)
		}
	}
}

func (u Unrecognized) size(s *sizer)            { u.l.size(s, u.keep()) }
func (u Unrecognized) appendTo(b []byte) []byte { return u.l.appendTo(b, u.keep()) }

// walker walks the parameters of a message or of a nested parameter for a
// typed decoder. It hands out the parameters of known types, keeps going
// past unknown types whose bits say skip, and stops with an
// *UnrecognizedParamError at one whose bits say stop (RFC 5354 §3).
type walker struct {
	it      tlvIter
	kind    ParamType   // the parameter walked, named only on errors
	msg     MessageType // or the message walked
	region  list
	unknown bool
}

// name returns the walked structure's name for an error.
func (w *walker) name() string {
	if w.msg != 0 {
		return w.msg.String() + " message"
	}
	return w.kind.String() + " parameter"
}

// newWalker walks the parameters b nested in a parameter of type kind; b
// starts at offset off of the caller's buffer.
func newWalker(b []byte, off int, kind ParamType) walker {
	return walker{
		it:     newTLVIter(b, off, "parameter", paramName),
		kind:   kind,
		region: list{b: b, off: off},
	}
}

// known reports whether the walked structure recognizes type t: those of
// RFC 5354, and in ASAP_HANDLE_RESOLUTION rsplib's Handle Resolution
// Option.
func (w *walker) known(t ParamType) bool {
	return t.Known() || (t == ParamHandleResolutionOption && w.msg == ASAPHandleResolution)
}

func (w *walker) next() (Param, bool) {
	for {
		t, ok := w.it.next()
		if !ok {
			return Param{}, false
		}
		p := Param(t)
		if w.known(p.Type()) {
			return p, true
		}
		if p.Type().UnknownAction().Stop() {
			w.it.err = &UnrecognizedParamError{Offset: p.off, What: w.name(), Param: p}
			return Param{}, false
		}
		w.unknown = true
	}
}

func (w *walker) err() error { return w.it.err }

// unrecognized returns the view of the skipped parameters.
func (w *walker) unrecognized() Unrecognized {
	if !w.unknown {
		return Unrecognized{}
	}
	return Unrecognized{l: w.region, resolution: w.msg == ASAPHandleResolution}
}

// fail builds an error at parameter p of the walked structure.
func (w *walker) fail(p Param, rule string) error { return parseErr(p.off, w.name(), rule) }
