//go:build !unix

package tun

import "errors"

func readFD(fd uintptr, b []byte) (int, error) {
	return 0, errors.New("tun: not supported on this system")
}

func writeFD(fd uintptr, b []byte) (int, error) {
	return 0, errors.New("tun: not supported on this system")
}
