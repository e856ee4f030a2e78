package udpencap

import (
	"golang.org/x/sys/unix"
)

// setup sets the socket's buffers and path MTU mode and finds out
// whether the kernel offers UDP GSO and GRO on it.
func (s *socket) setup(cfg *Config) sockInfo {
	var info sockInfo
	v4 := s.local.Addr().Is4()
	s.rc.Control(func(fd uintptr) {
		f := int(fd)
		info.rbuf = setBuffer(f, unix.SO_RCVBUFFORCE, unix.SO_RCVBUF, bufferSize(cfg.ReadBuffer))
		info.wbuf = setBuffer(f, unix.SO_SNDBUFFORCE, unix.SO_SNDBUF, bufferSize(cfg.WriteBuffer))
		// RFC 6951 §5.6: DF set, never fragment, ignore ICMP-learned
		// path MTUs; the engine probes the path itself. A failure only
		// leaves the kernel's default, so it is not an error.
		if v4 {
			unix.SetsockoptInt(f, unix.IPPROTO_IP, unix.IP_MTU_DISCOVER, unix.IP_PMTUDISC_PROBE)
		} else {
			unix.SetsockoptInt(f, unix.IPPROTO_IPV6, unix.IPV6_MTU_DISCOVER, unix.IPV6_PMTUDISC_PROBE)
		}
		if !cfg.DisableGRO {
			info.gro = unix.SetsockoptInt(f, unix.IPPROTO_UDP, unix.UDP_GRO, 1) == nil
		}
		if !cfg.DisableGSO {
			// Kernels that know UDP_SEGMENT (4.18 and later) answer.
			_, err := unix.GetsockoptInt(f, unix.IPPROTO_UDP, unix.UDP_SEGMENT)
			info.gso = err == nil
		}
	})
	return info
}

// disableGRO turns UDP_GRO off again, when another socket of the Conn
// could not have it.
func (s *socket) disableGRO() {
	s.rc.Control(func(fd uintptr) {
		unix.SetsockoptInt(int(fd), unix.IPPROTO_UDP, unix.UDP_GRO, 0)
	})
}

// setBuffer asks for a buffer of size bytes, beyond the system's limit
// when allowed, and returns the size the kernel reports; size 0 keeps
// the default.
func setBuffer(fd, force, opt, size int) int {
	if size > 0 {
		if unix.SetsockoptInt(fd, unix.SOL_SOCKET, force, size) != nil {
			unix.SetsockoptInt(fd, unix.SOL_SOCKET, opt, size)
		}
	}
	got, _ := unix.GetsockoptInt(fd, unix.SOL_SOCKET, opt)
	return got
}
