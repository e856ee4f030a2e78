package ip

import "errors"

// Errors of the encoders. They say which rule a caller's arguments broke;
// a header that lied about its payload would make every later check of a
// capture meaningless, so the encoders refuse instead.
var (
	// ErrAddress: an address is invalid, of the wrong family for the
	// header, or the source and destination families differ.
	ErrAddress = errors.New("ip: address of the wrong family")
	// ErrTooLong: the payload does not fit the header's 16-bit length
	// field (RFC 791 §3.1 Total Length, RFC 8200 §3 Payload Length,
	// RFC 768 Length).
	ErrTooLong = errors.New("ip: payload too long for the length field")
	// ErrNegativeLength: a payload length below zero.
	ErrNegativeLength = errors.New("ip: negative payload length")
)
