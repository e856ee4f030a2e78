// Command sctpperf measures SCTP throughput and latency, in the spirit of
// iperf and of usrsctp's tsctp.
//
// Usage:
//
//	sctpperf -s [flags] [ADDR[,ADDR...]:]PORT   serve
//	sctpperf [flags] ADDR[,ADDR...]:PORT        measure
//
// The client sends messages of -size bytes for -duration or -count
// messages, spread over -streams streams, ordered or -unordered, then
// shuts the association down gracefully (RFC 9260 §9.2): the time until
// the last message is acknowledged counts. It reports MB/s (10^6 bytes),
// messages/s, the retransmissions and the smoothed RTT of the primary
// path. With -rr it sends a message, waits for it to come back and sends
// the next, and reports the round-trip times' percentiles (p50, p99). The
// server discards what it receives, sends back the messages of the
// request/response mode (PPID 0x50455246, "PERF"), and reports each
// association when it ends. Any SCTP peer serves for bulk (tsctp, a
// discard server); any echo server serves for -rr.
//
// -json prints each result as one JSON object on a line; -interval adds
// progress lines. Results go to stdout, errors and -v events to stderr.
package main

import "os"

func main() {
	opts, status, ok := parseArgs(os.Args[1:], os.Stderr)
	if !ok {
		os.Exit(status)
	}
	os.Exit(run(opts, os.Stdout, os.Stderr))
}
