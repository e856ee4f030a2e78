package assoc

import (
	"errors"
	"fmt"
	"time"

	"github.com/rserpool/rserpool/sctp/internal/path"
)

// Config holds the protocol parameters of RFC 9260 §16 and the limits on
// what a peer can make an endpoint hold. The zero value of every field
// means its default; Defaults fills them in.
type Config struct {
	Path path.Params // RTO.Initial/Min/Max, RTO.Alpha/Beta, Max.Burst, Path.Max.Retrans, HB.interval

	MaxInitRetransmits int           // Max.Init.Retransmits, default 8
	AssocMaxRetrans    int           // Association.Max.Retrans, default 10
	ValidCookieLife    time.Duration // Valid.Cookie.Life, default 60 s
	// MaxCookiePreservative caps the lifetime increment a peer may ask
	// for with a Cookie Preservative (§5.1.3 lets the receiver decide);
	// default 60 s.
	MaxCookiePreservative time.Duration
	CookieSecretRotation  time.Duration // how often the cookie key changes, default 1 h
	SackDelay             time.Duration // SACK.Delay (§6.2), default 200 ms, at most 500 ms
	SackFreq              int           // packets that trigger a SACK (§6.2: "every second"), default 2
	ShutdownGuard         time.Duration // T5-shutdown-guard (§9.2), default 5 × RTO.Max

	OutStreams      uint16 // streams this endpoint asks to send on (OS), default 10
	MaxInStreams    uint16 // streams it accepts from a peer (MIS), default 65535
	Window          uint32 // receive buffer, the a_rwnd it advertises, default 256 KiB
	MaxQueued       int    // bytes of user data accepted to send, default 1 MiB
	MaxMessage      int    // largest message received, default Window
	MaxAssociations int    // associations per endpoint, default 1024

	// MTU caps the packet size on every path below what the lower layer
	// says; 0 uses the lower layer's.
	MTU int

	// PrimarySwitchover turns on RFC 7829 §5: when the primary's error
	// counter exceeds SwitchoverMaxRetrans (PSMR), the path data moved
	// to becomes the primary, with no switchback. Off: RFC 9260's
	// switchback to the primary once it is active again.
	PrimarySwitchover bool
	// SwitchoverMaxRetrans is PSMR; 0 means the recommended value, PFMR
	// with SCTP-PF and Path.Max.Retrans without (§5 rules 4 and 5).
	SwitchoverMaxRetrans int
}

// ErrConfig: a Config breaks a rule the RFCs set for its values.
var ErrConfig = errors.New("invalid configuration")

// Check reports a configuration the RFCs forbid: RFC 7829 §5 rule 1
// wants PSMR at least PFMR with SCTP-PF and at least Path.Max.Retrans
// without, and implementations MUST reject other values.
func (c Config) Check() error {
	d := c.Defaults()
	if !c.PrimarySwitchover || c.SwitchoverMaxRetrans == 0 {
		return nil
	}
	floor := d.Path.PathMaxRetrans
	if d.Path.PF {
		floor = d.Path.PFMaxRetrans
	}
	if c.SwitchoverMaxRetrans < floor {
		return fmt.Errorf("%w: SwitchoverMaxRetrans %d below %d (RFC 7829 §5)", ErrConfig, c.SwitchoverMaxRetrans, floor)
	}
	return nil
}

// Defaults returns c with every zero field set to its default.
func (c Config) Defaults() Config {
	c.Path = c.Path.WithDefaults()
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	defd := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.MaxInitRetransmits, 8)
	def(&c.AssocMaxRetrans, 10)
	defd(&c.ValidCookieLife, 60*time.Second)
	defd(&c.MaxCookiePreservative, 60*time.Second)
	defd(&c.CookieSecretRotation, time.Hour)
	defd(&c.SackDelay, 200*time.Millisecond)
	// §6.2: "the delayed SACK timer MUST NOT exceed 500 ms".
	c.SackDelay = min(c.SackDelay, 500*time.Millisecond)
	def(&c.SackFreq, 2)
	defd(&c.ShutdownGuard, 5*c.Path.RTOMax)
	if c.OutStreams == 0 {
		c.OutStreams = 10
	}
	if c.MaxInStreams == 0 {
		c.MaxInStreams = 65535
	}
	if c.Window == 0 {
		c.Window = 256 << 10
	}
	if c.Window < 1500 {
		c.Window = 1500 // §3.3.2: an a_rwnd below 1500 is invalid
	}
	def(&c.MaxQueued, 1<<20)
	def(&c.MaxMessage, int(c.Window))
	def(&c.MaxAssociations, 1024)
	if c.SwitchoverMaxRetrans == 0 {
		c.SwitchoverMaxRetrans = c.Path.PathMaxRetrans
		if c.Path.PF {
			c.SwitchoverMaxRetrans = c.Path.PFMaxRetrans
		}
	}
	return c
}
