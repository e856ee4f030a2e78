package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/rserpool/rserpool/internal/cli"
)

// ppidEcho marks the messages of the request/response mode, which the
// server sends back; it spells "PERF". Other messages are discarded.
const ppidEcho = 0x50455246

// maxSize bounds -size: the default largest message a peer of this stack
// reassembles (sctp.Config.MaxMessage, the 256 KiB receive window).
const maxSize = 256 << 10

type options struct {
	server    bool
	once      bool
	rr        bool
	json      bool
	verbose   bool
	size      int
	count     int
	duration  time.Duration
	streams   int
	unordered bool
	interval  time.Duration
	window    int
	sndbuf    int
	port      uint16
	wait      time.Duration
	target    cli.Endpoint
	lower     cli.Lower
}

func parseArgs(args []string, stderr io.Writer) (opts options, status int, ok bool) {
	fs := flag.NewFlagSet("sctpperf", flag.ContinueOnError)
	fs.SetOutput(stderr)
	size := cli.Size{N: 1000, Max: maxSize}
	window := cli.Size{Max: math.MaxInt32}
	sndbuf := cli.Size{Max: math.MaxInt32}
	var port int
	fs.BoolVar(&opts.server, "s", false, "serve on [ADDR[,ADDR...]:]PORT: discard what arrives, send back request/response messages, report each association when it ends")
	fs.BoolVar(&opts.once, "once", false, "with -s: serve one association, then exit (0 when it ended gracefully)")
	fs.BoolVar(&opts.rr, "rr", false, "request/response: send a message, wait for it to come back, repeat; report round-trip percentiles")
	fs.BoolVar(&opts.json, "json", false, "print each result as one JSON object on a line: MB/s, messages/s, retransmissions, RTT p50/p99 (µs) and more")
	fs.BoolVar(&opts.verbose, "v", false, "report the associations' events and paths on stderr")
	fs.Var(&size, "size", "message size in `BYTES` (K, M suffixes: 64K), at most 256K")
	fs.IntVar(&opts.count, "count", 0, "send this many messages (or round trips) instead of running for -duration")
	fs.DurationVar(&opts.duration, "duration", 10*time.Second, "how long to send, unless -count is given")
	fs.IntVar(&opts.streams, "streams", 1, "spread the messages over this many streams, round robin")
	fs.BoolVar(&opts.unordered, "unordered", false, "send the messages unordered (RFC 9260 §6.6)")
	fs.DurationVar(&opts.interval, "interval", 0, "print a progress line this often (0: none); on stderr with -json")
	fs.Var(&window, "window", "receive window (a_rwnd) in `BYTES` (K, M suffixes); 0: the stack's default, 256K")
	fs.Var(&sndbuf, "sndbuf", "send buffer in `BYTES` (K, M suffixes); 0: the stack's default, 1M")
	fs.IntVar(&port, "port", 0, "local SCTP port of the client; 0 picks one in 49152..65535")
	fs.DurationVar(&opts.wait, "w", 30*time.Second, "give up connecting after this long")
	opts.lower.Register(fs)
	fs.Usage = func() { usage(fs, stderr) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return opts, 0, false
		}
		return opts, 2, false
	}
	fail := func(format string, a ...any) (options, int, bool) {
		fmt.Fprintf(stderr, "sctpperf: "+format+"\n", a...)
		return opts, 2, false
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return opts, 2, false
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	opts.size, opts.window, opts.sndbuf = size.N, window.N, sndbuf.N
	switch {
	case opts.size < 1:
		return fail("-size must be at least 1")
	case opts.count < 0:
		return fail("-count %d: must not be negative", opts.count)
	case set["count"] && set["duration"]:
		return fail("give -duration or -count, not both")
	case opts.duration <= 0:
		return fail("-duration %v: must be positive", opts.duration)
	case opts.streams < 1 || opts.streams > math.MaxUint16:
		return fail("-streams %d: must lie in 1..65535", opts.streams)
	case opts.interval < 0:
		return fail("-interval %v: must not be negative", opts.interval)
	case opts.window > 0 && opts.window < 1500:
		return fail("-window %d: must be 0 or at least 1500 (RFC 9260 §3.3.2)", opts.window)
	case port < 0 || port > math.MaxUint16:
		return fail("-port %d: must lie in 0..65535", port)
	case opts.wait <= 0:
		return fail("-w %v: must be positive", opts.wait)
	case opts.once && !opts.server:
		return fail("-once needs -s")
	}
	if opts.server {
		for _, name := range []string{"rr", "size", "count", "duration", "streams", "unordered", "port"} {
			if set[name] {
				return fail("-%s is for the client, not with -s", name)
			}
		}
	}
	opts.port = uint16(port)
	if err := opts.lower.Check(); err != nil {
		return fail("%v", err)
	}
	var err error
	if opts.server {
		opts.target, err = cli.ParseListen(fs.Arg(0))
		if err == nil && opts.lower.Local != "" {
			return fail("-local is for the client: a server's addresses come before its :PORT")
		}
		if err == nil && opts.lower.TUN != "" && opts.target.Addrs == nil {
			return fail("-tun needs the server's addresses on the device: ADDR[,ADDR...]:PORT")
		}
	} else {
		opts.target, err = cli.ParseEndpoint(fs.Arg(0))
	}
	if err != nil {
		return fail("%v", err)
	}
	return opts, 0, true
}

func usage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, `usage: sctpperf -s [flags] [ADDR[,ADDR...]:]PORT   serve
       sctpperf [flags] ADDR[,ADDR...]:PORT        measure

Measures SCTP throughput (bulk, the default) or latency (-rr) to a server:
this command with -s, or any SCTP peer for bulk (usrsctp's tsctp), any echo
server for -rr. Bulk sends -size messages for -duration or -count, then
shuts down gracefully; the time until the last one is acknowledged counts.
MB/s counts 10^6 bytes of user data per second. The server discards what
it receives, sends back request/response messages (PPID 0x50455246) and
reports each association when it ends. IPv6 addresses go in brackets.

SCTP runs over UDP (RFC 6951) from the -local addresses (client) or the
listed ones (server), all on the -udp-port; processes of one host each bind
their own address with the well-known port 9899. With -tun it runs over IP
through a TUN device.

Exit status: 0 after a graceful shutdown, 1 on abort, timeout or a failed
setup, 2 for bad usage.

flags:
`)
	cli.PrintFlags(w, fs)
}
