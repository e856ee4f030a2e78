package main

import (
	"errors"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp/wire"
)

// problemItem describes why bytes did not decode. For the two codecs'
// ParseErrors it gives the offset and the rule: for SCTP the offset
// counts from the first byte of the SCTP packet (the common header), for
// ASAP and ENRP from the first byte of the message, the decoders'
// conventions.
func problemItem(err error) item {
	var we *wire.ParseError
	var me *msg.ParseError
	var um *msg.UnrecognizedMessageError
	var up *msg.UnrecognizedParamError
	switch {
	case errors.As(err, &we):
		it := item{name: "malformed"}
		it.add("offset", we.Offset)
		it.add("rule", we.Rule)
		it.add("in", we.What)
		return it
	case errors.As(err, &me):
		it := item{name: "malformed"}
		it.add("offset", me.Offset)
		it.add("rule", me.Rule)
		it.add("in", me.What)
		return it
	case errors.As(err, &um):
		it := item{name: "unrecognized"}
		it.add("message_type", int(um.Type))
		it.add("action", rsAction(um.Action()))
		return it
	case errors.As(err, &up):
		// An unknown parameter whose type bits tell the receiver to
		// discard the whole message (RFC 5354 §3).
		it := item{name: "unrecognized"}
		it.add("offset", up.Offset)
		it.add("param", up.Param.Type().String())
		it.add("action", rsAction(up.Param.Type().UnknownAction()))
		it.add("in", up.What)
		return it
	}
	it := item{name: "error"}
	it.add("reason", err.Error())
	return it
}

// sctpAction names what RFC 9260 §3.2 and §3.2.1 tell a receiver to do
// with a chunk or parameter type it does not recognize.
func sctpAction(a wire.UnknownAction) string {
	return actionName(a.Stop(), a.Report())
}

// rsAction is sctpAction for the RSerPool types (RFC 5354 §3, §4).
func rsAction(a msg.UnknownAction) string {
	return actionName(a.Stop(), a.Report())
}

func actionName(stop, report bool) string {
	s := "skip"
	if stop {
		s = "stop"
	}
	if report {
		s += "+report"
	}
	return s
}
