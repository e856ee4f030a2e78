package udpencap

import (
	"net"
	"net/netip"
)

// ipHeader is the size of the IP header without options or extension
// headers, which the kernel adds to our datagrams only when told to.
func ipHeader(a netip.Addr) int {
	if a.Is4() {
		return 20
	}
	return 40
}

// maxPayload is the largest UDP payload of a's family.
func maxPayload(a netip.Addr) int {
	if a.Is4() {
		return maxPayload4
	}
	return maxPayload6
}

// linkPayload is the largest UDP payload that leaves a unfragmented:
// the MTU of the link a belongs to less the IP and UDP headers (RFC 6951
// §5.6), the link MTU taken as at most 65535 as loopback links have
// larger ones that no single IP packet can fill.
func linkPayload(a netip.Addr) int {
	mtu := min(linkMTU(a), 65535)
	return max(mtu-ipHeader(a)-8, 0)
}

// linkMTU is the MTU of the interface that holds a: the one with a among
// its addresses, else, for a loopback address, the loopback interface
// whose prefix covers it (Linux answers to all of 127.0.0.0/8). Without
// an answer it assumes the loopback's 65536 or Ethernet's 1500.
func linkMTU(a netip.Addr) int {
	ifaces, err := net.Interfaces()
	if err == nil {
		covering := 0
		for _, ifc := range ifaces {
			if a.Zone() != "" && ifc.Name != a.Zone() {
				continue
			}
			addrs, err := ifc.Addrs()
			if err != nil {
				continue
			}
			for _, ia := range addrs {
				n, ok := ia.(*net.IPNet)
				if !ok {
					continue
				}
				ip, ok := netip.AddrFromSlice(n.IP)
				if !ok {
					continue
				}
				ip = ip.Unmap()
				if ip == a.WithZone("") {
					return ifc.MTU
				}
				ones, _ := n.Mask.Size()
				if covering == 0 && ifc.Flags&net.FlagLoopback != 0 && netip.PrefixFrom(ip, ones).Contains(a.WithZone("")) {
					covering = ifc.MTU
				}
			}
		}
		if covering > 0 {
			return covering
		}
	}
	if a.IsLoopback() {
		return 65536
	}
	return 1500
}
