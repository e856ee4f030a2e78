// Package ip encodes the IPv4, IPv6 and UDP headers that carry SCTP
// packets, and writes them to pcap files that Wireshark and tcpdump read.
//
// The SCTP stack itself never builds IP headers: the kernel does that for
// raw and UDP sockets. This package exists so that tests and tools can
// record what the stack sends and receives in a form that independent
// dissectors can check, byte for byte, checksums included. SCTP runs
// directly over IP as protocol 132 (RFC 9260 §1) or inside UDP
// (RFC 6951), and both framings are provided.
//
// Encoders append to a caller's slice and return the extended slice, in
// the style of the standard library's Append functions, and report an
// error instead of producing a header whose length fields cannot describe
// the payload.
package ip
