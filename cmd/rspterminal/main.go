// Command rspterminal is an RSerPool pool user: it sends each line of its
// standard input to a pool and prints what comes back.
//
// Usage:
//
//	rspterminal [-poolhandle NAME] [-registrar ADDR[:PORT]]... [-local ADDR]
//	            [-timeout D] [-count N -interval D] [-v]
//
// It resolves the pool handle at a registrar (RFC 5352 §3.3), picks one
// pool element by the pool's policy and talks to it over SCTP in UDP
// (RFC 6951), unprivileged. When that pool element fails (its association
// ends, a send fails, or a message has no answer within -timeout), the
// terminal reports it unreachable (§3.5), picks another, says so on
// standard error, and sends again what was not answered. With -count it
// sends "message 1", "message 2", ... itself, one per -interval, and
// exits after that many answers.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/rserpool/rserpool/internal/cli"
)

func main() {
	opts, status, ok := parseArgs(os.Args[1:], os.Stderr)
	if !ok {
		os.Exit(status)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	os.Exit(run(opts, realEnv(sig)))
}

// options is the command line, checked.
type options struct {
	handle        string
	registrars    []netip.AddrPort // lower-layer addresses: IP and the registrars' UDP port
	registrarPort uint16
	local         netip.Addr
	localPort     uint16
	udpPort       uint16
	peerUDPPort   uint16
	timeout       time.Duration
	dialTimeout   time.Duration
	count         int
	interval      time.Duration
	announce      bool
	verbose       bool
}

// parseArgs reads the command line. When there is nothing to run it has
// written why to stderr and returns ok false with the exit status: 0
// for -h, 2 for bad usage.
func parseArgs(args []string, stderr io.Writer) (opts options, status int, ok bool) {
	fs := flag.NewFlagSet("rspterminal", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		local                string
		registrars           listFlag
		udpPort, peerUDPPort uint
	)
	fs.StringVar(&opts.handle, "poolhandle", "EchoPool", "pool handle to talk to")
	fs.Var(&registrars, "registrar", "registrar ADDR[:PORT] (SCTP port, default 3863); repeat for more (default 127.0.0.1:3863)")
	fs.StringVar(&local, "local", "127.0.0.100", "own address ADDR[:PORT]: the IP address to bind and the SCTP port (random when not given)")
	fs.UintVar(&udpPort, "udp-port", 9899, "local UDP encapsulation port (RFC 6951)")
	fs.UintVar(&peerUDPPort, "peer-udp-port", 9899, "UDP encapsulation port of the registrars and pool elements")
	fs.DurationVar(&opts.timeout, "timeout", 2*time.Second, "fail over when a message has no answer for this long; 0 fails over only when the association fails, and does not wait for answers at the end of input (for services that do not answer, such as discard)")
	fs.DurationVar(&opts.dialTimeout, "dial-timeout", 2*time.Second, "give up on a pool element that does not accept the association within this time")
	fs.IntVar(&opts.count, "count", 0, "send \"message 1\" ... \"message N\" instead of reading standard input, and exit after N answers")
	fs.DurationVar(&opts.interval, "interval", 100*time.Millisecond, "time between the messages of -count")
	fs.BoolVar(&opts.announce, "announce", false, "also learn registrars from their announcements on 239.0.0.50:3863 (UDP multicast)")
	fs.BoolVar(&opts.verbose, "v", false, "verbose: log the protocol at debug level")
	fs.Usage = func() { usage(fs, stderr) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return opts, 0, false
		}
		return opts, 2, false
	}
	bad := func(format string, a ...any) (options, int, bool) {
		fmt.Fprintf(stderr, "rspterminal: "+format+"\n", a...)
		fs.Usage()
		return opts, 2, false
	}
	if fs.NArg() > 0 {
		return bad("unexpected argument %q", fs.Arg(0))
	}
	if opts.handle == "" {
		return bad("-poolhandle is empty")
	}
	if udpPort == 0 || udpPort > 65535 || peerUDPPort == 0 || peerUDPPort > 65535 {
		return bad("UDP ports must lie between 1 and 65535")
	}
	opts.udpPort, opts.peerUDPPort = uint16(udpPort), uint16(peerUDPPort)
	if len(registrars) == 0 {
		registrars = listFlag{"127.0.0.1:3863"}
	}
	var err error
	opts.registrars, opts.registrarPort, err = cli.ParseRegistrars(registrars, opts.peerUDPPort)
	if err != nil {
		return bad("-registrar: %v", err)
	}
	opts.local, opts.localPort, err = cli.ParseLocal(local)
	if err != nil {
		return bad("-local: %v", err)
	}
	if opts.localPort == 0 {
		opts.localPort = uint16(49152 + rand.IntN(16384))
	}
	switch {
	case opts.timeout < 0:
		return bad("-timeout is negative")
	case opts.dialTimeout <= 0:
		return bad("-dial-timeout must be positive")
	case opts.count < 0:
		return bad("-count is negative")
	case opts.interval < 0:
		return bad("-interval is negative")
	}
	return opts, 0, true
}

// usage writes the help with every flag's default.
func usage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "usage: rspterminal [flags]\n\n")
	fmt.Fprintf(w, "An RSerPool pool user (RFC 5352): sends each line of standard input to a\n")
	fmt.Fprintf(w, "pool element of -poolhandle and prints the answers on standard output.\n")
	fmt.Fprintf(w, "When the pool element fails, another takes over; a line on standard error\n")
	fmt.Fprintf(w, "says which, and what was not answered is sent again. SCTP runs over UDP\n")
	fmt.Fprintf(w, "(RFC 6951) on the -local address, unprivileged.\n")
	fmt.Fprintf(w, "Exit status: 0 at the end of input (or after -count answers) or on a\n")
	fmt.Fprintf(w, "signal, 1 when the pool cannot be reached, 2 for bad usage.\n\nflags:\n")
	cli.PrintFlagNames(w, fs)
}

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	*l = append(*l, s)
	return nil
}
