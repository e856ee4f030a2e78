package asap

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// Session is a pool user's conversation with a pool rather than with one
// server: the "enhanced mode" of RSerPool (RFC 5351 §3, RFC 5352 §3.8,
// §3.9). It talks to one pool element at a time over an SCTP association
// and, when that PE fails, reports it unreachable (RFC 5352 §3.5), picks
// another and carries on, handing the new PE the last cookie the old one
// sent so that it can take up the work where it stopped.
//
// A PE is taken as failed when its association ends (abort, shutdown,
// SCTP failure detection), when a send on it fails, when it sends nothing
// for ReplyTimeout after a message, or when the application calls
// Failover. The next PE is the first reachable one of the failed PE's
// business card (RFC 5352 §3.9 BC2), then the pool's policy decides.
//
// Data travels as on an association: Send and Receive carry
// sctp.Messages with their stream and PPID. PPID 11 is ASAP's: it is the
// control channel (RFC 5352 §3.8 note), and Send refuses it.
//
// The methods are safe for concurrent use.
type Session struct {
	u      *PoolUser
	handle string
	cfg    SessionConfig
	log    *slog.Logger

	ctx      context.Context // the session's life
	cancel   context.CancelFunc
	data     chan sctp.Message
	events   chan SessionEvent
	fails    chan connFailure
	forced   chan struct{}
	loopDone chan struct{}
	wg       sync.WaitGroup // the readers
	dropped  atomic.Uint64

	mu        sync.Mutex
	conn      *sessConn     // nil while failing over
	changed   chan struct{} // closed and replaced when conn, pending or unavail change
	pending   *FailoverError
	unavail   *UnavailableError
	lastErr   error             // the last failure of the failover under way
	cookie    []byte            // the latest cookie of RFC 5352 §3.8
	order     []PoolElementInfo // the failover order of the current PE's business card
	failovers int

	closeOnce sync.Once
}

type connFailure struct {
	c   *sessConn
	err error
}

// OpenSession opens a session with the pool handle: it selects a pool
// element by the pool's policy and starts an association with it, trying
// others as Dial does. ctx bounds only the opening.
func (u *PoolUser) OpenSession(ctx context.Context, handle string, cfg SessionConfig) (*Session, error) {
	if err := checkHandle(handle); err != nil {
		return nil, err
	}
	if err := cfg.check(u); err != nil {
		return nil, err
	}
	s := &Session{
		u: u, handle: handle, cfg: cfg,
		log:      cfg.Logger.With("pool", handle),
		data:     make(chan sctp.Message, cfg.ReceiveQueue),
		events:   make(chan SessionEvent, cfg.EventQueue),
		fails:    make(chan connFailure),
		forced:   make(chan struct{}),
		loopDone: make(chan struct{}),
		changed:  make(chan struct{}),
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	stop := context.AfterFunc(ctx, s.cancel)
	c, err := s.connect(s.ctx, nil)
	stop()
	if err != nil {
		s.cancel()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	s.mu.Lock()
	s.conn = c
	s.mu.Unlock()
	s.start(c)
	go s.run()
	return s, nil
}

// Handle returns the pool handle.
func (s *Session) Handle() string { return s.handle }

// Events returns the session's notifications. The channel is never
// closed; Done says when the session has ended.
func (s *Session) Events() <-chan SessionEvent { return s.events }

// Done returns a channel closed when the session has been closed.
func (s *Session) Done() <-chan struct{} { return s.ctx.Done() }

// EventsDropped counts the events that found Events full.
func (s *Session) EventsDropped() uint64 { return s.dropped.Load() }

// PoolElement returns the pool element in use, and false while a
// failover looks for one.
func (s *Session) PoolElement() (PoolElementInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return PoolElementInfo{}, false
	}
	return s.conn.info, true
}

// Cookie returns a copy of the latest cookie received (RFC 5352 §3.8),
// nil before the first.
func (s *Session) Cookie() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.cookie...)
}

// Failovers counts the failovers completed.
func (s *Session) Failovers() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failovers
}

// Send sends m to the pool element in use. While a failover runs it
// waits for it; a message that the association did not take (the send
// failed, so the PE failed) is sent to the next PE. It returns an
// *UnavailableError when no PE has been reached for FailoverTimeout,
// ctx's error, or ErrClosed.
func (s *Session) Send(ctx context.Context, m sctp.Message) error {
	if m.PPID == msg.PPIDASAP {
		return &ConfigError{Field: "PPID", Rule: "11 is the ASAP control channel (RFC 5352 §3.8)"}
	}
	for {
		c, err := s.current(ctx)
		if err != nil {
			return err
		}
		err = c.a.Send(ctx, m)
		if err == nil {
			c.sent()
			return nil
		}
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		s.failed(c, err)
	}
}

// current returns the connection in use, waiting for a failover to end.
func (s *Session) current(ctx context.Context) (*sessConn, error) {
	for {
		s.mu.Lock()
		c, un, ch := s.conn, s.unavail, s.changed
		s.mu.Unlock()
		switch {
		case s.ctx.Err() != nil:
			return nil, ErrClosed
		case c != nil:
			return c, nil
		case un != nil:
			return nil, un
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-s.ctx.Done():
			return nil, ErrClosed
		}
	}
}

// Receive returns the next data message from the pool elements. After
// each failover it returns a *FailoverError once (errors.Is(err,
// ErrFailover)), after the messages the old PE delivered: what was sent
// and not answered may have to be sent again. While no PE has been
// reached for FailoverTimeout it returns an *UnavailableError.
func (s *Session) Receive(ctx context.Context) (sctp.Message, error) {
	for {
		select {
		case m := <-s.data:
			return m, nil
		default:
		}
		s.mu.Lock()
		p, un, c, ch := s.pending, s.unavail, s.conn, s.changed
		if p != nil {
			s.pending = nil
		}
		s.mu.Unlock()
		switch {
		case p != nil:
			return sctp.Message{}, p
		case s.ctx.Err() != nil:
			return sctp.Message{}, ErrClosed
		case c == nil && un != nil:
			return sctp.Message{}, un
		}
		select {
		case m := <-s.data:
			return m, nil
		case <-ch:
		case <-ctx.Done():
			return sctp.Message{}, ctx.Err()
		case <-s.ctx.Done():
			return sctp.Message{}, ErrClosed
		}
	}
}

// Failover leaves the pool element in use for another one, as if it had
// failed, though it is not reported unreachable: the application knows
// better (it answers wrongly, or too slowly). It returns once the
// session's loop has taken the request; the events tell the outcome.
func (s *Session) Failover(ctx context.Context) error {
	select {
	case s.forced <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-s.ctx.Done():
		return ErrClosed
	}
}

// Close ends the session: the association with the pool element in use
// is shut down, and the calls under way return ErrClosed. The pool user
// is left alone.
func (s *Session) Close() error {
	s.closeOnce.Do(func() {
		s.cancel()
		<-s.loopDone
		s.mu.Lock()
		c := s.conn
		s.conn = nil
		s.notifyLocked()
		s.mu.Unlock()
		if c != nil {
			c.close(false)
		}
		s.wg.Wait()
	})
	return nil
}

// notifyLocked wakes the calls waiting for a change of state.
func (s *Session) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Session) emit(ev SessionEvent) {
	select {
	case s.events <- ev:
	default:
		s.dropped.Add(1)
	}
}

// failed reports a failure of c to the loop. Reports about a connection
// the loop has left already are dropped.
func (s *Session) failed(c *sessConn, err error) {
	select {
	case s.fails <- connFailure{c, err}:
	case <-c.stop:
	case <-s.ctx.Done():
	}
}

// run is the session's loop: it turns failures and requests into
// failovers, one at a time.
func (s *Session) run() {
	defer close(s.loopDone)
	for {
		select {
		case f := <-s.fails:
			s.mu.Lock()
			cur := s.conn
			s.mu.Unlock()
			if f.c == cur {
				s.failover(cur, f.err, false)
			}
		case <-s.forced:
			s.mu.Lock()
			cur := s.conn
			s.mu.Unlock()
			if cur != nil {
				s.failover(cur, errForced, true)
			}
		case <-s.ctx.Done():
			return
		}
	}
}
