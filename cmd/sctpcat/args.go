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

// options is the parsed command line.
type options struct {
	listen    bool
	echo      bool
	binary    bool
	verbose   bool
	stream    uint16
	ppid      uint32
	unordered bool
	port      uint16        // local SCTP port when connecting; 0 picks one
	wait      time.Duration // bound on the handshake
	target    cli.Endpoint  // the peer, or the listening addresses and port
	lower     cli.Lower
}

// parseArgs reads the command line. When there is nothing to run (help,
// bad usage) it has written why to stderr and returns ok false with the
// exit status: 0 for -h, 2 for bad usage.
func parseArgs(args []string, stderr io.Writer) (opts options, status int, ok bool) {
	fs := flag.NewFlagSet("sctpcat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var stream, port int
	var ppid uint64
	fs.BoolVar(&opts.listen, "l", false, "listen for an association on [ADDR[,ADDR...]:]PORT instead of connecting; without addresses, every address of the host's interfaces that are up (link-local ones left out)")
	fs.BoolVar(&opts.echo, "echo", false, "with -l: send every message back on its stream, with its PPID and ordering, to any number of peers at once; stdin is not read, and SIGINT or SIGTERM shuts the associations down gracefully")
	fs.BoolVar(&opts.binary, "binary", false, "send each read of stdin (at most 64 KiB) as one message instead of each line")
	fs.BoolVar(&opts.verbose, "v", false, "report on stderr the association's events: up with its paths, each path's state changes and why, shutdown or abort, and at the end each path's state and traffic")
	fs.IntVar(&stream, "stream", 0, "stream `ID` the messages are sent on")
	fs.Uint64Var(&ppid, "ppid", 0, "payload protocol identifier of the messages sent")
	fs.BoolVar(&opts.unordered, "unordered", false, "send the messages unordered (RFC 9260 §6.6): each is delivered as soon as it is complete")
	fs.IntVar(&port, "port", 0, "local SCTP port when connecting; 0 picks one in 49152..65535")
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
		fmt.Fprintf(stderr, "sctpcat: "+format+"\n", a...)
		return opts, 2, false
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return opts, 2, false
	}
	switch {
	case stream < 0 || stream > math.MaxUint16:
		return fail("-stream %d: must lie in 0..65535", stream)
	case ppid > math.MaxUint32:
		return fail("-ppid %d: must lie in 0..4294967295", ppid)
	case port < 0 || port > math.MaxUint16:
		return fail("-port %d: must lie in 0..65535", port)
	case opts.wait <= 0:
		return fail("-w %v: must be positive", opts.wait)
	case opts.echo && !opts.listen:
		return fail("-echo needs -l")
	}
	opts.stream, opts.ppid, opts.port = uint16(stream), uint32(ppid), uint16(port)
	if err := opts.lower.Check(); err != nil {
		return fail("%v", err)
	}
	var err error
	if opts.listen {
		opts.target, err = cli.ParseListen(fs.Arg(0))
		if err == nil && opts.lower.Local != "" {
			return fail("-local is for connecting: a listener's addresses come before its :PORT")
		}
		if err == nil && opts.lower.TUN != "" && opts.target.Addrs == nil {
			return fail("-tun needs the listener's addresses on the device: ADDR[,ADDR...]:PORT")
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
	fmt.Fprintf(w, `usage: sctpcat [flags] ADDR[,ADDR...]:PORT         connect
       sctpcat -l [flags] [ADDR[,ADDR...]:]PORT    listen

netcat for SCTP. Each line of stdin, newline included, is one message (with
-binary, each read); messages received are written to stdout unchanged.
End of stdin shuts the association down gracefully and exits 0; so does a
peer's graceful shutdown. Several addresses make an endpoint multihomed.
IPv6 addresses go in brackets: [::1]:5000.

SCTP runs over UDP (RFC 6951) from the -local addresses (connecting) or the
listed ones (listening), all on the -udp-port; processes of one host each
bind their own address with the well-known port 9899 (127.0.0.2:9899,
127.0.0.3:9899, ...). With -tun it runs over IP through a TUN device.

Exit status: 0 after a graceful shutdown, 1 on abort, timeout or a failed
setup, 2 for bad usage.

flags:
`)
	cli.PrintFlags(w, fs)
}
