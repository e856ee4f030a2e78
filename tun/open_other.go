//go:build !linux

package tun

import "errors"

// Open fails: TUN devices are opened the Linux way only.
func Open(cfg Config) (*Conn, error) {
	if _, err := cfg.check(); err != nil {
		return nil, err
	}
	return nil, &OpenError{Device: cfg.Name, Op: "opening a TUN device", Err: errors.New("supported on Linux only")}
}
