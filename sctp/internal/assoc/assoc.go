// Package assoc is the SCTP association engine of RFC 9260: the state
// machine of §4 with establishment (§5), data transfer (§6), congestion
// control (§7), fault management (§8) and shutdown (§9), and the
// endpoint that demultiplexes packets to associations and answers INIT
// without keeping state (§5.1.3).
//
// It is sans-I/O: no goroutine, socket or clock. Every input carries
// now; the output is packets to send (Output), the next deadline
// (Deadline) and events for the user (Events). The runtime of package
// sctp drives it; tests drive it directly in virtual time.
package assoc

import (
	"net/netip"
	"time"

	"github.com/rserpool/rserpool/sctp/internal/path"
	"github.com/rserpool/rserpool/sctp/internal/recv"
	"github.com/rserpool/rserpool/sctp/internal/send"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/wire"
)

// Assoc is one association. Its methods must be called from one
// goroutine at a time.
type Assoc struct {
	ep    *Endpoint
	cfg   *Config
	state State

	localPort, peerPort uint16
	localTag, peerTag   wire.VTag
	localTieTag         wire.VTag // §5.2.2: random, nonzero once needed
	peerTieTag          wire.VTag
	localTSN            wire.TSN // our initial TSN
	peerTSN             wire.TSN // the peer's initial TSN
	outStreams          uint16   // negotiated
	inStreams           uint16   // negotiated
	peerARwnd           uint32   // last a_rwnd the peer advertised

	paths   []*pathState
	primary int

	snd *send.Sender
	rcv *recv.Receiver

	// Establishment (§5.1).
	initChunk   encodedChunk // our INIT, kept to retransmit and to answer a colliding INIT (§5.2.1)
	cookieEcho  encodedChunk // our COOKIE ECHO, kept to retransmit
	t1          path.Timer
	t1Retrans   int
	t1Path      int
	staleRetry  int // INITs resent after a Stale Cookie error (§5.2.6)
	preservativ time.Duration
	accepting   bool // processing the packet whose COOKIE ECHO made the association

	// Receive side timing (§6.2).
	sackTimer    path.Timer
	sackNow      bool // a SACK is due in this flush
	sackPath     int  // where the last DATA came from (§6.4)
	dataPackets  int  // packets with DATA since the last SACK
	sackGaps     []wire.GapBlock
	sackDups     []wire.TSN
	sackChunk    wire.Sack
	hadGaps      bool // the last SACK reported gaps (§6.7: their filling is reported at once)
	windowUpdate bool // reading opened the window: send a SACK (§6.2)
	fastRtxBurst bool // §7.2.4 step 4: one packet of fast retransmissions regardless of cwnd

	// Fault management (§8.1).
	errorCount   int
	sackSinceT3  bool     // a SACK arrived since the last T3 expiry (§6.1 A)
	probing      bool     // a zero window probe is outstanding (§6.1 A)
	probeTSN     wire.TSN // its TSN
	probeLen     int      // and its user data
	flightBefore []int    // per path, before the SACK being processed (§7.2.1)

	// Shutdown (§9.2).
	t2            path.Timer
	t2Retrans     int
	t5            path.Timer
	shutdownAsked bool // the user asked for a shutdown

	out    outbox
	events []Event
	stats  Stats
}

// pathState is a peer address with the association's timers for it.
type pathState struct {
	*path.Path
	t3        path.Timer // T3-rtx (§6.3.2)
	hb        path.Timer // heartbeat (§8.3): next send, or the wait for the ack
	hbNonce   uint64
	hbSentAt  time.Time
	hbWaiting bool
}

// Stats counts an association's traffic.
type Stats struct {
	PacketsSent, PacketsReceived   uint64
	DataChunksSent, DataChunksRecv uint64
	Retransmissions                uint64
	FastRetransmits                uint64
	T3Expirations                  uint64
	ProbesResent                   uint64 // zero window probes resent when the window opened (§6.1 A)
	SacksSent, SacksReceived       uint64
	BytesSent, BytesReceived       uint64 // user data
}

// State returns the association's state.
func (a *Assoc) State() State { return a.state }

// LocalTag and PeerTag are the verification tags (§8.5).
func (a *Assoc) LocalTag() wire.VTag { return a.localTag }

// PeerTag is the peer's verification tag.
func (a *Assoc) PeerTag() wire.VTag { return a.peerTag }

// PeerPort is the peer's SCTP port.
func (a *Assoc) PeerPort() uint16 { return a.peerPort }

// Streams returns the negotiated outbound and inbound stream counts.
func (a *Assoc) Streams() (out, in uint16) { return a.outStreams, a.inStreams }

// Paths returns the peer addresses, the primary first, then the others
// in the order the association learned them.
func (a *Assoc) Paths() []netip.AddrPort {
	r := make([]netip.AddrPort, 0, len(a.paths))
	for _, p := range a.primaryFirst() {
		r = append(r, p.Remote)
	}
	return r
}

// primaryFirst lists the paths in the order Paths gives them.
func (a *Assoc) primaryFirst() []*pathState {
	r := make([]*pathState, 0, len(a.paths))
	r = append(r, a.paths[a.primary])
	for i, p := range a.paths {
		if i != a.primary {
			r = append(r, p)
		}
	}
	return r
}

// PathStats returns the statistics of each path, in the order of Paths.
func (a *Assoc) PathStats() []path.Stats {
	r := make([]path.Stats, 0, len(a.paths))
	for _, p := range a.primaryFirst() {
		r = append(r, p.Stats())
	}
	return r
}

// Stats returns the association's counters.
func (a *Assoc) Stats() Stats { return a.stats }

// Output returns the packets to send. They stay valid until the next call
// of any method of a.
func (a *Assoc) Output() []lower.Packet {
	pkts := a.out.take()
	a.stats.PacketsSent += uint64(len(pkts))
	return pkts
}

// Events returns and clears the pending events.
func (a *Assoc) Events() []Event {
	ev := a.events
	a.events = nil
	return ev
}

func (a *Assoc) event(e Event) { a.events = append(a.events, e) }

// Deadline returns the earliest time a timer of a expires, or the zero
// time when none runs.
func (a *Assoc) Deadline() time.Time {
	var d path.Soonest
	d.AddTimer(&a.t1)
	d.AddTimer(&a.sackTimer)
	d.AddTimer(&a.t2)
	d.AddTimer(&a.t5)
	for _, p := range a.paths {
		d.AddTimer(&p.t3)
		d.AddTimer(&p.hb)
	}
	return d.Time()
}

// Timeout runs the timers that expired at now.
func (a *Assoc) Timeout(now time.Time) {
	if a.state == Closed {
		return
	}
	if a.t1.Expired(now) {
		a.t1Expired(now)
	}
	if a.t5.Expired(now) {
		a.t5Expired(now)
		return
	}
	if a.t2.Expired(now) {
		a.t2Expired(now)
	}
	for i, p := range a.paths {
		if a.state == Closed {
			return
		}
		if p.t3.Expired(now) {
			a.t3Expired(now, i)
		}
		if p.hb.Expired(now) {
			a.heartbeatTimer(now, i)
		}
	}
	if a.sackTimer.Expired(now) {
		a.sackTimer.Stop()
		a.sackNow = true
	}
	a.flush(now)
}

// random64 returns 64 random bits from the endpoint's source.
func (a *Assoc) random64() uint64 { return a.ep.random64() }

// src returns the local address packets to path i leave from.
func (a *Assoc) src(i int) netip.AddrPort {
	return a.ep.sourceFor(a.paths[i].Remote, a.paths[i].Local, i)
}

// emit adds chunk c to the packet to path i under the peer's tag.
func (a *Assoc) emit(i int, c wire.Chunker) {
	p := a.paths[i]
	a.out.add(a.src(i), p.Remote, a.localPort, a.peerPort, a.peerTag, p.MTU(), c)
}

// pathIndex finds the path of a peer address, or -1.
func (a *Assoc) pathIndex(addr netip.Addr) int {
	for i, p := range a.paths {
		if p.Remote.Addr() == addr {
			return i
		}
	}
	return -1
}
