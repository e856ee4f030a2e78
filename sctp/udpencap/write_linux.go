package udpencap

import (
	"net/netip"
	"os"
	"unsafe"

	"github.com/rserpool/rserpool/sctp/lower"
	"golang.org/x/sys/unix"
)

const (
	// writeMax bounds the packets of one sendmmsg.
	writeMax = 256
	// gsoMaxSegs is the most datagrams one UDP_SEGMENT send may make
	// (UDP_MAX_SEGMENTS; Linux 6.9 raised it, older kernels take 64).
	gsoMaxSegs = 64
)

// txMsg describes one message of a sendmmsg: packets pkts[first:first+
// count], which are 2 or more only with UDP_SEGMENT.
type txMsg struct {
	first, count int
	bytes        int
	seg          int  // the segment size: the first packet's length
	full         bool // a shorter packet ended it
}

// writer is the sending state of a Conn.
type writer struct {
	c     *Conn
	msgs  []mmsghdr
	meta  []txMsg
	iovs  []unix.Iovec // one per packet
	names []unix.RawSockaddrInet6
	ctl   []byte // unix.CmsgSpace(2) per message

	// The sendmmsg of send: pending in, sent or errno out.
	pending []mmsghdr
	sent    int
	errno   unix.Errno
	sendFn  func(fd uintptr) bool
	// sendmmsg is the system call; tests put a failing one in its place.
	sendmmsg func(fd uintptr, msgs []mmsghdr) (int, unix.Errno)
}

func (w *writer) init(c *Conn) {
	w.c = c
	w.msgs = make([]mmsghdr, writeMax)
	w.meta = make([]txMsg, writeMax)
	w.iovs = make([]unix.Iovec, writeMax)
	w.names = make([]unix.RawSockaddrInet6, writeMax)
	w.ctl = make([]byte, writeMax*unix.CmsgSpace(2))
	for i := range w.msgs {
		w.msgs[i].hdr.Name = (*byte)(unsafe.Pointer(&w.names[i]))
	}
	w.sendFn = w.send
	w.sendmmsg = sendmmsg
}

func (c *Conn) writeBatch(pkts []lower.Packet) (int, error) {
	w := &c.wr
	for i := 0; i < len(pkts); {
		s, dst, rule := c.route(&pkts[i])
		if rule != "" {
			return i, addrError(pkts, i, rule)
		}
		j, nm := w.build(s, dst, pkts, i)
		again, err := w.flush(s, nm)
		if err != nil {
			return again, err
		}
		if again >= 0 {
			j = again // GSO turned off: send the rest again, one by one
		}
		i = j
	}
	return len(pkts), nil
}

// build turns pkts[i:j] into messages for socket s, the first going to
// dst, and returns j and the number of messages. It stops before a
// packet of another socket or with bad addresses, which the caller then
// looks at on its own.
func (w *writer) build(s *socket, dst netip.AddrPort, pkts []lower.Packet, i int) (int, int) {
	gso := w.c.gso.Load()
	nm := 0
	var cur *txMsg
	var curDst netip.AddrPort
	j := i
	for ; j < len(pkts) && j-i < writeMax; j++ {
		p := &pkts[j]
		if j > i {
			s2, d, rule := w.c.route(p)
			if rule != "" || s2 != s {
				break
			}
			dst = d
		}
		size := len(p.Buf)
		iov := &w.iovs[j-i]
		iov.Base = nil
		if size > 0 {
			iov.Base = &p.Buf[0]
		}
		iov.SetLen(size)
		if gso && cur != nil && dst == curDst && joinable(cur, size, s, dst) {
			cur.count++
			cur.bytes += size
			cur.full = size < cur.seg
			continue
		}
		cur = &w.meta[nm]
		*cur = txMsg{first: j, count: 1, bytes: size, seg: size}
		curDst = dst
		h := &w.msgs[nm].hdr
		h.Namelen = putSockaddr(&w.names[nm], dst, s.ifindex)
		h.Iov = iov
		h.Flags = 0
		nm++
	}
	for k := range nm {
		m, h := &w.meta[k], &w.msgs[k].hdr
		h.SetIovlen(m.count)
		h.Control = nil
		h.SetControllen(0)
		if m.count > 1 {
			ctl := w.ctl[k*unix.CmsgSpace(2):]
			h.Control = &ctl[0]
			h.SetControllen(putSegment(ctl, m.seg))
		}
	}
	return j, nm
}

// joinable says whether a packet of size bytes may be added to the
// UDP_SEGMENT message m: the kernel cuts a send into datagrams of m.seg
// bytes, so every packet but the last must be that long, and it refuses
// segments larger than the link or more than gsoMaxSegs of them.
func joinable(m *txMsg, size int, s *socket, dst netip.AddrPort) bool {
	return !m.full && size > 0 && size <= m.seg && m.seg <= s.maxSeg &&
		m.count < gsoMaxSegs && m.bytes+size <= maxPayload(dst.Addr())
}

// send is the body of the sendmmsg calls made through the socket's
// RawConn; it reports whether to stop waiting.
func (w *writer) send(fd uintptr) bool {
	w.sent, w.errno = w.sendmmsg(fd, w.pending)
	return w.errno != unix.EAGAIN
}

// flush sends the nm messages built for s. It returns the index of the
// packet to build from again when GSO was found broken and turned off,
// else -1, and for an error the index of the packet it concerns.
func (w *writer) flush(s *socket, nm int) (int, error) {
	c := w.c
	var pkts, bytes, gsoSends, dropped uint64
	defer func() {
		c.st.pktsOut.Add(pkts)
		c.st.bytesOut.Add(bytes)
		c.st.gsoSends.Add(gsoSends)
		c.st.sendDropped.Add(dropped)
	}()
	for k := 0; k < nm; {
		w.pending = w.msgs[k:nm]
		if err := s.rc.Write(w.sendFn); err != nil {
			return w.meta[k].first, c.ioErr(err)
		}
		if w.errno == 0 {
			for _, m := range w.meta[k : k+w.sent] {
				pkts += uint64(m.count)
				bytes += uint64(m.bytes)
				if m.count > 1 {
					gsoSends++
				}
			}
			k += w.sent
			continue
		}
		m := &w.meta[k]
		switch {
		case m.count > 1 && gsoBroken(w.errno):
			if c.gso.CompareAndSwap(true, false) {
				c.st.gsoFallback.Add(1)
			}
			return m.first, nil
		case lost(w.errno):
			dropped += uint64(m.count)
			k++
		default:
			return m.first, os.NewSyscallError("sendmmsg", w.errno)
		}
	}
	return -1, nil
}

// gsoBroken says whether a send with UDP_SEGMENT failed because the
// kernel or the device cannot segment: EIO when the device cannot
// checksum, EINVAL from kernels or paths that refuse the option.
func gsoBroken(e unix.Errno) bool {
	switch e {
	case unix.EIO, unix.EINVAL, unix.EOPNOTSUPP, unix.ENOPROTOOPT:
		return true
	}
	return false
}

// lost says whether the kernel refused a packet for a reason SCTP deals
// with as a loss: too large for the link, no route, filtered, out of
// buffers. SCTP retransmits, and its path management notices a path that
// keeps losing.
func lost(e unix.Errno) bool {
	switch e {
	case unix.EMSGSIZE, unix.ENETUNREACH, unix.EHOSTUNREACH, unix.ENETDOWN, unix.EHOSTDOWN,
		unix.EACCES, unix.EPERM, unix.ENOBUFS, unix.ECONNREFUSED, unix.EADDRNOTAVAIL:
		return true
	}
	return false
}
