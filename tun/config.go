package tun

import (
	"net/netip"
	"slices"
	"strconv"
)

// Config says which device to open and which addresses the SCTP endpoint
// has on it.
type Config struct {
	// Name is the device's name; empty lets the kernel choose (tun0,
	// tun1, ...), which Conn.Name reports. A device of that name that
	// exists already (a persistent one) is attached to and stays
	// persistent.
	Name string
	// Addrs are the SCTP endpoint's own addresses on this device, IPv4
	// and/or IPv6. Packets to other addresses are dropped; packets are
	// sent from one of them. They must not be addresses of the kernel,
	// or the kernel keeps the packets sent to them.
	Addrs []netip.Addr
	// Configure sets the device up through netlink: its MTU (when MTU is
	// not zero), the Prefixes as its own addresses (with the routes the
	// kernel derives from them), and a host route through the device to
	// each address of Addrs that no prefix contains.
	Configure bool
	// Prefixes are the device's own addresses with their prefix length,
	// such as 10.201.1.1/24, added when Configure is set.
	Prefixes []netip.Prefix
	// MTU is the device's MTU in bytes of IP packet: set on the device
	// when Configure is set, taken as given otherwise; zero reads it from
	// the device.
	MTU int
}

// IP's smallest MTUs: every IPv4 link carries 68 bytes (RFC 791 §3.1) and
// every IPv6 link 1280 (RFC 8200 §5); Linux turns IPv6 off on a device
// set below 1280, so such an MTU with IPv6 addresses is refused.
const (
	minMTU4 = 68
	minMTU6 = 1280
	maxMTU  = 65535
)

// limitedBroadcast reaches every host of a link (RFC 919) and is never a
// host's own address.
var limitedBroadcast = netip.AddrFrom4([4]byte{255, 255, 255, 255})

// ifNameMax is the longest interface name Linux takes (IFNAMSIZ less the
// terminating NUL).
const ifNameMax = 15

// ConfigError names the field of Config that breaks a rule.
type ConfigError struct {
	Field string // such as "Addrs[1]"
	Rule  string
}

func (e *ConfigError) Error() string { return "tun: Config." + e.Field + ": " + e.Rule }

// check validates cfg and returns its addresses in the form the IP header
// carries them: unmapped, without zone, without repeats.
func (cfg *Config) check() ([]netip.Addr, error) {
	if len(cfg.Name) > ifNameMax {
		return nil, &ConfigError{"Name", "longer than " + strconv.Itoa(ifNameMax) + " bytes"}
	}
	if len(cfg.Addrs) == 0 {
		return nil, &ConfigError{"Addrs", "empty: the endpoint needs an address on the device"}
	}
	var addrs []netip.Addr
	has6 := false
	for i, a := range cfg.Addrs {
		field := "Addrs[" + strconv.Itoa(i) + "]"
		a = a.Unmap().WithZone("")
		switch {
		case !a.IsValid():
			return nil, &ConfigError{field, "invalid address"}
		case a.IsUnspecified(), a.IsMulticast(), a == limitedBroadcast:
			return nil, &ConfigError{field, a.String() + " cannot be an endpoint address"}
		}
		for _, p := range cfg.Prefixes {
			if p.Addr() == a {
				return nil, &ConfigError{field, a.String() + " is also the device's own address (Prefixes): the kernel would keep the packets sent to it"}
			}
		}
		has6 = has6 || a.Is6()
		if !slices.Contains(addrs, a) {
			addrs = append(addrs, a)
		}
	}
	for i, p := range cfg.Prefixes {
		field := "Prefixes[" + strconv.Itoa(i) + "]"
		if !p.IsValid() || p.Addr().Is4In6() || p.Addr().Zone() != "" {
			return nil, &ConfigError{field, "invalid prefix " + p.String()}
		}
		if !cfg.Configure {
			return nil, &ConfigError{field, "given without Configure"}
		}
	}
	switch {
	case cfg.MTU < 0 || cfg.MTU > maxMTU:
		return nil, &ConfigError{"MTU", strconv.Itoa(cfg.MTU) + " is outside 0..65535"}
	case cfg.MTU > 0 && cfg.MTU < minMTU4:
		return nil, &ConfigError{"MTU", strconv.Itoa(cfg.MTU) + " is below IPv4's minimum of 68"}
	case cfg.MTU > 0 && cfg.MTU < minMTU6 && has6:
		return nil, &ConfigError{"MTU", strconv.Itoa(cfg.MTU) + " is below IPv6's minimum of 1280"}
	}
	return addrs, nil
}
