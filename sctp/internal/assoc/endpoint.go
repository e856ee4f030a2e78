package assoc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"time"

	"github.com/rserpool/rserpool/sctp/internal/cookie"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/wire"
)

// Endpoint is an SCTP endpoint (RFC 9260 §2.4): a port on a set of local
// addresses, with its associations. It finds the association of each
// packet by verification tag and addresses (§8.5) and answers what
// belongs to none: INIT with a signed cookie and no state (§5.1.3), a
// valid COOKIE ECHO by creating the association (§5.1.5), the rest by
// the out-of-the-blue rules (§8.4). Not safe for concurrent use.
type Endpoint struct {
	cfg    Config
	port   uint16
	locals []netip.AddrPort
	mtu    int
	rand   io.Reader
	signer *cookie.Signer
	listen bool

	byTag    map[wire.VTag]*Assoc
	byRemote map[remoteKey]*Assoc
	accepted []*Assoc

	out     outbox
	scratch []byte
	stats   EndpointStats
}

type remoteKey struct {
	addr netip.Addr
	port uint16
}

// EndpointStats counts what the endpoint handled without an association.
type EndpointStats struct {
	BadChecksum, Malformed, OutOfTheBlue, InitsAnswered uint64
	CookiesAccepted, CookiesStale, CookiesBad           uint64
	RefusedFull                                         uint64
}

// NewEndpoint makes an endpoint on port with the given local addresses
// (the port of each is the lower layer's, 0 over raw IP). mtu is the
// largest SCTP packet the lower layer carries. rnd supplies the
// verification tags, initial TSNs, nonces and cookie keys; crypto/rand's
// Reader outside tests (§5.3.1: tags MUST be unpredictable).
func NewEndpoint(cfg Config, port uint16, locals []netip.AddrPort, mtu int, rnd io.Reader, now time.Time) (*Endpoint, error) {
	if len(locals) == 0 {
		return nil, errors.New("sctp: endpoint needs a local address")
	}
	if port == 0 {
		return nil, errors.New("sctp: endpoint port 0")
	}
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	cfg = cfg.Defaults()
	if cfg.MTU > 0 {
		mtu = min(mtu, cfg.MTU)
	}
	if mtu < 512 {
		return nil, fmt.Errorf("sctp: MTU %d too small", mtu)
	}
	s, err := cookie.NewSigner(rnd, now, cfg.CookieSecretRotation)
	if err != nil {
		return nil, err
	}
	return &Endpoint{
		cfg: cfg, port: port, locals: locals, mtu: mtu, rand: rnd, signer: s,
		byTag: map[wire.VTag]*Assoc{}, byRemote: map[remoteKey]*Assoc{},
	}, nil
}

// Config returns the endpoint's configuration, defaults filled in.
func (e *Endpoint) Config() *Config { return &e.cfg }

// Port returns the endpoint's SCTP port.
func (e *Endpoint) Port() uint16 { return e.port }

// Listen makes the endpoint accept associations (or stop accepting).
func (e *Endpoint) Listen(on bool) { e.listen = on }

// Stats returns the endpoint's counters.
func (e *Endpoint) Stats() EndpointStats { return e.stats }

// Output returns the packets the endpoint sent without an association;
// valid until the next call.
func (e *Endpoint) Output() []lower.Packet { return e.out.take() }

// Accepted returns and clears the associations created by a valid COOKIE
// ECHO since the last call.
func (e *Endpoint) Accepted() []*Assoc {
	a := e.accepted
	e.accepted = nil
	return a
}

// Associations returns the number of associations the endpoint holds.
func (e *Endpoint) Associations() int { return len(e.byTag) }

func (e *Endpoint) random64() uint64 {
	var b [8]byte
	if _, err := io.ReadFull(e.rand, b[:]); err != nil {
		// The source is crypto/rand or a test's; neither fails. A
		// zero nonce is still safe for heartbeats (§8.3 wants it
		// unpredictable, which the tags below guard).
		return 0
	}
	return binary.BigEndian.Uint64(b[:])
}

// newTag returns a random verification tag: nonzero (§5.3.1) and not in
// use by another association of this endpoint, so that demultiplexing by
// tag is unambiguous.
func (e *Endpoint) newTag() wire.VTag {
	for range 64 {
		t := wire.VTag(e.random64())
		if _, used := e.byTag[t]; t != 0 && !used {
			return t
		}
	}
	// Reached only with a broken random source.
	panic("sctp: random source returns no usable verification tag")
}

// sourceFor chooses the local address packets to the association's
// path number i, to remote, leave from: the one asked for if set, else
// the local addresses of remote's family in turn, path i taking the i-th
// (modulo their number). Distinct paths so leave from distinct addresses
// where there are enough, the most divergent pairs that §6.4.1 and RFC
// 7829 §3.2 rule 3 ask retransmissions and failover to use: each path is
// then one source-destination pair, and a failed local address does not
// take every path down with it.
func (e *Endpoint) sourceFor(remote, preferred netip.AddrPort, i int) netip.AddrPort {
	if preferred.IsValid() {
		return preferred
	}
	n := 0
	for _, l := range e.locals {
		if l.Addr().Is4() == remote.Addr().Is4() {
			n++
		}
	}
	if n == 0 {
		return e.locals[0]
	}
	k := i % n
	for _, l := range e.locals {
		if l.Addr().Is4() == remote.Addr().Is4() {
			if k == 0 {
				return l
			}
			k--
		}
	}
	return e.locals[0]
}

// hasFamily reports whether the endpoint has a local address of a's
// family.
func (e *Endpoint) hasFamily(a netip.Addr) bool {
	for _, l := range e.locals {
		if l.Addr().Is4() == a.Is4() {
			return true
		}
	}
	return false
}

func (e *Endpoint) register(a *Assoc) {
	e.byTag[a.localTag] = a
	for _, p := range a.paths {
		e.byRemote[remoteKey{p.Remote.Addr(), a.peerPort}] = a
	}
}

// Forget drops a closed association from the endpoint's tables.
func (e *Endpoint) Forget(a *Assoc) {
	if e.byTag[a.localTag] == a {
		delete(e.byTag, a.localTag)
	}
	for _, p := range a.paths {
		k := remoteKey{p.Remote.Addr(), a.peerPort}
		if e.byRemote[k] == a {
			delete(e.byRemote, k)
		}
	}
}

// retag moves a to a new local tag (restart, §5.2.4 A).
func (e *Endpoint) retag(a *Assoc, old wire.VTag) {
	if e.byTag[old] == a {
		delete(e.byTag, old)
	}
	e.register(a)
}

// Dial starts an association with the peer at remotes (its addresses,
// the port of each being its encapsulation port) on SCTP port peerPort:
// it sends INIT and enters COOKIE-WAIT (§5.1 A).
func (e *Endpoint) Dial(now time.Time, remotes []netip.AddrPort, peerPort uint16) (*Assoc, error) {
	if len(remotes) == 0 || peerPort == 0 {
		return nil, errors.New("sctp: dial needs a peer address and port")
	}
	if len(e.byTag) >= e.cfg.MaxAssociations {
		return nil, fmt.Errorf("%w: %d associations", ErrResources, len(e.byTag))
	}
	for _, r := range remotes {
		if other := e.byRemote[remoteKey{r.Addr(), peerPort}]; other != nil {
			return nil, &ExistsError{Remote: r, Port: peerPort, Assoc: other}
		}
	}
	a := e.newAssoc(e.newTag(), wire.TSN(e.random64()), peerPort, remotes)
	a.state = CookieWait
	e.register(a)
	a.sendInit(now)
	a.flush(now)
	return a, nil
}

// Receive handles one packet from the lower layer and returns the
// association it went to (nil when none). A new association made by a
// valid COOKIE ECHO is returned and also listed by Accepted.
func (e *Endpoint) Receive(now time.Time, in lower.Packet) *Assoc {
	p, a, err := e.Route(in)
	if err != nil {
		return nil
	}
	if a != nil {
		a.Handle(now, in, p)
		if a.state == Closed {
			e.Forget(a)
		}
		return a
	}
	return e.HandleStateless(now, in, p)
}

// Route parses a packet and finds its association. A nil association
// with a nil error means the packet belongs to none: HandleStateless
// answers it.
func (e *Endpoint) Route(in lower.Packet) (wire.Packet, *Assoc, error) {
	p, err := wire.ParsePacket(in.Buf)
	if err != nil {
		e.stats.Malformed++
		return nil, nil, err
	}
	// §6.8: a packet with an invalid checksum is silently discarded.
	if !p.VerifyChecksum() {
		e.stats.BadChecksum++
		return nil, nil, errBadChecksum
	}
	if p.DstPort() != e.port {
		return nil, nil, errOtherPort
	}
	if a := e.byTag[p.VTag()]; a != nil && a.peerPort == p.SrcPort() && a.pathIndex(in.Src.Addr()) >= 0 {
		return p, a, nil
	}
	// INIT (tag 0), COOKIE ECHO of a restart, ABORT and SHUTDOWN
	// COMPLETE with the T bit carry another tag: find the association
	// by the peer's address, and let it apply §8.5.1.
	if a := e.byRemote[remoteKey{in.Src.Addr(), p.SrcPort()}]; a != nil {
		return p, a, nil
	}
	return p, nil, nil
}

var (
	errBadChecksum = errors.New("bad checksum")
	errOtherPort   = errors.New("packet for another port")
)
