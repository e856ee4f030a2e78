package asap

import (
	"log/slog"
	"time"
)

// SessionConfig configures a pool user's session (PoolUser.OpenSession).
// The zero value of every field means its default.
type SessionConfig struct {
	// ReplyTimeout declares the pool element failed when it sends no
	// data for this long after the session sent it a message, though the
	// association stays up: a PE that hangs keeps answering SCTP
	// heartbeats. Zero turns it off, leaving failure detection to SCTP
	// (association lost, send failure) and to the application (Failover).
	ReplyTimeout time.Duration

	// DialTimeout bounds the start of an association with one pool
	// element. Default: the pool user's DialTimeout.
	DialTimeout time.Duration

	// FailoverTimeout is how long a failover may look for a pool element
	// before the application is told the pool is unavailable: Send and
	// Receive then return an *UnavailableError matching
	// ErrNoPoolElement. The session keeps looking, every RetryInterval,
	// and uses the first PE that answers again. Default 30 s.
	FailoverTimeout time.Duration

	// RetryInterval is the pause between two rounds of a failover that
	// reached no pool element. Default 1 s.
	RetryInterval time.Duration

	// ReceiveQueue bounds the data messages read from the pool element
	// and not yet taken by Receive; the reader waits when it is full,
	// which lets SCTP flow control hold the PE back. Default 64.
	ReceiveQueue int

	// EventQueue is the capacity of Events; events that find it full are
	// dropped, since the session never waits for its application.
	// Default 16.
	EventQueue int

	// Card, when set, is sent to every pool element the session uses,
	// after the cookie echo: RFC 5352 §3.9 has a pool user that is also a
	// pool element send its business card, so the PE learns its pool.
	Card *BusinessCard

	// Logger receives the session's log. Nil means the pool user's.
	Logger *slog.Logger
}

// Defaults of SessionConfig.
const (
	DefaultFailoverTimeout = 30 * time.Second
	DefaultRetryInterval   = time.Second
	DefaultReceiveQueue    = 64
)

func (cfg *SessionConfig) check(u *PoolUser) error {
	durs := []struct {
		name string
		v    *time.Duration
		def  time.Duration
	}{
		{"ReplyTimeout", &cfg.ReplyTimeout, 0},
		{"DialTimeout", &cfg.DialTimeout, u.cfg.DialTimeout},
		{"FailoverTimeout", &cfg.FailoverTimeout, DefaultFailoverTimeout},
		{"RetryInterval", &cfg.RetryInterval, DefaultRetryInterval},
	}
	for _, d := range durs {
		if *d.v < 0 {
			return &ConfigError{Field: d.name, Rule: "negative duration " + d.v.String()}
		}
		if *d.v == 0 {
			*d.v = d.def
		}
	}
	ints := []struct {
		name string
		v    *int
		def  int
	}{
		{"ReceiveQueue", &cfg.ReceiveQueue, DefaultReceiveQueue},
		{"EventQueue", &cfg.EventQueue, DefaultEventQueue},
	}
	for _, n := range ints {
		if *n.v < 0 {
			return &ConfigError{Field: n.name, Rule: "negative"}
		}
		if *n.v == 0 {
			*n.v = n.def
		}
	}
	if c := cfg.Card; c != nil {
		if err := checkHandle(c.Handle); err != nil {
			return err
		}
		if len(c.Order) == 0 {
			return &ConfigError{Field: "Card", Rule: "no pool element in the failover order (RFC 5352 §2.2.13)"}
		}
	}
	if cfg.Logger == nil {
		cfg.Logger = u.log
	}
	return nil
}
