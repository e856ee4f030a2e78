package enrp

import (
	"errors"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/rserpool/rserpool/asap/handlespace"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/asap/policy"
)

// Config tunes a Registrar. The zero value of every field means its
// default, documented on it. Negative durations and counts are refused by
// New, except where a field says what a negative value means.
type Config struct {
	// ServerID is the registrar's identifier (RFC 5353 §3.2.1). Zero
	// means a random non-zero number drawn from Rand at New, which the
	// registrar keeps for its life.
	ServerID msg.ServerID

	// KeepAliveInterval is the mean time between two
	// ASAP_ENDPOINT_KEEP_ALIVE messages to one PE the registrar is home
	// for (RFC 5352 §3.5: "periodically send point-to-point
	// ASAP_ENDPOINT_KEEP_ALIVE"). Each gap is drawn uniformly from half to
	// one and a half times it, as §3.5 requires so that many PEs do not
	// get their keep-alives in bursts. Default 5 s, rsplib's registrar's
	// value; the RFC gives none.
	KeepAliveInterval time.Duration

	// KeepAliveTimeout is how long the registrar waits for a PE's
	// ASAP_ENDPOINT_KEEP_ALIVE_ACK before it takes the PE for
	// unreachable and removes it (RFC 5352 §3.5). Default 5 s, rsplib's.
	KeepAliveTimeout time.Duration

	// MaxBadPEReports is MAX-BAD-PE-REPORT (RFC 5352 §3.5): the PE that
	// has been reported unreachable this many times since it last
	// registered is removed. RFC 5352 names the threshold without a
	// value; the default is 3, rsplib's.
	MaxBadPEReports int

	// MaxHandleResolutionItems caps the pool elements in one
	// ASAP_HANDLE_RESOLUTION_RESPONSE; a pool user asking for fewer with
	// rsplib's Handle Resolution Option gets fewer. RFC 5352 §3.3 says
	// the response SHOULD list all the PEs of the pool; rsplib lists 3,
	// the default here, so that a large pool does not cost a large
	// response per resolution and the policy's choice matters. A negative
	// value lists the whole pool, as far as one message holds it.
	MaxHandleResolutionItems int

	// RegistrationLifeUnit is the unit of the Registration Life field of
	// the Pool Element parameter. RFC 5354 §3.10 counts seconds, the
	// default; rsplib's pool elements count milliseconds (they send
	// 90000), so a registrar serving them sets time.Millisecond.
	RegistrationLifeUnit time.Duration

	// MinRegistrationLife and MaxRegistrationLife bound the lifetime a
	// registration is granted. A longer one, infinite (-1) included, is
	// granted for MaxRegistrationLife and a shorter one for
	// MinRegistrationLife; the registration response then carries an
	// Invalid Values warning with the Pool Element as the registrar
	// keeps it (RFC 5352 §2.2.3: with R clear the Operation Error says
	// "some of its registration values may have been modified"). A
	// lifetime of 0 or below -1 is refused as invalid. Defaults 1 s and
	// 1 hour: longer than the 10 minutes at most between two
	// re-registrations (T4, RFC 5352 §7.1), short enough that a PE the
	// keep-alives cannot reach still leaves.
	MinRegistrationLife, MaxRegistrationLife time.Duration

	// MaxRegistrationsPerAssociation caps the pool elements registered
	// through one association, so that one client cannot fill the
	// handlespace (RFC 5355 §2.1, registration flooding). Default 64.
	MaxRegistrationsPerAssociation int

	// AllowForeignAddresses turns off the check that the addresses a PE
	// registers in its user transport are among the addresses of the
	// association it registers over (RFC 5352 §2.2.1: they "MUST be a
	// subset"). The check keeps a client from pointing pool users at a
	// host that is not its own (RFC 5355 §2.2).
	AllowForeignAddresses bool

	// Limits bound the handlespace: pools, PEs per pool, PEs in all,
	// bytes of a pool handle. Zero fields take the handlespace package's
	// defaults.
	Limits handlespace.Limits

	// UnreachableRate and UnreachableBurst limit the
	// ASAP_ENDPOINT_UNREACHABLE messages taken from one association: a
	// token bucket of UnreachableBurst tokens refilled at UnreachableRate
	// per second. Reports beyond it are dropped and counted
	// (Stats.UnreachableDropped), so that one pool user cannot remove
	// PEs by reporting them in a burst, nor make the registrar probe a PE
	// at its own pace (RFC 5355 §2.9, §2.10). Defaults 1 per second, a
	// burst of 5.
	UnreachableRate  float64
	UnreachableBurst int

	// SendQueue is how many messages wait for one association's sender.
	// A peer that leaves them unread until the queue is full (the SCTP
	// send buffer being full before) is aborted: it does not read its
	// answers, and the registrar will not hold them. Default 256.
	SendQueue int

	// AnnounceInterval is T6-Serverannounce (RFC 5352 §7.1: 1 s), the
	// period of ASAP_SERVER_ANNOUNCE. RFC 5352 §3.6 stretches it to
	// (N+1)*T6 with N the registrars heard announcing; this registrar does
	// not listen to the group, so N is 0.
	AnnounceInterval time.Duration

	// AnnounceAddr is where ASAP_SERVER_ANNOUNCE goes: rsplib's group
	// 239.0.0.50:3863 by default (msg.ASAPAnnounceGroup).
	AnnounceAddr netip.AddrPort

	// DisableAnnounce turns the announcements off; pool elements and
	// users then need the registrar's address in their static list (RFC
	// 5352 §3.6).
	DisableAnnounce bool

	// AnnounceConn, when set, is the socket announcements are written to,
	// instead of one the registrar opens (for a chosen interface or TTL,
	// and for tests). The registrar does not close it.
	AnnounceConn net.PacketConn

	// ENRPMulticastAddr is the UDP group where ENRP_PRESENCE is sent every
	// PeerHeartbeatCycle and listened for, so that registrars find each
	// other without static peers: rsplib's group 239.0.0.51:9901 by
	// default (msg.ENRPAnnounceGroup). RFC 5353 §3.1 sends announcements
	// point to point; the group is rsplib's way of finding the peers to
	// start with (§3.2.2.1 leaves how open).
	ENRPMulticastAddr netip.AddrPort

	// DisableENRPMulticast turns the ENRP group off: the registrar then
	// knows only its static Peers and the registrars they name.
	DisableENRPMulticast bool

	// ENRPMulticastConn, when set, is the socket ENRP_PRESENCE is sent to
	// the group on and read from, instead of one the registrar opens and
	// joins to ENRPMulticastAddr (tests pass a fake). The registrar does
	// not close it; it sets a read deadline on it to stop reading.
	ENRPMulticastConn net.PacketConn

	// PeerHeartbeatCycle is PEER-HEARTBEAT-CYCLE (RFC 5353 §4.2, §3.4.2):
	// the period of the ENRP_PRESENCE heartbeat to every peer. Default
	// 30 s (msg.PeerHeartbeatCycle).
	PeerHeartbeatCycle time.Duration

	// MaxTimeLastHeard is MAX-TIME-LAST-HEARD (RFC 5353 §4.2, §3.4.3): a
	// peer silent this long is probed with a PRESENCE that asks for a
	// reply. Default 61 s, two heartbeats and a second.
	MaxTimeLastHeard time.Duration

	// MaxTimeNoResponse is MAX-TIME-NO-RESPONSE (RFC 5353 §4.2): how long
	// any ENRP request waits for its answer (the probe of a silent peer,
	// the list and handle table requests, the takeover arbitration before
	// INIT_TAKEOVER is sent again). A mentor also drops a download session
	// not continued within it (§3.2.3), and dials to peers and to adopted
	// PEs give up after it. Default 5 s.
	MaxTimeNoResponse time.Duration

	// Peers are the ENRP endpoints of other registrars known by
	// configuration (RFC 5353 §3.2.2.1): an address and the SCTP port
	// (normally 9901). The first that answers is the mentor; the others
	// are its backups, and are probed at every heartbeat until they are
	// peers, so that registrars started together find each other.
	Peers []netip.AddrPort

	// PeerLowerPort is the port of the lower layer (the UDP encapsulation
	// port) at which the ENRP endpoints of peers are reached, for the
	// addresses of Peers and of the Server Information peers announce,
	// which name only the SCTP port. Zero means the SCTP port itself: a
	// registrar's ENRP endpoint sits on its own UDP port, equal to its
	// SCTP port (9901), beside the ASAP endpoint's 9899.
	PeerLowerPort uint16

	// PELowerPort is the lower layer's port of pool elements, which the
	// registrar needs to dial a PE it adopts in a takeover (RFC 5353
	// §3.5.2): the ASAP transport it knows names addresses and the SCTP
	// port only. Default 9899, the UDP encapsulation port (RFC 6951).
	PELowerPort uint16

	// HandleTablePiece is how many pool elements one
	// ENRP_HANDLE_TABLE_RESPONSE carries at most (RFC 5353 §3.2.3: a large
	// handlespace goes in several pieces so that the mentor's other work
	// is not held up); a piece also stops before 64 KiB. Default 256.
	HandleTablePiece int

	// MaxPeers caps the peer list, so that messages from many made-up
	// server identifiers cannot grow it without end. Default 64.
	MaxPeers int

	// MaxDownloadSessions caps the handle table downloads this registrar
	// serves at once; more are refused with the R flag (RFC 5353 §3.2.3:
	// "it currently has too many download sessions open"). Default 8.
	MaxDownloadSessions int

	// MentorRetryDelay is the wait before the mentors are tried again
	// after each of them refused or did not answer (RFC 5353 §3.2.2.2:
	// "wait for a few seconds and re-send"). Default 2 s.
	MentorRetryDelay time.Duration

	// MentorRounds is how many times the whole list of Peers is tried
	// before the registrar takes itself for alone in the scope and starts
	// serving (RFC 5353 §3.2.2.1); peers that come later are found by the
	// heartbeats and their handlespaces merged by the audit. Default 3.
	MentorRounds int

	// Rand is the randomness of the registrar: the server identifier,
	// the keep-alive jitter and the random selection policies. Nil means
	// a generator seeded from crypto/rand; tests pass a seeded one. The
	// registrar uses it from one goroutine at a time.
	Rand policy.Rand

	// Logger receives the log: registrations and removals at Info,
	// refusals and peers that misbehave at Warn, messages at Debug. Nil
	// discards.
	Logger *slog.Logger
}

// Defaults of Config.
const (
	DefaultKeepAliveInterval              = 5 * time.Second
	DefaultKeepAliveTimeout               = 5 * time.Second
	DefaultMaxBadPEReports                = 3
	DefaultMaxHandleResolutionItems       = 3
	DefaultMinRegistrationLife            = time.Second
	DefaultMaxRegistrationLife            = time.Hour
	DefaultMaxRegistrationsPerAssociation = 64
	DefaultUnreachableRate                = 1.0
	DefaultUnreachableBurst               = 5
	DefaultSendQueue                      = 256
	DefaultPELowerPort                    = 9899
	DefaultHandleTablePiece               = 256
	DefaultMaxPeers                       = 64
	DefaultMaxDownloadSessions            = 8
	DefaultMentorRetryDelay               = 2 * time.Second
	DefaultMentorRounds                   = 3
)

// ErrConfig is matched by every *ConfigError.
var ErrConfig = errors.New("enrp: invalid configuration")

// ConfigError names the Config field New refuses and why.
type ConfigError struct {
	Field string
	Rule  string
}

func (e *ConfigError) Error() string { return "enrp: Config." + e.Field + ": " + e.Rule }

// Is makes errors.Is(err, ErrConfig) true.
func (e *ConfigError) Is(target error) bool { return target == ErrConfig }

// withDefaults checks c and fills in its defaults.
func (c Config) withDefaults() (Config, error) {
	durs := []struct {
		name string
		v    *time.Duration
		def  time.Duration
	}{
		{"KeepAliveInterval", &c.KeepAliveInterval, DefaultKeepAliveInterval},
		{"KeepAliveTimeout", &c.KeepAliveTimeout, DefaultKeepAliveTimeout},
		{"RegistrationLifeUnit", &c.RegistrationLifeUnit, time.Second},
		{"MinRegistrationLife", &c.MinRegistrationLife, DefaultMinRegistrationLife},
		{"MaxRegistrationLife", &c.MaxRegistrationLife, DefaultMaxRegistrationLife},
		{"AnnounceInterval", &c.AnnounceInterval, msg.T6ServerAnnounce},
		{"PeerHeartbeatCycle", &c.PeerHeartbeatCycle, msg.PeerHeartbeatCycle},
		{"MaxTimeLastHeard", &c.MaxTimeLastHeard, msg.MaxTimeLastHeard},
		{"MaxTimeNoResponse", &c.MaxTimeNoResponse, msg.MaxTimeNoResponse},
		{"MentorRetryDelay", &c.MentorRetryDelay, DefaultMentorRetryDelay},
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
		{"MaxBadPEReports", &c.MaxBadPEReports, DefaultMaxBadPEReports},
		{"MaxRegistrationsPerAssociation", &c.MaxRegistrationsPerAssociation, DefaultMaxRegistrationsPerAssociation},
		{"UnreachableBurst", &c.UnreachableBurst, DefaultUnreachableBurst},
		{"SendQueue", &c.SendQueue, DefaultSendQueue},
		{"HandleTablePiece", &c.HandleTablePiece, DefaultHandleTablePiece},
		{"MaxPeers", &c.MaxPeers, DefaultMaxPeers},
		{"MaxDownloadSessions", &c.MaxDownloadSessions, DefaultMaxDownloadSessions},
		{"MentorRounds", &c.MentorRounds, DefaultMentorRounds},
	}
	for _, n := range ints {
		if *n.v < 0 {
			return c, &ConfigError{Field: n.name, Rule: "negative count " + strconv.Itoa(*n.v)}
		}
		if *n.v == 0 {
			*n.v = n.def
		}
	}
	if c.MaxHandleResolutionItems == 0 {
		c.MaxHandleResolutionItems = DefaultMaxHandleResolutionItems
	}
	switch {
	case c.UnreachableRate < 0 || c.UnreachableRate != c.UnreachableRate:
		return c, &ConfigError{Field: "UnreachableRate", Rule: "not a rate: " + strconv.FormatFloat(c.UnreachableRate, 'g', -1, 64)}
	case c.UnreachableRate == 0:
		c.UnreachableRate = DefaultUnreachableRate
	}
	if c.MaxRegistrationLife < c.MinRegistrationLife {
		return c, &ConfigError{Field: "MaxRegistrationLife", Rule: "below MinRegistrationLife " + c.MinRegistrationLife.String()}
	}
	if c.PELowerPort == 0 {
		c.PELowerPort = DefaultPELowerPort
	}
	for i, p := range c.Peers {
		if !p.Addr().IsValid() || p.Port() == 0 {
			return c, &ConfigError{Field: "Peers", Rule: "entry " + strconv.Itoa(i) + " is not an address and port: " + p.String()}
		}
	}
	c.Peers = append([]netip.AddrPort(nil), c.Peers...)
	if !c.AnnounceAddr.IsValid() {
		c.AnnounceAddr = msg.ASAPAnnounceGroup
	}
	if !c.ENRPMulticastAddr.IsValid() {
		c.ENRPMulticastAddr = msg.ENRPAnnounceGroup
	}
	if c.Rand == nil {
		c.Rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}
