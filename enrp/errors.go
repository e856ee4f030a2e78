package enrp

import (
	"encoding/binary"
	"errors"

	"github.com/rserpool/rserpool/asap/msg"
)

// This file handles what a peer sends that the registrar cannot take as
// it is: unknown message and parameter types, which RFC 5354 §3 and §4
// say how to treat, and malformed messages, about which the RFCs say
// nothing.
//
// A malformed message (a *msg.ParseError: a length that does not add up,
// a missing mandatory parameter, a parameter where it has no place) is
// discarded and counted; the association goes on, since one bad message
// says nothing of the next and SCTP has delivered it whole. A request,
// though, is not left unanswered when the registrar can tell what it
// was: a malformed ASAP_REGISTRATION, ASAP_DEREGISTRATION or
// ASAP_HANDLE_RESOLUTION gets its response with an Invalid Values error
// (RFC 5354 §3.12.4; the registration's with R set), carrying the pool
// handle and PE identifier found in it, so that the PE or PU learns of
// the refusal instead of waiting for its timer (RFC 5352 §3.1, §3.2,
// §3.3). The cause carries no parameter: the one at fault may be missing
// or unreadable.

// maxReported bounds the causes of one ASAP_ERROR, so that a message
// stuffed with unknown parameters does not make a large answer.
const maxReported = 16

// undecodable handles a message that did not decode.
func (r *Registrar) undecodable(c *conn, raw []byte, err error) {
	var um *msg.UnrecognizedMessageError
	var up *msg.UnrecognizedParamError
	switch {
	case errors.As(err, &um):
		// RFC 5354 §4: discard, and report when the type's upper bits
		// are 01.
		r.stats.Unrecognized++
		if um.Action() == msg.StopReport {
			r.sendError(c, um.Cause())
		}
	case errors.As(err, &up):
		// RFC 5354 §3: bits 00 and 01 stop the processing of the
		// message; 01 also reports the parameter.
		r.stats.Unrecognized++
		if up.Report() {
			r.sendError(c, up.Cause())
		}
	default:
		r.stats.Malformed++
		r.log.Warn("malformed message discarded", "peer", c.peer(), "err", err)
		r.refuseMalformed(c, raw)
	}
}

// reportUnrecognized sends the ASAP_ERROR that reports the parameters of
// unknown types a decoded message carried with the "skip and report"
// bits (RFC 5354 §3: 11), before the message is handled.
func (r *Registrar) reportUnrecognized(c *conn, m msg.Message) {
	var causes []msg.Cause
	msg.Report(m, func(p msg.Param) {
		if len(causes) < maxReported {
			causes = append(causes, msg.UnrecognizedParameterCause(p))
		}
	})
	if len(causes) > 0 {
		r.sendError(c, causes...)
	}
}

// sendError sends an ASAP_ERROR (RFC 5352 §2.2.14) with the causes that
// fit one message.
func (r *Registrar) sendError(c *conn, causes ...msg.Cause) {
	m := msg.ASAPError{Error: msg.NewOperationError(causes...)}
	for m.Len() > msg.MaxMessageLen && len(causes) > 1 {
		causes = causes[:len(causes)-1]
		m.Error = msg.NewOperationError(causes...)
	}
	if r.send(c, &m) {
		r.stats.ErrorsSent++
	}
}

// refuseMalformed answers a malformed request, as the comment at the
// top of this file says.
func (r *Registrar) refuseMalformed(c *conn, raw []byte) {
	v, err := msg.ParseMessage(msg.ASAP, raw)
	if err != nil {
		return // not even a header: nothing to answer
	}
	handle, id := salvage(v.Value())
	if len(handle) > r.hs.Limits().MaxHandleLen {
		handle = nil // too long to echo in a response that must fit
	}
	e := msg.NewOperationError(msg.Cause{Code: msg.CauseInvalidValues})
	switch v.Type() {
	case msg.ASAPRegistration:
		r.stats.RegistrationsRejected++
		r.send(c, &msg.RegistrationResponse{Reject: true, PoolHandle: handle, ID: id, Error: e})
	case msg.ASAPDeregistration:
		r.stats.DeregistrationsRejected++
		r.send(c, &msg.DeregistrationResponse{PoolHandle: handle, ID: id, Error: e})
	case msg.ASAPHandleResolution:
		r.stats.ResolutionsFailed++
		r.send(c, &msg.HandleResolutionResponse{PoolHandle: handle, Error: e})
	}
}

// salvage finds the pool handle and PE identifier of a malformed
// request: the first Pool Handle parameter, and the identifier of the
// first PE Identifier or Pool Element parameter, among the parameters
// that frame before the first one that does not. Every length is checked
// against what is left.
func salvage(b []byte) (handle []byte, id msg.PEID) {
	haveID := false
	for len(b) >= 4 {
		t := msg.ParamType(binary.BigEndian.Uint16(b))
		n := int(binary.BigEndian.Uint16(b[2:]))
		if n < 4 || n > len(b) {
			break
		}
		v := b[4:n]
		switch {
		case t == msg.ParamPoolHandle && handle == nil:
			handle = v
		case (t == msg.ParamPEIdentifier || t == msg.ParamPoolElement) && !haveID && len(v) >= 4:
			id, haveID = msg.PEID(binary.BigEndian.Uint32(v)), true
		}
		n = (n + 3) &^ 3
		if n > len(b) {
			break
		}
		b = b[n:]
	}
	return handle, id
}
