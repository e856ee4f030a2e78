package enrp

import (
	"net"
	"net/netip"
	"os"
	"syscall"
)

// listenMulticast opens a UDP socket bound to the group's own address
// and port, joined to the group on the interface of local (any when
// local is not set), sending from it too.
//
// The socket is bound to the group address rather than to the wildcard
// that net.ListenMulticastUDP uses: the ENRP endpoint's UDP socket holds
// the same port (9901) on a unicast address, and a wildcard bind would
// clash with it. SO_REUSEADDR lets several registrars of one host share
// the group.
func listenMulticast(group netip.AddrPort, local netip.Addr) (net.PacketConn, error) {
	g := group.Addr().Unmap()
	family := syscall.AF_INET
	if g.Is6() {
		family = syscall.AF_INET6
	}
	fd, err := syscall.Socket(family, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, syscall.IPPROTO_UDP)
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	f := os.NewFile(uintptr(fd), "enrp-multicast")
	defer f.Close() // FilePacketConn holds a duplicate
	if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1); err != nil {
		return nil, os.NewSyscallError("setsockopt SO_REUSEADDR", err)
	}
	if g.Is4() {
		if err := syscall.Bind(fd, &syscall.SockaddrInet4{Port: int(group.Port()), Addr: g.As4()}); err != nil {
			return nil, os.NewSyscallError("bind", err)
		}
		mreq := &syscall.IPMreq{Multiaddr: g.As4()}
		if local.Is4() && !local.IsUnspecified() {
			mreq.Interface = local.As4()
			if err := syscall.SetsockoptInet4Addr(fd, syscall.IPPROTO_IP, syscall.IP_MULTICAST_IF, local.As4()); err != nil {
				return nil, os.NewSyscallError("setsockopt IP_MULTICAST_IF", err)
			}
		}
		if err := syscall.SetsockoptIPMreq(fd, syscall.IPPROTO_IP, syscall.IP_ADD_MEMBERSHIP, mreq); err != nil {
			return nil, os.NewSyscallError("setsockopt IP_ADD_MEMBERSHIP", err)
		}
	} else {
		if err := syscall.Bind(fd, &syscall.SockaddrInet6{Port: int(group.Port()), Addr: g.As16()}); err != nil {
			return nil, os.NewSyscallError("bind", err)
		}
		if err := syscall.SetsockoptIPv6Mreq(fd, syscall.IPPROTO_IPV6, syscall.IPV6_JOIN_GROUP, &syscall.IPv6Mreq{Multiaddr: g.As16()}); err != nil {
			return nil, os.NewSyscallError("setsockopt IPV6_JOIN_GROUP", err)
		}
	}
	return net.FilePacketConn(f)
}
