//go:build unix

package tun

import "syscall"

// readFD reads one packet from a packet file descriptor.
func readFD(fd uintptr, b []byte) (int, error) { return syscall.Read(int(fd), b) }
