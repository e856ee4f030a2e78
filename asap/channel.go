package asap

import (
	"context"
	"strconv"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// ASAP travels over SCTP, one ASAP message per SCTP user message, marked
// with payload protocol identifier 11 (RFC 5352 §8.3). The PE and the PU
// may share an association with their application's own data (the
// "data + control channel" of RFC 5352 §3.3 and §3.2), so a reader has to
// tell the two apart by the PPID rather than by trying to decode.

// WriteMessage encodes m and sends it on a, on stream 0 with the ASAP
// PPID. Encode's checks run first: a message the RFCs forbid a sender to
// send, or one whose lengths do not fit, is refused with the
// *msg.EncodeError before anything reaches the wire.
func WriteMessage(ctx context.Context, a *sctp.Association, m msg.Message) error {
	b, err := msg.Encode(make([]byte, 0, m.Len()+4), m)
	if err != nil {
		return err
	}
	return a.Send(ctx, sctp.Message{Stream: 0, PPID: msg.PPIDASAP, Data: b})
}

// ReadMessage receives the next message on a and decodes it as ASAP. The
// decoded message aliases the received bytes, which belong to the caller
// alone. A message with another PPID is not decoded: it is returned as a
// *NotASAPError holding it whole, so an application can take its own
// data from an association that also carries ASAP. Decoding errors are
// those of msg.DecodeASAP (*msg.ParseError, *msg.UnrecognizedMessageError,
// *msg.UnrecognizedParamError), which carry what an ASAP_ERROR reporting
// them needs (RFC 5352 §2.2.14). Receive's errors (io.EOF after the
// peer's shutdown, an *sctp.OpError after an abort or when ctx ends) are
// returned as they are.
func ReadMessage(ctx context.Context, a *sctp.Association) (msg.Message, error) {
	m, err := a.Receive(ctx)
	if err != nil {
		return nil, err
	}
	if m.PPID != msg.PPIDASAP {
		return nil, &NotASAPError{Message: m}
	}
	return msg.DecodeASAP(m.Data)
}

// NotASAPError is ReadMessage's answer to a user message whose PPID is not
// ASAP's: the message itself, for the application it belongs to.
// ReadMessage returns a *NotASAPError; errors.As finds it with a target
// of either type.
type NotASAPError struct {
	Message sctp.Message
}

// As lets errors.As fill a NotASAPError value as well as a pointer.
func (e *NotASAPError) As(target any) bool {
	if t, ok := target.(*NotASAPError); ok {
		*t = *e
		return true
	}
	return false
}

func (e NotASAPError) Error() string {
	return "asap: message with PPID " + strconv.FormatUint(uint64(e.Message.PPID), 10) +
		" on stream " + strconv.FormatUint(uint64(e.Message.Stream), 10) + " is not ASAP"
}
