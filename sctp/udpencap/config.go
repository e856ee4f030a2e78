package udpencap

import (
	"net/netip"
	"strconv"
)

// DefaultPort is the UDP port IANA assigned to SCTP encapsulation
// (sctp-tunneling, RFC 6951 §5.1 and §8).
const DefaultPort = 9899

// DefaultBuffer is the socket buffer size asked for when Config leaves it
// zero. A reader that takes packets in batches leaves them queued a while;
// 4 MiB absorbs a few milliseconds at 10 Gbit/s instead of dropping them.
const DefaultBuffer = 4 << 20

// DefaultMaxMTU caps the MTU taken from the link when Config.MTU is 0.
// Loopback's link MTU would give packets of almost 64 KiB, which gain
// little over 16 KiB (GSO already sends a whole batch in one call),
// cost more when one is lost, and slow usrsctp peers to a few MB/s.
const DefaultMaxMTU = 16384

// MinMTU is the smallest Config.MTU: an IPv4 host must accept 576-byte
// datagrams (RFC 791), which leaves 508 bytes after the largest IPv4
// header and the UDP header.
const MinMTU = 508

// The largest UDP payloads: the IPv4 total length and the IPv6 payload
// length are 16-bit fields.
const (
	maxPayload4 = 65535 - 20 - 8
	maxPayload6 = 65535 - 8
)

// Config says how to open a Conn. The zero value of each field but Addrs
// has the meaning documented on it.
type Config struct {
	// Addrs are the local addresses to bind, IPv4 and IPv6 mixed, at
	// least one. The wildcard address is refused (see the package
	// documentation); IPv4-mapped IPv6 addresses are taken as IPv4. A
	// link-local IPv6 address needs its zone.
	Addrs []netip.Addr
	// Port is the local encapsulation port; 0 means DefaultPort.
	Port uint16
	// EphemeralPort lets the kernel choose a free port, the same for
	// every address, instead of Port (which must then be 0). Tests use it
	// to run side by side.
	EphemeralPort bool
	// ReadBuffer and WriteBuffer are the socket buffer sizes to ask for:
	// 0 means DefaultBuffer, a negative value keeps the system's default.
	// Beyond the system's limit they are forced when the process may do
	// so (CAP_NET_ADMIN on Linux). Stats reports what the kernel gave.
	ReadBuffer, WriteBuffer int
	// DisableGSO and DisableGRO turn off UDP segmentation offload on
	// send and receive, which are used where the kernel has them. With
	// GRO the Conn reads into 1 MiB of its own buffers, as a coalesced
	// datagram may be up to 64 KiB, and copies the packets out.
	DisableGSO, DisableGRO bool
	// MTU is the largest SCTP packet the engine should send, that is the
	// UDP payload: 1472 mimics Ethernet under IPv4. 0 means the MTU of
	// the link of each address less the IP and UDP headers (RFC 6951
	// §5.6), the smallest over the addresses, and at most DefaultMaxMTU. Otherwise it must lie between MinMTU and the largest
	// UDP payload of the address families in use.
	MTU int
}

// ConfigError is returned by Listen for a Config it cannot use.
type ConfigError struct {
	Field string // the field at fault, with its index for Addrs
	Rule  string // the rule it breaks
}

func (e *ConfigError) Error() string {
	return "udpencap: Config." + e.Field + ": " + e.Rule
}

// check validates cfg and returns its addresses with IPv4-mapped ones
// unmapped.
func (cfg *Config) check() ([]netip.Addr, error) {
	if len(cfg.Addrs) == 0 {
		return nil, &ConfigError{"Addrs", "at least one local address is required; the wildcard is not supported"}
	}
	addrs := make([]netip.Addr, 0, len(cfg.Addrs))
	limit := maxPayload6
	for i, a := range cfg.Addrs {
		field := "Addrs[" + strconv.Itoa(i) + "]"
		a = a.Unmap()
		switch {
		case !a.IsValid():
			return nil, &ConfigError{field, "the address is not valid"}
		case a.IsUnspecified():
			return nil, &ConfigError{field, "the wildcard address is not supported: a socket bound to it cannot tell which address a packet came to"}
		case a.IsMulticast():
			return nil, &ConfigError{field, "a multicast address cannot be a local address"}
		case a.Is6() && a.IsLinkLocalUnicast() && a.Zone() == "":
			return nil, &ConfigError{field, "a link-local address needs its zone"}
		}
		for j, b := range addrs {
			if a == b {
				return nil, &ConfigError{field, "the address repeats Addrs[" + strconv.Itoa(j) + "]"}
			}
		}
		if a.Is4() {
			limit = maxPayload4
		}
		addrs = append(addrs, a)
	}
	if cfg.EphemeralPort && cfg.Port != 0 {
		return nil, &ConfigError{"Port", "must be 0 when EphemeralPort is set"}
	}
	if cfg.MTU < 0 || cfg.MTU > 0 && cfg.MTU < MinMTU {
		return nil, &ConfigError{"MTU", "must be 0 or at least " + strconv.Itoa(MinMTU)}
	}
	if cfg.MTU > limit {
		return nil, &ConfigError{"MTU", "must be at most " + strconv.Itoa(limit) + ", the largest UDP payload of the address families in use"}
	}
	return addrs, nil
}

// bufferSize is the size to ask for, or 0 to keep the system's default.
func bufferSize(n int) int {
	switch {
	case n == 0:
		return DefaultBuffer
	case n < 0:
		return 0
	}
	return n
}
