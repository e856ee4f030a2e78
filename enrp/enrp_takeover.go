package enrp

import (
	"net/netip"
	"time"

	"github.com/rserpool/rserpool/asap/handlespace"
	"github.com/rserpool/rserpool/asap/msg"
)

// This file is the takeover of a dead peer (RFC 5353 §3.5): the
// arbitration among the registrars that noticed, and the adoption of
// the dead peer's PEs by the one that won.
//
// Arbitration: when two registrars start a takeover of the same target,
// the one with the lowest server identifier wins; the other withdraws
// and acknowledges. RFC 5353 §3.5.1 rule 2A, read to the letter, makes
// the receiver with the smaller identifier withdraw, so that the highest
// would win; either order elects exactly one as long as every registrar
// applies the same, and this one follows the lowest-wins convention
// RSerPool deployments use.

// startTakeover presumes p dead and starts the arbitration (§3.5.1):
// ENRP_INIT_TAKEOVER to every peer, the target included, which gets it
// on a new association if its own is gone: a target that lives answers
// with a PRESENCE, and that stops the takeover.
func (r *Registrar) startTakeover(p *peer, now time.Time) {
	if r.enrp.peers[p.id] != p {
		return
	}
	r.log.Warn("peer presumed dead; starting takeover", "peer", p.id.String(), "silent", now.Sub(p.heard))
	p.status = peerTakingOver
	p.acks = make(map[msg.ServerID]bool)
	p.since = p.heard
	p.initAt = now
	p.deadline = now.Add(r.cfg.MaxTimeNoResponse)
	r.stats.TakeoversStarted++
	r.broadcast(&msg.InitTakeover{Servers: msg.Servers{Sender: r.id}, Target: p.id})
	r.sendPeer(p, &msg.InitTakeover{Servers: msg.Servers{Sender: r.id, Receiver: p.id}, Target: p.id})
	r.arbitrate(p, now)
}

// arbitrate completes the takeover once every peer but the target has
// acknowledged and the target has had MaxTimeNoResponse to object;
// until then INIT_TAKEOVER goes again every MaxTimeNoResponse to those
// that have not acknowledged, and to the target. A peer that dies
// meanwhile stops being waited for once it is presumed dead itself.
//
// The wait for the target is not in §3.5.1, which completes on the
// last acknowledgement: peers that never heard of the target
// acknowledge at once, and a target that lives would lose its PEs to a
// race between their acknowledgements and its PRESENCE.
func (r *Registrar) arbitrate(p *peer, now time.Time) {
	resend := !now.Before(p.deadline)
	done := !now.Before(p.initAt.Add(r.cfg.MaxTimeNoResponse))
	for _, q := range r.enrp.peers {
		if q == p || (q.status != peerActive && q.status != peerProbing) || p.acks[q.id] {
			continue
		}
		done = false
		if resend {
			r.sendPeer(q, &msg.InitTakeover{Servers: msg.Servers{Sender: r.id, Receiver: q.id}, Target: p.id})
		}
	}
	if done {
		r.completeTakeover(p, now)
		return
	}
	if resend {
		r.sendPeer(p, &msg.InitTakeover{Servers: msg.Servers{Sender: r.id, Receiver: p.id}, Target: p.id})
		p.deadline = now.Add(r.cfg.MaxTimeNoResponse)
	}
}

// arbitrateAll re-checks every takeover under way: a peer that stopped
// counting may have been the last one waited for.
func (r *Registrar) arbitrateAll(now time.Time) {
	for _, p := range r.enrp.peers {
		if p.status == peerTakingOver {
			r.arbitrate(p, now)
		}
	}
}

// completeTakeover is §3.5.2: ENRP_TAKEOVER_SERVER to the active peers,
// the target out of the peer list, and its PEs adopted: this registrar
// becomes their home and sends each an ASAP_ENDPOINT_KEEP_ALIVE with
// the H flag, over an association its ASAP endpoint starts to the PE's
// ASAP transport.
func (r *Registrar) completeTakeover(p *peer, now time.Time) {
	r.broadcast(&msg.TakeoverServer{Servers: msg.Servers{Sender: r.id}, Target: p.id})
	r.dropPeer(p)
	n := r.adopt(p.id, now)
	r.stats.Takeovers++
	r.enrp.lastTakeover = TakeoverInfo{Target: p.id, PEs: n, At: now, Duration: now.Sub(p.since)}
	r.log.Warn("took over a dead peer", "peer", p.id.String(), "pes", n, "after", now.Sub(p.since))
	r.arbitrateAll(now)
}

// dropPeer removes p from the peer list.
func (r *Registrar) dropPeer(p *peer) {
	if r.enrp.peers[p.id] == p {
		delete(r.enrp.peers, p.id)
	}
	delete(r.enrp.sessions, p)
	p.table = nil
}

// adopt makes this registrar the home of every PE of target and queues
// the associations to reach them. The adopted registration lasts what
// its lifetime says from now, as if it had registered here.
func (r *Registrar) adopt(target msg.ServerID, now time.Time) int {
	var list []*handlespace.Element
	for e := range r.hs.Owned(target, handlespace.Cursor{}) {
		list = append(list, e)
	}
	for _, e := range list {
		pe := e.Param()
		pe.HomeServer = r.id
		life, _, _, ok := r.lifetime(pe.RegistrationLife)
		if !ok {
			life = r.cfg.MaxRegistrationLife
		}
		e2, _, err := r.hs.Register([]byte(e.Handle()), &pe, now.Add(life))
		if err != nil {
			r.log.Warn("cannot adopt a pool element", "pool", e.Handle(), "pe", e.ID().String(), "err", err)
			r.hs.Deregister([]byte(e.Handle()), e.ID())
			continue
		}
		s := &peState{e: e2, idx: -1}
		r.owned[e2] = s
		at := e2.Param().ASAPTransport
		if at.Kind != msg.ParamSCTPTransport || at.Addrs.Count() == 0 {
			r.removeOwned(s, "adopted without an ASAP transport to reach it")
			continue
		}
		key := transportKey(&at)
		if _, ok := r.enrp.adopting[key]; !ok {
			var addrs []netip.AddrPort
			it := at.Addrs.Iter()
			for a, ok := it.Next(); ok && len(addrs) < 8; a, ok = it.Next() {
				addrs = append(addrs, netip.AddrPortFrom(a, r.cfg.PELowerPort))
			}
			r.enrp.dials = append(r.enrp.dials, peDial{key: key, addrs: addrs, port: at.Port})
		}
		r.enrp.adopting[key] = append(r.enrp.adopting[key], s)
	}
	kick(r.peDialKick)
	kick(r.asapKick)
	return len(list)
}

// initTakeover answers a peer's ENRP_INIT_TAKEOVER (§3.5.1 rules 1-3).
func (r *Registrar) initTakeover(from *peer, m *msg.InitTakeover, now time.Time) {
	if m.Target == r.id {
		// Rule 1: not dead; a PRESENCE to all stops the takeover.
		r.log.Warn("a peer takes this registrar for dead; announcing presence", "peer", from.id.String())
		for _, q := range r.enrp.peers {
			r.sendPeer(q, r.presenceMsg(q.id, false))
		}
		return
	}
	ack := &msg.InitTakeoverAck{Servers: msg.Servers{Sender: r.id, Receiver: from.id}, Target: m.Target}
	t := r.enrp.peers[m.Target]
	if t == nil {
		r.sendPeer(from, ack) // nothing known of it: no objection
		return
	}
	if t.status == peerTakingOver && r.id < from.id {
		return // rule 2B: this registrar's own attempt wins
	}
	if (t.status == peerActive || t.status == peerProbing) && now.Sub(t.heard) < r.cfg.MaxTimeLastHeard {
		// Not in §3.5.1: this registrar heard the target within
		// MaxTimeLastHeard, so it is not dead by §3.4.3's measure, and
		// the initiator may only have lost its way to it. No
		// acknowledgement: the initiator waits, and asks again, until
		// the target's silence is long enough here too or the target's
		// PRESENCE reaches it.
		r.stats.TakeoversRefused++
		r.log.Info("takeover of a peer heard lately not acknowledged", "target", t.id.String(), "by", from.id.String(), "heard", now.Sub(t.heard))
		return
	}
	// Rules 2A and 3: withdraw, stop watching the target, acknowledge.
	t.status = peerInactive
	t.acks = nil
	t.deadline = now.Add(r.cfg.MaxTimeLastHeard + r.cfg.MaxTimeNoResponse)
	r.sendPeer(from, ack)
	r.arbitrateAll(now)
}

// initTakeoverAck counts a peer's agreement (§3.5.1).
func (r *Registrar) initTakeoverAck(from *peer, m *msg.InitTakeoverAck, now time.Time) {
	t := r.enrp.peers[m.Target]
	if t == nil || t.status != peerTakingOver {
		return
	}
	t.acks[from.id] = true
	r.arbitrate(t, now)
}

// takeoverServer applies a peer's ENRP_TAKEOVER_SERVER (§3.5.2): the
// target leaves the peer list and its PEs have the sender for home.
func (r *Registrar) takeoverServer(from *peer, m *msg.TakeoverServer, now time.Time) {
	if m.Target == r.id {
		r.log.Warn("a peer took this registrar over", "peer", from.id.String())
		return
	}
	if t := r.enrp.peers[m.Target]; t != nil {
		r.dropPeer(t)
	}
	var list []*handlespace.Element
	for e := range r.hs.Owned(m.Target, handlespace.Cursor{}) {
		list = append(list, e)
	}
	for _, e := range list {
		pe := e.Param()
		pe.HomeServer = from.id
		r.hs.Register([]byte(e.Handle()), &pe, e.Expires())
	}
	r.log.Info("peer taken over by another", "target", m.Target.String(), "by", from.id.String(), "pes", len(list))
	r.arbitrateAll(now)
}
