package enrp

import (
	"net/netip"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

// This file keeps the ENRP associations honest: whose each one is, and
// whether it still carries the peer's answers.
//
// SCTP keeps one association between two endpoints. Two registrars
// that dial each other at the same moment meet in an INIT collision
// (RFC 9260 §5.2.1), and a registrar restarted on the address and port
// of one that died meets the old association (§5.2.4). Whatever SCTP
// makes of these, the registrar has to end with one association per
// peer that works both ways, or a live peer looks silent and is taken
// over. Three rules see to it:
//
//   - the sender of a message names the association's peer (bind);
//   - a dial refused because an association with the peer exists uses
//     that association (dialRaced);
//   - an association on which a request got no message at all within
//     MaxTimeNoResponse is aborted (expireAssociations), and the next
//     message dials a new one: the request may have been lost, or the
//     association may deliver one way only, and a new one costs a
//     handshake where a false takeover costs the peer's PEs.

// bind makes c the association of p, the sender of a message that came
// on it. The sender, not who dialed or was first heard, says whose an
// association is: after a peer restart the registrar speaking on an
// association is a new one. Were the association left to the old
// identifier, messages to the new one would wait for a dial that SCTP
// refuses (an association with that peer exists), and the new
// registrar would look silent.
func (r *Registrar) bind(c *conn, p *peer) {
	if old := c.from; old != p {
		if old != nil && old.c == c {
			old.c = nil
		}
		c.from = p
	}
	if p.c != c {
		p.c = c
		r.flush(&p.out, c)
	}
}

// isRequest reports whether m asks the peer for an answer (RFC 5353
// §2): a PRESENCE with the reply flag, the list and handle table
// requests, and ENRP_INIT_TAKEOVER to its target, which answers with a
// PRESENCE if it lives (§3.5.1 rule 1). ENRP_INIT_TAKEOVER to other
// peers is not counted: a peer that objects to a takeover does not
// answer it.
func isRequest(m msg.Message) bool {
	switch m := m.(type) {
	case *msg.Presence:
		return m.ReplyRequired
	case *msg.ListRequest, *msg.HandleTableRequest:
		return true
	case *msg.InitTakeover:
		return m.Receiver != 0 && m.Receiver == m.Target
	}
	return false
}

// dialDelay is how long a dial to p (nil: to a static peer, whose
// identifier is not known) waits before it starts. Two registrars that
// dial each other at the same moment collide (RFC 9260 §5.2.1), and
// their timers, alike on both sides, make them do it again at every
// try. Of two known peers the lower identifier dials at once and the
// higher one waits MaxTimeNoResponse/4 and some, so that the other's
// association comes first and is used (dialRaced); a static peer gets
// a random wait of up to MaxTimeNoResponse/4, so that registrars
// started together do not dial in step.
func (r *Registrar) dialDelay(p *peer) time.Duration {
	q := r.cfg.MaxTimeNoResponse / 4
	if q <= 0 {
		return 0
	}
	jitter := time.Duration(r.cfg.Rand.Uint64N(uint64(q)))
	switch {
	case p == nil:
		return jitter
	case r.id < p.id:
		return 0
	}
	return q + jitter
}

// enqueue queues the encoded m on c and notes a request.
func (r *Registrar) enqueue(c *conn, m msg.Message, b []byte) bool {
	if !c.enqueue(b) {
		return false
	}
	if isRequest(m) {
		r.asked(c)
	}
	return true
}

// asked starts the wait for a message on c, unless one runs.
func (r *Registrar) asked(c *conn) {
	if c.waitSince.IsZero() {
		c.waitSince = time.Now()
	}
}

// expireAssociations aborts the associations on which a request has
// waited MaxTimeNoResponse without any message from the peer.
func (r *Registrar) expireAssociations(now time.Time) {
	for c := range r.enrp.conns {
		if c.waitSince.IsZero() || now.Sub(c.waitSince) < r.cfg.MaxTimeNoResponse {
			continue
		}
		r.stats.PeerAssociationsAborted++
		r.log.Info("no answer on an ENRP association; aborting it", "peer", c.peer(), "waited", now.Sub(c.waitSince))
		c.abort("no answer within MAX-TIME-NO-RESPONSE")
		r.peerConnDown(c)
	}
}

// associationDeadline is the earliest end of a wait on an association.
func (r *Registrar) associationDeadline(next time.Time) time.Time {
	for c := range r.enrp.conns {
		if !c.waitSince.IsZero() {
			if d := c.waitSince.Add(r.cfg.MaxTimeNoResponse); d.Before(next) {
				next = d
			}
		}
	}
	return next
}

// dialRaced handles a dial to p or s that failed while an association
// with the same peer came up the other way (it dialed first, or both
// dialed at once): the messages that waited go on that association.
func (r *Registrar) dialRaced(p *peer, s *seed) bool {
	var c *conn
	if p != nil {
		c = r.connTo(p.addrs, p.port)
	} else if s != nil {
		c = r.connTo(s.addrs, s.port)
	}
	if c == nil {
		return false
	}
	if p != nil {
		p.out.dialing = false
		if c.from == nil || c.from == p {
			r.bind(c, p)
		}
		r.flush(&p.out, c)
	}
	if s != nil {
		s.out.dialing = false
		s.c = c
		r.flush(&s.out, c)
	}
	return true
}

// connTo finds a live association with the endpoint at addrs and port.
func (r *Registrar) connTo(addrs []netip.AddrPort, port uint16) *conn {
	for c := range r.enrp.conns {
		if !c.alive || c.port != port {
			continue
		}
		for _, a := range addrs {
			if c.hasAddr(a.Addr()) {
				return c
			}
		}
	}
	return nil
}
