package path

import (
	"net/netip"
	"time"
)

// commonHeaderLen is the SCTP common header (RFC 9260 §3.1), the part of
// the PMTU no DATA chunk can use.
const commonHeaderLen = 12

// Path is the state of one destination transport address of the peer.
// The association owns it and calls its methods from its own goroutine;
// a Path is not safe for concurrent use.
type Path struct {
	// Remote is the peer's address. Over UDP encapsulation its port is
	// the peer's UDP port (RFC 6951 §5.1); over raw IP it is zero.
	Remote netip.AddrPort
	// Local is the source address packets to Remote are sent from; zero
	// lets the lower layer choose. A change of it is a change of route
	// (§7.2.5.2): call ResetCongestion.
	Local netip.AddrPort

	// Counters are kept by the association (packets, bytes,
	// retransmissions and heartbeats on this path) and reported by
	// Stats.
	Counters Counters

	params Params
	ipv4   bool // initial cwnd constant of §7.2.1

	mtu      int // PMTU from the lower layer
	overhead int // bytes of other chunks every DATA packet carries
	pmdcs    int

	// §6.3.1
	rto      time.Duration
	srtt     time.Duration
	rttvar   time.Duration
	measured bool // C1/C2: a first sample has been taken

	// §7.2
	cwnd     int
	ssthresh int
	pba      int
	burstCap int // §6.1 D: temporary cwnd for one burst; 0: none

	lastSend     time.Time // last DATA sent (§7.2.1 idle)
	idleRef      time.Time // start of the RTO now being counted idle
	idleAdjusted bool      // ssthresh set for this idle period

	// §8.2, §5.4
	errors    int
	confirmed bool
	reachable bool

	hbDisabled bool
	hbInterval time.Duration

	rttSamples      uint64
	t3Expiries      uint64
	fastRetransmits uint64
}

// Counters are statistics the association updates as it uses the path.
type Counters struct {
	PacketsSent     uint64 // SCTP packets sent to the address
	BytesSent       uint64 // their bytes, common header included
	Retransmissions uint64 // DATA chunks sent again to the address
	HeartbeatsSent  uint64
	HeartbeatsAcked uint64
}

// Stats is a snapshot of a path.
type Stats struct {
	State     State
	Reachable bool
	MTU       int
	PMDCS     int

	SRTT   time.Duration
	RTTVar time.Duration
	RTO    time.Duration

	Cwnd              int
	Ssthresh          int
	PartialBytesAcked int

	ErrorCount int

	RTTSamples      uint64 // samples taken by RTTSample
	T3Expiries      uint64 // calls of OnT3Expiry
	FastRetransmits uint64 // calls of OnFastRetransmit

	Counters
}

// New returns the state of a new destination address. mtu is the PMTU
// the lower layer gives for it (the largest SCTP packet, common header
// included); p holds the protocol parameters (nil: Defaults()), and is
// copied. confirmed says whether the address needs no probing (§5.4
// rules 1 and 2); a new path is reachable, and RTO is 'RTO.Initial' (C1).
func New(remote netip.AddrPort, mtu int, p *Params, confirmed bool) *Path {
	path := &Path{
		Remote:    remote,
		params:    p.WithDefaults(),
		ipv4:      remote.Addr().Unmap().Is4(),
		confirmed: confirmed,
		reachable: true,
	}
	path.hbDisabled = path.params.HBDisabled
	path.hbInterval = path.params.HBInterval
	path.rto = path.params.RTOInitial
	path.setMTU(mtu)
	path.ResetCongestion()
	return path
}

// MTU returns the path's PMTU.
func (p *Path) MTU() int { return p.mtu }

// SetMTU records a new PMTU from the lower layer or from PMTU discovery
// (§7.3), kept within [MinMTU, MaxMTU]. cwnd and ssthresh are left as
// they are: they count bytes, not packets.
func (p *Path) SetMTU(mtu int) { p.setMTU(mtu) }

func (p *Path) setMTU(mtu int) {
	p.mtu = min(max(mtu, MinMTU), MaxMTU)
	p.updatePMDCS()
}

// PMDCS returns the Path Maximum DATA Chunk Size (§1.3): the largest DATA
// chunk, header included, that fits with its padding in one packet of the
// PMTU. The congestion rules of §6.1 and §7.2 count in it.
func (p *Path) PMDCS() int { return p.pmdcs }

// SetChunkOverhead records the bytes of other chunks that every packet
// carrying DATA chunks must hold too, such as an AUTH chunk when DATA is
// authenticated (RFC 4895 §6.2); they are not available to DATA and so
// lower the PMDCS. It is kept between zero and what leaves a PMDCS of at
// least a quarter of the PMTU.
func (p *Path) SetChunkOverhead(n int) {
	p.overhead = max(n, 0)
	p.updatePMDCS()
}

func (p *Path) updatePMDCS() {
	room := p.mtu - commonHeaderLen
	over := min(p.overhead, room-p.mtu/4)
	// Each chunk is padded to 4 bytes (§3.2), so a DATA chunk of
	// length L takes L rounded up to 4.
	p.pmdcs = (room - over) &^ 3
}

// Confirmed reports whether the address has been confirmed (§5.4).
func (p *Path) Confirmed() bool { return p.confirmed }

// Reachable reports whether the error counter is within
// 'Path.Max.Retrans' (§8.2), whether or not the address is confirmed.
func (p *Path) Reachable() bool { return p.reachable }

// State returns the path's state: Unconfirmed until confirmed, then
// Inactive when not Reachable, PotentiallyFailed when SCTP-PF is on and
// the error counter exceeds PFMR, else Active.
func (p *Path) State() State {
	switch {
	case !p.confirmed:
		return Unconfirmed
	case !p.reachable:
		return Inactive
	case p.params.PF && p.errors > p.params.PFMaxRetrans:
		return PotentiallyFailed
	}
	return Active
}

// PF reports whether SCTP-PF is on for the address.
func (p *Path) PF() bool { return p.params.PF }

// Stats returns a snapshot of the path.
func (p *Path) Stats() Stats {
	return Stats{
		State:             p.State(),
		Reachable:         p.reachable,
		MTU:               p.mtu,
		PMDCS:             p.pmdcs,
		SRTT:              p.srtt,
		RTTVar:            p.rttvar,
		RTO:               p.rto,
		Cwnd:              p.cwnd,
		Ssthresh:          p.ssthresh,
		PartialBytesAcked: p.pba,
		ErrorCount:        p.errors,
		RTTSamples:        p.rttSamples,
		T3Expiries:        p.t3Expiries,
		FastRetransmits:   p.fastRetransmits,
		Counters:          p.Counters,
	}
}
