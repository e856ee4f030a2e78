package enrp

import (
	"context"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

// eventKind says what an event reports.
type eventKind uint8

const (
	evUp         eventKind = iota + 1 // an association was accepted
	evMessage                         // a message arrived
	evDown                            // an association ended
	evDialFailed                      // an association the registrar started did not come up
	evMulticast                       // an ENRP_PRESENCE came from the multicast group (m)
)

// event is what the acceptor and the readers hand the loop.
type event struct {
	kind eventKind
	c    *conn
	ppid uint32      // evMessage: the message's PPID
	raw  []byte      // evMessage with the ASAP PPID: the bytes
	m    msg.Message // evMessage: the decoded message, nil when err is set
	err  error       // evMessage: why it did not decode; evDown: why the association ended
	key  string      // evDialFailed on the ASAP side: the adopted PEs' transport
	peer *peer       // evDialFailed on the ENRP side: the peer dialed
	seed *seed       // evDialFailed on the ENRP side: the static peer dialed
}

// run is the loop: it handles events and timers one at a time, holding
// mu, until ctx ends. One timer serves the keep-alives and the expiry
// of registrations: it is set to the earliest of their deadlines after
// each step.
func (r *Registrar) run(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		r.mu.Lock()
		next, ok := r.nextDeadline()
		r.mu.Unlock()
		if ok {
			timer.Reset(time.Until(next))
		} else {
			timer.Stop()
		}
		select {
		case <-ctx.Done():
			return
		case ev := <-r.events:
			r.mu.Lock()
			r.handle(ev, time.Now())
			r.mu.Unlock()
		case <-timer.C:
			r.mu.Lock()
			r.tick(time.Now())
			r.mu.Unlock()
		case <-r.asapKick:
			// The ENRP loop changed a deadline; the next turn takes it.
		}
	}
}

// nextDeadline is the earliest of the next keep-alive deadline and the
// next registration expiry.
func (r *Registrar) nextDeadline() (time.Time, bool) {
	next, ok := r.hs.NextExpiry()
	if len(r.monitor) > 0 {
		if d := r.monitor[0].due; !ok || d.Before(next) {
			next, ok = d, true
		}
	}
	return next, ok
}

// tick runs what is due at now: expired registrations leave (RFC 5352
// §3.2), keep-alives go out and unanswered ones remove their PE (§3.5).
func (r *Registrar) tick(now time.Time) {
	r.expire(now)
	r.monitorDue(now)
}

// handle dispatches one event.
func (r *Registrar) handle(ev event, now time.Time) {
	c := ev.c
	switch ev.kind {
	case evUp:
		r.conns[c] = struct{}{}
		r.stats.Associations = len(r.conns)
		r.log.Debug("association up", "peer", c.peer())
		if c.dialKey != "" {
			r.adoptedUp(c, now)
		}
	case evDialFailed:
		r.adoptFailed(ev.key)
	case evDown:
		r.log.Debug("association down", "peer", c.peer(), "err", ev.err)
		r.connDown(c)
	case evMessage:
		if !c.alive {
			return // a message read before the end, handled after it
		}
		if ev.ppid != msg.PPIDASAP {
			// RFC 5352 §5: ASAP uses its PPID; a registrar has no data
			// channel, so anything else is not for it.
			r.stats.Discarded++
			r.log.Debug("message with a foreign PPID discarded", "peer", c.peer(), "ppid", ev.ppid)
			return
		}
		if ev.err != nil {
			r.undecodable(c, ev.raw, ev.err)
			return
		}
		r.reportUnrecognized(c, ev.m)
		r.dispatch(c, ev.m, now)
	}
}

// dispatch handles one decoded ASAP message by type.
func (r *Registrar) dispatch(c *conn, m msg.Message, now time.Time) {
	switch m := m.(type) {
	case *msg.Registration:
		r.register(c, m, now)
	case *msg.Deregistration:
		r.deregister(c, m)
	case *msg.HandleResolution:
		r.resolve(c, m)
	case *msg.EndpointKeepAliveAck:
		r.keepAliveAck(c, m, now)
	case *msg.EndpointUnreachable:
		r.unreachable(c, m, now)
	case *msg.ASAPError:
		r.stats.ErrorsReceived++
		if cause, ok := m.Error.Causes.First(); ok {
			r.log.Info("ASAP_ERROR received", "peer", c.peer(), "cause", cause.Code.String())
		}
	default:
		// RFC 5352 §4: the registrar handles the messages a PE or PU
		// sends it; the others (responses, keep-alives, announcements,
		// cookies, business cards) are known but not for it.
		r.stats.Discarded++
		r.log.Debug("message not for a registrar discarded", "peer", c.peer(), "type", m.MessageType().String())
	}
}

// connDown forgets an association. Its pool elements stay registered,
// since they may come back on a new association, but have no way to be
// reached: their next keep-alive fails (RFC 5352 §3.5), which removes
// them unless they registered again meanwhile.
func (r *Registrar) connDown(c *conn) {
	if !c.alive {
		return
	}
	c.alive = false
	for _, s := range c.pes {
		s.c = nil
	}
	clear(c.pes)
	delete(r.conns, c)
	r.stats.Associations = len(r.conns)
}

// send encodes m and queues it for c. A message that does not encode is
// a bug of the registrar, not of the peer: it is logged and dropped.
func (r *Registrar) send(c *conn, m msg.Message) bool {
	if c == nil || !c.alive {
		return false
	}
	b, err := msg.Encode(make([]byte, 0, m.Len()+3), m)
	if err != nil {
		r.log.Error("cannot encode a message", "type", m.MessageType().String(), "err", err)
		return false
	}
	return c.enqueue(b)
}
