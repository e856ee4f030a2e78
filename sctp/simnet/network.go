package simnet

import (
	"math/rand/v2"
	"net/netip"
	"sync"
	"time"

	"github.com/rserpool/rserpool/sctp/lower"
)

// Network connects Hosts through links. Its methods may be called from
// any goroutine. A Network used in a synctest bubble belongs to it: its
// timer, made by the first delayed packet, and its hosts' channels are
// the bubble's, and the bubble ends cleanly once Close has been called.
//
// One lock guards the whole network, including its random generator, so
// that the draws are made in the order of the writes.
type Network struct {
	mu     sync.Mutex
	rng    *rand.Rand
	def    LinkConfig // normalized
	links  map[pair]*link
	owners map[netip.Addr]*Host
	down   map[netip.Addr]bool
	hosts  map[*Host]struct{}
	tap    func(lower.Packet, bool)
	closed bool

	events  eventQueue
	seq     uint64
	timer   *time.Timer
	timerAt time.Time // when timer is due to fire; zero when not armed
}

// pair names one direction of a link.
type pair struct{ from, to netip.Addr }

// link is the state of one direction between two addresses. It is created
// on first use and lives as long as the network, so its stats survive
// configuration changes.
type link struct {
	cfg       LinkConfig // normalized; used when explicit
	explicit  bool       // set by Link or LinkOneWay; else the default applies
	cut       bool       // Blackout
	busyUntil time.Time  // end of serialization of the last queued packet
	stats     LinkStats
}

// New returns an empty network whose random choices all come from seed.
func New(seed int64) *Network {
	return &Network{
		rng:    rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15)),
		def:    LinkConfig{}.normalized(),
		links:  make(map[pair]*link),
		owners: make(map[netip.Addr]*Host),
		down:   make(map[netip.Addr]bool),
		hosts:  make(map[*Host]struct{}),
	}
}

// linkLocked returns the state of the direction from -> to, creating it.
func (n *Network) linkLocked(from, to netip.Addr) *link {
	k := pair{from, to}
	l := n.links[k]
	if l == nil {
		l = &link{}
		n.links[k] = l
	}
	return l
}

// Link configures both directions between a and b, each keeping its own
// queue and stats. It applies to packets written afterwards.
func (n *Network) Link(a, b netip.Addr, c LinkConfig) {
	n.LinkOneWay(a, b, c)
	n.LinkOneWay(b, a, c)
}

// LinkOneWay configures the direction from -> to only, which makes
// asymmetric paths possible.
func (n *Network) LinkOneWay(from, to netip.Addr, c LinkConfig) {
	n.mu.Lock()
	defer n.mu.Unlock()
	l := n.linkLocked(from, to)
	l.cfg = c.normalized()
	l.explicit = true
}

// SetDefault configures every direction that has no link of its own.
func (n *Network) SetDefault(c LinkConfig) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.def = c.normalized()
}

// Blackout cuts both directions between a and b (on) or restores them:
// while cut, every packet written between them is dropped.
func (n *Network) Blackout(a, b netip.Addr, on bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.linkLocked(a, b).cut = on
	n.linkLocked(b, a).cut = on
}

// Down cuts (on) or restores every link to and from addr, as when an
// interface fails, without taking the address from its host.
func (n *Network) Down(addr netip.Addr, on bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if on {
		n.down[addr] = true
	} else {
		delete(n.down, addr)
	}
}

// Stats returns the counters of the direction from -> to.
func (n *Network) Stats(from, to netip.Addr) LinkStats {
	n.mu.Lock()
	defer n.mu.Unlock()
	if l := n.links[pair{from, to}]; l != nil {
		return l.stats
	}
	return LinkStats{}
}

// Total returns the counters of every direction added together.
func (n *Network) Total() LinkStats {
	n.mu.Lock()
	defer n.mu.Unlock()
	var s LinkStats
	for _, l := range n.links {
		s.add(&l.stats)
	}
	return s
}

// Tap sets f to observe every packet as it leaves the network: delivered
// is true when it is put in the receiving host's queue, false when it is
// dropped for any reason. A duplicate is observed once per copy. p.Buf is
// the network's own copy, valid only during the call: f must neither keep
// nor modify it. f is called with the network's lock held, so it must not
// call methods of the Network or of its Hosts. A nil f removes the tap.
func (n *Network) Tap(f func(p lower.Packet, delivered bool)) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.tap = f
}

// Host returns an endpoint owning addrs: packets sent to these addresses
// are queued for its ReadBatch, and it may send from them. The port of
// each address is its UDP encapsulation port (0 over raw IP): packets
// sent from the address carry it as their source port. Delivery looks at
// the destination address only. If another host owns one of the
// addresses, the new host takes it over, as when a peer restarts with the
// same address. A Host of a closed network is closed.
func (n *Network) Host(addrs ...netip.AddrPort) *Host {
	h := &Host{
		n:     n,
		addrs: append([]netip.AddrPort(nil), addrs...),
		limit: DefaultRecvQueue,
		ready: make(chan struct{}, 1),
		done:  make(chan struct{}),
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		h.closed = true
		close(h.done)
		return h
	}
	for _, a := range addrs {
		n.owners[a.Addr()] = h
	}
	n.hosts[h] = struct{}{}
	return h
}

// Close closes every host, drops the packets in flight and stops the
// network's timer, so nothing of the network keeps running. Later writes
// return lower.ErrClosed.
func (n *Network) Close() error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return nil
	}
	n.closed = true
	if n.timer != nil {
		n.timer.Stop()
		n.timerAt = time.Time{}
	}
	for _, p := range n.events {
		p.free()
	}
	n.events = nil
	hosts := make([]*Host, 0, len(n.hosts))
	for h := range n.hosts {
		hosts = append(hosts, h)
	}
	n.mu.Unlock()
	for _, h := range hosts {
		h.Close()
	}
	return nil
}
