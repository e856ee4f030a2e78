package enrp

import (
	"net/netip"
	"time"

	"github.com/rserpool/rserpool/asap/handlespace"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// This file holds what the registrar keeps about other registrars: the
// peer list of RFC 5353 §3.4 and the static peers of §3.2.2.1.

// peerStatus is where a peer stands in failure detection and takeover
// (RFC 5353 §3.4.3, §3.5).
type peerStatus uint8

const (
	peerActive     peerStatus = iota // heard from within MaxTimeLastHeard
	peerProbing                      // silent: a PRESENCE asking for a reply is out (§3.4.3)
	peerTakingOver                   // presumed dead: this registrar arbitrates its takeover (§3.5.1)
	peerInactive                     // another registrar takes it over (§3.5.1 rules 2A, 3)
)

func (s peerStatus) String() string {
	switch s {
	case peerActive:
		return "active"
	case peerProbing:
		return "probing"
	case peerTakingOver:
		return "taking over"
	case peerInactive:
		return "inactive"
	}
	return "?"
}

// peer is one entry of the peer list (RFC 5353 §3.4).
type peer struct {
	id     msg.ServerID
	addrs  []netip.AddrPort // the lower layer's addresses of its ENRP endpoint; none while unknown
	port   uint16           // its ENRP SCTP port
	c      *conn            // the association messages to it go on; nil while none
	out    outbox
	status peerStatus
	heard  time.Time // peer_last_heard (§4.1)

	// deadline: peerProbing, the end of the wait for the reply;
	// peerTakingOver, when INIT_TAKEOVER goes again to the peers that
	// have not acknowledged; peerInactive, when this registrar takes the
	// peer over itself because nobody finished (the winner may have died).
	deadline time.Time
	acks     map[msg.ServerID]bool // peerTakingOver: who acknowledged
	since    time.Time             // peerTakingOver: when it was last heard
	initAt   time.Time             // peerTakingOver: when the arbitration started

	table *tableRequest // the handle table download from it under way, if any
}

// seed is a static peer (Config.Peers): an address known before the
// server identifier behind it.
type seed struct {
	addrs []netip.AddrPort
	port  uint16
	c     *conn
	out   outbox
	// learned: heard on the multicast group during the initialization,
	// a mentor to try; forgotten once the initialization is over.
	learned bool
}

// outbox holds the messages for a registrar while an association to it
// is being set up.
type outbox struct {
	dialing bool
	queue   [][]byte
	ask     bool // a request is among them (isRequest)
}

// tableRequest is a handle table download this registrar is receiving
// (RFC 5353 §3.2.3 from its mentor, §3.6.3 to re-synchronize a peer's
// PEs).
type tableRequest struct {
	own      bool // W: the peer's own PEs only (a re-synchronization)
	init     bool // the download of server initialization
	deadline time.Time
	marked   map[peKey]struct{} // own: PEs of the peer not yet listed (§3.6.3 step 1)
	got      int
}

// peKey names a pool element across handlespaces.
type peKey struct {
	handle string
	id     msg.PEID
}

// session is a download this registrar serves in pieces (RFC 5353
// §3.2.3 step 2: "MUST keep track of the progress").
type session struct {
	own     bool
	cursor  handlespace.Cursor
	expires time.Time
}

// enrpState is the ENRP side of the registrar, owned by the ENRP loop
// and the ASAP loop alike under Registrar.mu.
type enrpState struct {
	serving  bool
	ep       *sctp.Endpoint
	dial     func(p *peer, s *seed) // starts an association; nil while ServeENRP does not run
	peers    map[msg.ServerID]*peer
	seeds    []*seed
	conns    map[*conn]struct{}
	sessions map[*peer]*session
	mentor   mentorState
	beat     time.Time // next heartbeat

	// Adoption (RFC 5353 §3.5.2): the PEs waiting for an association,
	// by ASAP transport, and the dials the ASAP side is to start.
	adopting map[string][]*peState
	dials    []peDial

	lastTakeover TakeoverInfo
}

func (e *enrpState) init(cfg *Config) {
	e.peers = make(map[msg.ServerID]*peer)
	e.conns = make(map[*conn]struct{})
	e.sessions = make(map[*peer]*session)
	e.adopting = make(map[string][]*peState)
	for _, p := range cfg.Peers {
		lp := cfg.PeerLowerPort
		if lp == 0 {
			lp = p.Port()
		}
		e.seeds = append(e.seeds, &seed{addrs: []netip.AddrPort{netip.AddrPortFrom(p.Addr(), lp)}, port: p.Port()})
	}
}

// TakeoverInfo describes the last takeover this registrar won.
type TakeoverInfo struct {
	Target   msg.ServerID  `json:"target"`
	PEs      int           `json:"pes"`      // pool elements adopted
	At       time.Time     `json:"at"`       // when the takeover completed
	Duration time.Duration `json:"duration"` // from the peer's last word to the completion
}

// PeerInfo is one peer of the peer list, for dumps.
type PeerInfo struct {
	ID        msg.ServerID     `json:"id"`
	Status    string           `json:"status"`
	Addrs     []netip.AddrPort `json:"addrs,omitempty"`
	Port      uint16           `json:"port,omitempty"`
	LastHeard time.Time        `json:"last_heard"`
	Connected bool             `json:"connected"`
	Owned     int              `json:"owned"` // pool elements it is home for, in this registrar's handlespace
}

// Peers returns the peer list (RFC 5353 §3.4).
func (r *Registrar) Peers() []PeerInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.peerInfos()
}

func (r *Registrar) peerInfos() []PeerInfo {
	out := make([]PeerInfo, 0, len(r.enrp.peers))
	for _, p := range r.enrp.peers {
		out = append(out, PeerInfo{
			ID: p.id, Status: p.status.String(), Addrs: append([]netip.AddrPort(nil), p.addrs...), Port: p.port,
			LastHeard: p.heard, Connected: p.c != nil && p.c.alive, Owned: r.hs.OwnedCount(p.id),
		})
	}
	sortPeers(out)
	return out
}

func sortPeers(ps []PeerInfo) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].ID < ps[j-1].ID; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// LastTakeover returns the last takeover this registrar won; the zero
// value when none.
func (r *Registrar) LastTakeover() TakeoverInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.enrp.lastTakeover
}

// lowerAddrs turns the addresses of a Server Information into the lower
// layer's addresses of the peer (Config.PeerLowerPort).
func (r *Registrar) lowerAddrs(t *msg.Transport) []netip.AddrPort {
	lp := r.cfg.PeerLowerPort
	if lp == 0 {
		lp = t.Port
	}
	var out []netip.AddrPort
	it := t.Addrs.Iter()
	for a, ok := it.Next(); ok && len(out) < 8; a, ok = it.Next() {
		out = append(out, netip.AddrPortFrom(a, lp))
	}
	return out
}

// ownInfo is this registrar's Server Information (RFC 5354 §3.11): the
// ENRP endpoint's addresses and port.
func (r *Registrar) ownInfo() msg.ServerInformation {
	si := msg.ServerInformation{ServerID: r.id}
	if ep := r.enrp.ep; ep != nil {
		var addrs []netip.Addr
		for _, a := range ep.Addrs() {
			addrs = append(addrs, a.Addr())
		}
		si.Transport = msg.Transport{Kind: msg.ParamSCTPTransport, Port: ep.Port(), Use: msg.DataOnly, Addrs: msg.MakeAddrs(addrs...)}
	}
	return si
}
