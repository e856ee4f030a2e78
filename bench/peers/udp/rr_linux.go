package main

import (
	"errors"
	"syscall"
	"unsafe"

	"github.com/rserpool/rserpool/bench/peers/harness"
)

// pingpong times round trips of one datagram, then sends the end mark.
func pingpong(f *harness.Flags, s *sock) (harness.Result, error) {
	msg := make([]byte, f.Size)
	buf := make([]byte, f.Size+1)
	r, err := harness.RoundTrips(f, func() error {
		if err := s.rawWrite(msg); err != nil {
			return err
		}
		n, err := s.rawRead(buf)
		if err != nil {
			return err
		}
		if n != f.Size {
			return errors.New("echo of the wrong size")
		}
		return nil
	})
	if err != nil {
		return r, err
	}
	return r, s.write(nil)
}

// echo sends every datagram back until the end mark.
func echo(f *harness.Flags, s *sock) (harness.Result, error) {
	buf := make([]byte, 65536)
	n := int64(0)
	for {
		k, err := s.rawRead(buf)
		if err != nil {
			return harness.Result{}, err
		}
		if k == 0 {
			return harness.Result{Role: "server", Mode: f.Mode, Size: f.Size, Msgs: n}, nil
		}
		if err := s.rawWrite(buf[:k]); err != nil {
			return harness.Result{}, err
		}
		n++
	}
}

// rawWrite and rawRead are write(2) and read(2) on the blocking socket
// as raw system calls, which the Go scheduler does not see: a Syscall
// hands the P over and wakes the runtime's monitor thread, which then
// competes for the one CPU of a pinned ping-pong (p99 about 50 µs where
// the same loop in C has 7). The floor is meant to be the kernel's cost
// alone, so the ping-pong makes its calls raw. It allocates nothing
// while it runs, so no collection waits for a thread blocked in a raw
// read.
func (s *sock) rawWrite(b []byte) error {
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	for {
		_, _, e := syscall.RawSyscall(syscall.SYS_WRITE, uintptr(s.fd), uintptr(p), uintptr(len(b)))
		if e != syscall.EINTR && e != syscall.ECONNREFUSED {
			if e != 0 {
				return e
			}
			return nil
		}
	}
}

func (s *sock) rawRead(b []byte) (int, error) {
	for {
		n, _, e := syscall.RawSyscall(syscall.SYS_READ, uintptr(s.fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
		if e != syscall.EINTR && e != syscall.ECONNREFUSED {
			if e != 0 {
				return 0, e
			}
			return int(n), nil
		}
	}
}
