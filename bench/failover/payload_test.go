package failover

import (
	"errors"
	"testing"
	"time"
)

// A payload carries its sequence number and send time through, at the
// size asked for.
func TestPayloadRoundTrip(t *testing.T) {
	b := appendPayload(nil, 1<<40+7, 5*time.Second+3, MessageSize)
	if len(b) != MessageSize {
		t.Fatalf("len %d, want %d", len(b), MessageSize)
	}
	seq, sent, err := parsePayload(b)
	if err != nil || seq != 1<<40+7 || sent != 5*time.Second+3 {
		t.Fatalf("got %d %v %v", seq, sent, err)
	}
}

// A payload shorter than its header is refused, not read past its end.
func TestPayloadShort(t *testing.T) {
	for n := range headerLen {
		if _, _, err := parsePayload(make([]byte, n)); !errors.Is(err, errShortPayload) {
			t.Fatalf("%d bytes: err %v", n, err)
		}
	}
}
