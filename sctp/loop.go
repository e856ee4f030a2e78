package sctp

import (
	"errors"
	"fmt"
	"net"
	"slices"
	"time"

	"github.com/rserpool/rserpool/sctp/internal/assoc"
	"github.com/rserpool/rserpool/sctp/internal/send"
	"github.com/rserpool/rserpool/sctp/lower"
)

// loop is the goroutine that owns the engine. Each step takes one input
// (a batch of packets, the timer, requests from API calls, a reader's
// wake-up), feeds it to the engine with now = time.Now(), then settles
// every association the input touched: it moves delivered messages to
// the readers' queues, retries blocked sends, dispatches events, collects
// the packets to send, re-files the association's deadline and forgets
// it once closed. Then it writes all collected packets in one WriteBatch
// and re-arms the timer.
//
// The engine's output buffers stay valid until the next call on their
// association or endpoint: each step takes them only after its last call
// and writes them before the next step, so nothing is copied.
type loop struct {
	e   *Endpoint
	eng *assoc.Endpoint

	assocs  map[*assoc.Assoc]*Association
	timers  deadlines
	timer   *time.Timer
	timerAt time.Time // when timer fires; zero when stopped

	epoch   uint64 // step number; an association touched in this step has it
	touched []*Association
	out     []lower.Packet

	in   chan *batch // reader to loop, bounded; the reader drops when full
	free chan *batch // loop back to reader
	died chan error  // the reader ended on an error of the lower layer

	closing   bool
	dead      bool  // the lower layer failed: nothing more is written
	closeCall *call // Endpoint.Close's request, answered as the loop ends
}

// maxCallsPerStep bounds the requests one step takes, so that received
// packets and timers are not starved by a flood of calls.
const maxCallsPerStep = 32

func newLoop(e *Endpoint, eng *assoc.Endpoint, bufLen, batchLen int) *loop {
	l := &loop{
		e: e, eng: eng,
		assocs: map[*assoc.Assoc]*Association{},
		epoch:  1,
		in:     make(chan *batch, batchQueue),
		free:   make(chan *batch, batchQueue+2),
		died:   make(chan error, 1),
	}
	// batchQueue in the channel, one in the reader's hands and one in
	// the loop's: the reader always finds a free batch after handing one
	// over.
	for range batchQueue + 2 {
		l.free <- newBatch(bufLen, batchLen)
	}
	return l
}

func (l *loop) run() {
	defer l.e.wg.Done()
	l.timer = time.NewTimer(time.Hour)
	l.timer.Stop()
	defer l.timer.Stop()
	var now time.Time
	for !l.closing {
		select {
		case b := <-l.in:
			now = time.Now()
			l.receive(now, b)
			l.free <- b
		case <-l.timer.C:
			l.timerAt = time.Time{}
			now = time.Now()
			l.expire(now)
		case c := <-l.e.calls:
			now = time.Now()
			l.handle(now, c)
			// Take the requests already waiting in the same step, so
			// that a burst of sends leaves in one write.
			for i := 1; i < maxCallsPerStep && !l.closing; i++ {
				var more *call
				select {
				case more = <-l.e.calls:
				default:
				}
				if more == nil {
					break
				}
				l.handle(now, more)
			}
		case <-l.e.kick:
			now = time.Now()
			l.kicked()
		case err := <-l.died:
			now = time.Now()
			l.lowerFailed(now, err)
		}
		l.settle(now)
	}
	l.end()
}

// end runs as the loop stops: whatever association is left is failed,
// Close's request answered, and every waiter released.
func (l *loop) end() {
	for _, a := range l.assocs {
		if a.override == nil {
			a.override = errLocalAbort
		}
		l.finalize(a, a.snapshot())
	}
	if l.closeCall != nil {
		l.finish(l.closeCall)
	}
	close(l.e.done)
}

func (l *loop) finish(c *call) { c.done <- struct{}{} }

func (l *loop) touch(a *Association) {
	if a.epoch != l.epoch {
		a.epoch = l.epoch
		l.touched = append(l.touched, a)
	}
}

// adopt makes the Association of a new engine association.
func (l *loop) adopt(ea *assoc.Assoc) *Association {
	a := newAssociation(l.e, ea)
	l.assocs[ea] = a
	l.touch(a)
	return a
}

// receive hands a batch of packets to the engine.
func (l *loop) receive(now time.Time, b *batch) {
	for i := range b.n {
		p := b.pkts[i]
		ea := l.eng.Receive(now, p)
		if ea == nil {
			continue
		}
		a := l.assocs[ea]
		if a == nil {
			a = l.adopt(ea)
			l.accept(now, a)
		}
		a.countRx(p.Src.Addr(), p.Buf)
		l.touch(a)
	}
	for _, ea := range l.eng.Accepted() {
		if l.assocs[ea] == nil {
			l.accept(now, l.adopt(ea))
		}
	}
}

// accept queues a new association for Accept, or aborts it when the
// queue is full: the peer hears of it at once instead of talking to an
// association nobody reads.
func (l *loop) accept(now time.Time, a *Association) {
	select {
	case l.e.accepted <- a:
		l.e.log.Debug("sctp: association accepted", "peer", a.primary())
	default:
		l.e.log.Warn("sctp: accept queue full; association refused", "peer", a.primary())
		a.eng.Refuse(now)
	}
}

func (l *loop) expire(now time.Time) {
	for a := l.timers.popExpired(now); a != nil; a = l.timers.popExpired(now) {
		a.eng.Timeout(now)
		l.touch(a)
	}
}

func (l *loop) kicked() {
	l.e.kickMu.Lock()
	list := l.e.kicked
	l.e.kicked = nil
	l.e.kickMu.Unlock()
	for _, a := range list {
		if !a.finalized {
			l.touch(a)
		}
	}
}

func (l *loop) handle(now time.Time, c *call) {
	switch c.op {
	case opSend:
		l.send(now, c)
	case opCancel:
		l.cancel(c)
	default:
		c.f(now)
		if l.closing && l.closeCall == nil {
			l.closeCall = c // answered when the loop ends
			return
		}
		l.finish(c)
	}
}

// send queues a message, or files the call among the association's
// blocked sends when the send buffer is full. Blocked sends go in the
// order they came, and a new one waits behind them.
func (l *loop) send(now time.Time, c *call) {
	a := c.a
	if a.finalized {
		c.err = a.sendErr
		l.finish(c)
		return
	}
	if len(a.pending) > 0 {
		a.pending = append(a.pending, c)
		return
	}
	err := a.eng.Send(now, c.m)
	if errors.Is(err, send.ErrQueueFull) {
		a.pending = append(a.pending, c)
		return
	}
	if err == nil {
		a.msgsSent.Add(1)
	}
	c.err = err
	l.finish(c)
	l.touch(a)
}

// retrySends queues the blocked sends that fit now.
func (l *loop) retrySends(now time.Time, a *Association) {
	done := 0
	for _, c := range a.pending {
		err := a.eng.Send(now, c.m)
		if errors.Is(err, send.ErrQueueFull) {
			break
		}
		if err == nil {
			a.msgsSent.Add(1)
		}
		c.err = err
		l.finish(c)
		done++
	}
	// Shift rather than reslice, so the backing array is reused.
	n := copy(a.pending, a.pending[done:])
	clear(a.pending[n:])
	a.pending = a.pending[:n]
}

// cancel withdraws a blocked send whose caller gave up. A send already
// queued stays queued: its caller learns it from the nil error.
func (l *loop) cancel(c *call) {
	t := c.target
	if i := slices.Index(t.a.pending, t); i >= 0 {
		t.a.pending = slices.Delete(t.a.pending, i, i+1)
		t.err = c.err
		l.finish(t)
	}
	l.finish(c)
}

// closeAll is Endpoint.Close on the loop: every association is aborted.
func (l *loop) closeAll(now time.Time) {
	for _, a := range l.assocs {
		a.eng.Abort(now, "endpoint closed")
		l.touch(a)
	}
	l.closing = true
}

// lowerFailed ends everything when the reader can read no more.
func (l *loop) lowerFailed(now time.Time, err error) {
	l.e.doneErr = fmt.Errorf("sctp: lower layer failed (%v): %w", err, net.ErrClosed)
	l.e.log.Warn("sctp: lower layer failed; endpoint stopped", "err", err)
	for _, a := range l.assocs {
		a.override = l.e.doneErr
		a.eng.Abort(now, "")
		l.touch(a)
	}
	l.dead = true
	l.closing = true
}

// settle finishes a step: see loop.
func (l *loop) settle(now time.Time) {
	for _, a := range l.touched {
		l.settleOne(now, a)
	}
	clear(l.touched)
	l.touched = l.touched[:0]
	l.out = append(l.out, l.eng.Output()...)
	l.write()
	l.rearm(now)
	l.epoch++
}

func (l *loop) settleOne(now time.Time, a *Association) {
	if a.finalized {
		return
	}
	if len(a.pending) > 0 {
		l.retrySends(now, a)
	}
	if l.drain(a, false) > 0 {
		// §6.2: reading may open the window enough that the peer must
		// hear of it at once; Read only marks it, Flush sends it.
		a.eng.Flush(now)
	}
	for _, ev := range a.eng.Events() {
		l.event(a, ev)
	}
	st := a.eng.State()
	a.state.Store(int32(fromEngineState(st)))
	closed := st == assoc.Closed
	if closed || a.peerDone {
		l.drain(a, closed)
	}
	var final Stats
	if closed {
		final = a.snapshot()
	}
	// The last call on the association in this step: its packets stay
	// valid until the next call, after the write.
	out := a.eng.Output()
	a.countTx(out)
	l.out = append(l.out, out...)
	if closed {
		l.finalize(a, final)
		return
	}
	l.timers.set(a, a.eng.Deadline())
}

// drain moves delivered messages from the engine to the readers' queues,
// up to the endpoint's limit unless all (the association closed: what it
// holds is all there will be). It marks the end of the peer's data once
// the peer shut down and nothing is left in the engine.
func (l *loop) drain(a *Association, all bool) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for all || a.rq.held < l.e.rcvCap {
		m, ok := a.eng.Read()
		if !ok {
			break
		}
		a.rq.push(fromRecv(m))
		n++
	}
	a.starved = a.eng.Readable() > 0
	eof := a.eof
	if (a.peerDone || a.graceful) && !a.starved {
		a.eof = true
	}
	if n > 0 || a.eof != eof {
		a.notifyLocked()
	}
	return n
}

// event acts on an event of the engine and passes it to the user.
func (l *loop) event(a *Association, ev assoc.Event) {
	switch ev.Kind {
	case assoc.EventUp:
		if !a.isUp {
			a.isUp = true
			close(a.up)
		}
		a.setRemotes(a.eng.Paths())
		l.e.log.Debug("sctp: association up", "peer", a.primary())
	case assoc.EventRestart:
		a.setRemotes(a.eng.Paths())
		l.e.log.Debug("sctp: peer restarted", "peer", a.primary())
	case assoc.EventPath:
		l.e.log.Debug("sctp: path changed", "peer", a.primary(), "path", ev.Path, "state", fromPathState(ev.PathState), "reason", ev.Reason)
	case assoc.EventPrimary:
		a.setRemotes(a.eng.Paths())
		l.e.log.Debug("sctp: primary path changed", "peer", a.primary(), "reason", ev.Reason)
	case assoc.EventDown:
		a.cause = publicError(ev.Err)
		l.e.log.Debug("sctp: association down", "peer", a.primary(), "err", ev.Err)
	case assoc.EventShutdownComplete:
		a.graceful = true
		l.e.log.Debug("sctp: association shut down", "peer", a.primary())
	case assoc.EventShutdownStarted:
		a.peerDone = true
	}
	pub, ok := fromEngineEvent(ev)
	if !ok {
		return
	}
	select {
	case a.events <- pub:
	default:
		a.eventsDropped.Add(1)
	}
}

// finalize forgets a closed association and releases everyone waiting
// on it.
func (l *loop) finalize(a *Association, final Stats) {
	a.finalized = true
	delete(l.assocs, a.eng)
	l.eng.Forget(a.eng)
	l.timers.set(a, time.Time{})
	end := a.cause
	switch {
	case a.override != nil:
		end = a.override
	case a.graceful:
		end = nil
	case end == nil:
		end = net.ErrClosed
	}
	a.endErr = end
	a.sendErr = end
	if end == nil {
		a.sendErr = net.ErrClosed
	}
	for _, c := range a.pending {
		c.err = a.sendErr
		l.finish(c)
	}
	a.pending = nil
	a.mu.Lock()
	a.final = final
	a.ended = true
	if end == nil {
		a.eof = true
	}
	a.notifyLocked()
	a.mu.Unlock()
	a.state.Store(int32(StateClosed))
	close(a.done)
	close(a.events)
}

// write sends the packets the step collected.
func (l *loop) write() {
	out := l.out
	for len(out) > 0 && !l.dead {
		n, err := l.e.conn.WriteBatch(out)
		if err == nil {
			break
		}
		l.e.writeErrs.Add(1)
		l.e.log.Warn("sctp: write failed", "err", err, "sent", n, "of", len(out))
		if errors.Is(err, lower.ErrClosed) || n >= len(out) {
			break
		}
		out = out[n+1:] // skip the packet refused, send the rest
	}
	clear(l.out)
	l.out = l.out[:0]
}

// rearm points the timer at the earliest deadline.
func (l *loop) rearm(now time.Time) {
	next := l.timers.next()
	switch {
	case next.IsZero():
		if !l.timerAt.IsZero() {
			l.timer.Stop()
			l.timerAt = time.Time{}
		}
	case !next.Equal(l.timerAt):
		l.timer.Reset(next.Sub(now))
		l.timerAt = next
	}
}
