package asap

import (
	"bytes"
	"context"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// This file is the pool element's protocol loop: one goroutine owns the
// registration state, so none of it needs a lock. Readers, hunts and
// commands reach it over channels; one timer serves T2, T3 and T4.

type cmdKind int

const (
	cmdPolicy cmdKind = iota + 1
	cmdLoad
	cmdReregister
	cmdClose
)

type peCommand struct {
	kind   cmdKind
	policy msg.Policy
	load   uint32
	ctx    context.Context // cmdClose
	reply  chan error      // cmdClose
}

type huntOutcome struct {
	gen uint64
	l   *link
	err error
}

// The request a PE has outstanding with its home registrar.
type peOp int

const (
	opNone peOp = iota
	opRegister
	opDeregister
)

// maxRegistrarLinks bounds the associations from registrars the PE keeps
// besides its home one, so that associations from the registrar port
// cannot pile up.
const maxRegistrarLinks = 4

type peLoop struct {
	p      *PoolElement
	policy msg.Policy

	home   *link
	others []*link // associations registrars opened to the PE
	last   string  // key of the last home registrar, to tell a change

	hunting context.CancelFunc // non-nil while a hunt runs
	huntGen uint64
	avoid   string // the registrar to try last in the next hunt

	op         peOp
	deadline   time.Time // of op: T2 or T3
	attempts   int       // registration attempts since the last success (§3.1)
	dirty      bool      // the policy changed while a registration was outstanding
	registered bool
	regWith    string    // key of the registrar of the last accepted registration
	failed     bool      // refused: wait for a correction (§3.1)
	reregAt    time.Time // T4; zero when not running
	count      int
	lastErr    error

	closing  *peCommand
	finished bool
}

func (p *PoolElement) run(policy msg.Policy) {
	l := &peLoop{p: p, policy: policy}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	l.startHunt()
	for !l.finished {
		l.publish()
		if d, ok := l.nextDeadline(); ok {
			timer.Reset(time.Until(d))
		} else {
			timer.Stop()
		}
		var closeDone <-chan struct{}
		if l.closing != nil {
			closeDone = l.closing.ctx.Done()
		}
		select {
		case h := <-p.hunted:
			l.onHunted(h)
		case in := <-p.in:
			l.onInbound(in)
		case a := <-p.accepted:
			l.onAccepted(a)
		case c := <-p.cmds:
			l.onCommand(c)
		case <-timer.C:
			l.onTimer(time.Now())
		case <-closeDone:
			l.finish(l.closing.ctx.Err())
		}
	}
	timer.Stop()
	l.publish()
	p.cancel()
	if l.home != nil {
		closeLink(&p.wg, l.home)
	}
	for _, o := range l.others {
		closeLink(&p.wg, o)
	}
	p.wg.Wait()
	close(p.events)
	close(p.done)
}

func (l *peLoop) nextDeadline() (time.Time, bool) {
	var d time.Time
	if l.op != opNone {
		d = l.deadline
	}
	if !l.reregAt.IsZero() && (d.IsZero() || l.reregAt.Before(d)) {
		d = l.reregAt
	}
	return d, !d.IsZero()
}

// publish copies the state for State.
func (l *peLoop) publish() {
	s := PEState{Registered: l.registered, Registrations: l.count, Err: l.lastErr}
	if l.home != nil {
		s.Registrar = l.home.reg.primary()
		s.Server = l.home.server
	}
	l.p.mu.Lock()
	l.p.state = s
	l.p.mu.Unlock()
}

// emit publishes the state first: the event may wake a caller that reads
// State at once, before the step that emitted it ends.
func (l *peLoop) emit(ev Event) {
	l.publish()
	if l.home != nil && !ev.Registrar.IsValid() {
		ev.Registrar, ev.Server = l.home.reg.primary(), l.home.server
	}
	select {
	case l.p.events <- ev:
	default:
		l.p.dropped.Add(1)
	}
}

// startHunt starts a server hunt (RFC 5352 §3.6) unless one runs.
func (l *peLoop) startHunt() {
	if l.hunting != nil {
		return
	}
	p := l.p
	ctx, cancel := context.WithCancel(p.ctx)
	l.hunting = cancel
	l.huntGen++
	gen, avoid := l.huntGen, l.avoid
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		a, r, err := p.hunter.hunt(ctx, avoid)
		out := huntOutcome{gen: gen, err: err}
		if err == nil {
			out.l = &link{a: a, reg: r}
		}
		select {
		case p.hunted <- out:
		case <-ctx.Done():
			if a != nil {
				a.Abort("pool element: server hunt canceled")
			}
		}
	}()
}

func (l *peLoop) stopHunt() {
	if l.hunting != nil {
		l.hunting()
		l.hunting = nil
	}
}

func (l *peLoop) onHunted(h huntOutcome) {
	if h.gen != l.huntGen || l.hunting == nil {
		if h.l != nil {
			closeLink(&l.p.wg, h.l) // a hunt given up while it succeeded
		}
		return
	}
	l.hunting = nil
	if h.err != nil {
		return // canceled: the loop is ending
	}
	l.setHome(h.l)
	startReader(l.p.ctx, &l.p.wg, h.l, l.p.in, l.p.log)
	l.p.log.Info("asap: home registrar found", "registrar", h.l.reg)
	l.resume()
}

// setHome makes nl the home registrar, closing the former one.
func (l *peLoop) setHome(nl *link) {
	if l.home != nil && l.home != nl {
		closeLink(&l.p.wg, l.home)
	}
	l.home = nl
	if key := nl.reg.key(); l.last != "" && key != l.last {
		l.emit(Event{Kind: EventRegistrarChanged})
	}
	l.last = nl.reg.key()
}

// resume carries on with a new home registrar: de-register when
// closing, register otherwise (a new home takes the PE over by the
// registration, RFC 5352 §3.1 rule 4).
func (l *peLoop) resume() {
	switch {
	case l.closing != nil:
		l.deregister()
	case !l.failed:
		l.attempts = 0
		l.register()
	}
}

// dropHome gives up the home registrar: the association is aborted, and
// a hunt looks for another, trying this one last.
func (l *peLoop) dropHome(reason string) {
	if l.home == nil {
		return
	}
	old := l.home
	l.home = nil
	l.avoid = old.reg.key()
	old.a.Abort(reason)
	l.op = opNone
	l.startHunt()
}

func (l *peLoop) onAccepted(a *sctp.Association) {
	if len(l.others) >= maxRegistrarLinks {
		l.p.log.Warn("asap: too many registrar associations; refused", "peer", a.RemoteAddrs())
		a.Abort("too many registrar associations")
		return
	}
	nl := &link{a: a, reg: registrar{addrs: a.RemoteAddrs(), port: a.PeerPort()}}
	l.others = append(l.others, nl)
	startReader(l.p.ctx, &l.p.wg, nl, l.p.in, l.p.log)
}

func (l *peLoop) removeOther(o *link) bool {
	for i, x := range l.others {
		if x == o {
			l.others = append(l.others[:i], l.others[i+1:]...)
			return true
		}
	}
	return false
}

func (l *peLoop) onInbound(in inbound) {
	if in.m == nil {
		switch {
		case in.l == l.home:
			l.homeLost(in.err)
		default:
			l.removeOther(in.l)
		}
		return
	}
	if in.l != l.home && !l.known(in.l) {
		return // from an association already given up
	}
	switch m := in.m.(type) {
	case *msg.RegistrationResponse:
		l.onRegistrationResponse(in.l, m)
	case *msg.DeregistrationResponse:
		l.onDeregistrationResponse(in.l, m)
	case *msg.EndpointKeepAlive:
		l.onKeepAlive(in.l, m)
	case *msg.ASAPError:
		l.p.log.Warn("asap: registrar reports an error", "registrar", in.l.reg, "err", refusal("request", l.p.handle, &m.Error))
	default:
		l.p.log.Debug("asap: unexpected message from registrar ignored", "registrar", in.l.reg, "type", m.MessageType())
	}
}

func (l *peLoop) known(x *link) bool {
	for _, o := range l.others {
		if o == x {
			return true
		}
	}
	return false
}

// homeLost handles the end of the home association: RFC 5352 §3.6 has
// the PE establish a new home registrar when it "fails to communicate
// with its Home ENRP server".
func (l *peLoop) homeLost(err error) {
	old := l.home
	l.home = nil
	l.avoid = old.reg.key()
	l.op = opNone
	l.p.log.Warn("asap: association with the home registrar lost", "registrar", old.reg, "err", err)
	l.emit(Event{Kind: EventRegistrarLost, Registrar: old.reg.primary(), Server: old.server, Err: err})
	l.startHunt()
}

// register sends ASAP_REGISTRATION (RFC 5352 §3.1 R2-R4) and starts
// T2-registration, doubled for each attempt after the first up to
// RETRAN-MAX (§7.3).
func (l *peLoop) register() {
	if l.home == nil {
		return // the hunt under way registers when it finds one
	}
	cfg := &l.p.cfg
	m := &msg.Registration{
		PoolHandle: l.p.handle,
		PoolElement: msg.PoolElement{
			ID:               l.p.id,
			RegistrationLife: cfg.lifetimeField(),
			UserTransport: msg.Transport{
				Kind:  msg.ParamSCTPTransport,
				Port:  l.p.ep.Port(),
				Use:   cfg.TransportUse,
				Addrs: msg.MakeAddrs(l.p.addrs...),
			},
			Policy: l.policy,
		},
	}
	l.attempts++
	l.dirty = false
	l.reregAt = time.Time{}
	if err := l.send(l.home, m); err != nil {
		// SEND.FAILURE: hunt (§3.1, §3.7.1), and register there.
		l.p.log.Warn("asap: registration not sent", "registrar", l.home.reg, "err", err)
		l.dropHome("registration not sent")
		return
	}
	l.op = opRegister
	l.deadline = time.Now().Add(backoff(cfg.T2Registration, cfg.RetranMax, l.attempts-1))
	l.p.log.Debug("asap: registration sent", "registrar", l.home.reg, "attempt", l.attempts)
}

// deregister sends ASAP_DEREGISTRATION (RFC 5352 §3.2 D1-D4) and starts
// T3-deregistration.
func (l *peLoop) deregister() {
	if l.home == nil {
		return
	}
	m := &msg.Deregistration{PoolHandle: l.p.handle, ID: l.p.id}
	if err := l.send(l.home, m); err != nil {
		l.p.log.Warn("asap: deregistration not sent", "registrar", l.home.reg, "err", err)
		l.dropHome("deregistration not sent")
		return
	}
	l.op = opDeregister
	l.deadline = time.Now().Add(l.p.cfg.T3Deregistration)
}

// send writes m on x, waiting at most T1 for room in the send buffer.
func (l *peLoop) send(x *link, m msg.Message) error {
	ctx, cancel := context.WithTimeout(l.p.ctx, l.p.cfg.T1ENRPRequest)
	defer cancel()
	return WriteMessage(ctx, x.a, m)
}

func (l *peLoop) mine(handle []byte, id msg.PEID) bool {
	return bytes.Equal(handle, l.p.handle) && id == l.p.id
}

func (l *peLoop) onRegistrationResponse(from *link, m *msg.RegistrationResponse) {
	if from != l.home || l.op != opRegister || !l.mine(m.PoolHandle, m.ID) {
		l.p.log.Debug("asap: registration response not for the outstanding registration ignored")
		return
	}
	l.op = opNone
	if m.Reject {
		err := refusal("registration", m.PoolHandle, &m.Error)
		l.registered, l.failed, l.lastErr = false, true, err
		l.p.log.Warn("asap: registration refused", "registrar", from.reg, "err", err)
		l.emit(Event{Kind: EventRegistrationFailed, Err: err})
		return
	}
	if !m.Error.IsZero() {
		// A warning: the registrar changed some values (§2.2.3).
		l.p.log.Info("asap: registration accepted with changes", "causes", refusal("registration", m.PoolHandle, &m.Error).Causes)
	}
	renewal := l.registered && l.regWith == from.reg.key()
	l.regWith = from.reg.key()
	l.registered, l.failed, l.lastErr = true, false, nil
	l.attempts = 0
	l.count++
	l.reregAt = time.Now().Add(l.p.cfg.reregistration())
	l.p.log.Info("asap: registered", "registrar", from.reg, "renewal", renewal)
	l.emit(Event{Kind: EventRegistered, Renewal: renewal})
	if l.dirty {
		l.register()
	}
}

func (l *peLoop) onDeregistrationResponse(from *link, m *msg.DeregistrationResponse) {
	if !l.mine(m.PoolHandle, m.ID) {
		return
	}
	if l.closing != nil && l.op == opDeregister && from == l.home {
		l.op = opNone
		var err error
		if !m.Error.IsZero() {
			err = refusal("deregistration", m.PoolHandle, &m.Error)
		}
		l.registered = false
		l.finish(err)
		return
	}
	if l.closing != nil {
		return
	}
	// Unasked: the registrar removed the PE, as when its registration
	// expired (§3.2). A PE that wants to serve registers again.
	l.registered = false
	l.p.log.Warn("asap: registrar removed the registration", "registrar", from.reg)
	l.emit(Event{Kind: EventDeregistered})
	if from == l.home && l.op == opNone && !l.failed {
		l.attempts = 0
		l.register()
	}
}

// onKeepAlive answers ASAP_ENDPOINT_KEEP_ALIVE (RFC 5352 §3.4).
func (l *peLoop) onKeepAlive(from *link, m *msg.EndpointKeepAlive) {
	// KA1: a keep-alive for another pool is silently discarded. rsplib's
	// registrar names the PE too; one for another PE is not ours either.
	if !bytes.Equal(m.PoolHandle, l.p.handle) || (m.HasID && m.ID != l.p.id) {
		l.p.log.Debug("asap: keep-alive for another pool element discarded", "registrar", from.reg)
		return
	}
	// KA2.1-KA2.3: the ack goes back on the association it came by.
	ack := &msg.EndpointKeepAliveAck{PoolHandle: l.p.handle, ID: l.p.id}
	if err := l.send(from, ack); err != nil {
		l.p.log.Warn("asap: keep-alive ack not sent", "registrar", from.reg, "err", err)
		if from == l.home {
			l.dropHome("keep-alive ack not sent")
		}
		return
	}
	if from == l.home {
		from.server = m.ServerID
		return
	}
	// KA2.4: with H set, a sender other than the home registrar (or any
	// sender while there is none) becomes the home registrar.
	if !m.Home || (l.home != nil && l.home.server != 0 && l.home.server == m.ServerID) {
		return
	}
	l.removeOther(from)
	from.server = m.ServerID
	l.stopHunt()
	pending := l.op
	l.setHome(from)
	l.p.log.Info("asap: registrar took the pool element over", "registrar", from.reg, "server", m.ServerID)
	switch {
	case l.closing != nil:
		l.deregister()
	case pending == opRegister || !l.registered && !l.failed:
		l.register()
	}
}

func (l *peLoop) onTimer(now time.Time) {
	if l.op != opNone && !now.Before(l.deadline) {
		op := l.op
		l.op = opNone
		switch op {
		case opRegister:
			l.registrationTimeout()
		case opDeregister:
			// D4: T3 expired; hunt and de-register there.
			l.p.log.Warn("asap: deregistration not answered", "registrar", l.home.reg)
			l.dropHome("deregistration not answered")
		}
	}
	if !l.reregAt.IsZero() && !now.Before(l.reregAt) {
		// T4-reregistration (§3.1).
		l.reregAt = time.Time{}
		if l.op == opNone && l.closing == nil {
			l.attempts = 0
			l.register()
		}
	}
}

// registrationTimeout handles the expiry of T2-registration: another
// attempt at the same registrar until MAX-REG-ATTEMPT, then a report to
// the application and a server hunt (RFC 5352 §3.1, §7.3). §3.1 lets an
// implementation stop there; a PE exists to serve, so it keeps looking,
// and the application that prefers to stop closes it on the event.
func (l *peLoop) registrationTimeout() {
	if l.attempts < l.p.cfg.MaxRegAttempt {
		l.p.log.Warn("asap: registration not answered; trying again", "registrar", l.home.reg, "attempt", l.attempts)
		l.register()
		return
	}
	l.lastErr = ErrRegistrationTimeout
	l.p.log.Warn("asap: registration not answered; hunting for another registrar", "registrar", l.home.reg, "attempts", l.attempts)
	l.emit(Event{Kind: EventRegistrationFailed, Err: ErrRegistrationTimeout})
	l.attempts = 0
	l.dropHome("registration not answered")
}

func (l *peLoop) onCommand(c peCommand) {
	switch c.kind {
	case cmdPolicy:
		l.policy = c.policy
	case cmdLoad:
		l.policy.Load = c.load
	case cmdClose:
		l.startClose(c)
		return
	}
	if l.closing != nil {
		return
	}
	l.failed = false
	switch l.op {
	case opRegister:
		l.dirty = true // re-register with the new values once answered
	case opNone:
		l.attempts = 0
		l.register()
	}
}

// startClose begins the de-registration of Close. A PE that never got as
// far as a registration attempt has nothing to undo.
func (l *peLoop) startClose(c peCommand) {
	l.closing = &c
	l.reregAt = time.Time{}
	if !l.registered && l.op != opRegister {
		l.finish(nil)
		return
	}
	if l.home != nil {
		l.deregister()
	}
	// Otherwise the hunt under way de-registers when it finds a registrar.
}

func (l *peLoop) finish(err error) {
	l.stopHunt()
	l.finished = true
	if l.closing != nil {
		l.closing.reply <- err
	}
}
