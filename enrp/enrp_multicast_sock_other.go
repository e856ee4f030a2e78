//go:build !linux

package enrp

import (
	"net"
	"net/netip"
)

// listenMulticast opens a UDP socket joined to the group. The local
// address is not used: the system's default interface carries the group.
func listenMulticast(group netip.AddrPort, _ netip.Addr) (net.PacketConn, error) {
	network := "udp4"
	if group.Addr().Is6() && !group.Addr().Is4In6() {
		network = "udp6"
	}
	return net.ListenMulticastUDP(network, nil, net.UDPAddrFromAddrPort(group))
}
