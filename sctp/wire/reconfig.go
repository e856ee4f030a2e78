package wire

import (
	"encoding/binary"
	"strconv"
)

// RE-CONFIG (RFC 6525 §3.1) and its request and response parameters
// (§4.1-§4.6).
//
// The parameters whose length §4.3-§4.6 fix are held to it exactly, unlike
// the fixed-length items elsewhere in this package (see the package
// documentation): the Re-configuration Response is 12 or 20 bytes
// according to whether its optional fields are there, so any other length
// leaves that in doubt, and Linux checks the lengths of these parameters
// exactly as well, so a peer cannot count on more leniency.

// Reconfig is a RE-CONFIG chunk (RFC 6525 §3.1): one or two
// re-configuration parameters.
//
// Decode checks only that the parameters are well-formed TLVs. Which
// parameters may travel together (§3.1) is not a matter of format: a
// receiver answers a forbidden combination with an ERROR chunk carrying a
// Protocol Violation cause, so it must get the chunk decoded to do so.
// AllowedCombination tells it when.
type Reconfig struct {
	Params Params
}

// ChunkType returns ChunkReconfig.
func (r *Reconfig) ChunkType() ChunkType { return ChunkReconfig }

// Len returns the chunk length field.
func (r *Reconfig) Len() int { return chunkHeaderLen + r.Params.Len() }

// Append appends the chunk with its padding.
func (r *Reconfig) Append(b []byte) []byte {
	n := r.Len()
	b = appendChunkHeader(b, ChunkReconfig, 0, n)
	b = r.Params.appendTo(b)
	return appendPad(b, n)
}

// Decode reads a RE-CONFIG chunk.
func (r *Reconfig) Decode(c Chunk) error {
	if err := c.expect(ChunkReconfig); err != nil {
		return err
	}
	ps, err := parseParams(c.Value(), c.off+chunkHeaderLen)
	if err != nil {
		return err
	}
	r.Params = ps
	return nil
}

// AllowedCombination reports whether the chunk holds one of the ten
// parameter combinations of RFC 6525 §3.1: any single request or response
// parameter, or one of the pairs Outgoing + Incoming SSN Reset, Add
// Outgoing + Add Incoming Streams, Response + Outgoing SSN Reset, and
// Response + Response. The RFC lists the pairs without fixing their order,
// so either order is accepted.
func (r *Reconfig) AllowedCombination() bool {
	var t [2]ParamType
	n := 0
	it := r.Params.Iter()
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		if n == len(t) {
			return false
		}
		t[n] = p.Type()
		n++
	}
	if it.Err() != nil || n == 0 {
		return false
	}
	for _, x := range t[:n] {
		if x < ParamOutgoingSSNResetRequest || x > ParamAddIncomingStreams {
			return false
		}
	}
	if n == 1 {
		return true
	}
	a, b := min(t[0], t[1]), max(t[0], t[1])
	switch {
	case a == ParamOutgoingSSNResetRequest && b == ParamIncomingSSNResetRequest,
		a == ParamAddOutgoingStreams && b == ParamAddIncomingStreams,
		a == ParamOutgoingSSNResetRequest && b == ParamReconfigResponse,
		a == ParamReconfigResponse && b == ParamReconfigResponse:
		return true
	}
	return false
}

// StreamIDList is a list of stream identifiers, as the SSN reset requests
// carry: a view over received bytes or, from StreamIDListOf, a sender's
// slice. Neither form allocates to read or encode.
type StreamIDList struct {
	b []byte     // encoded identifiers, 2 bytes each, when decoded
	s []StreamID // the identifiers, when built by a sender
}

// StreamIDListOf wraps ids, without copying, for encoding.
func StreamIDListOf(ids []StreamID) StreamIDList { return StreamIDList{s: ids} }

// Len returns the number of identifiers.
func (l StreamIDList) Len() int {
	if l.s != nil {
		return len(l.s)
	}
	return len(l.b) / 2
}

// At returns identifier i, 0 <= i < Len().
func (l StreamIDList) At(i int) StreamID {
	if l.s != nil {
		return l.s[i]
	}
	return StreamID(binary.BigEndian.Uint16(l.b[2*i : 2*i+2]))
}

func (l StreamIDList) appendTo(b []byte) []byte {
	if l.s == nil {
		return append(b, l.b...)
	}
	for _, id := range l.s {
		b = append(b, byte(id>>8), byte(id))
	}
	return b
}

const (
	outSSNResetHeaderLen = 16 // header, request seq, response seq, last TSN
	inSSNResetHeaderLen  = 8  // header, request seq
	reconfigRespShortLen = 12 // header, response seq, result
	reconfigRespLongLen  = 20 // and the two next TSNs
	addStreamsLen        = 12 // header, request seq, count, reserved
)

// OutgoingSSNResetRequestParam asks the peer to reset the SSNs of some or
// all of the sender's outgoing streams (RFC 6525 §4.1). An empty Streams
// means all of them.
type OutgoingSSNResetRequestParam struct {
	ReqSeq uint32 // Re-configuration Request Sequence Number
	// RespSeq is the request this one implicitly answers when it responds
	// to an Incoming SSN Reset Request, else the next expected request
	// sequence number minus 1.
	RespSeq        uint32
	SendersLastTSN TSN // the last TSN the sender assigned
	Streams        StreamIDList
}

// ParamType returns ParamOutgoingSSNResetRequest.
func (r *OutgoingSSNResetRequestParam) ParamType() ParamType { return ParamOutgoingSSNResetRequest }

// Len returns the parameter length field, 16 + 2N.
func (r *OutgoingSSNResetRequestParam) Len() int { return outSSNResetHeaderLen + 2*r.Streams.Len() }

// Append appends the parameter with its padding.
func (r *OutgoingSSNResetRequestParam) Append(b []byte) []byte {
	n := r.Len()
	b = appendTLVHeader(b, uint16(ParamOutgoingSSNResetRequest), n)
	b = binary.BigEndian.AppendUint32(b, r.ReqSeq)
	b = binary.BigEndian.AppendUint32(b, r.RespSeq)
	b = binary.BigEndian.AppendUint32(b, uint32(r.SendersLastTSN))
	b = r.Streams.appendTo(b)
	return appendPad(b, n)
}

// Decode reads the parameter. The length must be 16 + 2N: half a stream
// number means the length or the list is corrupt.
func (r *OutgoingSSNResetRequestParam) Decode(p Param) error {
	if err := p.expect(ParamOutgoingSSNResetRequest); err != nil {
		return err
	}
	if p.Len() < outSSNResetHeaderLen {
		return p.err(2, "parameter length below 16")
	}
	if (p.Len()-outSSNResetHeaderLen)%2 != 0 {
		return p.err(2, "stream number list of odd length")
	}
	v := p.b
	r.ReqSeq = binary.BigEndian.Uint32(v[4:])
	r.RespSeq = binary.BigEndian.Uint32(v[8:])
	r.SendersLastTSN = TSN(binary.BigEndian.Uint32(v[12:]))
	r.Streams = StreamIDList{b: v[outSSNResetHeaderLen:]}
	return nil
}

// IncomingSSNResetRequestParam asks the peer to reset some or all of its
// outgoing streams (RFC 6525 §4.2). An empty Streams means all of them.
type IncomingSSNResetRequestParam struct {
	ReqSeq  uint32 // Re-configuration Request Sequence Number
	Streams StreamIDList
}

// ParamType returns ParamIncomingSSNResetRequest.
func (r *IncomingSSNResetRequestParam) ParamType() ParamType { return ParamIncomingSSNResetRequest }

// Len returns the parameter length field, 8 + 2N.
func (r *IncomingSSNResetRequestParam) Len() int { return inSSNResetHeaderLen + 2*r.Streams.Len() }

// Append appends the parameter with its padding.
func (r *IncomingSSNResetRequestParam) Append(b []byte) []byte {
	n := r.Len()
	b = appendTLVHeader(b, uint16(ParamIncomingSSNResetRequest), n)
	b = binary.BigEndian.AppendUint32(b, r.ReqSeq)
	b = r.Streams.appendTo(b)
	return appendPad(b, n)
}

// Decode reads the parameter. The length must be 8 + 2N.
func (r *IncomingSSNResetRequestParam) Decode(p Param) error {
	if err := p.expect(ParamIncomingSSNResetRequest); err != nil {
		return err
	}
	if p.Len() < inSSNResetHeaderLen {
		return p.err(2, "parameter length below 8")
	}
	if (p.Len()-inSSNResetHeaderLen)%2 != 0 {
		return p.err(2, "stream number list of odd length")
	}
	r.ReqSeq = binary.BigEndian.Uint32(p.b[4:])
	r.Streams = StreamIDList{b: p.b[inSSNResetHeaderLen:]}
	return nil
}

// SSNTSNResetRequestParam asks the peer to reset the TSNs and the SSNs of
// all streams in both directions (RFC 6525 §4.3).
type SSNTSNResetRequestParam struct {
	ReqSeq uint32 // Re-configuration Request Sequence Number
}

// ParamType returns ParamSSNTSNResetRequest.
func (r *SSNTSNResetRequestParam) ParamType() ParamType { return ParamSSNTSNResetRequest }

// Len returns the parameter length field, 8.
func (r *SSNTSNResetRequestParam) Len() int { return 8 }

// Append appends the parameter.
func (r *SSNTSNResetRequestParam) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(ParamSSNTSNResetRequest), 8)
	return binary.BigEndian.AppendUint32(b, r.ReqSeq)
}

// Decode reads the parameter, whose length §4.3 fixes at 8.
func (r *SSNTSNResetRequestParam) Decode(p Param) error {
	if err := p.expect(ParamSSNTSNResetRequest); err != nil {
		return err
	}
	if p.Len() != 8 {
		return p.err(2, "parameter length not 8")
	}
	r.ReqSeq = binary.BigEndian.Uint32(p.b[4:])
	return nil
}

// ReconfigResult is the Result field of a Re-configuration Response
// parameter (RFC 6525 §4.4, Table 3).
type ReconfigResult uint32

// The results of RFC 6525 §4.4, Table 3.
const (
	ReconfigSuccessNothingToDo     ReconfigResult = 0
	ReconfigSuccessPerformed       ReconfigResult = 1
	ReconfigDenied                 ReconfigResult = 2
	ReconfigErrorWrongSSN          ReconfigResult = 3
	ReconfigErrorRequestInProgress ReconfigResult = 4
	ReconfigErrorBadSequenceNumber ReconfigResult = 5
	ReconfigInProgress             ReconfigResult = 6
)

var reconfigResultNames = [...]string{
	ReconfigSuccessNothingToDo:     "Success - Nothing to do",
	ReconfigSuccessPerformed:       "Success - Performed",
	ReconfigDenied:                 "Denied",
	ReconfigErrorWrongSSN:          "Error - Wrong SSN",
	ReconfigErrorRequestInProgress: "Error - Request already in progress",
	ReconfigErrorBadSequenceNumber: "Error - Bad Sequence Number",
	ReconfigInProgress:             "In progress",
}

// String returns the result's description from Table 3, or "result N".
func (r ReconfigResult) String() string {
	if int64(r) < int64(len(reconfigResultNames)) {
		return reconfigResultNames[r]
	}
	return "result " + strconv.FormatUint(uint64(r), 10)
}

// ReconfigResponseParam answers a re-configuration request (RFC 6525
// §4.4). The two next-TSN fields come together or not at all; they answer
// SSN/TSN Reset Requests, and HasNextTSNs says whether they are present
// (length 20) or not (length 12).
type ReconfigResponseParam struct {
	RespSeq          uint32 // the request's sequence number
	Result           ReconfigResult
	HasNextTSNs      bool
	SendersNextTSN   TSN // the next TSN the responder will send
	ReceiversNextTSN TSN // the next TSN the requester must send
}

// ParamType returns ParamReconfigResponse.
func (r *ReconfigResponseParam) ParamType() ParamType { return ParamReconfigResponse }

// Len returns the parameter length field: 20 with the next TSNs, else 12.
func (r *ReconfigResponseParam) Len() int {
	if r.HasNextTSNs {
		return reconfigRespLongLen
	}
	return reconfigRespShortLen
}

// Append appends the parameter. Without HasNextTSNs the two TSN fields
// are not sent, whatever they hold.
func (r *ReconfigResponseParam) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(ParamReconfigResponse), r.Len())
	b = binary.BigEndian.AppendUint32(b, r.RespSeq)
	b = binary.BigEndian.AppendUint32(b, uint32(r.Result))
	if r.HasNextTSNs {
		b = binary.BigEndian.AppendUint32(b, uint32(r.SendersNextTSN))
		b = binary.BigEndian.AppendUint32(b, uint32(r.ReceiversNextTSN))
	}
	return b
}

// Decode reads the parameter, whose length §4.4 fixes at 12 or 20: one
// next TSN without the other is not allowed.
func (r *ReconfigResponseParam) Decode(p Param) error {
	if err := p.expect(ParamReconfigResponse); err != nil {
		return err
	}
	if p.Len() != reconfigRespShortLen && p.Len() != reconfigRespLongLen {
		return p.err(2, "parameter length neither 12 nor 20")
	}
	v := p.b
	r.RespSeq = binary.BigEndian.Uint32(v[4:])
	r.Result = ReconfigResult(binary.BigEndian.Uint32(v[8:]))
	r.HasNextTSNs = p.Len() == reconfigRespLongLen
	r.SendersNextTSN, r.ReceiversNextTSN = 0, 0
	if r.HasNextTSNs {
		r.SendersNextTSN = TSN(binary.BigEndian.Uint32(v[12:]))
		r.ReceiversNextTSN = TSN(binary.BigEndian.Uint32(v[16:]))
	}
	return nil
}

// reconfigAppendAddStreams appends an Add Outgoing or Add Incoming Streams
// Request; the reserved field is zero.
func reconfigAppendAddStreams(b []byte, t ParamType, reqSeq uint32, n uint16) []byte {
	b = appendTLVHeader(b, uint16(t), addStreamsLen)
	b = binary.BigEndian.AppendUint32(b, reqSeq)
	return append(b, byte(n>>8), byte(n), 0, 0)
}

// reconfigDecodeAddStreams reads an Add Outgoing or Add Incoming Streams Request,
// whose length §4.5 and §4.6 fix at 12; the reserved field is ignored.
func reconfigDecodeAddStreams(p Param, t ParamType) (uint32, uint16, error) {
	if err := p.expect(t); err != nil {
		return 0, 0, err
	}
	if p.Len() != addStreamsLen {
		return 0, 0, p.err(2, "parameter length not 12")
	}
	return binary.BigEndian.Uint32(p.b[4:]), binary.BigEndian.Uint16(p.b[8:]), nil
}

// AddOutgoingStreamsParam asks to add NumNewStreams streams to the
// sender's outgoing streams (RFC 6525 §4.5), numbered on from the last.
type AddOutgoingStreamsParam struct {
	ReqSeq        uint32 // Re-configuration Request Sequence Number
	NumNewStreams uint16
}

// ParamType returns ParamAddOutgoingStreams.
func (r *AddOutgoingStreamsParam) ParamType() ParamType { return ParamAddOutgoingStreams }

// Len returns the parameter length field, 12.
func (r *AddOutgoingStreamsParam) Len() int { return addStreamsLen }

// Append appends the parameter.
func (r *AddOutgoingStreamsParam) Append(b []byte) []byte {
	return reconfigAppendAddStreams(b, ParamAddOutgoingStreams, r.ReqSeq, r.NumNewStreams)
}

// Decode reads the parameter.
func (r *AddOutgoingStreamsParam) Decode(p Param) error {
	seq, n, err := reconfigDecodeAddStreams(p, ParamAddOutgoingStreams)
	if err != nil {
		return err
	}
	r.ReqSeq, r.NumNewStreams = seq, n
	return nil
}

// AddIncomingStreamsParam asks the peer to add NumNewStreams streams to
// its outgoing streams, the sender's incoming ones (RFC 6525 §4.6).
type AddIncomingStreamsParam struct {
	ReqSeq        uint32 // Re-configuration Request Sequence Number
	NumNewStreams uint16
}

// ParamType returns ParamAddIncomingStreams.
func (r *AddIncomingStreamsParam) ParamType() ParamType { return ParamAddIncomingStreams }

// Len returns the parameter length field, 12.
func (r *AddIncomingStreamsParam) Len() int { return addStreamsLen }

// Append appends the parameter.
func (r *AddIncomingStreamsParam) Append(b []byte) []byte {
	return reconfigAppendAddStreams(b, ParamAddIncomingStreams, r.ReqSeq, r.NumNewStreams)
}

// Decode reads the parameter.
func (r *AddIncomingStreamsParam) Decode(p Param) error {
	seq, n, err := reconfigDecodeAddStreams(p, ParamAddIncomingStreams)
	if err != nil {
		return err
	}
	r.ReqSeq, r.NumNewStreams = seq, n
	return nil
}
