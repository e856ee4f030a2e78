package send

import "errors"

// Errors returned by Queue. They are sentinels so that the caller can
// answer each case as RFC 9260 §11.1.5 (SEND) and §6.9 ask: an error to the
// user, not a message on the wire.
var (
	// ErrInvalidStream: the stream is not below the number of outbound
	// streams negotiated at setup (RFC 9260 §6.5: "Every DATA chunk MUST
	// carry a valid stream identifier").
	ErrInvalidStream = errors.New("send: stream identifier not below the negotiated number of outbound streams (RFC 9260 §6.5)")

	// ErrEmptyMessage: a message without data, which would need a DATA
	// chunk without user data (RFC 9260 §6.2: "An endpoint SHOULD NOT send
	// a DATA chunk with no user data part").
	ErrEmptyMessage = errors.New("send: empty user message (RFC 9260 §6.2)")

	// ErrTooBig: the message alone is larger than the send buffer
	// (Config.MaxQueued), so waiting would never make room for it.
	ErrTooBig = errors.New("send: user message larger than the send buffer")

	// ErrQueueFull: no room now; it clears as the peer acknowledges data.
	// Returned when the bytes held (queued and outstanding) plus the
	// message would exceed Config.MaxQueued, when the sender already holds
	// MaxQueued/MessageCharge messages, and when the message's stream
	// already holds 2^16-1 ordered messages (RFC 9260 §6.1: "For each
	// stream, the data sender MUST NOT have more than 2^16 - 1 ordered user
	// messages in the current send window").
	ErrQueueFull = errors.New("send: send buffer full")
)
