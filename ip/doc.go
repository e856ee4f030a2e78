// Package ip encodes the IPv4, IPv6 and UDP headers that carry SCTP
// packets, writes them to pcap files that Wireshark and tcpdump read, and
// reads SCTP packets and UDP datagrams back out of pcap files.
//
// The SCTP stack itself never builds IP headers: the kernel does that for
// raw and UDP sockets. This package exists so that tests and tools can
// record what the stack sends and receives in a form that independent
// dissectors can check, byte for byte, checksums included, and so that
// they can take recordings of other implementations apart. SCTP runs
// directly over IP as protocol 132 (RFC 9260 §1) or inside UDP
// (RFC 6951), and both framings are provided.
//
// Encoders append to a caller's slice and return the extended slice, in
// the style of the standard library's Append functions, and report an
// error instead of producing a header whose length fields cannot describe
// the payload.
//
// PcapReader reads a capture frame by frame, whatever its link layer
// (Ethernet, Linux cooked capture, raw IP, loopback), with a small,
// strict decoder of its own rather than a general dissector, so that the
// bytes it hands over are exactly those on the wire. A frame it cannot
// use (an IP fragment, a packet cut short, a malformed header) is
// reported as such and the file goes on.
package ip
