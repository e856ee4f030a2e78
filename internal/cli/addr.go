package cli

import (
	"net/netip"
	"strconv"
	"strings"
)

// ParseError is a malformed command-line argument: the argument, the byte
// offset where the fault starts, and the rule broken.
type ParseError struct {
	Input  string
	Offset int
	Rule   string
}

func (e *ParseError) Error() string {
	return strconv.Quote(e.Input) + " at byte " + strconv.Itoa(e.Offset) + ": " + e.Rule
}

// Endpoint is an SCTP endpoint as the command line names it: one or more
// IP addresses sharing one SCTP port (RFC 9260 §1.3: a multihomed
// endpoint is reached at any of its addresses on the same port).
type Endpoint struct {
	Addrs []netip.Addr
	Port  uint16
}

// ParseEndpoint parses ADDR[,ADDR...]:PORT. IPv6 addresses are written in
// brackets ([::1]), since a bare one cannot be told from the port; IPv4
// and IPv6 addresses may be mixed. The port must not be 0: a peer has
// none.
func ParseEndpoint(s string) (Endpoint, error) {
	colon, err := lastColon(s)
	if err != nil {
		return Endpoint{}, err
	}
	if colon < 0 {
		return Endpoint{}, &ParseError{s, len(s), "missing :PORT after the address list"}
	}
	addrs, err := parseAddrList(s, 0, colon, true)
	if err != nil {
		return Endpoint{}, err
	}
	port, err := parsePort(s, colon+1)
	if err != nil {
		return Endpoint{}, err
	}
	return Endpoint{Addrs: addrs, Port: port}, nil
}

// ParseListen parses [ADDR[,ADDR...]:]PORT, the argument of a listener.
// Without addresses Addrs is nil and the caller chooses them.
func ParseListen(s string) (Endpoint, error) {
	colon, err := lastColon(s)
	if err != nil {
		return Endpoint{}, err
	}
	if colon < 0 {
		port, err := parsePort(s, 0)
		return Endpoint{Port: port}, err
	}
	return ParseEndpoint(s)
}

// ParseAddrs parses ADDR[,ADDR...], IPv6 addresses with or without
// brackets.
func ParseAddrs(s string) ([]netip.Addr, error) {
	return parseAddrList(s, 0, len(s), false)
}

// ParsePrefixes parses PREFIX[,PREFIX...] such as 10.1.0.1/24,fd00::1/64.
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for off, item := range items(s, 0, len(s)) {
		if item == "" {
			return nil, &ParseError{s, off, "empty prefix in the list"}
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			return nil, &ParseError{s, off, "not a prefix ADDR/BITS: " + strconv.Quote(item)}
		}
		out = append(out, p)
	}
	return out, nil
}

// lastColon returns the index of the last ':' outside brackets, or -1.
// Brackets must pair up and not nest.
func lastColon(s string) (int, error) {
	open := -1
	last := -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			if open >= 0 {
				return 0, &ParseError{s, i, "brackets nest"}
			}
			open = i
		case ']':
			if open < 0 {
				return 0, &ParseError{s, i, "']' without '['"}
			}
			open = -1
		case ':':
			if open < 0 {
				last = i
			}
		}
	}
	if open >= 0 {
		return 0, &ParseError{s, open, "'[' without ']'"}
	}
	return last, nil
}

// items yields the comma-separated items of s[start:end] with the offset
// of each in s.
func items(s string, start, end int) func(yield func(int, string) bool) {
	return func(yield func(int, string) bool) {
		off := start
		for {
			i := strings.IndexByte(s[off:end], ',')
			if i < 0 {
				yield(off, s[off:end])
				return
			}
			if !yield(off, s[off:off+i]) {
				return
			}
			off += i + 1
		}
	}
}

// parseAddrList parses the addresses of s[start:end]: at least one, no
// repeats, none unspecified (an SCTP endpoint names its addresses; the
// wildcard is the caller's choice, made by giving none). Before a port,
// IPv6 addresses need their brackets.
func parseAddrList(s string, start, end int, brackets bool) ([]netip.Addr, error) {
	if start == end {
		return nil, &ParseError{s, start, "empty address list"}
	}
	var out []netip.Addr
	for off, item := range items(s, start, end) {
		a, err := parseAddr(s, off, item, brackets)
		if err != nil {
			return nil, err
		}
		for _, b := range out {
			if a == b {
				return nil, &ParseError{s, off, "address " + a.String() + " repeated"}
			}
		}
		out = append(out, a)
	}
	return out, nil
}

func parseAddr(s string, off int, item string, brackets bool) (netip.Addr, error) {
	switch {
	case item == "":
		return netip.Addr{}, &ParseError{s, off, "empty address in the list"}
	case item[0] == '[':
		// lastColon saw the brackets pair up.
		end := strings.IndexByte(item, ']')
		switch {
		case end != len(item)-1:
			return netip.Addr{}, &ParseError{s, off + end + 1, "text after ']'"}
		case end == 1:
			return netip.Addr{}, &ParseError{s, off, "empty brackets"}
		}
		a, err := netip.ParseAddr(item[1:end])
		if err != nil || !a.Is6() {
			return netip.Addr{}, &ParseError{s, off + 1, "not an IPv6 address: " + strconv.Quote(item[1:end])}
		}
		return checkAddr(s, off, a.Unmap())
	case strings.IndexByte(item, '[') > 0:
		return netip.Addr{}, &ParseError{s, off + strings.IndexByte(item, '['), "'[' must start the address"}
	}
	a, err := netip.ParseAddr(item)
	if err != nil {
		return netip.Addr{}, &ParseError{s, off, "not an IP address: " + strconv.Quote(item)}
	}
	if brackets && a.Is6() && !a.Is4In6() {
		return netip.Addr{}, &ParseError{s, off, "an IPv6 address before :PORT needs brackets, as in [" + item + "]:PORT"}
	}
	return checkAddr(s, off, a.Unmap())
}

func checkAddr(s string, off int, a netip.Addr) (netip.Addr, error) {
	switch {
	case a.IsUnspecified():
		return netip.Addr{}, &ParseError{s, off, "the wildcard address " + a.String() + " names no host; give the addresses"}
	case a.IsMulticast():
		return netip.Addr{}, &ParseError{s, off, "multicast address " + a.String() + " cannot be an SCTP address"}
	}
	return a, nil
}

func parsePort(s string, off int) (uint16, error) {
	p := s[off:]
	if p == "" {
		return 0, &ParseError{s, off, "missing port number"}
	}
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return 0, &ParseError{s, off + i, "port must be a decimal number"}
		}
	}
	n, err := strconv.ParseUint(p, 10, 16)
	if err != nil || n == 0 {
		return 0, &ParseError{s, off, "port must lie in 1..65535"}
	}
	return uint16(n), nil
}
