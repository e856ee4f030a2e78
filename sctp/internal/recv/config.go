package recv

// Defaults for the zero fields of Config.
const (
	// DefaultWindow is the receive buffer, in bytes, when Config.Window is
	// zero: the a_rwnd advertised in INIT or INIT ACK (RFC 9260 §6.2 A).
	DefaultWindow = 262144
	// DefaultMaxDups is how many duplicate TSNs are kept for the next SACK
	// when Config.MaxDups is zero.
	DefaultMaxDups = 64
	// DefaultMaxGaps is how many Gap Ack Blocks new data may open when
	// Config.MaxGaps is zero.
	DefaultMaxGaps = 128
)

// Limits on Config values.
const (
	// MaxWindow is the largest receive buffer accepted; a larger
	// Config.Window is lowered to it. It keeps byte counts far from
	// overflow on 32-bit platforms.
	MaxWindow = 1 << 30

	// MinCharge is the least a held message or fragment costs in the
	// window, whatever its length. Each one held carries bookkeeping
	// besides its bytes, and §6.2 leaves buffer management to the
	// implementation ("How an implementation manages its receive buffers
	// is dependent on many factors"); charging the bookkeeping keeps a
	// peer that sends one-byte messages from making the receiver hold
	// Window of them, and the a_rwnd advertised tells the peer so.
	// Messages of MinCharge bytes or more are charged their length.
	MinCharge = 64

	// maxSackEntries is how many Gap Ack Blocks and duplicate TSNs fit in
	// one SACK chunk: its length field is 16 bits (RFC 9260 §3.3.4).
	maxSackEntries = (0xffff - sackHeaderLen) / 4

	sackHeaderLen = 16 // chunk header, Cumulative TSN Ack, a_rwnd, two counts
)

// Config bounds what a peer can make the receiver hold. The zero value of
// each field selects its default.
type Config struct {
	// Window is the receive buffer in bytes: the a_rwnd advertised when
	// nothing is held (RFC 9260 §6.2 A). Zero means DefaultWindow; values
	// above MaxWindow are lowered to it.
	Window uint32
	// InStreams is the negotiated number of inbound streams (MIS, RFC
	// 9260 §5.1.1). DATA on a stream at or above it is answered with
	// InvalidStream (§6.5).
	InStreams uint16
	// MaxMessage is the largest user message reassembled, in bytes. Zero
	// means Window; a larger value is lowered to Window, since without a
	// partial delivery API a message must fit in the buffer whole.
	MaxMessage int
	// MaxDups is how many duplicate TSNs are kept for the next SACK; more
	// are counted in Stats but not reported. Zero means DefaultMaxDups.
	MaxDups int
	// MaxGaps is how many Gap Ack Blocks new data may open: a TSN that
	// would open one more is dropped as OutOfWindow, and the peer sends it
	// again once the holes below have filled. Data dropped to make room
	// for a lower TSN (RFC 9260 §6.2) can leave more blocks than this for
	// a while; SACKs report them all as room allows. Zero means
	// DefaultMaxGaps.
	MaxGaps int
}

// normalized returns c with the defaults and limits applied.
func (c Config) normalized() Config {
	if c.Window == 0 {
		c.Window = DefaultWindow
	}
	if c.Window > MaxWindow {
		c.Window = MaxWindow
	}
	if c.MaxMessage <= 0 || c.MaxMessage > int(c.Window) {
		c.MaxMessage = int(c.Window)
	}
	if c.MaxDups <= 0 {
		c.MaxDups = DefaultMaxDups
	}
	c.MaxDups = min(c.MaxDups, maxSackEntries)
	if c.MaxGaps <= 0 {
		c.MaxGaps = DefaultMaxGaps
	}
	c.MaxGaps = min(c.MaxGaps, maxSackEntries)
	return c
}

// charge is what n bytes of user data held cost in the window.
func charge(n int) int { return max(n, MinCharge) }
