package main

import "strconv"

// parseUint32 reads a decimal or 0x-prefixed hexadecimal number.
func parseUint32(s string) (uint32, error) {
	v, err := strconv.ParseUint(s, 0, 32)
	return uint32(v), err
}
