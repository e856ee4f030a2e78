package main

import (
	"errors"

	"github.com/rserpool/rserpool/bench/peers/harness"
)

// pingpong times round trips of one datagram, then sends the end mark.
func pingpong(f *harness.Flags, s *sock) (harness.Result, error) {
	msg := make([]byte, f.Size)
	buf := make([]byte, f.Size+1)
	r, err := harness.RoundTrips(f, func() error {
		if err := s.write(msg); err != nil {
			return err
		}
		n, err := s.read(buf)
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
		k, err := s.read(buf)
		if err != nil {
			return harness.Result{}, err
		}
		if k == 0 {
			return harness.Result{Role: "server", Mode: f.Mode, Size: f.Size, Msgs: n}, nil
		}
		if err := s.write(buf[:k]); err != nil {
			return harness.Result{}, err
		}
		n++
	}
}
