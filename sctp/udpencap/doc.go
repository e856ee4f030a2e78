// Package udpencap carries SCTP packets in UDP datagrams as RFC 6951
// specifies: a lower layer (lower.Conn) for hosts whose kernel has no SCTP
// or whose middleboxes drop it.
//
// # Sockets and addresses
//
// Listen binds one UDP socket to each local address of Config.Addrs, all
// on the same port. The address a packet is sent from is then the one its
// Src names, and the address a packet arrived at is the socket's, with no
// need for IP_PKTINFO: SCTP multihoming (RFC 9260 §6.4) depends on both.
// For the same reason the wildcard address is refused: a socket bound to
// it could not say which of the host's addresses a packet came to.
//
// # Ports (RFC 6951 §5.1)
//
// Every socket uses one local encapsulation port, 9899 (the IANA port
// sctp-tunneling) unless Config.Port names another or Config.EphemeralPort
// lets the kernel pick a free one; §5.1 recommends a single local port per
// stack because it spares source address selection from choosing a port
// too. ReadBatch reports in each packet's Src the UDP source port, which
// is the peer's encapsulation port. Storing it per destination address is
// left to the engine, which must do it only after the packet passed the
// verification tag check (§5.4): this layer cannot tell a genuine packet
// from a forged one.
//
// Several processes of one host, such as the nodes of a test, each bind
// their own loopback address with the well-known port, as separate hosts
// would: 127.0.0.1:9899, 127.0.0.2:9899, 127.0.0.3:9899. Linux delivers
// all of 127.0.0.0/8 on the loopback interface, so this needs no setup.
//
// # Encapsulation (RFC 6951 §5.2, §5.3)
//
// A packet is the whole payload of its datagram: the UDP source port is
// the local encapsulation port, the destination port is the one of the
// packet's Dst, and the kernel fills in the UDP length and computes the
// UDP checksum, which §5.3 says SHOULD be done (over IPv6 it is
// mandatory). The SCTP checksum is the engine's business.
//
// # Path MTU (RFC 6951 §5.6)
//
// MTU reports the link MTU less the IP header and the 8-byte UDP header,
// as §5.6 requires of a path that is encapsulated. The sockets set
// IP_PMTUDISC_PROBE (IPV6_PMTUDISC_PROBE): the Don't Fragment bit is set
// and the kernel never fragments nor lowers its own idea of the path MTU,
// so the engine can probe the path itself (RFC 8899) without relying on
// ICMP, which §5.6 says it cannot. A packet larger than the link is
// refused by the kernel and counted as lost.
//
// # What is left out
//
// ICMP (§5.5) is not read: §5.5 forbids relying on it, and the quoted
// bytes of an ICMP error are often too few to find the association. The
// sockets are unconnected, so the kernel reports no ICMP errors on them.
// Packets that are not encapsulated (§5.4, second paragraph) never reach
// a UDP socket. The ECN bits (§5.8) are left as the kernel sets them.
//
// # Batches on Linux
//
// ReadBatch and WriteBatch make one recvmmsg or sendmmsg system call for
// many packets. WriteBatch also joins consecutive packets of equal size
// that go from one socket to one destination (the last may be shorter)
// into one UDP_SEGMENT send (UDP GSO): the kernel cuts it back into
// datagrams, so the peer sees ordinary packets. With UDP_GRO on, the
// kernel may hand over several datagrams of one flow as one buffer and
// the size of its segments; ReadBatch cuts it into packets again. Both
// are detected when the sockets are opened; a send with UDP_SEGMENT that
// the kernel refuses as unsupported turns GSO off for good and is counted
// in Stats.GSOFallbacks.
//
// On other systems each packet takes one system call and there is no
// offload.
package udpencap
