package asap

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// ServerSessionConfig configures a pool element's side of a session.
type ServerSessionConfig struct {
	// Signer signs the cookies SendCookie sends and verifies the echoed
	// ones, with the pool's key (RFC 5352 §3.8). Nil: SendCookie fails
	// and an echoed cookie is refused.
	Signer *CookieSigner

	// Restore gets the state of a verified ASAP_COOKIE_ECHO, before
	// Receive returns the data that follows it: the state the failed PE
	// last handed out. Its error is returned by Receive. Nil drops the
	// state.
	Restore func(state []byte) error

	// MaxCookieAge, when not zero, refuses an echoed cookie issued longer
	// ago than this (or as far ahead, when PE clocks disagree that much).
	// RFC 5352 §9.1 counts replay among the threats (threat 5): the
	// MAC of §3.8 stops forgery but not the echo of an old, honest
	// cookie, which brings back a state that has moved on since; the
	// age bounds how old a state can come back. It must exceed the longest quiet
	// spell of a session, since a PE sends a cookie only when the state
	// changes. Zero (the default) accepts any age.
	MaxCookieAge time.Duration

	// Logger receives the log. Nil discards.
	Logger *slog.Logger
}

// ServerSession is a pool element's side of a session: an association
// with a pool user whose control channel (PPID 11) carries the cookies
// and business cards of RFC 5352 §3.8 and §3.9 beside the data.
type ServerSession struct {
	a   *sctp.Association
	cfg ServerSessionConfig
	log *slog.Logger

	mu       sync.Mutex
	card     *BusinessCard
	restored int
}

// NewServerSession serves the pool user of a, an association the
// application took from PoolElement.Accept.
func NewServerSession(a *sctp.Association, cfg ServerSessionConfig) *ServerSession {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &ServerSession{a: a, cfg: cfg, log: log}
}

// Association returns the association with the pool user.
func (s *ServerSession) Association() *sctp.Association { return s.a }

// Receive returns the next data message of the pool user. On the way it
// takes the control channel: a business card is kept (PeerCard), an
// ASAP_COOKIE_ECHO is verified and its state given to Restore. A cookie
// that does not verify, forged, altered or of another pool, stops
// Receive with a *CookieError (errors.Is(err, ErrCookieInvalid)) and
// restores nothing; the application decides whether to serve the user
// from scratch or to end the association. Receive's own errors are those
// of ReadMessage.
func (s *ServerSession) Receive(ctx context.Context) (sctp.Message, error) {
	for {
		m, err := ReadMessage(ctx, s.a)
		if err != nil {
			var na *NotASAPError
			if errors.As(err, &na) {
				return na.Message, nil
			}
			if skippable(err) {
				s.log.Warn("asap: control message dropped", "err", err)
				continue
			}
			return sctp.Message{}, err
		}
		switch m := m.(type) {
		case *msg.CookieEcho:
			if err := s.restore(m.Cookie); err != nil {
				return sctp.Message{}, err
			}
		case *msg.BusinessCard:
			c := cardFrom(m)
			s.mu.Lock()
			s.card = &c
			s.mu.Unlock()
		default:
			s.log.Debug("asap: control message ignored", "type", m.MessageType())
		}
	}
}

func (s *ServerSession) restore(cookie []byte) error {
	if s.cfg.Signer == nil {
		return &CookieError{Offset: 0, Rule: "no pool key configured to verify it"}
	}
	state, err := s.cfg.Signer.Open(cookie)
	if err == nil {
		err = s.checkAge(cookie)
	}
	if err != nil {
		s.log.Warn("asap: echoed cookie refused", "err", err)
		return err
	}
	s.mu.Lock()
	s.restored++
	s.mu.Unlock()
	if s.cfg.Restore != nil {
		return s.cfg.Restore(state)
	}
	return nil
}

// checkAge applies MaxCookieAge to a cookie Open accepted, by the issue
// time its MAC covers (byte 1 on).
func (s *ServerSession) checkAge(cookie []byte) error {
	limit := s.cfg.MaxCookieAge
	if limit <= 0 {
		return nil
	}
	age := s.cfg.Signer.now().Sub(s.cfg.Signer.Issued(cookie))
	switch {
	case age > limit:
		return &CookieError{Offset: 1, Rule: "issued " + age.String() + " ago, more than MaxCookieAge " + limit.String() + ": stale or replayed"}
	case -age > limit:
		return &CookieError{Offset: 1, Rule: "issued " + (-age).String() + " in the future, more than MaxCookieAge " + limit.String()}
	}
	return nil
}

// Restored counts the cookies verified and restored on this session.
func (s *ServerSession) Restored() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.restored
}

// PeerCard returns the business card the pool user sent, if it did (a
// pool user that is also a pool element, RFC 5352 §3.9).
func (s *ServerSession) PeerCard() (BusinessCard, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.card == nil {
		return BusinessCard{}, false
	}
	return *s.card, true
}

// Send sends data to the pool user. PPID 11 is refused: it is the
// control channel's.
func (s *ServerSession) Send(ctx context.Context, m sctp.Message) error {
	if m.PPID == msg.PPIDASAP {
		return &ConfigError{Field: "PPID", Rule: "11 is the ASAP control channel (RFC 5352 §3.8)"}
	}
	return s.a.Send(ctx, m)
}

// SendCookie signs state with the pool's key and sends it as an
// ASAP_COOKIE (RFC 5352 §3.8); the pool user keeps the latest and hands
// it to the next PE if this one fails. Sent before the answer it goes
// with, on the same stream, it reaches the user first.
func (s *ServerSession) SendCookie(ctx context.Context, state []byte) error {
	if s.cfg.Signer == nil {
		return &ConfigError{Field: "Signer", Rule: "no pool key configured to sign cookies"}
	}
	c, err := s.cfg.Signer.Seal(state)
	if err != nil {
		return err
	}
	return WriteMessage(ctx, s.a, &msg.Cookie{Cookie: c})
}

// SendBusinessCard sends the PE's business card (RFC 5352 §3.9): its pool
// and the pool elements the user should fail over to, best first.
func (s *ServerSession) SendBusinessCard(ctx context.Context, card BusinessCard) error {
	return WriteBusinessCard(ctx, s.a, card)
}
