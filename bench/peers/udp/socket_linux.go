package main

import (
	"net/netip"
	"syscall"
	"unsafe"

	"github.com/rserpool/rserpool/bench/peers/harness"
)

// Socket options of the UDP level (linux/udp.h).
const (
	solUDP     = 17
	udpSegment = 103 // UDP_SEGMENT: the segment size of a GSO send
	udpGRO     = 104 // UDP_GRO: accept coalesced datagrams
)

// sock is a blocking UDP socket bound to the local address and connected
// to the peer. Blocking system calls on a thread of their own are the
// cheapest way to move datagrams, which is what a floor should measure.
type sock struct {
	fd             int
	rcvbuf, sndbuf int
}

func open(f *harness.Flags, gro bool) (*sock, error) {
	family := syscall.AF_INET
	if f.Local.Addr().Is6() {
		family = syscall.AF_INET6
	}
	fd, err := syscall.Socket(family, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, syscall.IPPROTO_UDP)
	if err != nil {
		return nil, err
	}
	s := &sock{fd: fd}
	s.rcvbuf, s.sndbuf = harness.SizeBuffers(rawFD(fd), f.Buffer)
	if gro {
		if err := syscall.SetsockoptInt(fd, solUDP, udpGRO, 1); err != nil {
			s.close()
			return nil, err
		}
	}
	if err := syscall.Bind(fd, sockaddr(f.Local)); err != nil {
		s.close()
		return nil, err
	}
	if err := syscall.Connect(fd, sockaddr(f.Peer)); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *sock) close() { syscall.Close(s.fd) }

func sockaddr(ap netip.AddrPort) syscall.Sockaddr {
	if ap.Addr().Is4() {
		return &syscall.SockaddrInet4{Port: int(ap.Port()), Addr: ap.Addr().As4()}
	}
	return &syscall.SockaddrInet6{Port: int(ap.Port()), Addr: ap.Addr().As16()}
}

// rawFD lets harness.SizeBuffers work on a bare descriptor.
type rawFD int

func (r rawFD) Control(fn func(fd uintptr)) error { fn(uintptr(r)); return nil }
func (r rawFD) Read(fn func(fd uintptr) bool) error {
	fn(uintptr(r))
	return nil
}
func (r rawFD) Write(fn func(fd uintptr) bool) error {
	fn(uintptr(r))
	return nil
}

// mmsghdr is struct mmsghdr of sendmmsg(2) and recvmmsg(2).
type mmsghdr struct {
	hdr syscall.Msghdr
	len uint32
	_   [4]byte
}

// A connected UDP socket reports an ICMP port unreachable, which a
// datagram to a process that has just left brings back, as ECONNREFUSED
// on its next call, whatever that call is. At the end of a run that is
// no failure of the call: the datagram that met the closed port is
// simply lost, and the call is made again.

// write sends one datagram.
func (s *sock) write(b []byte) error {
	for {
		_, err := syscall.Write(s.fd, b)
		if err != syscall.EINTR && err != syscall.ECONNREFUSED {
			return err
		}
	}
}

// read receives one datagram.
func (s *sock) read(b []byte) (int, error) {
	for {
		n, err := syscall.Read(s.fd, b)
		if err != syscall.EINTR && err != syscall.ECONNREFUSED {
			return n, err
		}
	}
}

// sendmmsg sends msgs and returns how many went.
func (s *sock) sendmmsg(msgs []mmsghdr) (int, error) {
	for {
		n, _, e := syscall.Syscall6(sysSENDMMSG, uintptr(s.fd), uintptr(unsafe.Pointer(&msgs[0])), uintptr(len(msgs)), 0, 0, 0)
		if e == syscall.EINTR || e == syscall.ECONNREFUSED {
			continue
		}
		if e != 0 {
			return int(n), e
		}
		return int(n), nil
	}
}

// recvmmsg waits for at least one datagram and takes up to len(msgs).
func (s *sock) recvmmsg(msgs []mmsghdr) (int, error) {
	for {
		n, _, e := syscall.Syscall6(syscall.SYS_RECVMMSG, uintptr(s.fd), uintptr(unsafe.Pointer(&msgs[0])), uintptr(len(msgs)), syscall.MSG_WAITFORONE, 0, 0)
		if e == syscall.EINTR || e == syscall.ECONNREFUSED {
			continue
		}
		if e != 0 {
			return 0, e
		}
		return int(n), nil
	}
}

// sendmsg sends one message.
func (s *sock) sendmsg(m *syscall.Msghdr) error {
	for {
		_, _, e := syscall.Syscall(syscall.SYS_SENDMSG, uintptr(s.fd), uintptr(unsafe.Pointer(m)), 0)
		if e == syscall.EINTR || e == syscall.ECONNREFUSED {
			continue
		}
		if e != 0 {
			return e
		}
		return nil
	}
}
