// Package interop holds the tests that run this project's commands,
// sctpcat and sctpperf, as processes against another SCTP stack: the
// example programs of usrsctp (Debian package libusrsctp-examples, in
// /usr/lib/usrsctp), over UDP encapsulation (RFC 6951) on loopback. They
// check both directions (our client to their servers, their clients to
// ours), IPv4 and IPv6, small and fragmented (64 KiB) messages, ordered
// and unordered delivery, and graceful shutdown started by either side.
// Two multihomed sctpcat processes and sctpcat over TUN devices are
// tested here too, since they also need the built commands.
//
// install.sh installs the usrsctp programs and a C compiler; without them
// the tests that need them skip, saying so. The C compiler builds
// testdata/usrsctp_shim.c, a preload library that turns the programs'
// per-packet
// debug tracing off, binds the programs that always bind the wildcard
// address to a loopback address instead, and makes their stdout line
// buffered so the tests read it as it comes.
//
// Addressing: usrsctp binds its UDP socket to the wildcard address of its
// encapsulation port, so every usrsctp process gets a free port of its
// own, below the kernel's ephemeral range; this project's processes bind
// an address of 127.0.0.0/8 (or ::1) of their own, with a port the
// kernel picks from that range, which the listeners report with -v.
// Tests can therefore run in parallel.
package interop
