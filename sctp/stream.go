package sctp

import (
	"net"
	"net/netip"
	"os"
	"sync"
	"time"
)

// StreamConn returns a net.Conn view of one stream of the association.
//
// Write sends each call's bytes as one ordered message on stream with
// payload protocol identifier ppid, blocking while the send buffer is
// full; a Write larger than Config.SendBuffer fails with
// ErrMessageTooLarge. Read returns the next message received on stream,
// copying what fits into the caller's buffer and keeping the rest for
// the next Read; it returns io.EOF once the peer shut down and the
// stream's messages are read. Deadlines apply to blocked calls as
// net.Conn says; an expired one gives an error with Timeout() true.
//
// The first view of a stream claims it for the life of the
// association: from then on its messages, the ones already received
// included, go to its views only, and Receive returns the messages of
// the other streams. Each stream has its own queue inside the
// association, so a view is not held up by messages of other streams;
// they all share the association's receive buffer, though, and a
// stream nobody reads stops the others once that fills.
//
// Closing the view releases its blocked calls; the association stays
// up (Association.Close ends it).
func (a *Association) StreamConn(stream uint16, ppid uint32) net.Conn {
	a.mu.Lock()
	a.rq.claim(stream)
	a.mu.Unlock()
	return &streamConn{a: a, stream: stream, ppid: ppid, rd: newDeadline(), wd: newDeadline()}
}

type streamConn struct {
	a      *Association
	stream uint16
	ppid   uint32
	rd, wd *deadline

	rmu sync.Mutex // serializes reads: rem belongs to one reader
	rem []byte     // what the last message left after a short read
}

func (s *streamConn) Read(b []byte) (int, error) {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	if s.rd.isClosed() {
		return 0, s.a.opError("read", net.ErrClosed)
	}
	if len(s.rem) > 0 {
		n := copy(b, s.rem)
		s.rem = s.rem[n:]
		return n, nil
	}
	if len(b) == 0 {
		return 0, nil
	}
	m, err := s.a.receive(s.rd, int(s.stream), "read")
	if err != nil {
		return 0, err
	}
	n := copy(b, m.Data)
	if n < len(m.Data) {
		s.rem = m.Data[n:]
	}
	return n, nil
}

func (s *streamConn) Write(b []byte) (int, error) {
	if s.wd.isClosed() {
		return 0, s.a.opError("write", net.ErrClosed)
	}
	if len(b) == 0 {
		return 0, nil
	}
	if err := s.a.send(s.wd, Message{Stream: s.stream, PPID: s.ppid, Data: b}, "write"); err != nil {
		return 0, err
	}
	return len(b), nil
}

// Close closes the view, not the association.
func (s *streamConn) Close() error {
	s.rd.close()
	s.wd.close()
	return nil
}

func (s *streamConn) LocalAddr() net.Addr {
	return &Addr{AddrPort: s.a.e.Addr(), Port: s.a.e.port}
}

func (s *streamConn) RemoteAddr() net.Addr {
	return &Addr{AddrPort: s.a.primary(), Port: s.a.peerPort}
}

func (s *streamConn) SetDeadline(t time.Time) error {
	s.rd.set(t)
	s.wd.set(t)
	return nil
}

func (s *streamConn) SetReadDeadline(t time.Time) error  { s.rd.set(t); return nil }
func (s *streamConn) SetWriteDeadline(t time.Time) error { s.wd.set(t); return nil }

// Addr is an SCTP transport address as a net.Addr: the address on the
// lower layer (IP address and, over UDP encapsulation, the UDP port) and
// the SCTP port.
type Addr struct {
	AddrPort netip.AddrPort
	Port     uint16
}

// Network returns "sctp".
func (a *Addr) Network() string { return "sctp" }

// String returns the IP address and SCTP port, as RFC 9260 §1.3 names a
// transport address.
func (a *Addr) String() string { return netip.AddrPortFrom(a.AddrPort.Addr(), a.Port).String() }

// deadline is a net.Conn deadline as a canceler: Done is closed when the
// deadline passes or the view closes; Err says which, or nil when the
// deadline was moved since (the waiter then waits again). Moving a
// deadline that has not passed keeps its channel, so calls already
// waiting obey the new time.
type deadline struct {
	mu      sync.Mutex
	ch      chan struct{}
	timer   *time.Timer
	gen     uint64
	expired bool // ch is closed because the deadline passed
	closed  bool // ch is closed because the view closed
}

func newDeadline() *deadline { return &deadline{ch: make(chan struct{})} }

func (d *deadline) Done() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.ch
}

func (d *deadline) Err() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch {
	case d.closed:
		return net.ErrClosed
	case d.expired:
		return os.ErrDeadlineExceeded
	}
	return nil
}

func (d *deadline) isClosed() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.closed
}

func (d *deadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	d.gen++
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	if d.expired {
		d.ch, d.expired = make(chan struct{}), false
	}
	if t.IsZero() {
		return
	}
	wait := time.Until(t)
	if wait <= 0 {
		d.expired = true
		close(d.ch)
		return
	}
	gen := d.gen
	d.timer = time.AfterFunc(wait, func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		if d.gen == gen && !d.expired && !d.closed {
			d.expired = true
			close(d.ch)
		}
	})
}

func (d *deadline) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	if !d.expired {
		close(d.ch)
	}
	d.closed = true
}
