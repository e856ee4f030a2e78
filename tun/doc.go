// Package tun is a lower layer (lower.Conn) that carries SCTP directly
// over IPv4 and IPv6, as protocol 132 (RFC 9260 §1), through a Linux TUN
// device: the stack writes whole IP packets to the device and the kernel
// routes them like any others, so SCTP runs as real SCTP over IP on a host
// whose kernel has no SCTP module.
//
// The SCTP endpoint's own addresses (Config.Addrs) are not addresses of
// the kernel: the kernel routes packets for them to the device, where
// Conn reads them, and forwards what Conn writes from them. Config.Configure
// sets the device up through netlink (up, MTU, device addresses, and a
// host route for each endpoint address not inside one of the device's
// prefixes), so no external tool is needed. Creating or configuring a
// device needs CAP_NET_ADMIN; attaching to a persistent device that an
// administrator created for the user (ip tuntap add ... user U) does not.
//
// Open works in the network namespace of the calling OS thread, which is
// how tests place devices in a namespace of their own (see tuntest).
//
// Reading: a TUN file descriptor yields one packet per read. ReadBatch
// waits for the first and then drains, without blocking, as many more as
// are ready and fit the batch. Each packet's IP header is checked
// (ip.ParseHeader: the IPv4 header checksum verified, IPv6 extension
// headers walked) and the packet is dropped, and counted in Stats, when
// the header is broken, the checksum is wrong, the protocol is not SCTP,
// it is a fragment (SCTP avoids fragmentation by path MTU discovery,
// RFC 9260 §7.3, and reassembly is left out), it is not addressed to one
// of Config.Addrs, or it does not fit the caller's buffer; in that order.
//
// Writing: lower.Packet has no room in front of the SCTP packet, so each
// packet is copied once behind its IP header into a buffer of the Conn
// and written with one system call. IPv4 packets carry DF, TTL 64 and an
// Identification that counts up (RFC 6864 §4.1 lets DF packets use any);
// IPv6 packets hop limit 64 and no extension header.
package tun
