package sctp

import (
	"net/netip"
	"strconv"
	"time"

	"github.com/rserpool/rserpool/sctp/internal/assoc"
	"github.com/rserpool/rserpool/sctp/internal/path"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/wire"
)

// Stats is a snapshot of an association's counters.
type Stats struct {
	PacketsSent, PacketsReceived       uint64
	DataChunksSent, DataChunksReceived uint64
	BytesSent, BytesReceived           uint64 // user data
	Retransmissions                    uint64 // DATA chunks sent again
	FastRetransmits                    uint64 // §7.2.4
	T3Expirations                      uint64 // §6.3.3
	ProbesResent                       uint64 // zero window probes resent when the peer's window opened (§6.1 A)
	SACKsSent, SACKsReceived           uint64

	MessagesSent     uint64 // messages accepted by Send and StreamConn writes
	MessagesReceived uint64 // messages handed to Receive and StreamConn reads
	EventsDropped    uint64 // events lost because Events was not read

	SendBuffered          int    // bytes queued or unacknowledged
	OutStreams, InStreams uint16 // negotiated (§5.1.1)

	Paths []PathStats // one per peer address, in the order of RemoteAddrs
}

// PathState is the state of a peer address (RFC 9260 §5.4, §8.2).
type PathState int

// Path states.
const (
	// PathUnconfirmed: the address has not yet answered a heartbeat
	// (§5.4); no data goes to it.
	PathUnconfirmed PathState = iota
	// PathActive: confirmed and reachable.
	PathActive
	// PathInactive: its error count passed Path.Max.Retrans (§8.2).
	PathInactive
	// PathPotentiallyFailed: with SCTP-PF on, its error count passed
	// PFMaxRetrans (RFC 7829): it carries no data while another address
	// is active, and is probed once per RTO.
	PathPotentiallyFailed
)

// String returns the state's name.
func (s PathState) String() string {
	switch s {
	case PathUnconfirmed:
		return "unconfirmed"
	case PathActive:
		return "active"
	case PathInactive:
		return "inactive"
	case PathPotentiallyFailed:
		return "potentially failed"
	}
	return "PathState(" + strconv.Itoa(int(s)) + ")"
}

// PathStats is a snapshot of one peer address: its timers (§6.3.1), its
// congestion control (§7.2) and its traffic.
type PathStats struct {
	Remote    netip.AddrPort
	State     PathState
	Reachable bool
	MTU       int

	SRTT, RTTVar, RTO time.Duration
	RTTSamples        uint64

	Cwnd, Ssthresh int
	ErrorCount     int

	// Packets written to the address and packets from it routed to the
	// association; bytes of whole SCTP packets, common header included;
	// the DATA chunks among them.
	PacketsSent, BytesSent, DataChunksSent             uint64
	PacketsReceived, BytesReceived, DataChunksReceived uint64

	// HEARTBEAT chunks sent to the address and HEARTBEAT ACKs received
	// from it (§8.3).
	HeartbeatsSent, HeartbeatsAcked uint64

	// Retransmissions are the DATA chunks the engine sent again to the
	// address; FastRetransmits and T3Expirations its loss recoveries
	// (§7.2.4, §6.3.3).
	Retransmissions                uint64
	FastRetransmits, T3Expirations uint64
}

// EndpointStats counts what an endpoint handled.
type EndpointStats struct {
	Associations int // associations held now

	// WriteErrors counts batches the lower layer refused in part.
	WriteErrors uint64

	// What arrived for no association (RFC 9260 §8.4, §5.1.3).
	BadChecksum, Malformed, OutOfTheBlue, InitsAnswered uint64
	CookiesAccepted, CookiesStale, CookiesBad           uint64
	RefusedFull                                         uint64 // COOKIE ECHO beyond MaxAssociations
}

// pathIO counts the packets the runtime moved to and from one peer
// address.
type pathIO struct {
	addr                          netip.Addr
	txPackets, txBytes, txData    uint64
	rxPackets, rxBytes, rxData    uint64
	txHeartbeats, rxHeartbeatAcks uint64
}

// countChunks counts the DATA and heartbeat chunks of a packet. The
// packet was built by the engine or accepted by it; a malformed one
// simply ends the count.
func countChunks(b []byte) (data, hb, hbAck uint64) {
	it := wire.Packet(b).Chunks()
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		switch c.Type() {
		case wire.ChunkData:
			data++
		case wire.ChunkHeartbeat:
			hb++
		case wire.ChunkHeartbeatAck:
			hbAck++
		}
	}
	return
}

// maxIOPaths bounds the per-address counters of an association.
const maxIOPaths = 16

// pathCounters returns the counters of peer address addr, nil when
// maxIOPaths addresses are counted already.
func (a *Association) pathCounters(addr netip.Addr) *pathIO {
	for i := range a.io {
		if a.io[i].addr == addr {
			return &a.io[i]
		}
	}
	if len(a.io) >= maxIOPaths {
		return nil
	}
	a.io = append(a.io, pathIO{addr: addr})
	return &a.io[len(a.io)-1]
}

// countRx adds a packet from src to the association's counters.
func (a *Association) countRx(src netip.Addr, b []byte) {
	if c := a.pathCounters(src); c != nil {
		data, _, acks := countChunks(b)
		c.rxPackets++
		c.rxBytes += uint64(len(b))
		c.rxData += data
		c.rxHeartbeatAcks += acks
	}
}

// countTx adds the packets the loop writes for the association.
func (a *Association) countTx(pkts []lower.Packet) {
	for i := range pkts {
		if c := a.pathCounters(pkts[i].Dst.Addr()); c != nil {
			data, hb, _ := countChunks(pkts[i].Buf)
			c.txPackets++
			c.txBytes += uint64(len(pkts[i].Buf))
			c.txData += data
			c.txHeartbeats += hb
		}
	}
}

// snapshot reads the engine's counters; it runs in a step of the loop.
func (a *Association) snapshot() Stats {
	es := a.eng.Stats()
	out, in := a.eng.Streams()
	s := Stats{
		PacketsSent: es.PacketsSent, PacketsReceived: es.PacketsReceived,
		DataChunksSent: es.DataChunksSent, DataChunksReceived: es.DataChunksRecv,
		BytesSent: es.BytesSent, BytesReceived: es.BytesReceived,
		Retransmissions: es.Retransmissions, FastRetransmits: es.FastRetransmits,
		T3Expirations: es.T3Expirations, ProbesResent: es.ProbesResent,
		SACKsSent: es.SacksSent, SACKsReceived: es.SacksReceived,
		MessagesSent:     a.msgsSent.Load(),
		MessagesReceived: a.msgsRecv.Load(),
		EventsDropped:    a.eventsDropped.Load(),
		SendBuffered:     a.eng.SendBuffered(),
		OutStreams:       out, InStreams: in,
	}
	remotes := a.eng.Paths()
	for i, p := range a.eng.PathStats() {
		if i < len(remotes) {
			s.Paths = append(s.Paths, fromPathStats(remotes[i], p, a.io))
		}
	}
	return s
}

func fromPathStats(remote netip.AddrPort, p path.Stats, io []pathIO) PathStats {
	ps := PathStats{
		Remote: remote, Reachable: p.Reachable, MTU: p.MTU,
		SRTT: p.SRTT, RTTVar: p.RTTVar, RTO: p.RTO, RTTSamples: p.RTTSamples,
		Cwnd: p.Cwnd, Ssthresh: p.Ssthresh, ErrorCount: p.ErrorCount,
		Retransmissions: p.Retransmissions,
		FastRetransmits: p.FastRetransmits, T3Expirations: p.T3Expiries,
	}
	ps.State = fromPathState(p.State)
	for _, c := range io {
		if c.addr == remote.Addr() {
			ps.PacketsSent, ps.BytesSent, ps.DataChunksSent = c.txPackets, c.txBytes, c.txData
			ps.PacketsReceived, ps.BytesReceived, ps.DataChunksReceived = c.rxPackets, c.rxBytes, c.rxData
			ps.HeartbeatsSent, ps.HeartbeatsAcked = c.txHeartbeats, c.rxHeartbeatAcks
		}
	}
	return ps
}

func fromEndpointStats(s assoc.EndpointStats) EndpointStats {
	return EndpointStats{
		BadChecksum: s.BadChecksum, Malformed: s.Malformed, OutOfTheBlue: s.OutOfTheBlue,
		InitsAnswered: s.InitsAnswered, CookiesAccepted: s.CookiesAccepted,
		CookiesStale: s.CookiesStale, CookiesBad: s.CookiesBad, RefusedFull: s.RefusedFull,
	}
}

func fromPathState(s path.State) PathState {
	switch s {
	case path.Active:
		return PathActive
	case path.Inactive:
		return PathInactive
	case path.PotentiallyFailed:
		return PathPotentiallyFailed
	}
	return PathUnconfirmed
}
