package msg

import "encoding/binary"

// This file holds the Pool Handle (RFC 5354 §3.9) and Pool Element
// (§3.10) parameters, and the lists of pool elements that handle
// resolution responses, business cards (RFC 5352 §2.2.6, §2.2.13) and
// handle table responses (RFC 5353 §2.3) carry.

// PEID is a pool element identifier (RFC 5354 §3.10, §3.14), chosen by the
// PE at start-up and unique in its pool.
type PEID uint32

// String returns the identifier in hex, as 0x%08x.
func (id PEID) String() string { return hex32(uint32(id)) }

// ServerID is an ENRP server identifier (RFC 5353 §2.1): a random non-zero
// number the server keeps until it reboots. Zero means "none" (for
// example "no home server yet" in a Pool Element, or "not addressed to one
// server" as the receiver of a group-cast ENRP message).
type ServerID uint32

// String returns the identifier in hex, as 0x%08x.
func (id ServerID) String() string { return hex32(uint32(id)) }

func hex32(v uint32) string {
	const digits = "0123456789abcdef"
	b := []byte("0x00000000")
	for i := 9; i >= 2; i-- {
		b[i] = digits[v&0xf]
		v >>= 4
	}
	return string(b)
}

// PoolHandleParam is a Pool Handle parameter: the pool's name, an
// arbitrary byte string (RFC 5354 §3.9).
type PoolHandleParam struct {
	Handle []byte
}

// ParamType returns ParamPoolHandle.
func (h *PoolHandleParam) ParamType() ParamType { return ParamPoolHandle }

// Len returns the parameter length field.
func (h *PoolHandleParam) Len() int { return tlvHeaderLen + len(h.Handle) }

// Append appends the parameter with its padding.
func (h *PoolHandleParam) Append(b []byte) []byte {
	return appendBytesParam(b, ParamPoolHandle, h.Handle)
}

// Decode reads a Pool Handle parameter (aliasing p).
func (h *PoolHandleParam) Decode(p Param) error {
	if err := p.expect(ParamPoolHandle); err != nil {
		return err
	}
	h.Handle = p.Value()
	return nil
}

// PoolElement is a Pool Element parameter (RFC 5354 §3.10): a PE as its
// registrar and the pool users know it.
type PoolElement struct {
	ID         PEID
	HomeServer ServerID // the PE's home ENRP server; 0 while undetermined

	// RegistrationLife is the registration's lifetime; -1 is infinite.
	// RFC 5354 §3.10 counts it in seconds. rsplib counts it in
	// milliseconds (its PEs register with 90000, Wireshark shows "90000ms"),
	// so a registrar that serves rsplib PEs has to know which peer it
	// talks to; the codec carries the number as it is.
	RegistrationLife int32

	UserTransport Transport // DCCP, SCTP, TCP, UDP, UDP-Lite or Opaque: exactly one
	Policy        Policy    // the PE's member selection policy
	ASAPTransport Transport // optional, must be SCTP: where the PE speaks ASAP

	// Unrecognized holds parameters of unknown types whose bits said skip.
	Unrecognized Unrecognized
}

// ParamType returns ParamPoolElement.
func (pe *PoolElement) ParamType() ParamType { return ParamPoolElement }

// Len returns the parameter length field: the fixed part and the nested
// parameters, each padded but the last (RFC 5354 §2).
func (pe *PoolElement) Len() int {
	s := sizer{n: peFixedLen}
	s.add(pe.UserTransport.Len())
	s.add(pe.Policy.Len())
	if !pe.ASAPTransport.IsZero() {
		s.add(pe.ASAPTransport.Len())
	}
	pe.Unrecognized.size(&s)
	return s.total()
}

// Append appends the parameter with its padding.
func (pe *PoolElement) Append(b []byte) []byte {
	b = appendTLVHeader(b, ParamPoolElement, pe.Len())
	b = binary.BigEndian.AppendUint32(b, uint32(pe.ID))
	b = binary.BigEndian.AppendUint32(b, uint32(pe.HomeServer))
	b = binary.BigEndian.AppendUint32(b, uint32(pe.RegistrationLife))
	b = pe.UserTransport.Append(b)
	b = pe.Policy.Append(b)
	if !pe.ASAPTransport.IsZero() {
		b = pe.ASAPTransport.Append(b)
	}
	return pe.Unrecognized.appendTo(b)
}

// Decode reads a Pool Element parameter. The nested parameters come in
// the order of RFC 5354 §3.10: the user transport, the policy, then
// optionally the ASAP transport.
func (pe *PoolElement) Decode(p Param) error {
	if err := p.expect(ParamPoolElement); err != nil {
		return err
	}
	if p.Len() < peFixedLen {
		return p.err(2, "length below 16")
	}
	*pe = PoolElement{
		ID:               PEID(binary.BigEndian.Uint32(p.b[4:])),
		HomeServer:       ServerID(binary.BigEndian.Uint32(p.b[8:])),
		RegistrationLife: int32(binary.BigEndian.Uint32(p.b[12:])),
	}
	w := newWalker(p.b[peFixedLen:], p.off+peFixedLen, ParamPoolElement)
	const (
		wantUser = iota
		wantPolicy
		wantASAP
		done
	)
	state := wantUser
	for q, ok := w.next(); ok; q, ok = w.next() {
		t := q.Type()
		switch {
		case t.isTransport() && state == wantUser:
			if err := pe.UserTransport.Decode(q); err != nil {
				return err
			}
			state = wantPolicy
		case t.isTransport() && state == wantPolicy:
			return w.fail(q, "second transport before the policy")
		case t.isTransport() && state == wantASAP:
			if t != ParamSCTPTransport {
				return w.fail(q, "ASAP transport is not an SCTP transport")
			}
			if err := pe.ASAPTransport.Decode(q); err != nil {
				return err
			}
			state = done
		case t == ParamPolicy && state == wantUser:
			return w.fail(q, "policy before the user transport")
		case t == ParamPolicy && state == wantPolicy:
			if err := pe.Policy.Decode(q); err != nil {
				return err
			}
			state = wantASAP
		case t == ParamPolicy:
			return w.fail(q, "second policy")
		case t.isTransport():
			return w.fail(q, "third transport")
		default:
			return w.fail(q, "unexpected "+t.String()+" parameter")
		}
	}
	if err := w.err(); err != nil {
		return err
	}
	switch state {
	case wantUser:
		return p.err(0, "no user transport")
	case wantPolicy:
		return p.err(0, "no policy")
	}
	pe.Unrecognized = w.unrecognized()
	return nil
}

// PoolElements is a view of the Pool Element parameters of a message. A
// decoded view may span other parameters of the message; its iterator and
// encoder pick out the pool elements.
type PoolElements struct{ l list }

func poolElementType(t ParamType) bool { return t == ParamPoolElement }

// MakePoolElements encodes pool elements into a list.
func MakePoolElements(pes ...PoolElement) PoolElements {
	var b []byte
	for i := range pes {
		b = pes[i].Append(b)
	}
	return PoolElements{list{b: b}}
}

// Iter returns an iterator over the pool elements.
func (ps PoolElements) Iter() PoolElementIter { return PoolElementIter{it: ps.l.iter(poolElementType)} }

// Count returns the number of pool elements.
func (ps PoolElements) Count() int { return ps.l.count(poolElementType) }

func (ps PoolElements) size(s *sizer)            { ps.l.size(s, poolElementType) }
func (ps PoolElements) appendTo(b []byte) []byte { return ps.l.appendTo(b, poolElementType) }

// PoolElementIter walks pool elements without allocating:
//
//	var pe msg.PoolElement
//	it := resp.PoolElements.Iter()
//	for it.Next(&pe) { ... }
//	if err := it.Err(); err != nil { ... }
type PoolElementIter struct {
	it  ParamIter
	err error
}

// Next decodes the next pool element into pe and reports whether there
// was one; at the end or on a malformed entry it returns false (then Err
// says why). Decoded messages have checked every entry already.
func (pi *PoolElementIter) Next(pe *PoolElement) bool {
	if pi.err != nil {
		return false
	}
	p, ok := pi.it.Next()
	if !ok {
		pi.err = pi.it.Err()
		return false
	}
	if err := pe.Decode(p); err != nil {
		pi.err = err
		return false
	}
	return true
}

// Err returns the error that stopped the iteration, if any.
func (pi *PoolElementIter) Err() error { return pi.err }

// PoolEntry is one pool of an ENRP_HANDLE_TABLE_RESPONSE: a pool handle and
// one or more of its pool elements (RFC 5353 §2.3).
type PoolEntry struct {
	PoolHandle   []byte
	PoolElements PoolElements
}

// PoolEntries is a view of the pool entries of an
// ENRP_HANDLE_TABLE_RESPONSE.
type PoolEntries struct{ l list }

func entryType(t ParamType) bool { return t == ParamPoolHandle || t == ParamPoolElement }

// AppendPoolEntry encodes one pool entry onto b; wrap the result with
// MakePoolEntries.
func AppendPoolEntry(b []byte, handle []byte, pes ...PoolElement) []byte {
	b = appendBytesParam(b, ParamPoolHandle, handle)
	for i := range pes {
		b = pes[i].Append(b)
	}
	return b
}

// MakePoolEntries wraps pool entries encoded with AppendPoolEntry.
func MakePoolEntries(b []byte) PoolEntries { return PoolEntries{list{b: b}} }

// Iter returns an iterator over the entries.
func (es PoolEntries) Iter() PoolEntryIter { return PoolEntryIter{it: es.l.iter(entryType), l: es.l} }

// Count returns the number of entries.
func (es PoolEntries) Count() int {
	return es.l.count(func(t ParamType) bool { return t == ParamPoolHandle })
}

func (es PoolEntries) size(s *sizer)            { es.l.size(s, entryType) }
func (es PoolEntries) appendTo(b []byte) []byte { return es.l.appendTo(b, entryType) }

// PoolEntryIter walks pool entries without allocating.
type PoolEntryIter struct {
	it   ParamIter
	l    list
	next Param // a pool handle read ahead, if any
	err  error
}

// Next fills e with the next entry and reports whether there was one.
// Each entry's PoolElements view holds that pool's elements. On a
// malformed list it returns false and Err says why.
func (ei *PoolEntryIter) Next(e *PoolEntry) bool {
	if ei.err != nil {
		return false
	}
	h := ei.next
	if h.b == nil {
		var ok bool
		if h, ok = ei.it.Next(); !ok {
			ei.err = ei.it.Err()
			return false
		}
	}
	ei.next = Param{}
	if h.Type() != ParamPoolHandle {
		ei.err = parseErr(h.off, "pool entry", "pool element before a pool handle")
		return false
	}
	// The pool's elements run from after the handle to the next handle.
	start := h.off + pad4(h.Len()) - ei.l.off
	if start > len(ei.l.b) {
		start = len(ei.l.b)
	}
	end := len(ei.l.b)
	n := 0
	for {
		p, ok := ei.it.Next()
		if !ok {
			if err := ei.it.Err(); err != nil {
				ei.err = err
				return false
			}
			break
		}
		if p.Type() == ParamPoolHandle {
			ei.next, end = p, p.off-ei.l.off
			break
		}
		n++
	}
	if n == 0 {
		ei.err = parseErr(h.off, "pool entry", "pool handle without a pool element")
		return false
	}
	e.PoolHandle = h.Value()
	e.PoolElements = PoolElements{list{b: ei.l.b[start:end], off: ei.l.off + start}}
	return true
}

// Err returns the error that stopped the iteration, if any.
func (ei *PoolEntryIter) Err() error { return ei.err }
