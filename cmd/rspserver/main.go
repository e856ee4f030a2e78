// Command rspserver is an RSerPool pool element: it registers with a
// registrar under a pool handle and offers one of the classic example
// services to the pool users that reach it.
//
// Usage:
//
//	rspserver [-poolhandle NAME] [-echo | -discard | -daytime | -chargen |
//	          -pingpong | -calcapp] [-policy NAME[:VALUE]] [-load N]
//	          [-registrar ADDR[:PORT]]... [-local ADDR[:PORT]] [-fail-after N]
//	          [-fail-after-seconds D] [-cookie-key KEY] [-calc-step D]
//	          [-business-card=false] [-card-refresh D] [-v]
//
// It runs unprivileged: SCTP is carried in UDP (RFC 6951) on the local
// address with UDP port 9899, so each process on a host takes its own
// loopback address (127.0.0.2, 127.0.0.3, ...). It finds its home
// registrar among the -registrar addresses (RFC 5352 §3.6), registers
// (§3.1), answers keep-alives (§3.4), and de-registers (§3.2) on SIGINT
// or SIGTERM. -fail-after makes it exit at once, without de-registering,
// as a crashed server would: pool users must then fail over;
// -fail-after-seconds does the same after a time.
//
// -pingpong and -calcapp are session services (RFC 5352 §3.8): the
// ping-pong service keeps a per-session counter and the calculation
// service computes long jobs with checkpoints, both in signed cookies
// that the pool user echoes to the next pool element after a failover.
// Every pool element of the pool must share -cookie-key. Each session
// gets the pool element's business card (RFC 5352 §3.9): the other pool
// elements, resolved at the registrar every -card-refresh by a pool user
// of the process (on the same address, another UDP port), in the ring
// of identifiers from the next one on; the user fails over in that
// order.
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
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/asap/msg"
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
	service       string
	policy        msg.Policy
	load          uint32
	registrars    []netip.AddrPort // lower-layer addresses: IP and the registrars' UDP port
	registrarPort uint16           // their SCTP port
	local         netip.Addr
	localPort     uint16 // SCTP port; random when not given
	udpPort       uint16
	peerUDPPort   uint16 // the registrars' and pool elements' UDP port
	lifetime      time.Duration
	lifetimeMS    bool
	announce      bool
	failAfter     int
	failAfterTime time.Duration
	cookieKey     string
	calcStep      time.Duration
	businessCard  bool
	cardRefresh   time.Duration
	id            uint32
	verbose       bool
}

// parseArgs reads the command line. When there is nothing to run (help
// asked for, a bad flag or value) it has written why to stderr and
// returns ok false with the exit status: 0 for -h, 2 for bad usage.
func parseArgs(args []string, stderr io.Writer) (opts options, status int, ok bool) {
	fs := flag.NewFlagSet("rspserver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		echo, discard, daytime, chargen bool
		pingpong, calcapp               bool
		policy, local                   string
		registrars                      listFlag
		load                            uint64
		peerUDPPort, udpPort            uint
	)
	fs.StringVar(&opts.handle, "poolhandle", "EchoPool", "pool handle to register under")
	fs.BoolVar(&echo, "echo", false, "echo service: every message is sent back (the default service)")
	fs.BoolVar(&discard, "discard", false, "discard service: messages are read and dropped")
	fs.BoolVar(&daytime, "daytime", false, "daytime service: the date and time on connection and in answer to every message")
	fs.BoolVar(&chargen, "chargen", false, "character generator service: lines of characters sent without pause")
	fs.BoolVar(&pingpong, "pingpong", false, "ping-pong session service: a per-session counter kept across failovers in cookies")
	fs.BoolVar(&calcapp, "calcapp", false, "calculation session service: long jobs resumed from the last checkpoint cookie after a failover")
	fs.StringVar(&opts.cookieKey, "cookie-key", defaultCookieKey, "pool-wide key signing the cookies of -pingpong and -calcapp (at least 16 bytes; the same on every pool element)")
	fs.BoolVar(&opts.businessCard, "business-card", true, "session services: send users a business card naming the other pool elements, as resolved at the registrar, as their failover order (RFC 5352 §3.9)")
	fs.DurationVar(&opts.cardRefresh, "card-refresh", 5*time.Second, "time between two resolutions of the pool for the business card")
	fs.DurationVar(&opts.calcStep, "calc-step", 10*time.Millisecond, "time one step of a -calcapp job takes")
	fs.Func("fail-after-seconds", "exit at once, without de-registering, this long after the start: seconds (2.5) or a duration (1m30s); 0: never", func(s string) error {
		d, err := parseSeconds(s)
		opts.failAfterTime = d
		return err
	})
	fs.StringVar(&policy, "policy", "roundrobin", "pool member selection policy, NAME[:VALUE]: "+asap.PolicyHelp)
	fs.Uint64Var(&load, "load", 0, "load reported with the load-based policies, 0 (idle) to 4294967295 (full)")
	fs.Var(&registrars, "registrar", "registrar ADDR[:PORT] (SCTP port, default 3863); repeat for more (default 127.0.0.1:3863)")
	fs.StringVar(&local, "local", "127.0.0.2", "own address ADDR[:PORT]: the IP address to bind and the SCTP port (random when not given)")
	fs.UintVar(&udpPort, "udp-port", 9899, "local UDP encapsulation port (RFC 6951)")
	fs.UintVar(&peerUDPPort, "peer-udp-port", 9899, "UDP encapsulation port of the registrars and pool users")
	fs.DurationVar(&opts.lifetime, "lifetime", asap.DefaultLifetime, "registration lifetime; re-registration runs 20 s before it ends")
	fs.BoolVar(&opts.lifetimeMS, "lifetime-ms", false, "write the lifetime in milliseconds, as rsplib's registrar expects, not in seconds (RFC 5354 §3.10)")
	fs.BoolVar(&opts.announce, "announce", false, "also learn registrars from their announcements on 239.0.0.50:3863 (UDP multicast)")
	fs.IntVar(&opts.failAfter, "fail-after", 0, "exit at once, without de-registering, after answering this many messages (0: never)")
	fs.Func("id", "pool element identifier, in hex or decimal (default random)", func(s string) error {
		v, err := parseUint32(s)
		opts.id = v
		return err
	})
	fs.BoolVar(&opts.verbose, "v", false, "verbose: log the protocol at debug level")
	fs.Usage = func() { usage(fs, stderr) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return opts, 0, false
		}
		return opts, 2, false
	}
	bad := func(format string, a ...any) (options, int, bool) {
		fmt.Fprintf(stderr, "rspserver: "+format+"\n", a...)
		fs.Usage()
		return opts, 2, false
	}
	if fs.NArg() > 0 {
		return bad("unexpected argument %q", fs.Arg(0))
	}
	if opts.handle == "" {
		return bad("-poolhandle is empty")
	}
	opts.service = "echo"
	n := 0
	for _, s := range []struct {
		on   bool
		name string
	}{{echo, "echo"}, {discard, "discard"}, {daytime, "daytime"}, {chargen, "chargen"}, {pingpong, "pingpong"}, {calcapp, "calcapp"}} {
		if s.on {
			opts.service = s.name
			n++
		}
	}
	if n > 1 {
		return bad("choose one of -echo, -discard, -daytime, -chargen, -pingpong, -calcapp")
	}
	p, err := asap.ParsePolicy(policy)
	if err != nil {
		return bad("-policy: %v", err)
	}
	opts.policy = p
	if load > 0xffffffff {
		return bad("-load %d does not fit 32 bits", load)
	}
	opts.load = uint32(load)
	if udpPort == 0 || udpPort > 65535 || peerUDPPort == 0 || peerUDPPort > 65535 {
		return bad("UDP ports must lie between 1 and 65535")
	}
	opts.udpPort = uint16(udpPort)
	opts.peerUDPPort = uint16(peerUDPPort)
	if len(registrars) == 0 {
		registrars = listFlag{"127.0.0.1:3863"}
	}
	opts.registrars, opts.registrarPort, err = cli.ParseRegistrars(registrars, uint16(peerUDPPort))
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
	if opts.failAfter < 0 {
		return bad("-fail-after is negative")
	}
	if opts.failAfterTime < 0 {
		return bad("-fail-after-seconds is negative")
	}
	if len(opts.cookieKey) < asap.MinCookieKey {
		return bad("-cookie-key is shorter than %d bytes", asap.MinCookieKey)
	}
	if opts.cardRefresh <= 0 {
		return bad("-card-refresh must be positive")
	}
	if opts.calcStep < 0 {
		return bad("-calc-step is negative")
	}
	if opts.lifetime < time.Second && opts.lifetime >= 0 {
		return bad("-lifetime must be at least 1s, or negative for infinite")
	}
	return opts, 0, true
}

// usage writes the help with every flag's default.
func usage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "usage: rspserver [flags]\n\n")
	fmt.Fprintf(w, "An RSerPool pool element (RFC 5352): registers under -poolhandle with a\n")
	fmt.Fprintf(w, "registrar and serves pool users with one service (echo by default).\n")
	fmt.Fprintf(w, "SCTP runs over UDP (RFC 6951) on the -local address, unprivileged; give\n")
	fmt.Fprintf(w, "each process on a host its own loopback address (127.0.0.2, 127.0.0.3, ...).\n")
	fmt.Fprintf(w, "SIGINT or SIGTERM de-registers and exits; -fail-after exits without that.\n")
	fmt.Fprintf(w, "Exit status: 0 after a signal, 1 on failure (and for -fail-after), 2 for bad usage.\n\nflags:\n")
	cli.PrintFlagNames(w, fs)
}

// parseSeconds reads a number of seconds or a Go duration.
func parseSeconds(s string) (time.Duration, error) {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if f < 0 || f > 1e9 {
			return 0, errors.New("out of range")
		}
		return time.Duration(f * float64(time.Second)), nil
	}
	return time.ParseDuration(s)
}

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	*l = append(*l, s)
	return nil
}
