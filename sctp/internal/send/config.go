package send

// DefaultMaxQueued is the send buffer used when Config.MaxQueued is 0.
const DefaultMaxQueued = 1 << 20

// Config bounds a Sender.
type Config struct {
	// OutStreams is the number of outbound streams negotiated in the
	// INIT/INIT ACK exchange (RFC 9260 §5.1.1); valid stream identifiers
	// are 0 to OutStreams-1.
	OutStreams uint16

	// MaxQueued bounds the bytes of user data held: queued and not yet
	// sent, plus sent and not yet cumulatively acknowledged. A peer that
	// never acknowledges can make the sender hold at most this much. Zero
	// or a negative value means DefaultMaxQueued.
	MaxQueued int
}

// MessageCharge is the share of MaxQueued each held message counts for
// at least: the sender holds at most MaxQueued/MessageCharge messages
// (and at least 16 fit, however small the buffer).
// Without it a stream of 1-byte messages would make the sender keep a
// record per byte, a million records for the default buffer, where the
// byte count says one MiB.
const MessageCharge = 64

// minMessages is the message limit of the smallest buffers.
const minMessages = 16

// maxPaths bounds path indexes. An INIT chunk fits at most (65535-20)/8
// IPv4 address parameters, so an association never has more paths.
const maxPaths = 1 << 13

// maxOrderedHeld is the §6.1 limit of ordered messages per stream in the
// send window.
const maxOrderedHeld = 1<<16 - 1

// tsnWindow is the §6.1 limit: "The data sender MUST NOT use a TSN that is
// more than 2^31 - 1 above the beginning TSN of the current send window."
const tsnWindow = 1<<31 - 1
