package simnet

import (
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/rserpool/rserpool/sctp/lower"
)

// Host is one endpoint of a Network, a lower.Conn. Its receive queue holds
// DefaultRecvQueue packets unless SetRecvQueue says otherwise; packets
// arriving at a full queue are dropped, as a socket buffer would.
type Host struct {
	n     *Network
	addrs []netip.AddrPort // fixed at creation
	mtu   int              // guarded by n.mu; 0 reports the default link's MTU

	// The link of the last packet written, guarded by n.mu: a host mostly
	// writes to the same peer, and links live as long as the network.
	lastPair pair
	lastLink *link

	// mu guards the receive queue and stats. closed is written with both
	// n.mu and mu held, so either lock is enough to read it.
	mu     sync.Mutex
	ring   []*packet // circular; len is a power of two or zero
	head   int
	count  int
	limit  int
	closed bool
	stats  HostStats

	ready chan struct{} // capacity 1: a packet was queued since the last look
	done  chan struct{} // closed by Close
}

var _ lower.Conn = (*Host)(nil)

// SourceError is returned by WriteBatch for a packet whose source address
// is not one of the host's, which a real socket would refuse too. The
// packets before it were sent.
type SourceError struct {
	Index int            // position of the packet in the batch
	Src   netip.AddrPort // its source
}

func (e *SourceError) Error() string {
	return "simnet: packet " + strconv.Itoa(e.Index) + " of the batch: source " + e.Src.String() + " is not an address of the host"
}

// ReadBatch implements lower.Conn. It waits on channels only, so inside a
// synctest bubble a reader with nothing to read lets the clock advance.
func (h *Host) ReadBatch(pkts []lower.Packet) (int, error) {
	if len(pkts) == 0 {
		return 0, nil
	}
	for {
		h.mu.Lock()
		if h.closed {
			h.mu.Unlock()
			return 0, lower.ErrClosed
		}
		k := 0
		for k < len(pkts) && h.count > 0 {
			p := h.popLocked()
			if len(p.buf) > cap(pkts[k].Buf) {
				h.stats.TooLarge++
				p.free()
				continue
			}
			pkts[k].Buf = append(pkts[k].Buf[:0], p.buf...)
			pkts[k].Src, pkts[k].Dst = p.src, p.dst
			p.free()
			k++
		}
		h.stats.Received += k
		h.mu.Unlock()
		if k > 0 {
			return k, nil
		}
		select {
		case <-h.ready:
		case <-h.done:
		}
	}
}

// WriteBatch implements lower.Conn. It copies each packet, so the caller
// may reuse its buffers at once, and routes it by its destination address
// over the link from its source address. A packet whose source address is
// invalid or unspecified is sent from the host's first address of the
// destination's family; the source port is always the host's port for
// that address, as a UDP socket would set it. A packet lost or dropped on
// the way still counts as sent.
func (h *Host) WriteBatch(pkts []lower.Packet) (int, error) {
	n := h.n
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed || h.closed {
		return 0, lower.ErrClosed
	}
	now := time.Now()
	for i := range pkts {
		p := &pkts[i]
		src, ok := h.source(p.Src.Addr(), p.Dst.Addr())
		if !ok {
			return i, &SourceError{Index: i, Src: p.Src}
		}
		k := pair{src.Addr(), p.Dst.Addr()}
		if h.lastLink == nil || k != h.lastPair {
			h.lastPair, h.lastLink = k, n.linkLocked(k.from, k.to)
		}
		n.sendLocked(now, h.lastLink, src, p.Dst, p.Buf)
	}
	return len(pkts), nil
}

// source picks the local address a packet leaves from.
func (h *Host) source(src, dst netip.Addr) (netip.AddrPort, bool) {
	if !src.IsValid() || src.IsUnspecified() {
		for _, a := range h.addrs {
			if a.Addr().Is4() == dst.Is4() {
				return a, true
			}
		}
		return netip.AddrPort{}, false
	}
	for _, a := range h.addrs {
		if a.Addr() == src {
			return a, true
		}
	}
	return netip.AddrPort{}, false
}

// LocalAddrs implements lower.Conn.
func (h *Host) LocalAddrs() []netip.AddrPort {
	return append([]netip.AddrPort(nil), h.addrs...)
}

// MTU implements lower.Conn: the value set by SetMTU, else the MTU of the
// network's default link. It does not look at the links the host's
// packets will take; SCTP's path MTU discovery finds those.
func (h *Host) MTU() int {
	h.n.mu.Lock()
	defer h.n.mu.Unlock()
	if h.mtu > 0 {
		return h.mtu
	}
	return h.n.def.MTU
}

// SetMTU sets what MTU reports; zero or less reverts to the default link's.
func (h *Host) SetMTU(mtu int) {
	h.n.mu.Lock()
	defer h.n.mu.Unlock()
	h.mtu = max(mtu, 0)
}

// SetRecvQueue sets how many packets the receive queue holds; zero or less
// means DefaultRecvQueue. Packets already queued beyond it stay.
func (h *Host) SetRecvQueue(limit int) {
	if limit <= 0 {
		limit = DefaultRecvQueue
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.limit = limit
}

// Stats returns the counters of the host's receiving end.
func (h *Host) Stats() HostStats {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.stats
	s.Queued = h.count
	return s
}

// Close implements lower.Conn. It gives up the host's addresses (unless
// another host took them over), so packets still in flight to them are
// counted as DroppedNoRoute, and drops the packets it had queued.
func (h *Host) Close() error {
	n := h.n
	n.mu.Lock()
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		n.mu.Unlock()
		return nil
	}
	h.closed = true
	for h.count > 0 {
		h.popLocked().free()
	}
	h.ring = nil
	h.mu.Unlock()
	for _, a := range h.addrs {
		if n.owners[a.Addr()] == h {
			delete(n.owners, a.Addr())
		}
	}
	delete(n.hosts, h)
	n.mu.Unlock()
	close(h.done)
	return nil
}

func (h *Host) pushLocked(p *packet) {
	if h.count == len(h.ring) {
		size := max(16, 2*len(h.ring))
		ring := make([]*packet, size)
		for i := range h.count {
			ring[i] = h.ring[(h.head+i)&(len(h.ring)-1)]
		}
		h.ring, h.head = ring, 0
	}
	h.ring[(h.head+h.count)&(len(h.ring)-1)] = p
	h.count++
}

func (h *Host) popLocked() *packet {
	p := h.ring[h.head]
	h.ring[h.head] = nil
	h.head = (h.head + 1) & (len(h.ring) - 1)
	h.count--
	return p
}
