// Command sctpcat is netcat for SCTP: it connects to or listens for an
// SCTP association and moves messages between it and stdin and stdout.
//
// Usage:
//
//	sctpcat [flags] ADDR[,ADDR...]:PORT       connect
//	sctpcat -l [flags] [ADDR[,ADDR...]:]PORT  listen
//
// Each line of stdin, its newline included, is one message (-binary: each
// read of stdin); each message received is written to stdout as it came.
// End of stdin shuts the association down gracefully (RFC 9260 §9.2) and
// sctpcat exits 0 once the peer has confirmed it; a peer's graceful
// shutdown ends sctpcat with status 0 too. An abort, a timeout or a failed
// setup exits 1 with a one-line reason, bad usage 2.
//
// SCTP runs over UDP (RFC 6951), which needs no privilege; each process
// of a host binds its own address (127.0.0.2, 127.0.0.3, ... on loopback)
// with the well-known encapsulation port 9899. With -tun it runs directly
// over IP through a TUN device, which needs CAP_NET_ADMIN. With -v it
// reports on stderr the association's events and the state of each of
// its paths.
package main

import (
	"os"
)

func main() {
	opts, status, ok := parseArgs(os.Args[1:], os.Stderr)
	if !ok {
		os.Exit(status)
	}
	os.Exit(run(opts, os.Stdin, os.Stdout, os.Stderr))
}
