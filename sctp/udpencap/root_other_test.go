//go:build !linux

package udpencap

func isRoot() bool { return false }
