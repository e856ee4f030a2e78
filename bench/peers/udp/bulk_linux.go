package main

import (
	"encoding/binary"
	"errors"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/rserpool/rserpool/bench/peers/harness"
)

// groupSize is how many datagrams the sender moves between two looks at
// its window: the batch of sendmmsg and of a GSO send (UDP_MAX_SEGMENTS
// is 64), and 64 single writes in plain mode.
func groupSize(size int) int { return max(1, min(64, 65000/size)) }

// send moves datagrams for f.Duration within the window, then sends the
// end mark, a datagram of no bytes.
func send(f *harness.Flags, s *sock, batch string) (harness.Result, error) {
	size := datagramSize(f)
	g := groupSize(size)
	buf := make([]byte, size*g)
	credits := startCredits(s)

	var msgs []mmsghdr
	var iov []syscall.Iovec
	var gso syscall.Msghdr
	var gsoIov syscall.Iovec
	control := make([]byte, syscall.CmsgSpace(2))
	switch batch {
	case "mmsg":
		msgs = make([]mmsghdr, g)
		iov = make([]syscall.Iovec, g)
		for i := range msgs {
			iov[i].Base = &buf[0]
			iov[i].SetLen(size)
			msgs[i].hdr.Iov = &iov[i]
			msgs[i].hdr.Iovlen = 1
		}
	case "gso", "gro":
		gsoIov.Base = &buf[0]
		gsoIov.SetLen(size * g)
		gso.Iov = &gsoIov
		gso.Iovlen = 1
		h := (*syscall.Cmsghdr)(unsafe.Pointer(&control[0]))
		h.Level, h.Type = solUDP, udpSegment
		h.SetLen(syscall.CmsgLen(2))
		binary.NativeEndian.PutUint16(control[syscall.CmsgLen(0):], uint16(size))
		gso.Control = &control[0]
		gso.SetControllen(len(control))
	}

	var sent int64
	start := time.Now()
	end := start.Add(f.Duration)
	for time.Now().Before(end) {
		if err := credits.wait(sent+int64(g*size), int64(f.Window)); err != nil {
			return harness.Result{}, err
		}
		switch batch {
		case "plain":
			for range g {
				if err := s.write(buf[:size]); err != nil {
					return harness.Result{}, err
				}
			}
		case "mmsg":
			for k := 0; k < g; {
				n, err := s.sendmmsg(msgs[k:])
				if err != nil {
					return harness.Result{}, err
				}
				k += n
			}
		default:
			if err := s.sendmsg(&gso); err != nil {
				return harness.Result{}, err
			}
		}
		sent += int64(g * size)
	}
	// The end mark goes three times in case one is lost; the receiver
	// leaves at the first, so the others may meet a closed port.
	for range 3 {
		if err := s.write(nil); err != nil {
			return harness.Result{}, err
		}
	}
	return harness.Result{Role: "client", Mode: f.Mode, Size: f.Size, Bytes: sent, Msgs: sent / int64(size),
		Seconds: time.Since(start).Seconds(), Notes: map[string]any{"window_stalls": credits.stalls}}, nil
}

// credits is the sender's view of the receiver's byte count, read from
// the credit datagrams by a goroutine of its own.
type credits struct {
	acked  atomic.Int64
	wake   chan struct{}
	stalls int
}

func startCredits(s *sock) *credits {
	c := &credits{wake: make(chan struct{}, 1)}
	go func() {
		b := make([]byte, 64)
		for {
			n, err := s.read(b)
			if err != nil {
				return
			}
			if n == 8 {
				c.acked.Store(int64(binary.BigEndian.Uint64(b)))
				select {
				case c.wake <- struct{}{}:
				default:
				}
			}
		}
	}()
	return c
}

// wait returns once total bytes sent would leave at most window of them
// unacknowledged. Loopback with buffers larger than the window loses
// nothing, so a credit that never comes means the receiver is gone.
func (c *credits) wait(total, window int64) error {
	if total-c.acked.Load() <= window {
		return nil
	}
	c.stalls++
	t := time.NewTimer(5 * time.Second)
	defer t.Stop()
	for total-c.acked.Load() > window {
		select {
		case <-c.wake:
		case <-t.C:
			return errors.New("no credit from the receiver for 5 s")
		}
	}
	return nil
}

// receive counts datagrams until the end mark, returning a credit every
// quarter window.
func receive(f *harness.Flags, s *sock, batch string) (harness.Result, error) {
	var c harness.Counter
	var total, credited int64
	credit := make([]byte, 8)
	step := int64(max(f.Window/4, 1))
	// count takes n bytes in k datagrams; it reports the end mark.
	count := func(k, n int) error {
		c.AddMany(k, n)
		total += int64(n)
		if total-credited >= step {
			credited = total
			binary.BigEndian.PutUint64(credit, uint64(total))
			return s.write(credit)
		}
		return nil
	}
	const bufSize = 65536
	switch batch {
	case "plain":
		buf := make([]byte, bufSize)
		for {
			n, err := s.read(buf)
			if err != nil {
				return harness.Result{}, err
			}
			if n == 0 {
				return c.Result(f), nil
			}
			if err := count(1, n); err != nil {
				return harness.Result{}, err
			}
		}
	default:
		gro := batch == "gro"
		nb := 64
		if gro {
			nb = 16 // 1 MiB, each buffer a coalesced datagram of up to 64 KiB
		}
		bufs := make([]byte, nb*bufSize)
		ctlLen := syscall.CmsgSpace(4)
		ctl := make([]byte, nb*ctlLen)
		iov := make([]syscall.Iovec, nb)
		msgs := make([]mmsghdr, nb)
		for i := range msgs {
			iov[i].Base = &bufs[i*bufSize]
			iov[i].SetLen(bufSize)
			msgs[i].hdr.Iov = &iov[i]
			msgs[i].hdr.Iovlen = 1
		}
		for {
			if gro {
				for i := range msgs {
					msgs[i].hdr.Control = &ctl[i*ctlLen]
					msgs[i].hdr.SetControllen(ctlLen)
				}
			}
			n, err := s.recvmmsg(msgs)
			if err != nil {
				return harness.Result{}, err
			}
			for i := range n {
				l := int(msgs[i].len)
				if l == 0 {
					return c.Result(f), nil
				}
				k := 1
				if gro {
					if seg := groSegment(ctl[i*ctlLen : i*ctlLen+int(msgs[i].hdr.Controllen)]); seg > 0 {
						k = (l + seg - 1) / seg
					}
				}
				if err := count(k, l); err != nil {
					return harness.Result{}, err
				}
			}
		}
	}
}

// groSegment finds the UDP_GRO control message, the segment size of a
// coalesced datagram; 0 when there is none (a single datagram).
func groSegment(ctl []byte) int {
	msgs, err := syscall.ParseSocketControlMessage(ctl)
	if err != nil {
		return 0
	}
	for _, m := range msgs {
		if m.Header.Level == solUDP && m.Header.Type == udpGRO && len(m.Data) >= 4 {
			return int(binary.NativeEndian.Uint32(m.Data))
		}
	}
	return 0
}
