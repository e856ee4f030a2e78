package enrp

import (
	"net/netip"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

// This file is the server initialization of RFC 5353 §3.2: the mentor,
// the server list it gives (§3.2.2.2), and the start of the handlespace
// download (§3.2.3, whose pieces enrp_table.go handles).

// mentorPhase is where the initialization stands.
type mentorPhase uint8

const (
	initDone        mentorPhase = iota // serving ENRP (or alone in the scope)
	initListing                        // ENRP_LIST_REQUEST sent to the mentor
	initDownloading                    // the handlespace comes from the mentor
	initWaiting                        // every mentor refused or was silent: waiting to try again
)

// mentorState tracks the initialization.
type mentorState struct {
	phase    mentorPhase
	idx      int // the static peer tried as mentor
	rounds   int // times the whole list was tried
	deadline time.Time
	started  time.Time
	from     *peer // initDownloading: the mentor
}

// startENRP begins the initialization (§3.2.2.1: without a static peer
// "the initiating server MUST assume that it is alone ... and start
// offering ENRP services") and the heartbeats.
func (r *Registrar) startENRP(now time.Time) {
	m := &r.enrp.mentor
	m.started = now
	r.enrp.beat = now
	if m.phase == initDone && r.stats.InitCompleted {
		return // a later ServeENRP keeps the handlespace it has
	}
	if len(r.enrp.seeds) == 0 {
		if r.cfg.DisableENRPMulticast {
			r.initComplete(now)
			return
		}
		// A mentor may yet be heard on the multicast group
		// (mentorCandidate); the wait is one heartbeat cycle, in which
		// every registrar of the scope sends its presence there.
		m.idx, m.rounds = 0, 0
		m.phase = initWaiting
		m.deadline = now.Add(r.cfg.PeerHeartbeatCycle)
		return
	}
	m.idx, m.rounds = 0, 0
	r.tryMentor(now)
}

// Ready is closed once the ENRP server initialization (RFC 5353 §3.2)
// has completed: the mentor's handlespace is in, or there was no mentor
// to ask.
func (r *Registrar) Ready() <-chan struct{} { return r.enrpReady }

// ready reports whether the initialization is over: until then the
// registrar refuses to give out its server list and handlespace
// (§3.2.2.2, §3.2.3), which are not complete.
func (r *Registrar) ready() bool { return r.enrp.mentor.phase == initDone }

// tryMentor asks the current static peer for the server list.
func (r *Registrar) tryMentor(now time.Time) {
	m := &r.enrp.mentor
	s := r.enrp.seeds[m.idx]
	m.phase = initListing
	// The dial and the answer each have MaxTimeNoResponse.
	m.deadline = now.Add(2 * r.cfg.MaxTimeNoResponse)
	r.log.Debug("asking a mentor for the server list", "mentor", s.addrs)
	if !r.sendSeed(s, &msg.ListRequest{Servers: msg.Servers{Sender: r.id}}) {
		r.mentorFailed(now)
	}
}

// mentorFailed moves to the next static peer (§3.2.2.2: "send a new
// server list request to a backup mentor peer"); after the whole list,
// waits MentorRetryDelay; after MentorRounds lists, starts alone.
func (r *Registrar) mentorFailed(now time.Time) {
	m := &r.enrp.mentor
	m.from = nil
	m.idx++
	if m.idx < len(r.enrp.seeds) {
		r.tryMentor(now)
		return
	}
	m.idx = 0
	m.rounds++
	if m.rounds >= r.cfg.MentorRounds {
		r.log.Warn("no mentor answered; starting alone", "rounds", m.rounds)
		r.initComplete(now)
		return
	}
	m.phase = initWaiting
	m.deadline = now.Add(r.cfg.MentorRetryDelay)
}

// mentorUnreachable: the dial to a static peer failed.
func (r *Registrar) mentorUnreachable(s *seed, now time.Time) {
	m := &r.enrp.mentor
	if m.phase == initListing && r.enrp.seeds[m.idx] == s {
		r.mentorFailed(now)
	}
}

// mentorConnDown: the association to the mentor ended mid-way.
func (r *Registrar) mentorConnDown(c *conn, now time.Time) {
	m := &r.enrp.mentor
	switch {
	case m.phase == initListing && c.seed == r.enrp.seeds[m.idx]:
		r.mentorFailed(now)
	case m.phase == initDownloading && m.from != nil && c.from == m.from:
		m.from.table = nil
		r.mentorFailed(now)
	}
}

// mentorTick handles the initialization's deadline.
func (r *Registrar) mentorTick(now time.Time) {
	m := &r.enrp.mentor
	if now.Before(m.deadline) {
		return
	}
	switch m.phase {
	case initListing:
		r.log.Debug("mentor did not answer the list request", "mentor", r.enrp.seeds[m.idx].addrs)
		r.mentorFailed(now)
	case initWaiting:
		if len(r.enrp.seeds) == 0 {
			r.log.Info("no mentor heard on the multicast group; starting alone")
			r.initComplete(now)
			return
		}
		r.tryMentor(now)
	}
}

// initComplete ends the initialization (§3.2.3 step 5) and announces
// the registrar to everyone it knows.
func (r *Registrar) initComplete(now time.Time) {
	m := &r.enrp.mentor
	m.phase = initDone
	m.from = nil
	r.dropLearnedSeeds()
	if !r.stats.InitCompleted {
		close(r.enrpReady)
	}
	r.stats.InitCompleted = true
	r.log.Info("ENRP initialization complete", "peers", len(r.enrp.peers), "pool_elements", r.hs.Len(), "took", now.Sub(m.started))
	r.enrp.beat = now
}

// listRequest answers ENRP_LIST_REQUEST (§3.2.2.2) with every peer whose
// transport is known, and this registrar's own Server Information; a
// registrar still initializing refuses.
func (r *Registrar) listRequest(p *peer, c *conn) {
	resp := msg.ListResponse{Servers: msg.Servers{Sender: r.id, Receiver: p.id}}
	if !r.ready() {
		resp.Reject = true
		r.sendConn(c, &resp)
		return
	}
	infos := []msg.ServerInformation{r.ownInfo()}
	for _, q := range r.enrp.peers {
		if q == p || len(q.addrs) == 0 || (q.status != peerActive && q.status != peerProbing) {
			continue
		}
		var addrs []netip.Addr
		for _, a := range q.addrs {
			addrs = append(addrs, a.Addr())
		}
		infos = append(infos, msg.ServerInformation{ServerID: q.id,
			Transport: msg.Transport{Kind: msg.ParamSCTPTransport, Port: q.port, Use: msg.DataOnly, Addrs: msg.MakeAddrs(addrs...)}})
	}
	resp.Peers = msg.MakeServerInfos(infos...)
	r.sendConn(c, &resp)
}

// listResponse takes the mentor's server list (§3.2.2.2: "use the server
// information carried in the message to initialize its own peer list"),
// probes each new peer (§3.4.1), and asks the mentor for the handlespace
// (§3.2.3 step 1).
func (r *Registrar) listResponse(p *peer, c *conn, m *msg.ListResponse, now time.Time) {
	ms := &r.enrp.mentor
	// The answer comes on the association dialed for the mentor, or on
	// the one the mentor had started to this registrar (dialRaced).
	if ms.phase != initListing || (c.seed != r.enrp.seeds[ms.idx] && c != r.enrp.seeds[ms.idx].c) {
		r.stats.Discarded++
		return
	}
	if m.Reject {
		r.log.Debug("mentor refused the list request", "mentor", p.id.String())
		r.mentorFailed(now)
		return
	}
	it := m.Peers.Iter()
	var si msg.ServerInformation
	for it.Next(&si) {
		r.learnPeer(&si, now)
	}
	ms.phase = initDownloading
	ms.from = p
	p.table = &tableRequest{init: true, deadline: now.Add(r.cfg.MaxTimeNoResponse)}
	r.sendConn(c, &msg.HandleTableRequest{Servers: msg.Servers{Sender: r.id, Receiver: p.id}})
}

// learnPeer adds or updates a peer from its Server Information.
func (r *Registrar) learnPeer(si *msg.ServerInformation, now time.Time) *peer {
	if si.ServerID == 0 || si.ServerID == r.id {
		return nil
	}
	p := r.enrp.peers[si.ServerID]
	if p == nil {
		if len(r.enrp.peers) >= r.cfg.MaxPeers {
			return nil
		}
		p = &peer{id: si.ServerID, status: peerActive, heard: now}
		r.enrp.peers[p.id] = p
		r.log.Info("new peer from the server list", "peer", p.id.String())
		defer func() { r.sendPeer(p, r.presenceMsg(p.id, true)) }()
	}
	if si.Transport.Kind == msg.ParamSCTPTransport && si.Transport.Addrs.Count() > 0 {
		p.addrs = r.lowerAddrs(&si.Transport)
		p.port = si.Transport.Port
	}
	return p
}
