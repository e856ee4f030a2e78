package failover

import (
	"encoding/binary"
	"errors"
	"time"
)

// PPID marks the benchmark's messages, so that the DATA chunks of the
// stream are told apart from anything else (RFC 9260 §3.3.1 leaves the
// value to the application).
const PPID = 0x66_6f_76_72

// headerLen is the part of a payload the harness reads: the sequence
// number and the send time.
const headerLen = 16

// errShortPayload is returned for a payload without a whole header.
var errShortPayload = errors.New("failover: payload shorter than its 16-byte header")

// appendPayload appends a message of size bytes (at least headerLen)
// carrying seq and the send time sent, measured from the start of the
// run; the rest is filler.
func appendPayload(b []byte, seq uint64, sent time.Duration, size int) []byte {
	b = binary.BigEndian.AppendUint64(b, seq)
	b = binary.BigEndian.AppendUint64(b, uint64(sent))
	for i := headerLen; i < size; i++ {
		b = append(b, byte(i))
	}
	return b
}

// parsePayload reads the sequence number and send time of a message, or
// of the first fragment of one.
func parsePayload(b []byte) (seq uint64, sent time.Duration, err error) {
	if len(b) < headerLen {
		return 0, 0, errShortPayload
	}
	return binary.BigEndian.Uint64(b), time.Duration(binary.BigEndian.Uint64(b[8:])), nil
}
