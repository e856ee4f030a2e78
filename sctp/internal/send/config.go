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

// maxPaths bounds path indexes. An INIT chunk fits at most (65535-20)/8
// IPv4 address parameters, so an association never has more paths.
const maxPaths = 1 << 13

// maxOrderedHeld is the §6.1 limit of ordered messages per stream in the
// send window.
const maxOrderedHeld = 1<<16 - 1

// tsnWindow is the §6.1 limit: "The data sender MUST NOT use a TSN that is
// more than 2^31 - 1 above the beginning TSN of the current send window."
const tsnWindow = 1<<31 - 1
