//go:build !linux

package udpencap

import (
	"net/netip"

	"github.com/rserpool/rserpool/sctp/lower"
)

// Without recvmmsg and sendmmsg each packet takes one system call. A
// goroutine per socket reads into its own buffer, hands the datagram to
// ReadBatch and waits for it to be copied.

// datagram is a received datagram waiting for ReadBatch.
type datagram struct {
	s   *socket
	buf []byte
	src netip.AddrPort
	// done gets the buffer back once it is copied.
	done chan []byte
}

type reader struct {
	in chan datagram
}

// writer sends one packet per system call.
type writer struct {
	c *Conn
}

// setup sets the socket's buffers; the kernel's answer is not portable
// to read, so the sizes asked for are reported.
func (s *socket) setup(cfg *Config) sockInfo {
	var info sockInfo
	if n := bufferSize(cfg.ReadBuffer); n > 0 && s.uc.SetReadBuffer(n) == nil {
		info.rbuf = n
	}
	if n := bufferSize(cfg.WriteBuffer); n > 0 && s.uc.SetWriteBuffer(n) == nil {
		info.wbuf = n
	}
	return info
}

func (s *socket) disableGRO() {}

func (c *Conn) initIO() {
	c.wr.c = c
	c.rd.in = make(chan datagram)
	for _, s := range c.socks {
		c.wg.Add(1)
		go c.readLoop(s)
	}
}

// readLoop reads socket s until it is closed.
func (c *Conn) readLoop(s *socket) {
	defer c.wg.Done()
	buf := make([]byte, 1<<16) // more than any UDP payload
	back := make(chan []byte, 1)
	for {
		n, src, err := s.uc.ReadFromUDPAddrPort(buf)
		if err != nil {
			if c.closed.Load() {
				return
			}
			continue
		}
		src = netip.AddrPortFrom(src.Addr().Unmap(), src.Port())
		select {
		case c.rd.in <- datagram{s, buf[:n], src, back}:
		case <-c.done:
			return
		}
		select {
		case buf = <-back:
		case <-c.done:
			return
		}
	}
}

func (c *Conn) readBatch(pkts []lower.Packet) (int, error) {
	k := 0
	for k < len(pkts) {
		var d datagram
		if k == 0 {
			select {
			case d = <-c.rd.in:
			case <-c.done:
				return 0, lower.ErrClosed
			}
		} else {
			select {
			case d = <-c.rd.in:
			default:
				return k, nil
			}
		}
		if len(d.buf) > cap(pkts[k].Buf) {
			c.st.tooLarge.Add(1)
		} else {
			pkts[k].Buf = append(pkts[k].Buf[:0], d.buf...)
			pkts[k].Src, pkts[k].Dst = d.src, d.s.local
			k++
		}
		d.done <- d.buf[:cap(d.buf)]
	}
	return k, nil
}

func (c *Conn) writeBatch(pkts []lower.Packet) (int, error) {
	return c.wr.write(pkts)
}

func (w *writer) write(pkts []lower.Packet) (int, error) {
	c := w.c
	var n, bytes, dropped uint64
	defer func() {
		c.st.pktsOut.Add(n)
		c.st.bytesOut.Add(bytes)
		c.st.sendDropped.Add(dropped)
	}()
	for i := range pkts {
		s, dst, rule := c.route(&pkts[i])
		if rule != "" {
			return i, addrError(pkts, i, rule)
		}
		if len(pkts[i].Buf) > maxPayload(dst.Addr()) {
			dropped++
			continue
		}
		if _, err := s.uc.WriteToUDPAddrPort(pkts[i].Buf, dst); err != nil {
			if err := c.ioErr(err); err == lower.ErrClosed {
				return i, err
			}
			dropped++ // SCTP retransmits
			continue
		}
		n++
		bytes += uint64(len(pkts[i].Buf))
	}
	return len(pkts), nil
}
