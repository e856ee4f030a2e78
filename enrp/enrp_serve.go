package enrp

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// This file runs ENRP (RFC 5353): the endpoint registrars speak to each
// other on, its associations, and the loop that handles their messages
// and the ENRP timers.
//
// ENRP has an endpoint of its own, normally on port 9901 (§5.3), with
// its own lower layer: a registrar's ASAP endpoint on 3863 stays what
// pool elements and users see, and each association carries one
// protocol, told by its PPID (12 for ENRP, §5.4). The ENRP loop is a
// second goroutine beside the ASAP loop; both hold Registrar.mu while
// they handle an event, so the handlespace has one owner at a time.

// ServeENRP serves ENRP on ep until ctx ends or Close is called: it
// starts the server initialization (RFC 5353 §3.2) with Config.Peers,
// accepts the associations of peers, and keeps the peer list, the
// heartbeats, the audit and takeovers going. It runs beside Serve, which
// the registrar needs for what ENRP asks of the ASAP side (the
// keep-alives to adopted PEs go from Serve's endpoint). It returns nil
// once ctx ends or Close is called, after every goroutine it started has
// ended; an error when ep fails first. The caller closes ep afterwards.
func (r *Registrar) ServeENRP(ctx context.Context, ep *sctp.Endpoint) error {
	if !r.enrpMu.TryLock() {
		return ErrServing
	}
	defer r.enrpMu.Unlock()
	var wg sync.WaitGroup
	ctx, cancel, err := r.listen(ctx, ep, &wg)
	if err != nil {
		return err
	}
	defer cancel()
	r.mu.Lock()
	r.enrp.serving = true
	r.enrp.ep = ep
	r.enrp.dial = func(p *peer, s *seed) { r.startDial(ctx, ep, &wg, p, s) }
	r.startENRP(time.Now())
	r.mu.Unlock()
	wg.Go(func() { r.runENRP(ctx) })
	if !r.cfg.DisableENRPMulticast {
		wg.Go(func() { r.multicast(ctx, ep) })
	}
	r.log.Info("ENRP serving", "addrs", ep.Addrs(), "port", ep.Port(), "peers", len(r.cfg.Peers))
	err = r.acceptENRP(ctx, ep, &wg)
	cancel()
	wg.Wait()
	r.afterENRP()
	return err
}

// acceptENRP takes the associations peers start until ctx ends.
func (r *Registrar) acceptENRP(ctx context.Context, ep *sctp.Endpoint, wg *sync.WaitGroup) error {
	for {
		a, err := ep.Accept(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			r.log.Warn("ENRP accept failed; ENRP stops", "err", err)
			return err
		}
		c := r.newPeerConn(a)
		if !r.postTo(ctx, r.enrpEvents, event{kind: evUp, c: c}) {
			a.Abort("registrar stopping")
			return nil
		}
		wg.Go(func() { r.read(ctx, c) })
		wg.Go(func() { r.write(ctx, c) })
	}
}

func (r *Registrar) newPeerConn(a *sctp.Association) *conn {
	c := newConn(a, r.cfg)
	c.ppid = msg.PPIDENRP
	return c
}

// startDial starts an association to a peer or a static peer in a
// goroutine of ServeENRP, after dialDelay; the loop hears of it as evUp
// or evDialFailed.
// A dial gives up after MaxTimeNoResponse: a peer that does not answer
// an INIT is as silent as one that does not answer a message.
func (r *Registrar) startDial(ctx context.Context, ep *sctp.Endpoint, wg *sync.WaitGroup, p *peer, s *seed) {
	var addrs []netip.AddrPort
	var port uint16
	if p != nil {
		addrs, port = p.addrs, p.port
	} else {
		addrs, port = s.addrs, s.port
	}
	addrs = append([]netip.AddrPort(nil), addrs...)
	delay := r.dialDelay(p)
	wg.Go(func() {
		if delay > 0 {
			t := time.NewTimer(delay)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return
			}
		}
		dctx, cancel := context.WithTimeout(ctx, r.cfg.MaxTimeNoResponse)
		a, err := ep.Dial(dctx, addrs, port)
		cancel()
		if err != nil {
			r.postTo(ctx, r.enrpEvents, event{kind: evDialFailed, peer: p, seed: s, err: err})
			return
		}
		c := r.newPeerConn(a)
		c.dialed, c.seed = p, s
		if !r.postTo(ctx, r.enrpEvents, event{kind: evUp, c: c}) {
			a.Abort("registrar stopping")
			return
		}
		wg.Go(func() { r.read(ctx, c) })
		wg.Go(func() { r.write(ctx, c) })
	})
}

// afterENRP forgets the associations of the ServeENRP that ended. The
// peer list stays, as after the loss of the associations.
func (r *Registrar) afterENRP() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for c := range r.enrp.conns {
		r.peerConnDown(c)
	}
	for _, p := range r.enrp.peers {
		p.out = outbox{}
	}
	for _, s := range r.enrp.seeds {
		s.out = outbox{}
	}
	r.enrp.serving = false
	r.enrp.dial = nil
	for {
		select {
		case <-r.enrpEvents:
		default:
			return
		}
	}
}

// runENRP is the ENRP loop: one event or timer at a time, holding mu.
func (r *Registrar) runENRP(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		r.mu.Lock()
		r.flushOutboxes()
		next := r.nextENRPDeadline()
		r.mu.Unlock()
		timer.Reset(time.Until(next))
		select {
		case <-ctx.Done():
			return
		case ev := <-r.enrpEvents:
			r.mu.Lock()
			r.handleENRP(ev, time.Now())
			r.mu.Unlock()
		case <-timer.C:
			r.mu.Lock()
			r.tickENRP(time.Now())
			r.mu.Unlock()
		case <-r.enrpKick:
		}
		kick(r.asapKick)
	}
}

// flushOutboxes starts an association to each registrar messages wait
// for.
func (r *Registrar) flushOutboxes() {
	if r.enrp.dial == nil {
		return
	}
	for _, p := range r.enrp.peers {
		if len(p.out.queue) > 0 && !p.out.dialing && (p.c == nil || !p.c.alive) && len(p.addrs) > 0 {
			p.out.dialing = true
			r.enrp.dial(p, nil)
		}
	}
	for _, s := range r.enrp.seeds {
		if len(s.out.queue) > 0 && !s.out.dialing && (s.c == nil || !s.c.alive) {
			s.out.dialing = true
			r.enrp.dial(nil, s)
		}
	}
}

// handleENRP dispatches one event of the ENRP side.
func (r *Registrar) handleENRP(ev event, now time.Time) {
	c := ev.c
	switch ev.kind {
	case evUp:
		r.enrp.conns[c] = struct{}{}
		if p := c.dialed; p != nil {
			p.out.dialing = false
			if r.enrp.peers[p.id] == p && (p.c == nil || !p.c.alive) {
				p.c = c
				c.from = p
			}
			r.flush(&p.out, c)
		}
		if s := c.seed; s != nil {
			s.out.dialing = false
			s.c = c
			r.flush(&s.out, c)
		}
	case evDialFailed:
		r.dialFailed(ev.peer, ev.seed, ev.err, now)
	case evMulticast:
		if p, ok := ev.m.(*msg.Presence); ok {
			r.multicastPresence(p, now)
		}
	case evDown:
		r.log.Debug("ENRP association down", "peer", c.peer(), "err", ev.err)
		r.peerConnDown(c)
		r.mentorConnDown(c, now)
	case evMessage:
		if !c.alive {
			return
		}
		c.waitSince = time.Time{} // the peer speaks on it: the association works
		if ev.ppid != msg.PPIDENRP {
			r.stats.Discarded++
			return
		}
		if ev.err != nil {
			r.undecodableENRP(c, ev.err)
			return
		}
		r.dispatchENRP(c, ev.m, now)
	}
}

// flush sends what waited for an association.
func (r *Registrar) flush(o *outbox, c *conn) {
	for _, b := range o.queue {
		c.enqueue(b)
	}
	if o.ask {
		r.asked(c)
	}
	o.queue, o.ask = nil, false
}

func (r *Registrar) dialFailed(p *peer, s *seed, err error, now time.Time) {
	if r.dialRaced(p, s) {
		return
	}
	if p != nil {
		p.out = outbox{}
		r.log.Debug("peer not reachable", "peer", p.id.String(), "err", err)
		if r.enrp.peers[p.id] == p && p.status == peerProbing {
			// RFC 5353 §3.4.3: "If the send fails ... consider the peer
			// server dead".
			r.startTakeover(p, now)
		}
	}
	if s != nil {
		s.out = outbox{}
		r.log.Debug("static peer not reachable", "addrs", s.addrs, "err", err)
		r.mentorUnreachable(s, now)
	}
}

// peerConnDown forgets an ENRP association.
func (r *Registrar) peerConnDown(c *conn) {
	if !c.alive {
		return
	}
	c.alive = false
	delete(r.enrp.conns, c)
	for _, p := range r.enrp.peers {
		if p.c == c {
			p.c = nil
		}
	}
	for _, s := range r.enrp.seeds {
		if s.c == c {
			s.c = nil
		}
	}
	if c.from != nil {
		// A download in pieces goes on the association it started on.
		delete(r.enrp.sessions, c.from)
	}
}

// sendPeer sends m to p: on its association, or once one is up.
func (r *Registrar) sendPeer(p *peer, m msg.Message) bool {
	b, ok := r.encode(m)
	if !ok {
		return false
	}
	if p.c != nil && p.c.alive {
		return r.enqueue(p.c, m, b)
	}
	return r.park(&p.out, m, b, len(p.addrs) > 0)
}

// sendSeed sends m to a static peer.
func (r *Registrar) sendSeed(s *seed, m msg.Message) bool {
	b, ok := r.encode(m)
	if !ok {
		return false
	}
	if s.c != nil && s.c.alive {
		return r.enqueue(s.c, m, b)
	}
	return r.park(&s.out, m, b, true)
}

// park keeps a message until an association is up, as many as the
// send queue holds; the ENRP loop dials.
func (r *Registrar) park(o *outbox, m msg.Message, b []byte, reachable bool) bool {
	if !reachable || !r.enrp.serving || len(o.queue) >= r.cfg.SendQueue {
		return false
	}
	o.queue = append(o.queue, b)
	o.ask = o.ask || isRequest(m)
	kick(r.enrpKick)
	return true
}

// sendConn sends m on c, the association a request came on.
func (r *Registrar) sendConn(c *conn, m msg.Message) bool {
	if !c.alive {
		return false
	}
	b, ok := r.encode(m)
	return ok && r.enqueue(c, m, b)
}

func (r *Registrar) encode(m msg.Message) ([]byte, bool) {
	b, err := msg.Encode(make([]byte, 0, m.Len()+3), m)
	if err != nil {
		r.log.Error("cannot encode a message", "type", m.MessageType().String(), "err", err)
		return nil, false
	}
	return b, true
}

// broadcast is RFC 5353's announcement (§3.1): the message to every peer
// taken for alive, one association each.
func (r *Registrar) broadcast(m msg.Message) {
	for _, p := range r.enrp.peers {
		if p.status == peerActive || p.status == peerProbing {
			r.sendPeer(p, m)
		}
	}
}

// servers returns the identifiers an ENRP message starts with.
func servers(m msg.Message) (msg.Servers, bool) {
	switch m := m.(type) {
	case *msg.Presence:
		return m.Servers, true
	case *msg.HandleTableRequest:
		return m.Servers, true
	case *msg.HandleTableResponse:
		return m.Servers, true
	case *msg.HandleUpdate:
		return m.Servers, true
	case *msg.ListRequest:
		return m.Servers, true
	case *msg.ListResponse:
		return m.Servers, true
	case *msg.InitTakeover:
		return m.Servers, true
	case *msg.InitTakeoverAck:
		return m.Servers, true
	case *msg.TakeoverServer:
		return m.Servers, true
	case *msg.ENRPError:
		return m.Servers, true
	}
	return msg.Servers{}, false
}

// dispatchENRP handles one decoded ENRP message. Every message names its
// sender (RFC 5353 §2); one from an unknown sender makes it a new peer,
// probed with a PRESENCE that asks for its Server Information (§3.4.1),
// and every message updates peer_last_heard (§3.4.3).
func (r *Registrar) dispatchENRP(c *conn, m msg.Message, now time.Time) {
	sv, ok := servers(m)
	if !ok || sv.Sender == 0 || sv.Sender == r.id || (sv.Receiver != 0 && sv.Receiver != r.id) {
		r.stats.Discarded++
		return
	}
	p := r.enrp.peers[sv.Sender]
	fresh := false
	if p == nil {
		if len(r.enrp.peers) >= r.cfg.MaxPeers {
			r.stats.Discarded++
			r.log.Warn("peer list full; message discarded", "peer", sv.Sender.String())
			return
		}
		p = &peer{id: sv.Sender, status: peerActive, heard: now}
		r.enrp.peers[p.id] = p
		fresh = true
		r.log.Info("new peer", "peer", p.id.String(), "via", c.peer())
	}
	r.bind(c, p)
	p.heard = now
	if p.status != peerActive {
		// Heard again: not dead after all (§3.5.1: a PRESENCE from the
		// target stops the takeover; any message shows it lives).
		r.log.Info("peer alive again", "peer", p.id.String(), "was", p.status.String())
		if p.status == peerTakingOver {
			r.stats.TakeoversAborted++
		}
		p.status, p.acks = peerActive, nil
	}
	switch m := m.(type) {
	case *msg.Presence:
		r.presence(p, c, m, now)
	case *msg.ListRequest:
		r.listRequest(p, c)
	case *msg.ListResponse:
		r.listResponse(p, c, m, now)
	case *msg.HandleTableRequest:
		r.tableRequest(p, c, m, now)
	case *msg.HandleTableResponse:
		r.tableResponse(p, c, m, now)
	case *msg.HandleUpdate:
		r.handleUpdate(p, m, now)
	case *msg.InitTakeover:
		r.initTakeover(p, m, now)
	case *msg.InitTakeoverAck:
		r.initTakeoverAck(p, m, now)
	case *msg.TakeoverServer:
		r.takeoverServer(p, m, now)
	case *msg.ENRPError:
		r.stats.ErrorsReceived++
		if cause, ok := m.Error.Causes.First(); ok {
			r.log.Info("ENRP_ERROR received", "peer", p.id.String(), "cause", cause.Code.String())
		}
	}
	if fresh {
		r.sendPeer(p, r.presenceMsg(p.id, true))
	}
}

// undecodableENRP handles an ENRP message that did not decode (RFC 5353
// §3.7 follows RFC 5354 §3, §4: report when the type's bits ask for it,
// in an ENRP_ERROR).
func (r *Registrar) undecodableENRP(c *conn, err error) {
	var cause msg.Cause
	report := false
	var um *msg.UnrecognizedMessageError
	var up *msg.UnrecognizedParamError
	switch {
	case errors.As(err, &um):
		r.stats.Unrecognized++
		cause, report = um.Cause(), um.Action() == msg.StopReport
	case errors.As(err, &up):
		r.stats.Unrecognized++
		cause, report = up.Cause(), up.Report()
	default:
		r.stats.Malformed++
		r.log.Warn("malformed ENRP message discarded", "peer", c.peer(), "err", err)
	}
	if report {
		var rcv msg.ServerID
		if c.from != nil {
			rcv = c.from.id
		}
		if r.sendConn(c, &msg.ENRPError{Servers: msg.Servers{Sender: r.id, Receiver: rcv}, Error: msg.NewOperationError(cause)}) {
			r.stats.ErrorsSent++
		}
	}
}
