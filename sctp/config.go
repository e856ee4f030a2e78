package sctp

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"time"

	"github.com/rserpool/rserpool/sctp/internal/assoc"
	"github.com/rserpool/rserpool/sctp/internal/path"
)

// Config tunes an Endpoint and its associations. The zero value of every
// field means its default: the protocol parameters of RFC 9260 §16, and
// limits chosen so that no peer can make the endpoint hold unbounded
// memory. A nil *Config is the zero Config. Negative durations and
// sizes are refused by NewEndpoint, except MaxBurst.
type Config struct {
	// RTOInitial, RTOMin and RTOMax bound the retransmission timeout
	// (RFC 9260 §6.3.1; §16: 1 s, 1 s, 60 s). RTOMax below RTOMin is
	// raised to it.
	RTOInitial, RTOMin, RTOMax time.Duration

	// MaxBurst is Max.Burst (§6.1 D): packets sent at once in reply to
	// one SACK. Default 4; negative turns the limit off.
	MaxBurst int

	// PathMaxRetrans is Path.Max.Retrans (§8.2): errors after which a
	// peer address is marked inactive. Default 5.
	PathMaxRetrans int

	// PotentiallyFailed turns on SCTP-PF (RFC 7829): a peer address
	// whose error count passes PFMaxRetrans stops carrying data while
	// another is active and is probed once per RTO, so an association
	// fails over after one timeout instead of Path.Max.Retrans + 1.
	// Off by default (RFC 9260's behaviour).
	PotentiallyFailed bool

	// PFMaxRetrans is PotentiallyFailed.Max.Retrans (PFMR, RFC 7829
	// §3.2). Default 0, the recommended value: the first timeout.
	PFMaxRetrans int

	// PrimarySwitchover turns on RFC 7829 §5: once the primary's error
	// count passes SwitchoverMaxRetrans, the path data moved to becomes
	// the primary and stays so. Off by default: data switches back to
	// the primary when it is active again (RFC 9260 §6.4).
	PrimarySwitchover bool

	// SwitchoverMaxRetrans is PSMR (RFC 7829 §5). Default: PFMaxRetrans
	// with PotentiallyFailed, else PathMaxRetrans; a lower value is
	// refused, as the RFC requires.
	SwitchoverMaxRetrans int

	// AssociationMaxRetrans is Association.Max.Retrans (§8.1): errors in
	// a row after which the peer is unreachable and the association
	// ends with ErrTimeout. Default 10.
	AssociationMaxRetrans int

	// MaxInitRetransmits is Max.Init.Retransmits (§5.1): INIT and
	// COOKIE ECHO retransmissions before Dial fails with ErrTimeout.
	// Default 8.
	MaxInitRetransmits int

	// HeartbeatInterval is HB.interval (§8.3), the idle time after which
	// a peer address is probed. Default 30 s.
	HeartbeatInterval time.Duration

	// DisableHeartbeats stops the probing of idle confirmed addresses
	// (§8.3 lets the user turn it off). Addresses the peer lists are
	// still confirmed by a heartbeat (§5.4), or they could never carry
	// data.
	DisableHeartbeats bool

	// ValidCookieLife is Valid.Cookie.Life (§5.1.3): how long a State
	// Cookie this endpoint hands out stays acceptable. Default 60 s.
	ValidCookieLife time.Duration

	// SACKDelay is the delayed acknowledgement timer (§6.2). Default
	// 200 ms; the RFC caps it at 500 ms, and so does the endpoint.
	SACKDelay time.Duration

	// OutStreams is the number of outbound streams asked for in INIT
	// (OS, §5.1.1); the peer may grant fewer. Default 10.
	OutStreams uint16

	// MaxInStreams is the number of inbound streams accepted (MIS,
	// §5.1.1). Default 65535.
	MaxInStreams uint16

	// ReceiveWindow is the receive buffer of an association, the
	// a_rwnd it advertises (§6.2). Default 256 KiB; at least 1500
	// (§3.3.2). The runtime queues as much again of delivered
	// messages for Receive, so an association holds at most twice
	// this for a reader that does not keep up.
	ReceiveWindow int

	// SendBuffer is the bytes of user data an association holds, queued
	// or unacknowledged. Send blocks while a message does not fit.
	// Default 1 MiB. A larger message is refused with
	// ErrMessageTooLarge. Each message counts for at least 64 bytes,
	// so it holds at most SendBuffer/64 messages however small.
	SendBuffer int

	// MaxMessage is the largest message the endpoint reassembles; a
	// peer that sends a larger one is aborted with an Out of Resource
	// cause (ErrResources). Default ReceiveWindow.
	MaxMessage int

	// MaxAssociations caps the associations of the endpoint; a COOKIE
	// ECHO beyond it is refused with an ABORT (§5.1). Default 1024.
	MaxAssociations int

	// AcceptQueue is how many accepted associations wait for Accept; a
	// new association beyond it is aborted. Default 64.
	AcceptQueue int

	// EventQueue is the capacity of Association.Events. An event the
	// user does not take in time is dropped and counted in
	// Stats.EventsDropped: the loop that runs the protocol never waits
	// for the user. Default 32.
	EventQueue int

	// Linger is how long Association.Close waits for a graceful
	// shutdown before it aborts. Default 5 s.
	Linger time.Duration

	// Rand supplies verification tags, initial TSNs, heartbeat nonces
	// and cookie keys, which §5.3.1 wants unpredictable. Nil means
	// crypto/rand. The endpoint reads it from one goroutine only; tests
	// pass a seeded source to repeat a run exactly.
	Rand io.Reader

	// Logger receives the endpoint's log: associations up and down at
	// Debug; write errors, a full accept queue and a failed lower layer
	// at Warn. Nil discards.
	Logger *slog.Logger
}

// Defaults of the fields the runtime owns; the protocol defaults live
// with the engine.
const (
	defaultAcceptQueue = 64
	defaultEventQueue  = 32
	defaultLinger      = 5 * time.Second
)

// errConfig reports a field NewEndpoint refuses.
var errConfig = errors.New("sctp: invalid Config")

// engine returns the engine's configuration, defaults filled in.
func (c *Config) engine() (assoc.Config, error) {
	durations := []struct {
		name string
		d    time.Duration
	}{
		{"RTOInitial", c.RTOInitial}, {"RTOMin", c.RTOMin}, {"RTOMax", c.RTOMax},
		{"HeartbeatInterval", c.HeartbeatInterval}, {"ValidCookieLife", c.ValidCookieLife},
		{"SACKDelay", c.SACKDelay}, {"Linger", c.Linger},
	}
	for _, f := range durations {
		if f.d < 0 {
			return assoc.Config{}, fmt.Errorf("%w: %s is negative", errConfig, f.name)
		}
	}
	sizes := []struct {
		name string
		n    int
	}{
		{"PathMaxRetrans", c.PathMaxRetrans}, {"AssociationMaxRetrans", c.AssociationMaxRetrans},
		{"MaxInitRetransmits", c.MaxInitRetransmits}, {"ReceiveWindow", c.ReceiveWindow},
		{"SendBuffer", c.SendBuffer}, {"MaxMessage", c.MaxMessage},
		{"MaxAssociations", c.MaxAssociations}, {"AcceptQueue", c.AcceptQueue},
		{"EventQueue", c.EventQueue}, {"PFMaxRetrans", c.PFMaxRetrans},
		{"SwitchoverMaxRetrans", c.SwitchoverMaxRetrans},
	}
	for _, f := range sizes {
		if f.n < 0 {
			return assoc.Config{}, fmt.Errorf("%w: %s is negative", errConfig, f.name)
		}
	}
	ac := assoc.Config{
		Path: path.Params{
			RTOInitial:     c.RTOInitial,
			RTOMin:         c.RTOMin,
			RTOMax:         c.RTOMax,
			MaxBurst:       c.MaxBurst,
			PathMaxRetrans: c.PathMaxRetrans,
			HBInterval:     c.HeartbeatInterval,
			HBDisabled:     c.DisableHeartbeats,
			PF:             c.PotentiallyFailed,
			PFMaxRetrans:   c.PFMaxRetrans,
		},
		PrimarySwitchover:    c.PrimarySwitchover,
		SwitchoverMaxRetrans: c.SwitchoverMaxRetrans,
		MaxInitRetransmits:   c.MaxInitRetransmits,
		AssocMaxRetrans:      c.AssociationMaxRetrans,
		ValidCookieLife:      c.ValidCookieLife,
		SackDelay:            c.SACKDelay,
		OutStreams:           c.OutStreams,
		MaxInStreams:         c.MaxInStreams,
		Window:               uint32(min(c.ReceiveWindow, math.MaxUint32)),
		MaxQueued:            c.SendBuffer,
		MaxMessage:           c.MaxMessage,
		MaxAssociations:      c.MaxAssociations,
	}
	if err := ac.Check(); err != nil {
		return assoc.Config{}, fmt.Errorf("%w: %v", errConfig, err)
	}
	return ac.Defaults(), nil
}

// runtime returns the runtime's own settings with their defaults.
func (c *Config) runtime() (acceptQueue, eventQueue int, linger time.Duration) {
	acceptQueue, eventQueue, linger = c.AcceptQueue, c.EventQueue, c.Linger
	if acceptQueue == 0 {
		acceptQueue = defaultAcceptQueue
	}
	if eventQueue == 0 {
		eventQueue = defaultEventQueue
	}
	if linger == 0 {
		linger = defaultLinger
	}
	return
}
