package msg

import "encoding/binary"

// This file holds the smaller parameters of RFC 5354: Server Information
// (§3.11), Cookie (§3.13), PE Identifier (§3.14) and PE Checksum (§3.15),
// and rsplib's Handle Resolution Option. The Opaque Transport (§3.16) is a
// kind of Transport (params_transport.go).

// ServerInformation is a Server Information parameter: an ENRP server's
// identifier and the SCTP transport where its peers reach it (RFC 5354
// §3.11). The zero value (no transport) stands for "absent" where the
// parameter is optional.
type ServerInformation struct {
	ServerID  ServerID
	Transport Transport // must be an SCTP transport

	// Unrecognized holds parameters of unknown types after the server
	// identifier whose bits said skip (RFC 5354 §3); they are encoded
	// after the transport.
	Unrecognized Unrecognized
}

// IsZero reports whether s is the zero ServerInformation.
func (s *ServerInformation) IsZero() bool {
	return s.Transport.IsZero() && s.ServerID == 0 && len(s.Unrecognized.l.b) == 0
}

// ParamType returns ParamServerInfo.
func (s *ServerInformation) ParamType() ParamType { return ParamServerInfo }

// Len returns the parameter length field.
func (s *ServerInformation) Len() int {
	z := sizer{n: 8}
	z.add(s.Transport.Len())
	s.Unrecognized.size(&z)
	return z.total()
}

// Append appends the parameter.
func (s *ServerInformation) Append(b []byte) []byte {
	b = appendTLVHeader(b, ParamServerInfo, s.Len())
	b = binary.BigEndian.AppendUint32(b, uint32(s.ServerID))
	b = s.Transport.Append(b)
	return s.Unrecognized.appendTo(b)
}

// Decode reads a Server Information parameter: exactly one SCTP transport
// after the server identifier, and unknown parameters as RFC 5354 §3 says.
func (s *ServerInformation) Decode(p Param) error {
	if err := p.expect(ParamServerInfo); err != nil {
		return err
	}
	if p.Len() < 8 {
		return p.err(2, "length below 8")
	}
	*s = ServerInformation{ServerID: ServerID(binary.BigEndian.Uint32(p.b[4:]))}
	w := newWalker(p.b[8:], p.off+8, ParamServerInfo)
	for q, ok := w.next(); ok; q, ok = w.next() {
		switch {
		case q.Type() != ParamSCTPTransport:
			return w.fail(q, "unexpected "+q.Type().String()+" parameter")
		case !s.Transport.IsZero():
			return w.fail(q, "second SCTP transport")
		}
		if err := s.Transport.Decode(q); err != nil {
			return err
		}
	}
	if err := w.err(); err != nil {
		return err
	}
	if s.Transport.IsZero() {
		return p.err(0, "no SCTP transport")
	}
	s.Unrecognized = w.unrecognized()
	return nil
}

// ServerInfos is a view of the Server Information parameters of an
// ENRP_LIST_RESPONSE (RFC 5353 §2.6).
type ServerInfos struct{ l list }

func serverInfoType(t ParamType) bool { return t == ParamServerInfo }

// MakeServerInfos encodes server information parameters into a list.
func MakeServerInfos(ss ...ServerInformation) ServerInfos {
	var b []byte
	for i := range ss {
		b = ss[i].Append(b)
	}
	return ServerInfos{list{b: b}}
}

// Iter returns an iterator over the entries.
func (ss ServerInfos) Iter() ServerInfoIter { return ServerInfoIter{it: ss.l.iter(serverInfoType)} }

// Count returns the number of entries.
func (ss ServerInfos) Count() int { return ss.l.count(serverInfoType) }

func (ss ServerInfos) size(s *sizer)            { ss.l.size(s, serverInfoType) }
func (ss ServerInfos) appendTo(b []byte) []byte { return ss.l.appendTo(b, serverInfoType) }

// ServerInfoIter walks server information parameters without allocating.
type ServerInfoIter struct {
	it  ParamIter
	err error
}

// Next decodes the next entry into s and reports whether there was one; at
// the end or on a malformed entry it returns false (then Err says why).
func (si *ServerInfoIter) Next(s *ServerInformation) bool {
	if si.err != nil {
		return false
	}
	p, ok := si.it.Next()
	if !ok {
		si.err = si.it.Err()
		return false
	}
	if err := s.Decode(p); err != nil {
		si.err = err
		return false
	}
	return true
}

// Err returns the error that stopped the iteration, if any.
func (si *ServerInfoIter) Err() error { return si.err }

// CookieParam is a Cookie parameter: an arbitrary byte string a PE hands
// its users for failover (RFC 5354 §3.13, RFC 5352 §3.8).
type CookieParam struct {
	Cookie []byte
}

// ParamType returns ParamCookie.
func (c *CookieParam) ParamType() ParamType { return ParamCookie }

// Len returns the parameter length field.
func (c *CookieParam) Len() int { return tlvHeaderLen + len(c.Cookie) }

// Append appends the parameter with its padding.
func (c *CookieParam) Append(b []byte) []byte { return appendBytesParam(b, ParamCookie, c.Cookie) }

// Decode reads a Cookie parameter (aliasing p).
func (c *CookieParam) Decode(p Param) error {
	if err := p.expect(ParamCookie); err != nil {
		return err
	}
	c.Cookie = p.Value()
	return nil
}

// PEIdentifierParam is a PE Identifier parameter (RFC 5354 §3.14).
type PEIdentifierParam struct {
	ID PEID
}

// ParamType returns ParamPEIdentifier.
func (id *PEIdentifierParam) ParamType() ParamType { return ParamPEIdentifier }

// Len returns 8.
func (id *PEIdentifierParam) Len() int { return peIDParamLen }

// Append appends the parameter.
func (id *PEIdentifierParam) Append(b []byte) []byte {
	return appendU32Param(b, ParamPEIdentifier, uint32(id.ID))
}

// Decode reads a PE Identifier parameter.
func (id *PEIdentifierParam) Decode(p Param) error {
	v, err := decodeU32Param(p, ParamPEIdentifier)
	id.ID = PEID(v)
	return err
}

func decodeU32Param(p Param, t ParamType) (uint32, error) {
	if err := p.expect(t); err != nil {
		return 0, err
	}
	if p.Len() != 8 {
		return 0, p.err(2, "length is not 8")
	}
	return binary.BigEndian.Uint32(p.b[4:]), nil
}

// PEChecksumParam is a PE Checksum parameter (RFC 5354 §3.15): its length
// is 6, and two bytes of padding follow the checksum. RFC 5353 §3.6.2
// defines the checksum; see PEChecksum.
type PEChecksumParam struct {
	Checksum uint16
}

// ParamType returns ParamPEChecksum.
func (c *PEChecksumParam) ParamType() ParamType { return ParamPEChecksum }

// Len returns 6.
func (c *PEChecksumParam) Len() int { return checksumLen }

// Append appends the parameter and its padding.
func (c *PEChecksumParam) Append(b []byte) []byte {
	b = appendTLVHeader(b, ParamPEChecksum, checksumLen)
	return append(b, byte(c.Checksum>>8), byte(c.Checksum), 0, 0)
}

// Decode reads a PE Checksum parameter.
func (c *PEChecksumParam) Decode(p Param) error {
	if err := p.expect(ParamPEChecksum); err != nil {
		return err
	}
	if p.Len() != checksumLen {
		return p.err(2, "length is not 6")
	}
	c.Checksum = binary.BigEndian.Uint16(p.b[4:])
	return nil
}

// HandleResolutionOptionParam is rsplib's Handle Resolution Option (type
// 0x803f, not in RFC 5354): the number of pool elements the pool user
// would like in the response; 0xffffffff asks for as many as the
// registrar gives.
type HandleResolutionOptionParam struct {
	Items uint32
}

// ParamType returns ParamHandleResolutionOption.
func (h *HandleResolutionOptionParam) ParamType() ParamType { return ParamHandleResolutionOption }

// Len returns 8.
func (h *HandleResolutionOptionParam) Len() int { return hrOptParamLen }

// Append appends the parameter.
func (h *HandleResolutionOptionParam) Append(b []byte) []byte {
	return appendU32Param(b, ParamHandleResolutionOption, h.Items)
}

// Decode reads the parameter.
func (h *HandleResolutionOptionParam) Decode(p Param) error {
	v, err := decodeU32Param(p, ParamHandleResolutionOption)
	h.Items = v
	return err
}
