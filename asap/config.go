package asap

import (
	"errors"
	"log/slog"
	"net/netip"
	"strconv"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

// Config is what a pool element and a pool user share: where the
// registrars are, and the timers and thresholds of RFC 5352 §7. The zero
// value of every field means its default, documented on it; the RFC gives
// each default as the value a timer is "normally set to". Negative values
// are refused.
type Config struct {
	// Registrars is the static list of ENRP servers (RFC 5352 §3.6: "If
	// multicast capabilities are not used within the operational scope,
	// each PU and PE MUST have a configured list"). Each entry is one
	// registrar's address on the lower layer: IP address and UDP
	// encapsulation port. They all listen on RegistrarPort.
	Registrars []netip.AddrPort

	// RegistrarPort is the SCTP port of the registrars: 3863, the ASAP
	// port (RFC 5352 §8.2), by default. A PE also takes associations
	// from this port for registrars (see PoolElement.Accept).
	RegistrarPort uint16

	// EncapPort is the UDP encapsulation port (RFC 6951) assumed for
	// addresses learned from ASAP messages, which carry IP addresses
	// only: registrars from announcements and pool elements from handle
	// resolutions. Default 9899, the IANA port.
	EncapPort uint16

	// Announcements, when set, is read for ASAP_SERVER_ANNOUNCE messages
	// (RFC 5352 §3.6), which add registrars to the static list for
	// T7ENRPOutdate each. ListenAnnounce opens the UDP multicast
	// group; nil (the default) turns announcements off.
	Announcements AnnounceSource

	// MaxAnnounced bounds the registrars learned from announcements, so
	// that a flood of announcements cannot grow the list without end.
	// Default 16.
	MaxAnnounced int

	// T1ENRPRequest bounds the wait for the answer to a request to the
	// home registrar (RFC 5352 §3.3 NR4, §3.7.2; §7.1: 15 s).
	T1ENRPRequest time.Duration

	// T2Registration bounds the wait for ASAP_REGISTRATION_RESPONSE
	// (RFC 5352 §3.1 R4; §7.1: 30 s). It doubles on each further
	// attempt, up to RetranMax.
	T2Registration time.Duration

	// T3Deregistration bounds the wait for ASAP_DEREGISTRATION_RESPONSE
	// (RFC 5352 §3.2 D4; §7.1: 30 s).
	T3Deregistration time.Duration

	// T4Reregistration caps the period of re-registration (RFC 5352
	// §7.1: 10 minutes, or 20 s less than the registration lifetime,
	// whichever is less).
	T4Reregistration time.Duration

	// T5ServerHunt bounds one round of the server hunt (RFC 5352 §3.6
	// SH2; §7.1: 10 s). It doubles after each round that found no
	// registrar (SH5.1), up to RetranMax.
	T5ServerHunt time.Duration

	// T6ServerAnnounce is the period of ASAP_SERVER_ANNOUNCE (RFC 5352
	// §7.1: 1 s). Registrars send announcements, not pool elements or
	// users; the field is here so that a registrar's ASAP side can share
	// this Config.
	T6ServerAnnounce time.Duration

	// T7ENRPOutdate is how long a registrar learned from an
	// announcement stays in the list without being announced again (RFC
	// 5352 §3.6; §7.1: 5 s).
	T7ENRPOutdate time.Duration

	// RetranMax caps the back-off of the registration and server hunt
	// timers (RFC 5352 §7.3 RETRAN-MAX: 60 s).
	RetranMax time.Duration

	// MaxRegAttempt is MAX-REG-ATTEMPT (RFC 5352 §7.3: 2): registration
	// attempts at one registrar before a server hunt.
	MaxRegAttempt int

	// MaxRequestRetransmit is MAX-REQUEST-RETRANSMIT (RFC 5352 §7.3:
	// 2): how many times a request is sent again on T1ENRPRequest's
	// expiry before it fails (§3.7.2).
	MaxRequestRetransmit int

	// StaleCacheValue is stale_cache_value (RFC 5352 §7.2): how long a
	// pool user's cached handle resolution is used without asking again
	// (§3.3 C2, C4). The RFC gives no value; the default is 5 s, which
	// keeps the cache close to the registrar's view while sparing it a
	// request per selection.
	StaleCacheValue time.Duration

	// MaxHuntAssocs is how many registrars a server hunt tries at once
	// (RFC 5352 §3.6 SH1: "no more than three"). Default 3; more is
	// refused.
	MaxHuntAssocs int

	// Logger receives the log: registrations, registrar changes and
	// failures at Info and Warn, messages at Debug. Nil discards.
	Logger *slog.Logger
}

// Defaults of the Config fields that msg does not define.
const (
	DefaultStaleCacheValue = 5 * time.Second
	DefaultMaxAnnounced    = 16
	DefaultEncapPort       = 9899
)

// ErrConfig is matched by every *ConfigError.
var ErrConfig = errors.New("asap: invalid configuration")

// ConfigError names a configuration field that cannot be used and why.
type ConfigError struct {
	Field string
	Rule  string
}

func (e *ConfigError) Error() string { return "asap: " + e.Field + ": " + e.Rule }

// Is makes errors.Is(err, ErrConfig) true.
func (e *ConfigError) Is(target error) bool { return target == ErrConfig }

// withDefaults checks c and fills in the defaults.
func (c Config) withDefaults() (Config, error) {
	durs := []struct {
		name string
		v    *time.Duration
		def  time.Duration
	}{
		{"T1ENRPRequest", &c.T1ENRPRequest, msg.T1ENRPRequest},
		{"T2Registration", &c.T2Registration, msg.T2Registration},
		{"T3Deregistration", &c.T3Deregistration, msg.T3Deregistration},
		{"T4Reregistration", &c.T4Reregistration, msg.T4Reregistration},
		{"T5ServerHunt", &c.T5ServerHunt, msg.T5ServerHunt},
		{"T6ServerAnnounce", &c.T6ServerAnnounce, msg.T6ServerAnnounce},
		{"T7ENRPOutdate", &c.T7ENRPOutdate, msg.T7ENRPOutdate},
		{"RetranMax", &c.RetranMax, msg.RetranMax},
		{"StaleCacheValue", &c.StaleCacheValue, DefaultStaleCacheValue},
	}
	for _, d := range durs {
		if *d.v < 0 {
			return c, &ConfigError{Field: d.name, Rule: "negative duration " + d.v.String()}
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
		{"MaxRegAttempt", &c.MaxRegAttempt, msg.MaxRegAttempt},
		{"MaxRequestRetransmit", &c.MaxRequestRetransmit, msg.MaxRequestRetrans},
		{"MaxHuntAssocs", &c.MaxHuntAssocs, msg.MaxHuntAssocs},
		{"MaxAnnounced", &c.MaxAnnounced, DefaultMaxAnnounced},
	}
	for _, n := range ints {
		if *n.v < 0 {
			return c, &ConfigError{Field: n.name, Rule: "negative count " + strconv.Itoa(*n.v)}
		}
		if *n.v == 0 {
			*n.v = n.def
		}
	}
	if c.MaxHuntAssocs > msg.MaxHuntAssocs {
		// RFC 5352 §3.6 SH1: "An ASAP Endpoint MUST NOT establish more
		// than three associations or connections."
		return c, &ConfigError{Field: "MaxHuntAssocs", Rule: "more than 3 associations at once (RFC 5352 §3.6 SH1)"}
	}
	if c.RetranMax < c.T2Registration || c.RetranMax < c.T5ServerHunt {
		c.RetranMax = max(c.T2Registration, c.T5ServerHunt)
	}
	if c.RegistrarPort == 0 {
		c.RegistrarPort = msg.PortASAP
	}
	if c.EncapPort == 0 {
		c.EncapPort = DefaultEncapPort
	}
	for i, r := range c.Registrars {
		if !r.IsValid() || r.Addr().IsUnspecified() {
			return c, &ConfigError{Field: "Registrars[" + strconv.Itoa(i) + "]", Rule: "not a usable address: " + r.String()}
		}
	}
	c.Registrars = append([]netip.AddrPort(nil), c.Registrars...)
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// backoff returns base doubled n times, capped at ceiling (RFC 5352 §3.6
// SH5.1 for T5, §7.3 RETRAN-MAX for the registration timer).
func backoff(base, ceiling time.Duration, n int) time.Duration {
	d := base
	for range n {
		if d >= ceiling/2 {
			return ceiling
		}
		d *= 2
	}
	return min(d, ceiling)
}
