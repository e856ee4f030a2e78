package asap

import (
	"bytes"
	"context"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

// This file is the pool user's loop: one goroutine owns the association
// with the home registrar and the requests outstanding on it, with one
// timer for their T1-ENRPrequest.

// puRequest is one request to the registrars: a handle resolution, which
// waits for its answer, or an unreachability report, which is done once
// sent.
type puRequest struct {
	m      msg.Message
	handle []byte
	reply  bool
	ctx    context.Context
	done   chan puResult // capacity 1: the loop never waits for the caller

	retrans  int       // retransmissions so far (§3.7.2)
	deadline time.Time // T1-ENRPrequest
}

type puResult struct {
	resp *msg.HandleResolutionResponse
	err  error
}

func newRequest(ctx context.Context, m msg.Message, reply bool) *puRequest {
	r := &puRequest{m: m, reply: reply, ctx: ctx, done: make(chan puResult, 1)}
	switch m := m.(type) {
	case *msg.HandleResolution:
		r.handle = m.PoolHandle
	case *msg.EndpointUnreachable:
		r.handle = m.PoolHandle
	}
	return r
}

// maxPending bounds the requests the loop holds; more fail at once.
const maxPending = 1024

type puLoop struct {
	u       *PoolUser
	home    *link
	suspect bool // a request to home timed out since home last answered
	pending []*puRequest

	hunting context.CancelFunc
	huntGen uint64
	avoid   string
}

func (u *PoolUser) run() {
	l := &puLoop{u: u}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		if d, ok := l.nextDeadline(); ok {
			timer.Reset(time.Until(d))
		} else {
			timer.Stop()
		}
		select {
		case r := <-u.reqs:
			l.onRequest(r)
		case h := <-u.hunted:
			l.onHunted(h)
		case in := <-u.in:
			l.onInbound(in)
		case <-timer.C:
			l.onTimer(time.Now())
		case <-u.ctx.Done():
			timer.Stop()
			for _, r := range l.pending {
				r.done <- puResult{err: ErrClosed}
			}
			if l.home != nil {
				closeLink(&u.wg, l.home)
			}
			u.wg.Wait()
			close(u.done)
			return
		}
	}
}

func (l *puLoop) nextDeadline() (time.Time, bool) {
	var d time.Time
	for _, r := range l.pending {
		if d.IsZero() || r.deadline.Before(d) {
			d = r.deadline
		}
	}
	return d, !d.IsZero()
}

func (l *puLoop) complete(r *puRequest, res puResult) {
	r.done <- res
	for i, x := range l.pending {
		if x == r {
			l.pending = append(l.pending[:i], l.pending[i+1:]...)
			return
		}
	}
}

// onRequest starts T1-ENRPrequest and sends the request to the home
// registrar, or hunts for one first (RFC 5352 §3.3 NR2-NR4).
func (l *puLoop) onRequest(r *puRequest) {
	if len(l.pending) >= maxPending {
		r.done <- puResult{err: ErrRequestTimeout}
		return
	}
	r.deadline = time.Now().Add(l.u.cfg.T1ENRPRequest)
	l.pending = append(l.pending, r)
	if l.home == nil {
		l.startHunt()
		return
	}
	l.sendRequest(r)
}

// sendRequest sends r to the home registrar. A send failure drops the
// association and hunts for another registrar, keeping r to send there
// (RFC 5352 §3.7.1: "After finding a new Home ENRP server, the ASAP
// Endpoint should re-send the request").
func (l *puLoop) sendRequest(r *puRequest) bool {
	ctx, cancel := context.WithTimeout(l.u.ctx, l.u.cfg.T1ENRPRequest)
	err := WriteMessage(ctx, l.home.a, r.m)
	cancel()
	if err != nil {
		l.u.log.Warn("asap: request not sent to the registrar", "registrar", l.home.reg, "err", err)
		l.dropHome("request not sent")
		return false
	}
	if !r.reply {
		l.complete(r, puResult{})
	}
	return true
}

// sendAll sends every pending request to a new home registrar.
func (l *puLoop) sendAll() {
	for _, r := range append([]*puRequest(nil), l.pending...) {
		if l.home == nil || !l.sendRequest(r) {
			return
		}
	}
}

// onTimer handles the expiry of T1-ENRPrequest (RFC 5352 §3.7.2): the
// request goes again to the home registrar and a server hunt starts in
// parallel; after MAX-REQUEST-RETRANSMIT retransmissions the request
// fails. Requests whose caller gave up are dropped.
func (l *puLoop) onTimer(now time.Time) {
	for _, r := range append([]*puRequest(nil), l.pending...) {
		if err := r.ctx.Err(); err != nil {
			l.complete(r, puResult{err: err})
			continue
		}
		if now.Before(r.deadline) {
			continue
		}
		if r.retrans >= l.u.cfg.MaxRequestRetransmit {
			l.u.log.Warn("asap: request to the registrars not answered", "pool", string(r.handle), "type", r.m.MessageType())
			l.complete(r, puResult{err: ErrRequestTimeout})
			continue
		}
		r.retrans++
		r.deadline = now.Add(l.u.cfg.T1ENRPRequest)
		if l.home == nil {
			continue // a hunt is under way; it sends r
		}
		l.suspect = true
		l.avoid = l.home.reg.key()
		l.u.log.Debug("asap: T1 expired; request sent again", "registrar", l.home.reg, "retransmission", r.retrans)
		if l.sendRequest(r) {
			l.startHunt()
		}
	}
}

func (l *puLoop) startHunt() {
	if l.hunting != nil {
		return
	}
	u := l.u
	ctx, cancel := context.WithCancel(u.ctx)
	l.hunting = cancel
	l.huntGen++
	gen, avoid := l.huntGen, l.avoid
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		a, r, err := u.hunter.hunt(ctx, avoid)
		out := huntOutcome{gen: gen, err: err}
		if err == nil {
			out.l = &link{a: a, reg: r}
		}
		select {
		case u.hunted <- out:
		case <-ctx.Done():
			if a != nil {
				a.Abort("pool user: server hunt canceled")
			}
		}
	}()
}

// onHunted takes the registrar a hunt found: as the home registrar when
// there is none, or in place of a home registrar that left a request
// unanswered (§3.7.2: "if an alternate ENRP server responds, the ASAP
// Endpoint SHOULD adopt the responding ENRP server as its new Home ENRP
// server and re-send the request"); pending requests go to it. When the
// home registrar answered meanwhile, the new association is not needed.
func (l *puLoop) onHunted(h huntOutcome) {
	if h.gen != l.huntGen || l.hunting == nil {
		if h.l != nil {
			closeLink(&l.u.wg, h.l)
		}
		return
	}
	l.hunting = nil
	if h.err != nil {
		return
	}
	switch {
	case l.home == nil:
	case l.suspect:
		l.u.log.Info("asap: home registrar does not answer; changing", "from", l.home.reg, "to", h.l.reg)
		closeLink(&l.u.wg, l.home)
	default:
		closeLink(&l.u.wg, h.l)
		return
	}
	l.home, l.suspect = h.l, false
	startReader(l.u.ctx, &l.u.wg, h.l, l.u.in, l.u.log)
	l.u.log.Debug("asap: home registrar found", "registrar", h.l.reg)
	l.sendAll()
}

// dropHome aborts the home association and hunts for another registrar
// when requests wait.
func (l *puLoop) dropHome(reason string) {
	old := l.home
	l.home, l.suspect = nil, false
	l.avoid = old.reg.key()
	old.a.Abort(reason)
	if len(l.pending) > 0 {
		l.startHunt()
	}
}

func (l *puLoop) onInbound(in inbound) {
	if in.m == nil {
		if in.l == l.home {
			l.u.log.Warn("asap: association with the home registrar lost", "registrar", in.l.reg, "err", in.err)
			l.home, l.suspect = nil, false
			l.avoid = in.l.reg.key()
			if len(l.pending) > 0 {
				l.startHunt()
			}
		}
		return
	}
	switch m := in.m.(type) {
	case *msg.HandleResolutionResponse:
		// Any registrar's answer serves, the former home's included:
		// the request was the same.
		if in.l == l.home {
			l.suspect = false
		}
		for _, r := range l.pending {
			if r.reply && bytes.Equal(r.handle, m.PoolHandle) {
				l.complete(r, puResult{resp: m})
				return
			}
		}
		l.u.log.Debug("asap: handle resolution response without a request ignored", "registrar", in.l.reg)
	case *msg.ASAPError:
		l.u.log.Warn("asap: registrar reports an error", "registrar", in.l.reg, "err", refusal("request", nil, &m.Error))
	default:
		l.u.log.Debug("asap: unexpected message from registrar ignored", "registrar", in.l.reg, "type", m.MessageType())
	}
}
