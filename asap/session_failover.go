package asap

import (
	"context"
	"errors"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

// failover leaves old and looks for another pool element until one is
// reached or the session is closed. After FailoverTimeout without one,
// the calls of the application get an *UnavailableError; the search goes
// on every RetryInterval, the failed PE included from the second round
// on, so a PE that comes back is used again.
func (s *Session) failover(old *sessConn, cause error, forced bool) {
	start := time.Now()
	s.mu.Lock()
	s.conn = nil
	s.lastErr = cause
	s.notifyLocked()
	s.mu.Unlock()
	old.close(true)
	s.log.Info("asap: session failover", "pe", old.info.ID, "forced", forced, "err", cause)
	s.emit(SessionEvent{Kind: SessionFailoverStarted, From: old.info, Forced: forced, Err: cause})
	if !forced {
		// RFC 5352 §3.5: a PE found unreachable is reported to the home
		// registrar, which checks it and removes it if it is gone.
		s.u.reportLater(s.handle, old.info.ID)
	}
	unavailable := time.AfterFunc(s.cfg.FailoverTimeout, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.conn != nil || s.ctx.Err() != nil {
			return
		}
		s.unavail = &UnavailableError{Handle: s.handle, Since: time.Since(start), Last: s.lastErr}
		s.notifyLocked()
		s.emit(SessionEvent{Kind: SessionUnavailable, From: old.info, Err: s.unavail})
	})
	defer unavailable.Stop()
	excluded := map[msg.PEID]bool{old.info.ID: true}
	for {
		c, err := s.connect(s.ctx, excluded)
		if err == nil {
			restored := c.echoed
			s.mu.Lock()
			s.conn = c
			s.unavail = nil
			s.lastErr = nil
			s.failovers++
			s.pending = &FailoverError{From: old.info, To: c.info, Cause: cause}
			s.notifyLocked()
			s.mu.Unlock()
			s.start(c)
			took := time.Since(start)
			s.log.Info("asap: session failed over", "from", old.info.ID, "to", c.info.ID, "took", took, "cookie", restored)
			s.emit(SessionEvent{Kind: SessionFailoverCompleted, From: old.info, To: c.info, Forced: forced, Err: cause, Took: took, Restored: restored})
			return
		}
		if s.ctx.Err() != nil {
			return
		}
		s.mu.Lock()
		s.lastErr = err
		if s.unavail != nil {
			s.unavail.Since, s.unavail.Last = time.Since(start), err
		}
		s.mu.Unlock()
		excluded = nil
		t := time.NewTimer(s.cfg.RetryInterval)
		select {
		case <-t.C:
		case <-s.ctx.Done():
			t.Stop()
			return
		}
	}
}

// connect reaches a pool element other than the excluded ones: first
// those of the business card in its order (RFC 5352 §3.9 BC2), less
// those this pool user found unreachable within stale_cache_value, then
// up to MaxDialAttempts chosen by the pool's policy. On the association it
// sends the latest cookie as an ASAP_COOKIE_ECHO before anything else
// (RFC 5352 §3.8), then the session's own business card, if any.
func (s *Session) connect(ctx context.Context, excluded map[msg.PEID]bool) (*sessConn, error) {
	tried := make(map[msg.PEID]bool)
	var last error
	s.mu.Lock()
	order := s.order
	s.mu.Unlock()
	for _, info := range order {
		if excluded[info.ID] || tried[info.ID] || s.foundUnreachable(info.ID) {
			continue
		}
		tried[info.ID] = true
		c, err := s.dial(ctx, info)
		if err == nil {
			return c, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		last = err
	}
	for range s.u.cfg.MaxDialAttempts {
		info, err := s.u.Select(ctx, s.handle)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if last == nil {
				last = err
			}
			break
		}
		if excluded[info.ID] || tried[info.ID] {
			// Still cached (a registrar lists it until its keep-alive
			// fails): keep it out of this round's choice.
			s.u.forget(s.handle, info.ID)
			continue
		}
		tried[info.ID] = true
		c, err := s.dial(ctx, info)
		if err == nil {
			return c, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		last = err
	}
	if last == nil {
		last = ErrNoPoolElement
	}
	return nil, &DialError{Handle: s.handle, Attempts: len(tried), Last: last}
}

// dial starts an association with one pool element and opens the
// control channel on it. A PE that cannot be reached is reported (RFC
// 5352 §3.5).
func (s *Session) dial(ctx context.Context, info PoolElementInfo) (*sessConn, error) {
	if info.Transport != msg.ParamSCTPTransport || len(info.Addrs) == 0 {
		s.u.forget(s.handle, info.ID)
		return nil, &transportError{info: info}
	}
	dctx, cancel := context.WithTimeout(ctx, s.cfg.DialTimeout)
	defer cancel()
	a, err := s.u.ep.Dial(dctx, info.AddrPorts(s.u.cfg.EncapPort), info.Port)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("asap: pool element unreachable", "pe", info.ID, "addr", info.String(), "err", err)
			s.u.reportLater(s.handle, info.ID)
		}
		return nil, err
	}
	c := newSessConn(s, a, info)
	s.mu.Lock()
	cookie := s.cookie
	s.mu.Unlock()
	if cookie != nil {
		if err := WriteMessage(dctx, a, &msg.CookieEcho{Cookie: cookie}); err != nil {
			a.Abort("asap: cookie echo not sent")
			return nil, errors.Join(errors.New("asap: cookie echo"), err)
		}
		c.echoed = true
	}
	if card := s.cfg.Card; card != nil {
		if err := WriteBusinessCard(dctx, a, *card); err != nil {
			a.Abort("asap: business card not sent")
			return nil, err
		}
	}
	return c, nil
}

// foundUnreachable says whether the pool user reported the PE
// unreachable within stale_cache_value (RFC 5352 §3.5). A card is as old
// as the PE that sent it lets it be, and a PE that failed under this
// session a moment ago may still head the next PE's order, since the
// registrar lists it until its keep-alive fails: dialing it would cost
// DialTimeout for a PE known dead. The policy's choice skips it the same
// way (the cache leaves it out).
func (s *Session) foundUnreachable(id msg.PEID) bool {
	u := s.u
	u.mu.Lock()
	defer u.mu.Unlock()
	until, ok := u.cache.unreachable[peKey{s.handle, id}]
	return ok && time.Now().Before(until)
}
