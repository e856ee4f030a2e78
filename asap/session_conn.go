package asap

import (
	"sync"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// sessConn is a session's association with one pool element: a reader
// that splits the control channel (PPID 11) from the data, and the
// watchdog of SessionConfig.ReplyTimeout.
type sessConn struct {
	s      *Session
	a      *sctp.Association
	info   PoolElementInfo
	echoed bool          // a cookie was echoed on it
	stop   chan struct{} // closed when the session leaves it

	mu    sync.Mutex
	timer *time.Timer // ReplyTimeout, armed while a message waits for an answer
	armed bool
	once  sync.Once
}

func newSessConn(s *Session, a *sctp.Association, info PoolElementInfo) *sessConn {
	return &sessConn{s: s, a: a, info: info, stop: make(chan struct{})}
}

// start runs c's reader.
func (s *Session) start(c *sessConn) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		c.read()
	}()
}

func (c *sessConn) read() {
	s := c.s
	for {
		m, err := c.a.Receive(s.ctx)
		if err != nil {
			// io.EOF is the PE's shutdown: it leaves the pool user as
			// surely as a crash does.
			s.failed(c, err)
			return
		}
		if m.PPID == msg.PPIDASAP {
			c.alive()
			s.control(c, m.Data)
			continue
		}
		c.answered()
		select {
		case s.data <- m:
		case <-c.stop:
			return
		case <-s.ctx.Done():
			return
		}
	}
}

// control takes an ASAP message of the control channel: the cookie
// replaces the one kept (RFC 5352 §3.8), the business card the failover
// order (§3.9 BC2). Anything else, or what does not decode, is logged
// and dropped: the data goes on.
func (s *Session) control(c *sessConn, b []byte) {
	m, err := msg.DecodeASAP(b)
	if err != nil {
		s.log.Warn("asap: control message dropped", "pe", c.info.ID, "err", err)
		return
	}
	switch m := m.(type) {
	case *msg.Cookie:
		if len(m.Cookie) > MaxCookieLen {
			s.log.Warn("asap: cookie too long, dropped", "pe", c.info.ID, "len", len(m.Cookie), "max", MaxCookieLen)
			return
		}
		s.mu.Lock()
		s.cookie = append(s.cookie[:0:0], m.Cookie...)
		s.mu.Unlock()
		s.emit(SessionEvent{Kind: SessionCookie, From: c.info})
	case *msg.BusinessCard:
		card := cardFrom(m)
		if card.Handle != s.handle {
			// BC1 has a pool user that is also a PE learn its peer's
			// pool this way; this session fails over within its own.
			s.log.Info("asap: business card of another pool ignored", "pe", c.info.ID, "pool", card.Handle)
			return
		}
		s.mu.Lock()
		s.order = card.Order
		s.mu.Unlock()
		s.emit(SessionEvent{Kind: SessionBusinessCard, From: c.info, Order: card.Order})
	default:
		s.log.Debug("asap: control message ignored", "pe", c.info.ID, "type", m.MessageType())
	}
}

// sent arms the reply timer if it is not armed already.
func (c *sessConn) sent() {
	d := c.s.cfg.ReplyTimeout
	if d <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.armed {
		return
	}
	c.armed = true
	if c.timer == nil {
		c.timer = time.AfterFunc(d, func() { c.s.failed(c, ErrNoAnswer) })
	} else {
		c.timer.Reset(d)
	}
}

// answered disarms the reply timer: data came.
func (c *sessConn) answered() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.armed {
		c.armed = false
		c.timer.Stop()
	}
}

// alive restarts an armed reply timer: a control message (a checkpoint
// cookie of a long job) shows the PE at work.
func (c *sessConn) alive() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.armed {
		c.timer.Reset(c.s.cfg.ReplyTimeout)
	}
}

// close leaves the association: aborted when the PE failed, shut down
// gracefully when the session ends.
func (c *sessConn) close(abort bool) {
	c.once.Do(func() {
		close(c.stop)
		c.mu.Lock()
		if c.timer != nil {
			c.timer.Stop()
		}
		c.mu.Unlock()
		if abort {
			c.a.Abort("asap: session failover")
		} else {
			c.a.Close()
		}
	})
}
