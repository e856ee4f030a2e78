// Package pcaptest reads packet captures for tests: it pulls the SCTP
// packets out of a pcap file, whatever the link layer, and
// whether SCTP ran directly over IP (RFC 9260 §1) or inside UDP
// (RFC 6951), and it finds the project's reference captures and the
// tshark binary used to cross-check them.
//
// The reference captures are recordings of implementations this project
// did not write; every SCTP packet in them is a test vector. Decoding them
// here with a small, strict reader, rather than with a general dissector,
// keeps the tests honest about which bytes are under test.
package pcaptest
