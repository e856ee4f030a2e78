package cli

import (
	"strconv"
	"strings"
)

// ParseSize parses a byte count: a decimal number with an optional
// suffix K, M or G (also KiB, MiB, GiB) for powers of 1024, so that a
// message of 64 KiB is written 64K. The result is at most max.
func ParseSize(s string, max int) (int, error) {
	digits := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if digits < 0 {
		digits = len(s)
	}
	num := s[:digits]
	if num == "" {
		return 0, &ParseError{s, 0, "must start with a decimal number"}
	}
	unit := strings.ToUpper(s[digits:])
	mult := 1
	switch unit {
	case "":
	case "K", "KIB", "KB":
		mult = 1 << 10
	case "M", "MIB", "MB":
		mult = 1 << 20
	case "G", "GIB", "GB":
		mult = 1 << 30
	default:
		return 0, &ParseError{s, len(num), "unknown unit " + strconv.Quote(s[len(num):]) + " (use K, M or G)"}
	}
	n, err := strconv.ParseUint(num, 10, 63)
	if err != nil || n > uint64(max/mult) {
		return 0, &ParseError{s, 0, "larger than " + strconv.Itoa(max)}
	}
	return int(n) * mult, nil
}

// Size is a flag.Value holding a byte count written as ParseSize reads
// it, at most Max (no limit when Max is 0).
type Size struct {
	N   int
	Max int
}

// String returns the count in bytes.
func (z *Size) String() string {
	if z == nil {
		return "0"
	}
	return strconv.Itoa(z.N)
}

// Set parses a new value.
func (z *Size) Set(s string) error {
	max := z.Max
	if max <= 0 {
		max = 1<<31 - 1
	}
	n, err := ParseSize(s, max)
	if err != nil {
		return err
	}
	z.N = n
	return nil
}
