package sctp

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rserpool/rserpool/sctp/internal/assoc"
	"github.com/rserpool/rserpool/sctp/internal/send"
)

// Association is one SCTP association (RFC 9260 §1.4). Its methods are
// safe for concurrent use. The protocol state belongs to the endpoint's
// loop; an Association holds what the user side needs: the queues of
// delivered messages, the blocked sends, the events and the outcome.
type Association struct {
	e   *Endpoint
	eng *assoc.Assoc // guarded by the loop's mu

	// Guarded by the loop's mu.
	hidx      int       // position in the loop's deadline heap, -1 when out
	deadline  time.Time // engine's next timer, as filed in the heap
	epoch     uint64    // last loop step that touched it
	pending   []*call   // sends waiting for room, in order
	io        []pathIO
	isUp      bool
	peerDone  bool  // the peer's SHUTDOWN came: no more data from it
	graceful  bool  // the shutdown completed
	cause     error // the reason EventDown gave
	override  error // a reason that supersedes cause (the lower layer failed)
	finalized bool
	peerPort  uint16

	// Written by the loop before done is closed, read after.
	endErr  error // nil after a graceful shutdown
	sendErr error // what Send returns once done

	up     chan struct{} // closed when established
	done   chan struct{} // closed when the association ended
	events chan Event

	state         atomic.Int32
	msgsSent      atomic.Uint64
	msgsRecv      atomic.Uint64
	eventsDropped atomic.Uint64
	remotes       atomic.Pointer[[]netip.AddrPort]

	// Receive side, shared by the loop and the readers.
	mu      sync.Mutex
	rq      recvQueues
	waiters []chan struct{} // one per blocked reader, signalled when messages or the end arrive
	spare   []chan struct{} // waiters' channels for reuse
	starved bool            // the engine holds messages the queues had no room for
	eof     bool            // the peer's data ended and all of it is queued
	ended   bool            // the association ended; endErr tells how
	final   Stats           // counters at the end
}

func newAssociation(e *Endpoint, ea *assoc.Assoc) *Association {
	a := &Association{
		e: e, eng: ea, hidx: -1, peerPort: ea.PeerPort(),
		up:     make(chan struct{}),
		done:   make(chan struct{}),
		events: make(chan Event, e.evQ),
	}
	a.state.Store(int32(fromEngineState(ea.State())))
	a.setRemotes(ea.Paths())
	return a
}

func (a *Association) setRemotes(r []netip.AddrPort) { a.remotes.Store(&r) }

func (a *Association) primary() netip.AddrPort {
	if r := *a.remotes.Load(); len(r) > 0 {
		return r[0]
	}
	return netip.AddrPort{}
}

// notifyLocked wakes every blocked reader; a.mu is held. Each reader
// has a channel of its own with room for one signal, reused from wait
// to wait: a channel closed to broadcast would cost an allocation every
// time a reader blocks, which is about once per message when the
// reader keeps up.
func (a *Association) notifyLocked() {
	for _, w := range a.waiters {
		select {
		case w <- struct{}{}:
		default:
		}
	}
}

// waitLocked registers a blocked reader and returns the channel the next
// notification signals; the reader hands it back with unwaitLocked.
func (a *Association) waitLocked() chan struct{} {
	var w chan struct{}
	if n := len(a.spare); n > 0 {
		w, a.spare = a.spare[n-1], a.spare[:n-1]
	} else {
		w = make(chan struct{}, 1)
	}
	a.waiters = append(a.waiters, w)
	return w
}

// unwaitLocked withdraws a reader's channel, drained, for reuse.
func (a *Association) unwaitLocked(w chan struct{}) {
	if i := slices.Index(a.waiters, w); i >= 0 {
		a.waiters = slices.Delete(a.waiters, i, i+1)
	}
	select {
	case <-w:
	default:
	}
	a.spare = append(a.spare, w)
}

func (a *Association) opError(op string, err error) error {
	return &OpError{Op: op, Peer: a.primary(), Err: err}
}

// RemoteAddrs returns the peer's addresses on the lower layer, the
// primary first.
func (a *Association) RemoteAddrs() []netip.AddrPort {
	return append([]netip.AddrPort(nil), *a.remotes.Load()...)
}

// PeerPort returns the peer's SCTP port.
func (a *Association) PeerPort() uint16 { return a.peerPort }

// State returns the association's state as of the loop's last step.
func (a *Association) State() State { return State(a.state.Load()) }

// Events returns the association's notifications. The channel is
// buffered (Config.EventQueue) and closed after the association ended.
// The loop never waits for the user: an event that finds the channel
// full is dropped and counted in Stats.EventsDropped. Nothing depends on
// reading it: Receive, Send and Done report the outcome too.
func (a *Association) Events() <-chan Event { return a.events }

// Done returns a channel closed when the association has ended.
func (a *Association) Done() <-chan struct{} { return a.done }

// Err returns why the association ended: nil while it runs and after a
// graceful shutdown.
func (a *Association) Err() error {
	select {
	case <-a.done:
		return a.endErr
	default:
		return nil
	}
}

// Stats returns the association's counters.
func (a *Association) Stats() Stats {
	var s Stats
	live := false
	err := a.e.do(func(time.Time) {
		if !a.finalized {
			s, live = a.snapshot(), true
		}
	})
	if err == nil && live {
		return s
	}
	<-a.done
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.final
}

// Send queues a message. Its data is copied, so the caller may reuse it
// at once. Send blocks while the send buffer (Config.SendBuffer) has no
// room for it, until acknowledgements make room, ctx ends or the
// association ends. A nil error means the message is queued: the
// association delivers it or reports an EventSendFailed.
func (a *Association) Send(ctx context.Context, m Message) error {
	return a.send(ctx, m, "send")
}

func (a *Association) send(c canceler, m Message, op string) error {
	if len(m.Data) == 0 {
		return a.opError(op, ErrEmptyMessage)
	}
	if err := c.Err(); err != nil {
		return a.opError(op, err)
	}
	select {
	case <-a.done:
		return a.opError(op, a.sendErr)
	default:
	}
	sm := toSend(m, append(make([]byte, 0, len(m.Data)), m.Data...))
	k, err := a.queue(sm)
	if k == nil {
		if err != nil {
			return a.opError(op, publicError(err))
		}
		return nil
	}
	for {
		select {
		case <-k.done:
			err := k.err
			a.e.putCall(k)
			if err != nil {
				return a.opError(op, publicError(err))
			}
			return nil
		case <-c.Done():
			if err := c.Err(); err != nil {
				return a.withdraw(k, err, op)
			}
		}
	}
}

// queue is Send's step: it hands the message to the engine and writes
// what that sends, or, when the send buffer is full or earlier sends
// wait for room, files a call among the association's pending sends and
// returns it. Pending sends are queued in the order they came, as
// acknowledgements make room (retrySends), and answered when the
// association ends (finalize).
func (a *Association) queue(m send.Message) (*call, error) {
	l := a.e.l
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ended {
		return nil, a.e.closedErr()
	}
	if a.finalized {
		return nil, a.sendErr
	}
	now := time.Now()
	if len(a.pending) == 0 {
		err := a.eng.Send(now, m)
		if !errors.Is(err, send.ErrQueueFull) {
			if err == nil {
				a.msgsSent.Add(1)
				l.touch(a)
				l.settle(now)
			}
			return nil, err
		}
	}
	k := a.e.getCall()
	k.m = m
	a.pending = append(a.pending, k)
	return k, nil
}

// withdraw cancels a pending send whose caller gave up. A send the loop
// queued in the meantime stays queued: its caller learns it from the nil
// error.
func (a *Association) withdraw(k *call, err error, op string) error {
	l := a.e.l
	l.mu.Lock()
	i := slices.Index(a.pending, k)
	if i >= 0 {
		a.pending = slices.Delete(a.pending, i, i+1)
	}
	l.mu.Unlock()
	if i >= 0 {
		a.e.putCall(k)
		return a.opError(op, err)
	}
	// Whatever took k from the pending sends answered it.
	<-k.done
	err = k.err
	a.e.putCall(k)
	if err != nil {
		return a.opError(op, publicError(err))
	}
	return nil
}

// Receive returns the next message, in the order the association
// delivered them, of any stream without a StreamConn view. After the
// peer shut down and every message was read it returns io.EOF; after an
// abort, once the messages received before it are read, an *OpError
// with the reason (an *AbortError when the peer aborted).
func (a *Association) Receive(ctx context.Context) (Message, error) {
	return a.receive(ctx, -1, "receive")
}

// receive waits for a message of stream (any unclaimed one when
// negative).
func (a *Association) receive(c canceler, stream int, op string) (Message, error) {
	for {
		a.mu.Lock()
		var m Message
		var ok bool
		if stream < 0 {
			m, ok = a.rq.popAny()
		} else {
			m, ok = a.rq.popStream(uint16(stream))
		}
		if ok {
			a.afterPopLocked()
			a.mu.Unlock()
			a.msgsRecv.Add(1)
			return m, nil
		}
		if a.eof {
			a.mu.Unlock()
			return Message{}, io.EOF
		}
		if a.ended {
			a.mu.Unlock()
			return Message{}, a.opError(op, a.endErr)
		}
		if err := c.Err(); err != nil {
			a.mu.Unlock()
			return Message{}, a.opError(op, err)
		}
		w := a.waitLocked()
		a.mu.Unlock()
		select {
		case <-w:
		case <-c.Done():
		}
		a.mu.Lock()
		a.unwaitLocked(w)
		a.mu.Unlock()
	}
}

// afterPopLocked asks the loop for more messages when the queues had
// been full and now have room.
func (a *Association) afterPopLocked() {
	if !a.starved || a.rq.held >= a.e.rcvCap {
		return
	}
	a.starved = false
	e := a.e
	e.kickMu.Lock()
	e.kicked = append(e.kicked, a)
	e.kickMu.Unlock()
	select {
	case e.kick <- struct{}{}:
	default:
	}
}

// Shutdown starts a graceful shutdown (RFC 9260 §9.2) and waits for it
// to complete: what was queued is delivered and acknowledged first, and
// no new message is accepted. It returns nil once SHUTDOWN COMPLETE is
// exchanged, the reason when the association ended otherwise, or ctx's
// error; the shutdown goes on after ctx ends.
func (a *Association) Shutdown(ctx context.Context) error {
	err := a.e.do(func(now time.Time) {
		if !a.finalized {
			a.eng.Shutdown(now)
			a.e.l.touch(a)
		}
	})
	if err != nil {
		<-a.done // the loop ended: it finalized every association
	}
	select {
	case <-a.done:
		if a.endErr != nil {
			return a.opError("shutdown", a.endErr)
		}
		return nil
	case <-ctx.Done():
		return a.opError("shutdown", ctx.Err())
	}
}

// SetPrimary makes addr, one of the peer's addresses, the primary path
// (RFC 9260 §11.1 SET PRIMARY): new data goes there while it is active.
// The address must be confirmed (§5.4).
func (a *Association) SetPrimary(addr netip.Addr) error {
	var err error
	derr := a.e.do(func(time.Time) {
		if a.finalized {
			err = net.ErrClosed
			return
		}
		err = a.eng.SetPrimary(addr)
		a.setRemotes(a.eng.Paths())
		a.e.l.touch(a)
	})
	if derr != nil {
		err = derr
	}
	if err != nil {
		return a.opError("set primary", err)
	}
	return nil
}

// Abort ends the association at once (RFC 9260 §9.1): the peer gets an
// ABORT with a User-Initiated Abort cause carrying reason, queued data
// is dropped and reported by EventSendFailed. The calls of the
// association then return errors wrapping net.ErrClosed. Abort returns
// once the association has ended.
func (a *Association) Abort(reason string) {
	a.e.do(func(now time.Time) {
		if !a.finalized {
			a.eng.Abort(now, reason)
			a.e.l.touch(a)
		}
	})
	// The loop ends the association in the step that aborted it, or
	// ended it before; an ended loop has ended them all.
	<-a.done
}

// Close shuts the association down gracefully, waiting at most
// Config.Linger, and aborts it if that did not finish. It returns nil
// when the association ended gracefully or by this call's abort.
func (a *Association) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), a.e.linger)
	defer cancel()
	err := a.Shutdown(ctx)
	if err == nil {
		return nil
	}
	select {
	case <-a.done:
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		return err
	default:
	}
	a.Abort("close: shutdown timed out")
	return nil
}
