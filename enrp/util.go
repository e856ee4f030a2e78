package enrp

import "strconv"

func itoa(n int) string { return strconv.Itoa(n) }

// quote shows a pool handle in logs and dumps: printable ASCII as it
// is, other bytes in hex, at most 64 bytes (RFC 5354 §3.9 lets a handle
// be any bytes).
func quote(b []byte) string {
	const hex = "0123456789abcdef"
	cut := len(b) > 64
	if cut {
		b = b[:64]
	}
	out := make([]byte, 0, len(b)+5)
	for _, c := range b {
		if c >= 0x20 && c < 0x7f && c != '\\' {
			out = append(out, c)
		} else {
			out = append(out, '\\', 'x', hex[c>>4], hex[c&15])
		}
	}
	if cut {
		out = append(out, "..."...)
	}
	return string(out)
}
