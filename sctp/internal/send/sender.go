package send

import (
	"github.com/rserpool/rserpool/sctp/wire"
)

// Sender is the send side of one association. It is not safe for
// concurrent use; the association serialises its inputs.
type Sender struct {
	maxQueued   int
	maxMessages int // MaxQueued/MessageCharge
	outStreams  uint16
	streams     []streamState // grown up to the highest stream used

	// Messages not yet fully acknowledged, in the order queued. Those
	// before curr have had all their bytes cut into chunks.
	msgs   ring[message]
	curr   int
	queued int // bytes of msgs not cumulatively acknowledged

	// The outstanding list: the chunks with TSNs cum+1 .. next-1, in TSN
	// order, so a TSN finds its chunk in O(1).
	out         ring[*Chunk]
	pool        chunkPool
	cum         wire.TSN // Cumulative TSN Ack Point
	next        wire.TSN // TSN the next new chunk gets
	firstUnsent wire.TSN // lowest TSN not yet transmitted (next when all were)
	window      uint32   // §6.1 TSN window; a field so tests can shrink it

	flight []int // bytes in flight per path
	total  int   // bytes in flight on all paths
	arwnd  uint32

	nMarked int      // chunks marked for retransmission
	rtxScan wire.TSN // no marked chunk has a lower TSN

	// Karn's algorithm, second part (§6.3.1 C5): chunks with TSNs in
	// [karnLow, karnFence) were first sent before a chunk with a TSN at or
	// below theirs was retransmitted, so they give no RTT sample.
	karnActive bool
	karnLow    wire.TSN
	karnFence  wire.TSN

	inFR   bool     // in Fast Recovery (§7.2.4 step 6)
	frExit wire.TSN // its exit point

	gaps []span // TSNs above cum acknowledged by Gap Ack Blocks, sorted runs

	sackScratch
}

// New returns a Sender whose first DATA chunk gets initialTSN, the Initial
// TSN this endpoint put in its INIT or INIT ACK (RFC 9260 §5.1.1).
func New(cfg Config, initialTSN wire.TSN) *Sender {
	mq := cfg.MaxQueued
	if mq <= 0 {
		mq = DefaultMaxQueued
	}
	return &Sender{
		maxQueued:   mq,
		maxMessages: max(mq/MessageCharge, minMessages),
		outStreams:  cfg.OutStreams,
		cum:         initialTSN - 1,
		next:        initialTSN,
		firstUnsent: initialTSN,
		window:      tsnWindow,
	}
}

// atTSN returns the outstanding chunk with TSN t, cum < t < next.
func (s *Sender) atTSN(t wire.TSN) *Chunk { return *s.out.at(int(uint32(t - s.cum - 1))) }

// CumAck returns the Cumulative TSN Ack Point: the highest TSN the peer
// acknowledged cumulatively (initialTSN-1 before any).
func (s *Sender) CumAck() wire.TSN { return s.cum }

// NextTSN returns the TSN the next new DATA chunk gets.
func (s *Sender) NextTSN() wire.TSN { return s.next }

// SetPeerRwnd sets the peer's receiver window from the a_rwnd of its INIT or
// INIT ACK (RFC 9260 §6.2.1 A).
func (s *Sender) SetPeerRwnd(a uint32) { s.arwnd = a }

// PeerRwnd returns the peer's receiver window as RFC 9260 §6.2.1 keeps it:
// the last a_rwnd received, less the bytes sent since that are still in
// flight (B), with chunks marked for retransmission given back (C). It is
// recomputed from the flight size, which holds the same sum.
func (s *Sender) PeerRwnd() uint32 {
	if uint64(s.total) >= uint64(s.arwnd) {
		return 0
	}
	return s.arwnd - uint32(s.total)
}

// FlightSize returns the bytes in flight on path: sent there and neither
// acknowledged (cumulatively or by a Gap Ack Block) nor marked for
// retransmission. See the package documentation.
func (s *Sender) FlightSize(path int) int {
	if path < 0 || path >= len(s.flight) {
		return 0
	}
	return s.flight[path]
}

// Outstanding returns the bytes in flight on all paths.
func (s *Sender) Outstanding() int { return s.total }

// OutstandingOn reports whether any bytes are in flight on path.
func (s *Sender) OutstandingOn(path int) bool { return s.FlightSize(path) > 0 }

// InFastRecovery reports whether the sender is in Fast Recovery (RFC 9260
// §7.2.4 step 6), during which a further Fast Retransmit cuts no cwnd.
func (s *Sender) InFastRecovery() bool { return s.inFR }

// Done reports whether nothing is queued and nothing awaits
// acknowledgement: the condition SHUTDOWN waits for (RFC 9260 §9.2).
func (s *Sender) Done() bool { return s.msgs.len() == 0 }

// growPaths makes path a valid index of the per-path tables.
func (s *Sender) growPaths(path int) {
	for len(s.flight) <= path {
		s.flight = append(s.flight, 0)
		s.paths = append(s.paths, pathScratch{})
	}
}
