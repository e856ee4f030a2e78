package msg

import "math/bits"

// This file holds what the message decoders share: reading a message's
// parameter list into the fields the message may carry. RFC 5352 §2.2 and
// RFC 5353 §2 draw each message as a fixed part followed by parameters;
// the decoders take the parameters in any order, refuse a parameter the
// message does not carry or a second copy of one it carries once, apply
// the unknown-type rules of RFC 5354 §3, and check that the mandatory
// ones are present.

// paramSet is a set of parameter types, one bit per known type.
type paramSet uint32

func bitOf(t ParamType) paramSet {
	if t == ParamHandleResolutionOption {
		return 1 << hrOptBit
	}
	if t > ParamOpaqueTransport {
		return 0
	}
	return 1 << t
}

// Parameter sets used by the messages.
const (
	pHandle     = paramSet(1) << ParamPoolHandle
	pPE         = paramSet(1) << ParamPoolElement
	pPEID       = paramSet(1) << ParamPEIdentifier
	pOpErr      = paramSet(1) << ParamOperationError
	pPolicy     = paramSet(1) << ParamPolicy
	pCookie     = paramSet(1) << ParamCookie
	pChecksum   = paramSet(1) << ParamPEChecksum
	pServerInfo = paramSet(1) << ParamServerInfo
	pSCTP       = paramSet(1) << ParamSCTPTransport
	pTCP        = paramSet(1) << ParamTCPTransport
	pHROpt      = paramSet(1) << hrOptBit
)

// body collects the parameters of one message.
type body struct {
	seen paramSet
	all  list // the whole parameter region, for the list views

	handle     []byte
	id         PEID
	hrItems    uint32
	checksum   uint16
	cookie     []byte
	policy     Policy
	pe         PoolElement
	serverInfo ServerInformation
	opErr      OperationError
	unk        Unrecognized
}

// decode reads the parameters after the fixed part of v. single holds the
// types the message carries at most once, multi those it carries as a
// list (each entry is checked here; the message hands out a view).
func (bd *body) decode(v MessageView, fixed int, single, multi paramSet) error {
	w := v.params(fixed)
	bd.all = w.region
	for p, ok := w.next(); ok; p, ok = w.next() {
		t := p.Type()
		bit := bitOf(t)
		if multi&bit != 0 {
			bd.seen |= bit
			if err := checkEntry(p); err != nil {
				return err
			}
			continue
		}
		if single&bit == 0 {
			return w.fail(p, "unexpected "+t.String()+" parameter")
		}
		if bd.seen&bit != 0 {
			return w.fail(p, "second "+t.String()+" parameter")
		}
		bd.seen |= bit
		if err := bd.take(p); err != nil {
			return err
		}
	}
	if err := w.err(); err != nil {
		return err
	}
	bd.unk = w.unrecognized()
	return nil
}

// take decodes one single-occurrence parameter into its field.
func (bd *body) take(p Param) error {
	var err error
	switch p.Type() {
	case ParamPoolHandle:
		bd.handle = p.Value()
	case ParamPEIdentifier:
		var id PEIdentifierParam
		err = id.Decode(p)
		bd.id = id.ID
	case ParamHandleResolutionOption:
		var h HandleResolutionOptionParam
		err = h.Decode(p)
		bd.hrItems = h.Items
	case ParamPEChecksum:
		var c PEChecksumParam
		err = c.Decode(p)
		bd.checksum = c.Checksum
	case ParamCookie:
		bd.cookie = p.Value()
	case ParamPolicy:
		err = bd.policy.Decode(p)
	case ParamPoolElement:
		err = bd.pe.Decode(p)
	case ParamServerInfo:
		err = bd.serverInfo.Decode(p)
	case ParamOperationError:
		err = bd.opErr.Decode(p)
	}
	return err
}

// checkEntry checks one entry of a list parameter.
func checkEntry(p Param) error {
	switch t := p.Type(); {
	case t == ParamPoolElement:
		var pe PoolElement
		return pe.Decode(p)
	case t == ParamServerInfo:
		var s ServerInformation
		return s.Decode(p)
	case t.isTransport():
		var tr Transport
		return tr.Decode(p)
	}
	return nil // pool handles of a handle table response: any bytes
}

// has reports whether a parameter of set s was present.
func (bd *body) has(s paramSet) bool { return bd.seen&s != 0 }

// need returns an error naming the absent type of required with the
// lowest code.
func (bd *body) need(v MessageView, required paramSet) error {
	missing := required &^ bd.seen
	if missing == 0 {
		return nil
	}
	t := ParamType(bits.TrailingZeros32(uint32(missing)))
	return v.err(0, "no "+t.String()+" parameter")
}

// appendHandle appends a Pool Handle parameter.
func appendHandle(b []byte, h []byte) []byte { return appendBytesParam(b, ParamPoolHandle, h) }

func appendPEID(b []byte, id PEID) []byte { return appendU32Param(b, ParamPEIdentifier, uint32(id)) }
