package enrp

import (
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

// This file keeps the peer list alive (RFC 5353 §3.4): heartbeats,
// the silence that makes a peer suspect, and the audit of each peer's
// PE checksum that the heartbeats carry (§3.6.1).

// presenceMsg is this registrar's ENRP_PRESENCE: its PE checksum, which
// §3.6.1 step 2 requires in every one, and its Server Information, which
// §2.1 requires in a reply and which is always sent so that every peer
// learns where to reach it.
func (r *Registrar) presenceMsg(to msg.ServerID, reply bool) *msg.Presence {
	return &msg.Presence{
		ReplyRequired: reply,
		Servers:       msg.Servers{Sender: r.id, Receiver: to},
		Checksum:      r.hs.Checksum(r.id),
		ServerInfo:    r.ownInfo(),
	}
}

// presence handles ENRP_PRESENCE: the peer's Server Information, a reply
// when one is asked for (§2.1), and the audit (§3.6.1 steps 3-5): a
// checksum that differs from the one this registrar computes over the
// peer's PEs starts a re-synchronization with the peer (§3.6.3).
func (r *Registrar) presence(p *peer, c *conn, m *msg.Presence, now time.Time) {
	if !m.ServerInfo.IsZero() && m.ServerInfo.ServerID == p.id && m.ServerInfo.Transport.Addrs.Count() > 0 {
		p.addrs = r.lowerAddrs(&m.ServerInfo.Transport)
		p.port = m.ServerInfo.Transport.Port
		if r.enrp.mentor.phase != initDone && !r.cfg.DisableENRPMulticast {
			// A registrar that heard this one's presence on the group
			// probes it (§3.4.1): a mentor sooner than its next presence.
			r.mentorCandidate(&m.ServerInfo, now)
		}
	}
	if m.ReplyRequired {
		r.sendConn(c, r.presenceMsg(p.id, false))
	}
	// While initializing, the mentor's download brings every PE; a
	// re-synchronization beside it would mix its pieces with the
	// download's.
	if m.NoChecksum || p.table != nil || !r.ready() {
		return
	}
	if mine := r.hs.Checksum(p.id); mine != m.Checksum {
		r.stats.AuditMismatches++
		r.log.Info("PE checksum mismatch; re-synchronizing", "peer", p.id.String(),
			"theirs", m.Checksum, "ours", mine, "owned", r.hs.OwnedCount(p.id))
		r.resync(p, c, now)
	}
}

// heartbeat sends the periodic ENRP_PRESENCE (§3.4.2) to every peer,
// and one asking for a reply to each static peer not yet in the peer
// list, so that registrars started apart find each other.
func (r *Registrar) heartbeat(now time.Time) {
	for _, p := range r.enrp.peers {
		if p.status == peerActive {
			r.sendPeer(p, r.presenceMsg(p.id, false))
		}
	}
	for _, s := range r.enrp.seeds {
		if !r.seedKnown(s) {
			r.sendSeed(s, r.presenceMsg(0, true))
		}
	}
}

// seedKnown reports whether a static peer is in the peer list: one of
// its addresses is a peer's.
func (r *Registrar) seedKnown(s *seed) bool {
	if s.c != nil && s.c.from != nil && r.enrp.peers[s.c.from.id] == s.c.from {
		return true
	}
	for _, p := range r.enrp.peers {
		if p.port != s.port {
			continue
		}
		for _, a := range p.addrs {
			for _, b := range s.addrs {
				if a.Addr() == b.Addr() {
					return true
				}
			}
		}
	}
	return false
}

// watch applies §3.4.3 to one peer: silent for MaxTimeLastHeard, it gets
// a PRESENCE asking for a reply; no reply within MaxTimeNoResponse, or
// no way to send, and it is taken for dead.
func (r *Registrar) watch(p *peer, now time.Time) {
	switch p.status {
	case peerActive:
		if now.Sub(p.heard) < r.cfg.MaxTimeLastHeard {
			return
		}
		p.status = peerProbing
		p.deadline = now.Add(r.cfg.MaxTimeNoResponse)
		r.log.Info("peer silent; probing", "peer", p.id.String(), "silent", now.Sub(p.heard))
		if !r.sendPeer(p, r.presenceMsg(p.id, true)) {
			r.startTakeover(p, now)
		}
	case peerProbing:
		if !now.Before(p.deadline) {
			r.startTakeover(p, now)
		}
	case peerTakingOver:
		if !now.Before(p.deadline) {
			r.arbitrate(p, now)
		}
	case peerInactive:
		if !now.Before(p.deadline) {
			// The registrar that won the arbitration did not finish it:
			// it may have died too. Somebody has to adopt the PEs.
			r.log.Info("takeover by another registrar not completed; taking over", "peer", p.id.String())
			r.startTakeover(p, now)
		}
	}
}

// peerDeadline is the next time watch has something to do for p.
func (r *Registrar) peerDeadline(p *peer) time.Time {
	if p.status == peerActive {
		return p.heard.Add(r.cfg.MaxTimeLastHeard)
	}
	return p.deadline
}

// nextENRPDeadline is the earliest of the ENRP timers.
func (r *Registrar) nextENRPDeadline() time.Time {
	next := r.enrp.beat
	early := func(t time.Time) {
		if t.Before(next) {
			next = t
		}
	}
	if r.enrp.mentor.phase != initDone && r.enrp.mentor.phase != initDownloading {
		early(r.enrp.mentor.deadline)
	}
	for _, p := range r.enrp.peers {
		early(r.peerDeadline(p))
		if p.table != nil {
			early(p.table.deadline)
		}
	}
	for _, s := range r.enrp.sessions {
		early(s.expires)
	}
	return r.associationDeadline(next)
}

// tickENRP runs the ENRP timers that are due.
func (r *Registrar) tickENRP(now time.Time) {
	r.expireAssociations(now)
	r.mentorTick(now)
	for _, p := range r.enrp.peers {
		if p.table != nil && !now.Before(p.table.deadline) {
			r.tableTimeout(p, now)
		}
	}
	for p, s := range r.enrp.sessions {
		if !now.Before(s.expires) {
			// §3.2.3: the mentor "SHOULD abort the session" its peer did
			// not continue.
			delete(r.enrp.sessions, p)
		}
	}
	for _, p := range r.enrp.peers {
		r.watch(p, now)
	}
	if !now.Before(r.enrp.beat) {
		r.heartbeat(now)
		r.enrp.beat = now.Add(r.cfg.PeerHeartbeatCycle)
	}
}
