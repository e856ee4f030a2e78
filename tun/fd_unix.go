//go:build unix

package tun

import (
	"syscall"
	"unsafe"
)

// readFD and writeFD move one packet through the device's non-blocking
// descriptor. They are raw system calls, as they never block: a Syscall
// tells the scheduler it may, and when every P was idle, as between the
// messages of a ping-pong, entering one wakes the runtime's monitor
// thread, which then competes for the CPU with the packet's path.

func readFD(fd uintptr, b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, _, e := syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}

func writeFD(fd uintptr, b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, _, e := syscall.RawSyscall(syscall.SYS_WRITE, fd, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}
