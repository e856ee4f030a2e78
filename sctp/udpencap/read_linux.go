package udpencap

import (
	"net/netip"
	"os"
	"unsafe"

	"github.com/rserpool/rserpool/sctp/lower"
	"golang.org/x/sys/unix"
)

const (
	// readMax bounds the datagrams of one recvmmsg straight into the
	// caller's buffers.
	readMax = 128
	// With GRO a datagram may hold up to 64 packets, so fewer, larger
	// buffers of our own are read into, and cut into the caller's.
	groBufs   = 16
	groBufLen = 1 << 16 // more than any UDP payload
	ctlLen    = 64      // room for the UDP_GRO control message
)

// reader is the receiving state of a Conn. Without GRO recvmmsg writes
// straight into the buffers lent to ReadBatch; with GRO it writes into
// the reader's own buffers, and the packets not yet handed out wait there
// for the next ReadBatch.
type reader struct {
	c     *Conn
	msgs  []mmsghdr
	iovs  []unix.Iovec
	names []unix.RawSockaddrInet6

	// GRO only: the buffers, and the datagrams of the last recvmmsg,
	// msgs[next:pend], the one at next cut up to off.
	slab      []byte
	ctl       []byte
	segs      []int
	srcs      []netip.AddrPort
	pend      int
	next, off int
	from      *socket

	// The recvmmsg of recv: want messages in, got messages or errno out.
	want   int
	got    int
	errno  unix.Errno
	recvFn func(fd uintptr) bool
	ctlFn  func(fd uintptr)

	// With several sockets, one goroutine per socket waits until it is
	// readable and sends its index on ready, then waits on rearm until
	// the reader has emptied it. readable marks the sockets signalled
	// and not yet emptied.
	ready    chan int
	rearm    []chan struct{}
	readable []bool
	rr       int // the socket to try first
}

// initIO prepares the reader and the writer, and starts a watcher per
// socket when there are several.
func (c *Conn) initIO() {
	r := &c.rd
	r.c = c
	r.recvFn = r.recv
	r.ctlFn = func(fd uintptr) { r.recv(fd) }
	n := readMax
	if c.gro {
		n = groBufs
		r.slab = make([]byte, groBufs*groBufLen)
		r.ctl = make([]byte, groBufs*ctlLen)
		r.segs = make([]int, groBufs)
		r.srcs = make([]netip.AddrPort, groBufs)
	}
	r.msgs = make([]mmsghdr, n)
	r.iovs = make([]unix.Iovec, n)
	r.names = make([]unix.RawSockaddrInet6, n)
	for i := range r.msgs {
		h := &r.msgs[i].hdr
		h.Name = (*byte)(unsafe.Pointer(&r.names[i]))
		h.Iov = &r.iovs[i]
		h.SetIovlen(1)
		if c.gro {
			r.iovs[i].Base = &r.slab[i*groBufLen]
			r.iovs[i].SetLen(groBufLen)
			h.Control = &r.ctl[i*ctlLen]
		}
	}
	if len(c.socks) > 1 {
		r.ready = make(chan int, len(c.socks))
		r.rearm = make([]chan struct{}, len(c.socks))
		r.readable = make([]bool, len(c.socks))
		for i := range c.socks {
			r.rearm[i] = make(chan struct{}, 1)
			c.wg.Add(1)
			go c.watch(i)
		}
	}
	c.wr.init(c)
}

func (c *Conn) readBatch(pkts []lower.Packet) (int, error) {
	r := &c.rd
	for {
		if r.next < r.pend {
			if k := r.cut(pkts); k > 0 {
				return k, nil
			}
			continue // all dropped as too large
		}
		if c.gro {
			r.prepareGRO()
		} else {
			r.prepare(pkts)
		}
		s, err := r.receive()
		if err != nil {
			return 0, err
		}
		if c.gro {
			r.load(s)
			continue
		}
		if k := r.deliver(s, pkts); k > 0 {
			return k, nil
		}
	}
}

// prepare points the messages at the caller's buffers, whole capacity.
func (r *reader) prepare(pkts []lower.Packet) {
	r.want = min(len(pkts), len(r.msgs))
	for i := range r.want {
		b := pkts[i].Buf[:cap(pkts[i].Buf)]
		iov := &r.iovs[i]
		iov.Base = nil
		if len(b) > 0 {
			iov.Base = &b[0]
		}
		iov.SetLen(len(b))
		h := &r.msgs[i].hdr
		h.Namelen = unix.SizeofSockaddrInet6
		h.Flags = 0
	}
}

// prepareGRO resets what the kernel changed in the messages.
func (r *reader) prepareGRO() {
	r.want = len(r.msgs)
	for i := range r.msgs {
		h := &r.msgs[i].hdr
		h.Namelen = unix.SizeofSockaddrInet6
		h.SetControllen(ctlLen)
		h.Flags = 0
	}
}

// recv is the body of the recvmmsg calls made through the sockets'
// RawConn; it reports whether to stop waiting.
func (r *reader) recv(fd uintptr) bool {
	r.got, r.errno = recvmmsg(fd, r.msgs[:r.want], 0)
	return r.errno != unix.EAGAIN
}

// receive makes one recvmmsg that returns at least one datagram, waiting
// for one, and returns the socket it read.
func (r *reader) receive() (*socket, error) {
	c := r.c
	if len(c.socks) == 1 {
		s := c.socks[0]
		if err := s.rc.Read(r.recvFn); err != nil {
			return nil, c.ioErr(err)
		}
		if r.errno != 0 {
			return nil, os.NewSyscallError("recvmmsg", r.errno)
		}
		return s, nil
	}
	for {
		for j := range c.socks {
			i := (r.rr + j) % len(c.socks)
			if !r.readable[i] {
				continue
			}
			s := c.socks[i]
			if err := s.rc.Control(r.ctlFn); err != nil {
				return nil, c.ioErr(err)
			}
			switch r.errno {
			case 0:
				r.rr = (i + 1) % len(c.socks)
				return s, nil
			case unix.EAGAIN:
				r.readable[i] = false
				r.rearm[i] <- struct{}{}
			default:
				return nil, os.NewSyscallError("recvmmsg", r.errno)
			}
		}
		select {
		case i := <-r.ready:
			r.readable[i] = true
		case <-c.done:
			return nil, lower.ErrClosed
		}
	}
}

// deliver turns the datagrams received into the caller's buffers into
// packets, dropping the truncated ones, and returns how many remain.
func (r *reader) deliver(s *socket, pkts []lower.Packet) int {
	k := 0
	for i := range r.got {
		m := &r.msgs[i]
		if m.hdr.Flags&unix.MSG_TRUNC != 0 || int(m.n) > cap(pkts[i].Buf) {
			r.c.st.tooLarge.Add(1)
			continue
		}
		src, ok := getSockaddr(&r.names[i], s.zone)
		if !ok {
			continue // not an IP sender: cannot happen on a UDP socket
		}
		if k != i {
			pkts[k].Buf, pkts[i].Buf = pkts[i].Buf, pkts[k].Buf
		}
		pkts[k].Buf = pkts[k].Buf[:m.n]
		pkts[k].Src, pkts[k].Dst = src, s.local
		k++
	}
	return k
}

// load takes note of the datagrams received into the GRO buffers: their
// source, and the size of their segments from the UDP_GRO control
// message (one segment when it is absent).
func (r *reader) load(s *socket) {
	for i := range r.got {
		m := &r.msgs[i]
		n := int(m.n)
		src, ok := getSockaddr(&r.names[i], s.zone)
		ctl := r.ctl[i*ctlLen : i*ctlLen+min(int(m.hdr.Controllen), ctlLen)]
		seg, _ := cmsgUint(ctl, unix.IPPROTO_UDP, unix.UDP_GRO)
		switch {
		case m.hdr.Flags&unix.MSG_TRUNC != 0 || n > groBufLen:
			seg = -1 // cannot happen with buffers larger than any datagram
			r.c.st.tooLarge.Add(1)
		case !ok:
			seg = -1 // not an IP sender: cannot happen on a UDP socket
		case seg <= 0 || seg >= n:
			seg = n
		default:
			r.c.st.groReceives.Add(1)
		}
		r.segs[i], r.srcs[i] = seg, src
	}
	r.pend, r.next, r.off, r.from = r.got, 0, 0, s
}

// cut copies the pending packets into pkts, dropping those larger than
// the buffer lent for them, and returns how many it filled.
func (r *reader) cut(pkts []lower.Packet) int {
	k := 0
	for r.next < r.pend && k < len(pkts) {
		i := r.next
		n, seg := int(r.msgs[i].n), r.segs[i]
		if seg < 0 {
			r.next++
			continue
		}
		data := r.slab[i*groBufLen : i*groBufLen+n]
		for r.off < n && k < len(pkts) {
			end := min(r.off+seg, n)
			b := data[r.off:end]
			r.off = end
			if len(b) > cap(pkts[k].Buf) {
				r.c.st.tooLarge.Add(1)
				continue
			}
			pkts[k].Buf = append(pkts[k].Buf[:0], b...)
			pkts[k].Src, pkts[k].Dst = r.srcs[i], r.from.local
			k++
		}
		if r.off >= n {
			r.next++
			r.off = 0
		}
	}
	return k
}

// watch waits, over and over, until socket i is readable, and tells the
// reader, which empties it before rearming the watch. It looks with a
// peek, so that the waiting, done by the runtime's poller, only ends on
// data that arrived after the reader's last look.
func (c *Conn) watch(i int) {
	defer c.wg.Done()
	s, r := c.socks[i], &c.rd
	var (
		b    [1]byte
		iov  unix.Iovec
		msgs [1]mmsghdr
	)
	iov.Base = &b[0]
	iov.SetLen(1)
	msgs[0].hdr.Iov = &iov
	msgs[0].hdr.SetIovlen(1)
	peek := func(fd uintptr) bool {
		_, e := recvmmsg(fd, msgs[:], unix.MSG_PEEK|unix.MSG_DONTWAIT)
		return e != unix.EAGAIN
	}
	for {
		if err := s.rc.Read(peek); err != nil {
			return
		}
		select {
		case r.ready <- i:
		case <-c.done:
			return
		}
		select {
		case <-r.rearm[i]:
		case <-c.done:
			return
		}
	}
}
