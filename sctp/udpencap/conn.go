package udpencap

import (
	"errors"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/rserpool/rserpool/sctp/lower"
)

// Conn is a set of UDP sockets, one per local address, all on the same
// port: a lower.Conn for SCTP over UDP.
type Conn struct {
	socks []*socket
	local []netip.AddrPort
	mtu   int

	gso        atomic.Bool // may turn off once, on a refused UDP_SEGMENT send
	gro        bool
	rbuf, wbuf int
	st         counters

	rd reader // used by one ReadBatch at a time
	wr writer // used by one WriteBatch at a time

	closed atomic.Bool
	done   chan struct{} // closed by Close
	wg     sync.WaitGroup
}

var _ lower.Conn = (*Conn)(nil)

// socket is one UDP socket bound to one local address.
type socket struct {
	uc      *net.UDPConn
	rc      syscall.RawConn
	local   netip.AddrPort
	zone    string // of the local address, given to link-local sources
	ifindex uint32 // the interface of zone, scope of link-local destinations
	maxSeg  int    // largest payload the link takes whole: bounds GSO segments
}

// sockInfo is what setting a socket up found out.
type sockInfo struct {
	rbuf, wbuf int
	gso, gro   bool
}

// maxBindTries bounds the search for an ephemeral port free on every
// address: the first socket's port may be taken on another address.
const maxBindTries = 16

// Listen opens a Conn: one UDP socket per address of cfg.Addrs, bound to
// the address and the common port.
func Listen(cfg Config) (*Conn, error) {
	addrs, err := cfg.check()
	if err != nil {
		return nil, err
	}
	port := cfg.Port
	if port == 0 && !cfg.EphemeralPort {
		port = DefaultPort
	}
	var socks []*socket
	for try := 1; ; try++ {
		socks, err = bind(addrs, port)
		if err == nil || !cfg.EphemeralPort || try == maxBindTries || !errors.Is(err, syscall.EADDRINUSE) {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	c := &Conn{socks: socks, done: make(chan struct{})}
	gso, gro := !cfg.DisableGSO, !cfg.DisableGRO
	for i, s := range socks {
		info := s.setup(&cfg)
		if i == 0 || info.rbuf < c.rbuf {
			c.rbuf = info.rbuf
		}
		if i == 0 || info.wbuf < c.wbuf {
			c.wbuf = info.wbuf
		}
		gso = gso && info.gso
		gro = gro && info.gro
		c.local = append(c.local, s.local)
		s.maxSeg = linkPayload(s.local.Addr())
		if c.mtu == 0 || s.maxSeg < c.mtu {
			c.mtu = s.maxSeg
		}
	}
	if !gro && !cfg.DisableGRO {
		// All sockets or none: one reader serves them all.
		for _, s := range socks {
			s.disableGRO()
		}
	}
	if cfg.MTU > 0 {
		c.mtu = cfg.MTU
	} else {
		c.mtu = min(c.mtu, DefaultMaxMTU)
	}
	c.gso.Store(gso)
	c.gro = gro
	c.initIO()
	return c, nil
}

// bind opens one socket per address, all on port; port 0 takes the one
// the kernel gives the first socket.
func bind(addrs []netip.Addr, port uint16) ([]*socket, error) {
	socks := make([]*socket, 0, len(addrs))
	for _, a := range addrs {
		network := "udp6"
		if a.Is4() {
			network = "udp4"
		}
		uc, err := net.ListenUDP(network, net.UDPAddrFromAddrPort(netip.AddrPortFrom(a, port)))
		if err != nil {
			closeAll(socks)
			return nil, err
		}
		rc, err := uc.SyscallConn()
		if err != nil {
			uc.Close()
			closeAll(socks)
			return nil, err
		}
		local := uc.LocalAddr().(*net.UDPAddr).AddrPort()
		local = netip.AddrPortFrom(local.Addr().Unmap().WithZone(a.Zone()), local.Port())
		port = local.Port()
		socks = append(socks, &socket{uc: uc, rc: rc, local: local, zone: a.Zone(), ifindex: zoneIndex(a.Zone())})
	}
	return socks, nil
}

func closeAll(socks []*socket) {
	for _, s := range socks {
		s.uc.Close()
	}
}

// zoneIndex is the index of the interface a zone names, by name or
// number, or 0.
func zoneIndex(zone string) uint32 {
	if zone == "" {
		return 0
	}
	if n, err := strconv.ParseUint(zone, 10, 32); err == nil {
		return uint32(n)
	}
	if ifc, err := net.InterfaceByName(zone); err == nil {
		return uint32(ifc.Index)
	}
	return 0
}

// ReadBatch implements lower.Conn. It fills pkts[:n] with packets, each
// Src being the sender's address and UDP port (its encapsulation port)
// and Dst the local address and port the packet came to. A packet larger
// than the capacity of the buffer lent for it is dropped and counted in
// Stats.TooLarge. On Linux without GRO, the packets after a dropped one
// may come back in the buffers lent at other positions of the batch.
func (c *Conn) ReadBatch(pkts []lower.Packet) (int, error) {
	if c.closed.Load() {
		return 0, lower.ErrClosed
	}
	if len(pkts) == 0 {
		return 0, nil
	}
	n, err := c.readBatch(pkts)
	if n > 0 {
		bytes := 0
		for i := range pkts[:n] {
			bytes += len(pkts[i].Buf)
		}
		c.st.pktsIn.Add(uint64(n))
		c.st.bytesIn.Add(uint64(bytes))
	}
	return n, err
}

// WriteBatch implements lower.Conn. Each packet leaves from the socket of
// its Src address, or, when Src is invalid or unspecified, from the first
// address of its destination's family; the source port is always the
// local encapsulation port (RFC 6951 §5.3). A packet the kernel refuses
// for a reason SCTP treats as a loss is counted in Stats.SendDropped and
// does not stop the batch; a packet with addresses no socket can serve
// returns an AddrError with its index.
func (c *Conn) WriteBatch(pkts []lower.Packet) (int, error) {
	if c.closed.Load() {
		return 0, lower.ErrClosed
	}
	return c.writeBatch(pkts)
}

// LocalAddrs implements lower.Conn: each bound address with the local
// encapsulation port, in the order of Config.Addrs.
func (c *Conn) LocalAddrs() []netip.AddrPort {
	return append([]netip.AddrPort(nil), c.local...)
}

// MTU implements lower.Conn: Config.MTU, or the smallest of the links'
// MTUs less the IP and UDP headers (RFC 6951 §5.6).
func (c *Conn) MTU() int { return c.mtu }

// Stats returns the counters. It may be called at any time from any
// goroutine.
func (c *Conn) Stats() Stats {
	return Stats{
		PacketsIn:    c.st.pktsIn.Load(),
		BytesIn:      c.st.bytesIn.Load(),
		PacketsOut:   c.st.pktsOut.Load(),
		BytesOut:     c.st.bytesOut.Load(),
		TooLarge:     c.st.tooLarge.Load(),
		SendDropped:  c.st.sendDropped.Load(),
		GSO:          c.gso.Load(),
		GRO:          c.gro,
		GSOSends:     c.st.gsoSends.Load(),
		GROReceives:  c.st.groReceives.Load(),
		GSOFallbacks: c.st.gsoFallback.Load(),
		ReadBuffer:   c.rbuf,
		WriteBuffer:  c.wbuf,
	}
}

// Close implements lower.Conn. It closes the sockets, which wakes a
// blocked ReadBatch or WriteBatch with lower.ErrClosed, and returns once
// the goroutines of the Conn have ended. Closing again does nothing.
func (c *Conn) Close() error {
	if !c.closed.CompareAndSwap(false, true) {
		return nil
	}
	close(c.done)
	var err error
	for _, s := range c.socks {
		if e := s.uc.Close(); e != nil && err == nil {
			err = e
		}
	}
	c.wg.Wait()
	return err
}

// ioErr turns the error of a socket closed under a call into ErrClosed.
func (c *Conn) ioErr(err error) error {
	if c.closed.Load() || errors.Is(err, net.ErrClosed) {
		return lower.ErrClosed
	}
	return err
}

// route finds the socket a packet leaves from and its destination, with
// an IPv4-mapped address taken as IPv4, or says which rule of AddrError
// the packet breaks.
func (c *Conn) route(p *lower.Packet) (*socket, netip.AddrPort, string) {
	da := p.Dst.Addr().Unmap()
	dst := netip.AddrPortFrom(da, p.Dst.Port())
	switch {
	case !da.IsValid() || da.IsUnspecified():
		return nil, dst, ruleBadDst
	case dst.Port() == 0:
		return nil, dst, ruleDstPort0
	}
	src := p.Src.Addr().Unmap()
	if !src.IsValid() || src.IsUnspecified() {
		for _, s := range c.socks {
			if s.local.Addr().Is4() == da.Is4() {
				return s, dst, ""
			}
		}
		return nil, dst, ruleNoFamily
	}
	for _, s := range c.socks {
		if s.local.Addr() == src || s.local.Addr().WithZone("") == src.WithZone("") {
			if src.Is4() != da.Is4() {
				return nil, dst, ruleFamilyDiff
			}
			return s, dst, ""
		}
	}
	return nil, dst, ruleNotLocal
}

// addrError reports the packet at index i, which route refused.
func addrError(pkts []lower.Packet, i int, rule string) error {
	return &AddrError{Index: i, Src: pkts[i].Src, Dst: pkts[i].Dst, Rule: rule}
}
