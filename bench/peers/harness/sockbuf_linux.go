package harness

import "syscall"

// SizeBuffers sets the receive and send buffers of a socket to size:
// forced past net.core.rmem_max and wmem_max when the process may
// (CAP_NET_ADMIN), else as far as the limits allow. It returns what the
// kernel granted, which Linux reports doubled for its bookkeeping. Every
// program gets the same buffers, so that none is measured against the
// kernel's defaults (pion/sctp collapses with them).
func SizeBuffers(rc syscall.RawConn, size int) (rcv, snd int) {
	if size <= 0 {
		return 0, 0
	}
	rc.Control(func(fd uintptr) {
		s := int(fd)
		if syscall.SetsockoptInt(s, syscall.SOL_SOCKET, syscall.SO_RCVBUFFORCE, size) != nil {
			syscall.SetsockoptInt(s, syscall.SOL_SOCKET, syscall.SO_RCVBUF, size)
		}
		if syscall.SetsockoptInt(s, syscall.SOL_SOCKET, syscall.SO_SNDBUFFORCE, size) != nil {
			syscall.SetsockoptInt(s, syscall.SOL_SOCKET, syscall.SO_SNDBUF, size)
		}
		rcv, _ = syscall.GetsockoptInt(s, syscall.SOL_SOCKET, syscall.SO_RCVBUF)
		snd, _ = syscall.GetsockoptInt(s, syscall.SOL_SOCKET, syscall.SO_SNDBUF)
	})
	return rcv, snd
}
