package cli

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"strings"
	"syscall"

	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/capture"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/udpencap"
	"github.com/rserpool/rserpool/tun"
)

// Lower holds the flags that choose the lower layer: SCTP over UDP (RFC
// 6951) by default, SCTP over IP through a TUN device with -tun.
type Lower struct {
	UDPPort     int    // local encapsulation port; 0: the kernel picks one
	PeerUDPPort int    // the peers' encapsulation port (RFC 6951 §5.1)
	TUN         string // TUN device; empty: UDP
	TUNPrefix   string // the device's own addresses, PREFIX[,PREFIX...]
	TUNConfig   bool   // set the device up through netlink
	Local       string // local addresses, ADDR[,ADDR...]
	MTU         int    // largest SCTP packet; 0: the link's
	PCAP        string // capture file
}

// Register adds the flags to fs.
func (l *Lower) Register(fs *flag.FlagSet) {
	fs.IntVar(&l.UDPPort, "udp-port", udpencap.DefaultPort, "local UDP encapsulation port (RFC 6951); 0 lets the kernel choose a free one")
	fs.IntVar(&l.PeerUDPPort, "peer-udp-port", udpencap.DefaultPort, "the peer's UDP encapsulation port, used until the peer's packets show its own")
	fs.StringVar(&l.TUN, "tun", "", "carry SCTP directly over IP through the TUN device `NAME` (created if missing) instead of UDP; needs CAP_NET_ADMIN")
	fs.StringVar(&l.TUNPrefix, "tun-prefix", "", "with -tun: the device's own addresses, `PREFIX[,PREFIX...]` such as 10.9.0.1/24, which are not the endpoint's")
	fs.BoolVar(&l.TUNConfig, "tun-config", true, "with -tun: set the device up, its MTU, -tun-prefix and a route to each local address through netlink; false attaches to a persistent device as it is")
	fs.StringVar(&l.Local, "local", "", "local addresses `ADDR[,ADDR...]` (several make the endpoint multihomed); default: the address the kernel would send from to the first peer")
	fs.IntVar(&l.MTU, "mtu", 0, "largest SCTP packet in bytes (with -tun: the device's MTU); 0 takes the link's")
	fs.StringVar(&l.PCAP, "pcap", "", "record every packet sent and received in the pcap `FILE` (Wireshark, tshark)")
}

// Check validates the flags on their own.
func (l *Lower) Check() error {
	switch {
	case l.UDPPort < 0 || l.UDPPort > 65535:
		return fmt.Errorf("-udp-port %d: must lie in 0..65535", l.UDPPort)
	case l.PeerUDPPort < 1 || l.PeerUDPPort > 65535:
		return fmt.Errorf("-peer-udp-port %d: must lie in 1..65535", l.PeerUDPPort)
	case l.MTU < 0:
		return fmt.Errorf("-mtu %d: must not be negative", l.MTU)
	case l.TUN == "" && l.TUNPrefix != "":
		return errors.New("-tun-prefix needs -tun")
	}
	if l.TUNPrefix != "" {
		if _, err := ParsePrefixes(l.TUNPrefix); err != nil {
			return fmt.Errorf("-tun-prefix: %w", err)
		}
	}
	if l.Local != "" {
		if _, err := ParseAddrs(l.Local); err != nil {
			return fmt.Errorf("-local: %w", err)
		}
	}
	return nil
}

// LocalAddrs returns the addresses -local names or, without it, the one
// the kernel's routing table picks as the source towards peer. A TUN
// endpoint's addresses are not the kernel's, so -tun requires -local.
func (l *Lower) LocalAddrs(peer netip.Addr) ([]netip.Addr, error) {
	if l.Local != "" {
		return ParseAddrs(l.Local)
	}
	if l.TUN != "" {
		return nil, errors.New("-tun needs -local: the endpoint's own addresses on the device")
	}
	return SourceFor(peer)
}

// SourceFor returns the source address the kernel would use towards
// peer. Connecting a UDP socket sends nothing; it only looks up the
// route.
func SourceFor(peer netip.Addr) ([]netip.Addr, error) {
	c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(peer, 9)))
	if err != nil {
		return nil, fmt.Errorf("no route to %s: %w", peer, err)
	}
	defer c.Close()
	a := c.LocalAddr().(*net.UDPAddr).AddrPort().Addr().Unmap()
	return []netip.Addr{a}, nil
}

// HostAddrs returns the unicast addresses of the host's interfaces that
// are up, link-local ones left out (they need a zone and reach one link
// only): what a listener given only a port binds, as a wildcard SCTP
// endpoint uses every address of its host (RFC 9260 §6.4).
func HostAddrs() ([]netip.Addr, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	var out []netip.Addr
	for _, ifi := range ifs {
		if ifi.Flags&net.FlagUp == 0 {
			continue
		}
		addrs, err := ifi.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			n, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			ip, ok := netip.AddrFromSlice(n.IP)
			if !ok {
				continue
			}
			ip = ip.Unmap()
			if ip.IsLinkLocalUnicast() || ip.IsMulticast() || ip.IsUnspecified() {
				continue
			}
			out = append(out, ip)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("the host has no usable address; give them")
	}
	return out, nil
}

// Peers turns a peer's IP addresses into the lower layer's addresses:
// with the encapsulation port over UDP, port 0 over IP.
func (l *Lower) Peers(addrs []netip.Addr) []netip.AddrPort {
	port := uint16(l.PeerUDPPort)
	if l.TUN != "" {
		port = 0
	}
	out := make([]netip.AddrPort, len(addrs))
	for i, a := range addrs {
		out[i] = netip.AddrPortFrom(a, port)
	}
	return out
}

// Open opens the lower layer on the local addresses, wrapped in a
// capture when -pcap is set. The error is one line that says what to do
// about the common failures.
func (l *Lower) Open(locals []netip.Addr) (lower.Conn, error) {
	var c lower.Conn
	if l.TUN != "" {
		prefixes, err := ParsePrefixes(l.TUNPrefix)
		if l.TUNPrefix == "" {
			prefixes, err = nil, nil
		}
		if err != nil {
			return nil, err
		}
		t, err := tun.Open(tun.Config{Name: l.TUN, Addrs: locals, Configure: l.TUNConfig, Prefixes: prefixes, MTU: l.MTU})
		if err != nil {
			return nil, err
		}
		c = t
	} else {
		u, err := udpencap.Listen(udpencap.Config{
			Addrs: locals, Port: uint16(l.UDPPort), EphemeralPort: l.UDPPort == 0, MTU: l.MTU,
		})
		if err != nil {
			return nil, udpError(err)
		}
		c = u
	}
	if l.PCAP != "" {
		w, err := capture.WrapFile(c, l.PCAP)
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("-pcap: %w", err)
		}
		c = w
	}
	return c, nil
}

// udpError adds to the binding errors what to do about them.
func udpError(err error) error {
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return fmt.Errorf("%w (another socket has this address and port: choose another address with -local or another port with -udp-port)", err)
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return fmt.Errorf("%w (not an address of this host)", err)
	case errors.Is(err, syscall.EACCES):
		return fmt.Errorf("%w (ports below 1024 need privilege)", err)
	}
	return err
}

// Start opens the lower layer and starts an SCTP endpoint on it. A
// listener (listen true) takes the addresses of target, or every address
// of the host when it has none, and target's port; a connecting endpoint
// takes LocalAddrs towards target's first address and port, or a random
// port in 49152..65535 (the dynamic range, RFC 6335 §6) when port is 0.
func (l *Lower) Start(listen bool, target Endpoint, port uint16, cfg *sctp.Config) (*sctp.Endpoint, error) {
	var locals []netip.Addr
	var err error
	switch {
	case listen && target.Addrs != nil:
		locals = target.Addrs
	case listen:
		locals, err = HostAddrs()
	default:
		locals, err = l.LocalAddrs(target.Addrs[0])
	}
	if err != nil {
		return nil, err
	}
	switch {
	case listen:
		port = target.Port
	case port == 0:
		port = uint16(49152 + rand.IntN(16384))
	}
	conn, err := l.Open(locals)
	if err != nil {
		return nil, err
	}
	ep, err := sctp.NewEndpoint(conn, port, cfg)
	if err != nil {
		conn.Close()
		return nil, err
	}
	return ep, nil
}

// AddrList renders an endpoint's addresses, without the port over IP.
func AddrList(addrs []netip.AddrPort) string {
	s := make([]string, len(addrs))
	for i, a := range addrs {
		s[i] = addrString(a)
	}
	return strings.Join(s, ", ")
}
