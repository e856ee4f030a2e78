package asap

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"log/slog"
	"math"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// PEConfig configures a pool element.
type PEConfig struct {
	Config

	// PoolHandle names the pool to join (RFC 5352 §3.1 R2.1). Required.
	PoolHandle string

	// Policy is the PE's member selection policy with its values (R2.5;
	// RFC 5356). The zero Policy means Round Robin. It must be one of
	// the RFC 5356 policies, and of the pool's type (§3.1 rule 2).
	Policy msg.Policy

	// Lifetime is the registration lifetime (R2.3). Default 300 s;
	// negative means infinite. Re-registration runs every
	// T4-reregistration: 20 s less than this, at most T4Reregistration
	// (RFC 5352 §7.1), and half of it when that leaves nothing.
	Lifetime time.Duration

	// LifetimeMillis writes the lifetime in milliseconds, as rsplib's
	// pool elements do and its registrar expects, instead of the seconds
	// of RFC 5354 §3.10.
	LifetimeMillis bool

	// Addrs are the IP addresses of the user transport, where pool users
	// reach the PE (R2.4). Default: the endpoint's addresses. R1 has
	// the endpoint that talks to the registrar bound to all of them,
	// which the shared endpoint is.
	Addrs []netip.Addr

	// TransportUse says whether pool users may send ASAP control
	// messages on the data association (RFC 5354 §3.4). Default
	// msg.DataOnly. Every PE of a pool must agree (§3.1 rule 2).
	TransportUse msg.TransportUse

	// ID is the PE identifier. Zero means a random one, as R2.2 asks.
	ID msg.PEID

	// EventQueue is the capacity of Events; events that find it full are
	// dropped and counted (PEState.EventsDropped), since the PE never
	// waits for its application. Default 16.
	EventQueue int
}

// Defaults of PEConfig.
const (
	DefaultLifetime   = 300 * time.Second
	DefaultEventQueue = 16
)

// PoolElement is the ASAP side of a pool element (RFC 5352 §3.1-§3.4,
// §3.6, §3.7): it finds a home registrar by server hunt, registers and
// re-registers the PE, answers the registrar's keep-alives and follows a
// new home registrar, and de-registers on Close.
//
// The application serves its pool users on the same sctp.Endpoint, whose
// SCTP port and addresses are the PE's user transport. Associations the
// PE dials to registrars are not returned by the endpoint's Accept. A
// registrar that takes the PE over (RFC 5353 §3.5.2) opens an
// association to the PE for its keep-alive, from the endpoint that serves
// ASAP, so from the registrar port: the application takes its
// associations from PoolElement.Accept, which hands those to the PE.
//
// One goroutine runs the protocol; the methods are safe for concurrent
// use.
type PoolElement struct {
	cfg    PEConfig
	ep     *sctp.Endpoint
	id     msg.PEID
	handle []byte
	addrs  []netip.Addr
	log    *slog.Logger
	hunter *hunter

	ctx      context.Context // the loop's life
	cancel   context.CancelFunc
	in       chan inbound
	hunted   chan huntOutcome
	accepted chan *sctp.Association
	cmds     chan peCommand
	events   chan Event
	done     chan struct{} // closed when the loop and its goroutines have ended
	wg       sync.WaitGroup

	mu      sync.Mutex
	state   PEState
	dropped atomic.Uint64

	closeOnce sync.Once
	closeErr  error
}

// PEState is a snapshot of a pool element's registration.
type PEState struct {
	Registered    bool           // the home registrar accepted the last registration
	Registrar     netip.AddrPort // the home registrar's primary address; zero while hunting
	Server        msg.ServerID   // its identifier, once a keep-alive told it; 0 before
	Registrations int            // registrations accepted so far, re-registrations included
	Err           error          // the last failure, nil after a success
	EventsDropped uint64         // events that found Events full
}

// NewPoolElement starts a pool element on ep and makes ep listen for
// pool users. The PE registers in the background; Events and State tell
// how it goes. ctx bounds nothing after NewPoolElement returns: Close
// ends the PE.
func NewPoolElement(ctx context.Context, ep *sctp.Endpoint, cfg PEConfig) (*PoolElement, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c, err := cfg.Config.withDefaults()
	if err != nil {
		return nil, err
	}
	cfg.Config = c
	if err := cfg.check(); err != nil {
		return nil, err
	}
	addrs := cfg.Addrs
	if len(addrs) == 0 {
		for _, a := range ep.Addrs() {
			addrs = append(addrs, a.Addr())
		}
	}
	id := cfg.ID
	for id == 0 {
		var b [4]byte
		rand.Read(b[:])
		id = msg.PEID(binary.BigEndian.Uint32(b[:]))
	}
	if err := ep.Listen(); err != nil {
		return nil, err
	}
	p := &PoolElement{
		cfg: cfg, ep: ep, id: id,
		handle:   []byte(cfg.PoolHandle),
		addrs:    append([]netip.Addr(nil), addrs...),
		log:      cfg.Logger.With("pool", cfg.PoolHandle, "pe", id),
		in:       make(chan inbound),
		hunted:   make(chan huntOutcome),
		accepted: make(chan *sctp.Association),
		cmds:     make(chan peCommand),
		events:   make(chan Event, cfg.EventQueue),
		done:     make(chan struct{}),
	}
	p.hunter = &hunter{ep: ep, cfg: &p.cfg.Config, list: newServerList(&p.cfg.Config), log: p.log}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	if src := cfg.Announcements; src != nil {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			readAnnouncements(p.ctx, src, p.hunter.list, p.log)
		}()
	}
	go p.run(cfg.Policy)
	return p, nil
}

// check validates the PE's own fields and fills in their defaults.
func (cfg *PEConfig) check() error {
	switch {
	case cfg.PoolHandle == "":
		return &ConfigError{Field: "PoolHandle", Rule: "empty (RFC 5352 §3.1 R2.1)"}
	case len(cfg.PoolHandle) > maxHandleLen:
		return &ConfigError{Field: "PoolHandle", Rule: "longer than " + strconv.Itoa(maxHandleLen) + " bytes"}
	case cfg.EventQueue < 0:
		return &ConfigError{Field: "EventQueue", Rule: "negative"}
	case cfg.TransportUse != msg.DataOnly && cfg.TransportUse != msg.DataPlusControl:
		return &ConfigError{Field: "TransportUse", Rule: "neither data only nor data plus control (RFC 5354 §3.4)"}
	case cfg.Lifetime > 0 && cfg.Lifetime < time.Second && !cfg.LifetimeMillis:
		return &ConfigError{Field: "Lifetime", Rule: "below the 1 s the wire counts in"}
	}
	if cfg.Policy.IsZero() {
		cfg.Policy = msg.Policy{Type: msg.PolicyRoundRobin}
	}
	if err := cfg.Policy.Check(); err != nil {
		return &ConfigError{Field: "Policy", Rule: err.Error()}
	}
	if cfg.Lifetime == 0 {
		cfg.Lifetime = DefaultLifetime
	}
	if cfg.EventQueue == 0 {
		cfg.EventQueue = DefaultEventQueue
	}
	for i, a := range cfg.Addrs {
		if !a.IsValid() || a.IsUnspecified() {
			return &ConfigError{Field: "Addrs[" + strconv.Itoa(i) + "]", Rule: "not a usable address"}
		}
	}
	return nil
}

// maxHandleLen bounds a pool handle: RFC 5354 §3.9 sets no bound, the
// handlespace of our registrar stops at 64 bytes (handlespace.Limits).
const maxHandleLen = 64

// ID returns the PE identifier.
func (p *PoolElement) ID() msg.PEID { return p.id }

// Handle returns the pool handle.
func (p *PoolElement) Handle() string { return p.cfg.PoolHandle }

// Events returns the PE's notifications. The channel is closed when the
// PE has ended.
func (p *PoolElement) Events() <-chan Event { return p.events }

// Done returns a channel closed when the PE has ended.
func (p *PoolElement) Done() <-chan struct{} { return p.done }

// State returns a snapshot of the registration.
func (p *PoolElement) State() PEState {
	p.mu.Lock()
	s := p.state
	p.mu.Unlock()
	s.EventsDropped = p.dropped.Load()
	return s
}

// Accept returns the next association a pool user started with the
// endpoint. Associations from the registrar port (Config.RegistrarPort)
// are the PE's: a registrar taking the PE over sends its keep-alives on
// one (RFC 5352 §3.4 KA2.4), so Accept hands them to the PE and waits
// for the next.
func (p *PoolElement) Accept(ctx context.Context) (*sctp.Association, error) {
	for {
		a, err := p.ep.Accept(ctx)
		if err != nil {
			return nil, err
		}
		if a.PeerPort() != p.cfg.RegistrarPort {
			return a, nil
		}
		select {
		case p.accepted <- a:
		case <-p.done:
			a.Abort("pool element closed")
		case <-ctx.Done():
			a.Abort("pool element: accept canceled")
			return nil, ctx.Err()
		}
	}
}

// SetPolicy changes the PE's policy values and re-registers at once
// (RFC 5352 §3.1: "a registered PE MAY wish to re-register to ... update
// its member selection Policy Value"). After a refused registration it
// is how the application corrects the error, which §3.1 requires before
// another attempt.
func (p *PoolElement) SetPolicy(pol msg.Policy) error {
	if err := pol.Check(); err != nil {
		return err
	}
	if pol.IsZero() {
		pol = msg.Policy{Type: msg.PolicyRoundRobin}
	}
	pol.Data = append([]byte(nil), pol.Data...)
	return p.command(peCommand{kind: cmdPolicy, policy: pol})
}

// SetLoad reports the PE's load to its registrar for the load-based
// policies (RFC 5356 §3.1, §5: 0 is unloaded, 0xffffffff fully loaded):
// the policy's Load is replaced and the PE re-registers.
func (p *PoolElement) SetLoad(load uint32) error {
	return p.command(peCommand{kind: cmdLoad, load: load})
}

// Reregister re-registers now, as if T4-reregistration expired; after
// a refused registration it tries again.
func (p *PoolElement) Reregister() error {
	return p.command(peCommand{kind: cmdReregister})
}

func (p *PoolElement) command(c peCommand) error {
	select {
	case p.cmds <- c:
		return nil
	case <-p.done:
		return ErrClosed
	}
}

// Close de-registers the PE (RFC 5352 §3.2) and ends it: it sends
// ASAP_DEREGISTRATION to the home registrar and waits for the answer
// at most T3-deregistration; when that expires or the association is
// lost it hunts for another registrar and de-registers there (D4), until
// ctx ends. The associations with registrars are closed; the endpoint
// and the application's associations are left alone. It returns the
// registrar's refusal, ctx's error, or nil. Later calls return the
// first call's result.
func (p *PoolElement) Close(ctx context.Context) error {
	p.closeOnce.Do(func() {
		reply := make(chan error, 1)
		select {
		case p.cmds <- peCommand{kind: cmdClose, ctx: ctx, reply: reply}:
			p.closeErr = <-reply
		case <-p.done:
		}
		<-p.done
	})
	return p.closeErr
}

// lifetimeField is the Registration Life of the PE parameter: seconds
// (RFC 5354 §3.10) or rsplib's milliseconds; -1 is infinite.
func (cfg *PEConfig) lifetimeField() int32 {
	if cfg.Lifetime < 0 {
		return -1
	}
	unit := time.Second
	if cfg.LifetimeMillis {
		unit = time.Millisecond
	}
	n := cfg.Lifetime / unit
	if n > math.MaxInt32 {
		return math.MaxInt32
	}
	return int32(n)
}

// reregistration is T4-reregistration for the PE's lifetime: 20 s less
// than the lifetime, at most Config.T4Reregistration (RFC 5352 §7.1).
// A lifetime of 20 s or less leaves nothing; half of it is used then,
// rather than re-registering without pause.
func (cfg *PEConfig) reregistration() time.Duration {
	if cfg.Lifetime < 0 {
		return cfg.T4Reregistration
	}
	t := min(cfg.Lifetime-20*time.Second, cfg.T4Reregistration)
	if t <= 0 {
		t = cfg.Lifetime / 2
	}
	return t
}
