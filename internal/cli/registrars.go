package cli

import (
	"errors"
	"net/netip"
	"strconv"

	"github.com/rserpool/rserpool/asap/msg"
)

// ParseRegistrars reads ADDR[:PORT] registrar addresses: the IP address
// with the registrars' UDP encapsulation port makes the address on the
// lower layer; PORT is the SCTP port, 3863 by default, the same for all.
func ParseRegistrars(list []string, udpPort uint16) ([]netip.AddrPort, uint16, error) {
	var out []netip.AddrPort
	var port uint16
	for _, s := range list {
		a, p, err := parseHostPort(s)
		if err != nil {
			return nil, 0, err
		}
		if p == 0 {
			p = msg.PortASAP
		}
		if port != 0 && p != port {
			return nil, 0, errors.New("all registrars must listen on the same SCTP port")
		}
		port = p
		out = append(out, netip.AddrPortFrom(a, udpPort))
	}
	return out, port, nil
}

// ParseLocal reads ADDR[:PORT]; a missing port is 0.
func ParseLocal(s string) (netip.Addr, uint16, error) {
	a, p, err := parseHostPort(s)
	if err != nil {
		return a, p, err
	}
	if a.IsUnspecified() {
		return a, p, errors.New("the wildcard address cannot be bound: give the address itself")
	}
	return a, p, nil
}

// parseHostPort reads an IP address with an optional port: 127.0.0.1,
// 127.0.0.1:3863, ::1, [::1]:3863.
func parseHostPort(s string) (netip.Addr, uint16, error) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		if ap.Port() == 0 {
			return netip.Addr{}, 0, errors.New("port 0 in " + strconv.Quote(s))
		}
		return ap.Addr().Unmap(), ap.Port(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, 0, errors.New("not an address: " + strconv.Quote(s))
	}
	return a.Unmap(), 0, nil
}
