package wire

import (
	"encoding/binary"
	"errors"
)

// This file holds INIT (RFC 9260 §3.3.2) and INIT ACK (§3.3.3), which
// share one layout: five fixed fields, then a parameter list.

const initHeaderLen = 20 // chunk header, tag, a_rwnd, streams, initial TSN

// ErrZeroInitiateTag marks an INIT or INIT ACK whose Initiate Tag is 0.
// RFC 9260 §3.3.2 has the receiver of such an INIT silently discard the
// packet, and §3.3.3 has the receiver of such an INIT ACK in COOKIE-WAIT
// abort, so the caller needs to tell it apart from other faults.
var ErrZeroInitiateTag = errors.New("zero initiate tag")

// ErrZeroStreams marks an INIT or INIT ACK whose number of outbound or
// inbound streams is 0. The decoder fills in the fixed fields before
// returning this error, since the answer needs the Initiate Tag. For an
// INIT, RFC 9260 §3.3.2 has the receiver discard the packet, send an
// ABORT whose Verification Tag is the chunk's Initiate Tag (SHOULD), and
// leave any existing association as it is. For an INIT ACK, §3.3.3 says
// that an endpoint in COOKIE-WAIT "MUST destroy the TCB and SHOULD send an
// ABORT chunk", and that such an INIT ACK received "in any state other
// than CLOSED or COOKIE-WAIT ... SHOULD be discarded silently".
var ErrZeroStreams = errors.New("zero stream count")

// ErrSmallWindow marks an INIT or INIT ACK whose Advertised Receiver
// Window Credit is below 1500, which RFC 9260 §3.3.2 and §3.3.3 forbid:
// "A receiver of an INIT chunk with the a_rwnd value set to a value
// smaller than 1500 MUST discard the packet, SHOULD send a packet in
// response containing an ABORT chunk and using the Initiate Tag as the
// Verification Tag, and MUST NOT change the state of any existing
// association", and §3.3.3 says the same of an INIT ACK. The decoder
// fills in the fixed fields before returning this error, so that the
// receiver has the Initiate Tag for that ABORT.
var ErrSmallWindow = errors.New("a_rwnd below 1500")

// minInitARwnd is the smallest a_rwnd an INIT or INIT ACK may announce
// (RFC 9260 §3.3.2, §3.3.3).
const minInitARwnd = 1500

// Init is an INIT chunk (RFC 9260 §3.3.2). Params aliases the decoded
// packet; build it for sending with MakeParams(AppendParams(nil, ...)).
//
// The decoder checks what makes the chunk unusable whatever the receiver's
// state: the length, the Initiate Tag, the a_rwnd, both stream counts and
// the structure of every parameter. The rest is the receiver's: a Host
// Name Address parameter, parameters that appear more than once, or ones
// that are not allowed in this chunk.
//
// The encoder writes the fields as given; a zero InitiateTag, an ARwnd
// below 1500 or a zero stream count, which §3.3.2 and §3.3.3 forbid,
// encodes a chunk that Decode refuses.
type Init struct {
	InitiateTag VTag   // not 0
	ARwnd       uint32 // Advertised Receiver Window Credit, at least 1500
	OutStreams  uint16 // Number of Outbound Streams (OS), not 0
	InStreams   uint16 // Number of Inbound Streams (MIS), not 0
	InitialTSN  TSN
	Params      Params
}

// InitAck is an INIT ACK chunk (RFC 9260 §3.3.3), laid out as INIT. Its
// mandatory State Cookie parameter is found with StateCookie.
type InitAck Init

// ChunkType returns ChunkInit.
func (m *Init) ChunkType() ChunkType { return ChunkInit }

// Len returns the chunk length field.
func (m *Init) Len() int { return initHeaderLen + m.Params.Len() }

// Append appends the chunk with its padding. Flags are zero (§3.3.2).
func (m *Init) Append(b []byte) []byte { return m.appendAs(b, ChunkInit) }

// Decode reads an INIT chunk. On ErrZeroInitiateTag, ErrSmallWindow and
// ErrZeroStreams the fixed fields are filled in and Params is empty; the
// fields are checked in their order on the wire, so the first fault
// found is the one reported.
func (m *Init) Decode(c Chunk) error { return m.decodeAs(c, ChunkInit) }

// ChunkType returns ChunkInitAck.
func (m *InitAck) ChunkType() ChunkType { return ChunkInitAck }

// Len returns the chunk length field.
func (m *InitAck) Len() int { return (*Init)(m).Len() }

// Append appends the chunk with its padding. Flags are zero (§3.3.3).
func (m *InitAck) Append(b []byte) []byte { return (*Init)(m).appendAs(b, ChunkInitAck) }

// Decode reads an INIT ACK chunk under the rules of INIT: §3.3.3 forbids a
// zero Initiate Tag, an a_rwnd below 1500 and zero stream counts in it
// too. On ErrZeroInitiateTag, ErrSmallWindow and ErrZeroStreams the fixed
// fields are filled in and Params is empty. A missing State Cookie is not a parse error: the
// receiver reports it with a Missing Mandatory Parameter cause (RFC 9260
// §3.3.10.2), so it checks for it itself (StateCookie).
func (m *InitAck) Decode(c Chunk) error { return (*Init)(m).decodeAs(c, ChunkInitAck) }

// StateCookie returns the value of the first State Cookie parameter,
// aliasing the parameter list, and whether there is one.
func (m *InitAck) StateCookie() ([]byte, bool) {
	p, ok := m.Params.Find(ParamStateCookie)
	if !ok {
		return nil, false
	}
	return p.Value(), true
}

func (m *Init) appendAs(b []byte, t ChunkType) []byte {
	n := m.Len()
	b = appendChunkHeader(b, t, 0, n)
	b = binary.BigEndian.AppendUint32(b, uint32(m.InitiateTag))
	b = binary.BigEndian.AppendUint32(b, m.ARwnd)
	b = binary.BigEndian.AppendUint16(b, m.OutStreams)
	b = binary.BigEndian.AppendUint16(b, m.InStreams)
	b = binary.BigEndian.AppendUint32(b, uint32(m.InitialTSN))
	b = m.Params.appendTo(b)
	return appendPad(b, n)
}

func (m *Init) decodeAs(c Chunk, t ChunkType) error {
	if err := c.expect(t); err != nil {
		return err
	}
	if c.Len() < initHeaderLen {
		return c.err(2, "chunk length below 20")
	}
	v := c.b
	m.InitiateTag = VTag(binary.BigEndian.Uint32(v[4:]))
	m.ARwnd = binary.BigEndian.Uint32(v[8:])
	m.OutStreams = binary.BigEndian.Uint16(v[12:])
	m.InStreams = binary.BigEndian.Uint16(v[14:])
	m.InitialTSN = TSN(binary.BigEndian.Uint32(v[16:]))
	m.Params = Params{}
	what := t.String()
	switch {
	case m.InitiateTag == 0:
		return initErr(c, 4, what+" with a zero initiate tag", ErrZeroInitiateTag)
	case m.ARwnd < minInitARwnd:
		return initErr(c, 8, what+" with a_rwnd below 1500", ErrSmallWindow)
	case m.OutStreams == 0:
		return initErr(c, 12, what+" with zero outbound streams", ErrZeroStreams)
	case m.InStreams == 0:
		return initErr(c, 14, what+" with zero inbound streams", ErrZeroStreams)
	}
	ps, err := parseParams(v[initHeaderLen:], c.off+initHeaderLen)
	if err != nil {
		return err
	}
	m.Params = ps
	return nil
}

// initErr builds a ParseError carrying one of this file's sentinels.
func initErr(c Chunk, rel int, rule string, sentinel error) error {
	return &ParseError{Offset: c.off + rel, What: c.Type().String() + " chunk", Rule: rule, Err: sentinel}
}
