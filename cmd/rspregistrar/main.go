// Command rspregistrar is an RSerPool registrar (ENRP server): pool
// elements register with it, pool users resolve pool handles at it
// (ASAP, RFC 5352), and it keeps watch over the pool elements it is home
// for. With -enrp it also speaks ENRP (RFC 5353) with the registrars of
// -peer and those it hears on multicast: they share the handlespace, and
// one takes over the pool elements of a registrar that dies.
//
// Usage:
//
//	rspregistrar [flags]
//
// It runs unprivileged: SCTP travels in UDP (RFC 6951) on port 9899 of
// the addresses of -asap, one address per process by convention
// (127.0.0.1 for a registrar, 127.0.0.2 and up for pool elements on one
// host). It serves until SIGINT or SIGTERM, then closes its associations
// gracefully and exits 0.
//
// With -hsdump-addr (by default when -asap is a loopback address) it
// serves its handlespace as JSON over HTTP at /handlespace, which hsdump
// prints; with -metrics it serves Prometheus metrics at /metrics.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	opts, status, ok := parseArgs(os.Args[1:], os.Stderr)
	if !ok {
		os.Exit(status)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, opts, os.Stderr))
}
