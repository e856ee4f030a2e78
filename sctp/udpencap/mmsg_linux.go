package udpencap

import (
	"net/netip"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mmsghdr is the struct mmsghdr of recvmmsg(2) and sendmmsg(2): a message
// header and the byte count the kernel fills in. Go pads it as C does,
// to the alignment of the pointers in unix.Msghdr.
type mmsghdr struct {
	hdr unix.Msghdr
	n   uint32
}

// The sockets are non-blocking (the runtime's poller waits for them), so
// recvmmsg and sendmmsg return at once and are made as raw system calls:
// a Syscall tells the scheduler it may block, and when every P was idle,
// as between the messages of a ping-pong, entering it wakes the runtime's
// monitor thread, which then competes for the CPU with the packet's
// path. On one CPU that took a 100-byte ping-pong's p99 from about 10 to
// 50 µs.

// recvmmsg receives up to len(msgs) datagrams without blocking.
func recvmmsg(fd uintptr, msgs []mmsghdr, flags int) (int, unix.Errno) {
	for {
		r, _, e := unix.RawSyscall6(unix.SYS_RECVMMSG, fd, uintptr(unsafe.Pointer(&msgs[0])), uintptr(len(msgs)), uintptr(flags), 0, 0)
		if e == unix.EINTR {
			continue
		}
		if e != 0 {
			return 0, e
		}
		return int(r), 0
	}
}

// sendmmsg sends msgs in order until one fails; it returns the error of
// the first message only, as the kernel forgets the others'.
func sendmmsg(fd uintptr, msgs []mmsghdr) (int, unix.Errno) {
	for {
		r, _, e := unix.RawSyscall6(unix.SYS_SENDMMSG, fd, uintptr(unsafe.Pointer(&msgs[0])), uintptr(len(msgs)), 0, 0, 0)
		if e == unix.EINTR {
			continue
		}
		if e != 0 {
			return 0, e
		}
		return int(r), 0
	}
}

// putSockaddr writes ap into sa as a sockaddr_in or a sockaddr_in6 and
// returns its length. scope is the interface of a link-local address.
func putSockaddr(sa *unix.RawSockaddrInet6, ap netip.AddrPort, scope uint32) uint32 {
	a, port := ap.Addr(), ap.Port()
	if a.Is4() {
		s4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(sa))
		s4.Family = unix.AF_INET
		p := (*[2]byte)(unsafe.Pointer(&s4.Port))
		p[0], p[1] = byte(port>>8), byte(port)
		s4.Addr = a.As4()
		s4.Zero = [8]uint8{}
		return unix.SizeofSockaddrInet4
	}
	sa.Family = unix.AF_INET6
	p := (*[2]byte)(unsafe.Pointer(&sa.Port))
	p[0], p[1] = byte(port>>8), byte(port)
	sa.Flowinfo = 0
	sa.Addr = a.As16()
	sa.Scope_id = 0
	if a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() {
		sa.Scope_id = scope
	}
	return unix.SizeofSockaddrInet6
}

// getSockaddr reads the address the kernel wrote into sa. A scoped IPv6
// address gets zone, the local address's: a socket bound to a link-local
// address only hears from its own link.
func getSockaddr(sa *unix.RawSockaddrInet6, zone string) (netip.AddrPort, bool) {
	switch sa.Family {
	case unix.AF_INET:
		s4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(sa))
		p := (*[2]byte)(unsafe.Pointer(&s4.Port))
		return netip.AddrPortFrom(netip.AddrFrom4(s4.Addr), uint16(p[0])<<8|uint16(p[1])), true
	case unix.AF_INET6:
		p := (*[2]byte)(unsafe.Pointer(&sa.Port))
		a := netip.AddrFrom16(sa.Addr)
		if sa.Scope_id != 0 && zone != "" {
			a = a.WithZone(zone)
		}
		return netip.AddrPortFrom(a, uint16(p[0])<<8|uint16(p[1])), true
	}
	return netip.AddrPort{}, false
}

// cmsgUint reads the value of the control message of level and type in
// ctl, an int of 4 bytes or a uint16, and whether it is there.
func cmsgUint(ctl []byte, level, typ int32) (int, bool) {
	hdr := unix.CmsgLen(0)
	for len(ctl) >= hdr {
		h := (*unix.Cmsghdr)(unsafe.Pointer(&ctl[0]))
		l := int(h.Len)
		if l < hdr || l > len(ctl) {
			return 0, false
		}
		if h.Level == level && h.Type == typ {
			switch l - hdr {
			case 4:
				return int(*(*int32)(unsafe.Pointer(&ctl[hdr]))), true
			case 2:
				return int(*(*uint16)(unsafe.Pointer(&ctl[hdr]))), true
			}
			return 0, false
		}
		next := unix.CmsgSpace(l - hdr)
		if next > len(ctl) {
			return 0, false
		}
		ctl = ctl[next:]
	}
	return 0, false
}

// putSegment writes into ctl the UDP_SEGMENT control message that asks
// the kernel to cut a send into datagrams of size bytes, and returns its
// length. ctl is aligned for a cmsghdr and holds unix.CmsgSpace(2) bytes.
func putSegment(ctl []byte, size int) int {
	h := (*unix.Cmsghdr)(unsafe.Pointer(&ctl[0]))
	h.Level = unix.IPPROTO_UDP
	h.Type = unix.UDP_SEGMENT
	h.SetLen(unix.CmsgLen(2))
	*(*uint16)(unsafe.Pointer(&ctl[unix.CmsgLen(0)])) = uint16(size)
	return unix.CmsgSpace(2)
}
