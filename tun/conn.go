package tun

import (
	"errors"
	"math/rand/v2"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/rserpool/rserpool/ip"
	"github.com/rserpool/rserpool/sctp/lower"
)

// maxPacket is the read buffer's size: the largest IP packet a 16-bit
// length field describes. A TUN device without IFF_VNET_HDR hands over
// no larger one.
const maxPacket = 65535

// Conn is an open TUN device carrying one SCTP endpoint's packets. It
// implements lower.Conn.
type Conn struct {
	f     *os.File
	rc    syscall.RawConn
	name  string
	addrs []netip.Addr
	local []netip.AddrPort
	mtu   int // the device's
	hdr   int // IP header length MTU subtracts

	rbuf []byte // ReadBatch's
	wbuf []byte // WriteBatch's
	id   uint16 // next IPv4 Identification, WriteBatch's

	stats     counters
	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

var _ lower.Conn = (*Conn)(nil)

// newConn wraps an open packet file descriptor (non-blocking, so that the
// runtime's poller serves it and Close wakes a blocked reader). addrs are
// checked by Config.check.
func newConn(f *os.File, name string, addrs []netip.Addr, mtu int) (*Conn, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	c := &Conn{
		f: f, rc: rc, name: name, addrs: addrs, mtu: mtu, hdr: ip.IPv4HeaderLen,
		rbuf: make([]byte, maxPacket),
		id:   uint16(rand.Uint32()),
	}
	for _, a := range addrs {
		c.local = append(c.local, netip.AddrPortFrom(a, 0))
		if a.Is6() {
			c.hdr = ip.IPv6HeaderLen
		}
	}
	return c, nil
}

// Name returns the device's name.
func (c *Conn) Name() string { return c.name }

// LocalAddrs implements lower.Conn: Config.Addrs with port 0, since over
// raw IP the SCTP ports are in the SCTP packet only.
func (c *Conn) LocalAddrs() []netip.AddrPort { return append([]netip.AddrPort(nil), c.local...) }

// MTU implements lower.Conn: the device's MTU, as it was when Open
// returned, less an IPv6 header when the endpoint has an IPv6 address and
// an IPv4 header otherwise, so that one value fits both families.
func (c *Conn) MTU() int { return max(c.mtu-c.hdr, 0) }

// Stats returns the counters.
func (c *Conn) Stats() Stats { return c.stats.snapshot() }

// Close implements lower.Conn. A device that Open created goes away with
// it, and with the device its addresses and routes.
func (c *Conn) Close() error {
	c.closeOnce.Do(func() {
		c.closed.Store(true)
		c.closeErr = c.f.Close()
	})
	return c.closeErr
}

// ReadBatch implements lower.Conn.
func (c *Conn) ReadBatch(pkts []lower.Packet) (int, error) {
	if len(pkts) == 0 {
		return 0, nil
	}
	if c.closed.Load() {
		return 0, lower.ErrClosed
	}
	k := 0
	var rerr error
	err := c.rc.Read(func(fd uintptr) bool {
		for k < len(pkts) {
			n, err := readFD(fd, c.rbuf)
			switch {
			case err == syscall.EINTR:
				continue
			case err == syscall.EAGAIN:
				return k > 0 // nothing yet: wait for the poller
			case err != nil:
				rerr = err
				return true
			}
			if c.receive(&pkts[k], c.rbuf[:n]) {
				k++
			}
		}
		return true
	})
	if k > 0 {
		return k, nil // an error, if any, comes again on the next call
	}
	if err != nil {
		// A raw read of a closed file fails with the runtime's own
		// "use of closed file", which is not os.ErrClosed.
		if c.closed.Load() || errors.Is(err, os.ErrClosed) {
			return 0, lower.ErrClosed
		}
		return 0, err
	}
	return 0, &os.SyscallError{Syscall: "read", Err: rerr}
}

// write sends one packet to the device, waiting for the poller while
// the device's queue is full.
func (c *Conn) write(b []byte) error {
	var werr error
	err := c.rc.Write(func(fd uintptr) bool {
		for {
			_, err := writeFD(fd, b)
			switch err {
			case syscall.EINTR:
				continue
			case syscall.EAGAIN:
				return false
			}
			werr = err
			return true
		}
	})
	if err != nil {
		return err
	}
	if werr != nil {
		return &os.SyscallError{Syscall: "write", Err: werr}
	}
	return nil
}

// receive checks one packet read from the device and, if it is an SCTP
// packet for the endpoint, copies it into p. The checks and the order of
// the counters are those of the package documentation.
func (c *Conn) receive(p *lower.Packet, b []byte) bool {
	h, payload, err := ip.ParseHeader(b)
	switch {
	case errors.Is(err, ip.ErrHeaderChecksum):
		c.stats.badChecksum.Add(1)
		return false
	case err != nil:
		c.stats.malformed.Add(1)
		return false
	case h.Proto != ip.ProtoSCTP:
		c.stats.notSCTP.Add(1)
		return false
	case h.Fragment:
		c.stats.fragments.Add(1)
		return false
	case !c.isLocal(h.Dst):
		c.stats.notLocal.Add(1)
		return false
	case len(payload) > cap(p.Buf):
		c.stats.tooLarge.Add(1)
		return false
	}
	p.Buf = append(p.Buf[:0], payload...)
	p.Src = netip.AddrPortFrom(h.Src, 0)
	p.Dst = netip.AddrPortFrom(h.Dst, 0)
	c.stats.received.Add(1)
	return true
}

func (c *Conn) isLocal(a netip.Addr) bool {
	for _, l := range c.addrs {
		if l == a {
			return true
		}
	}
	return false
}

// WriteBatch implements lower.Conn. Each packet leaves from its Src if
// that is one of Config.Addrs of the destination's family, else from the
// first such address (an unspecified Src is the usual way to ask for
// that; any other is counted in Stats.SourceReplaced). The caller may
// reuse the buffers at once.
func (c *Conn) WriteBatch(pkts []lower.Packet) (int, error) {
	for i := range pkts {
		if c.closed.Load() {
			return i, lower.ErrClosed
		}
		p := &pkts[i]
		b, err := c.frame(c.wbuf[:0], p)
		if err != nil {
			return i, &PacketError{Index: i, Src: p.Src, Dst: p.Dst, Err: err}
		}
		c.wbuf = b
		if err := c.write(b); err != nil {
			if c.closed.Load() || errors.Is(err, os.ErrClosed) {
				return i, lower.ErrClosed
			}
			c.stats.writeErrors.Add(1)
			return i, &PacketError{Index: i, Src: p.Src, Dst: p.Dst, Err: err}
		}
		c.stats.sent.Add(1)
	}
	return len(pkts), nil
}
