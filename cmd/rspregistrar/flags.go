package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/enrp"
	"github.com/rserpool/rserpool/internal/cli"
	"github.com/rserpool/rserpool/sctp/udpencap"
)

// hsdumpPort is the port of the handlespace endpoint when -hsdump-addr
// is left to its default.
const hsdumpPort = 8863

// options is the command line.
type options struct {
	asapAddrs  []netip.Addr     // local addresses, the first one primary
	asapPort   uint16           // SCTP port
	udpPort    uint16           // UDP encapsulation port; 0: one the kernel picks
	enrp       netip.AddrPort   // ENRP endpoint (address, UDP and SCTP port); invalid: ENRP off
	peers      []netip.AddrPort // static peers' ENRP endpoints (RFC 5353 §3.2.2.1)
	announce   netip.AddrPort
	noAnnounce bool
	enrpGroup  netip.AddrPort // ENRP multicast group (ENRP_PRESENCE)
	noGroup    bool
	pcap       string
	metrics    string
	hsdump     string // "" for none
	level      slog.Level
	cfg        enrp.Config

	// ready, when set, is called once the registrar serves, with the
	// addresses it serves on (tests use it).
	ready func(readyInfo)
}

// readyInfo tells where a started registrar is.
type readyInfo struct {
	ASAP   []netip.AddrPort  // the endpoint's addresses on the lower layer
	HTTP   map[string]string // the HTTP listeners' addresses, by path
	Server msg.ServerID
}

// parseArgs reads the command line. When there is nothing to run (help
// asked for, a bad flag or value) it has written why to stderr and
// returns ok false with the exit status: 0 for -h, 2 for bad usage.
func parseArgs(args []string, stderr io.Writer) (opts options, status int, ok bool) {
	fs := flag.NewFlagSet("rspregistrar", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		asap, announce, hsdump, level, lifeUnit, id, enrpAddr, enrpGroup string
		verbose                                                          bool
		udpPort                                                          uint
	)
	fs.StringVar(&asap, "asap", "127.0.0.1:3863", "local `ADDR[,ADDR...]:PORT` where ASAP is served: the addresses (several for multihoming) and the SCTP port (RFC 5352 §8.2: 3863)")
	fs.UintVar(&udpPort, "udp-port", udpencap.DefaultPort, "UDP `port` of the SCTP encapsulation (RFC 6951) on every -asap address; 0 lets the kernel pick one")
	fs.StringVar(&enrpAddr, "enrp", "", "local `ADDR[:PORT]` for ENRP between registrars (RFC 5353), PORT (default 9901) being both the UDP and the SCTP port; empty: ENRP off")
	fs.Func("peer", "`ADDR[:PORT]` of a peer registrar's ENRP endpoint (default port 9901), repeatable: the mentors of RFC 5353 §3.2.2.1", func(s string) error {
		addrs, port, err := parseAddrList(s, msg.PortENRP)
		if err != nil {
			return err
		}
		for _, a := range addrs {
			opts.peers = append(opts.peers, netip.AddrPortFrom(a, port))
		}
		return nil
	})
	fs.StringVar(&enrpGroup, "enrp-multicast", msg.ENRPAnnounceGroup.String(), "UDP `ADDR:PORT` (multicast group) where ENRP_PRESENCE is sent every heartbeat cycle and heard, so that registrars find each other without -peer")
	fs.BoolVar(&opts.noGroup, "no-enrp-multicast", false, "neither send nor hear ENRP_PRESENCE on the multicast group; peers then come from -peer only")
	fs.DurationVar(&opts.cfg.PeerHeartbeatCycle, "peer-heartbeat", enrp.Config{}.PeerHeartbeatCycle, "PEER-HEARTBEAT-CYCLE (RFC 5353 §4.2); 0: 30s")
	fs.DurationVar(&opts.cfg.MaxTimeLastHeard, "max-time-last-heard", 0, "MAX-TIME-LAST-HEARD (RFC 5353 §4.2); 0: 61s")
	fs.DurationVar(&opts.cfg.MaxTimeNoResponse, "max-time-no-response", 0, "MAX-TIME-NO-RESPONSE (RFC 5353 §4.2); 0: 5s")
	fs.IntVar(&opts.cfg.HandleTablePiece, "table-piece", enrp.DefaultHandleTablePiece, "pool elements per ENRP_HANDLE_TABLE_RESPONSE")
	fs.StringVar(&announce, "announce", msg.ASAPAnnounceGroup.String(), "UDP `ADDR:PORT` (multicast group) where ASAP_SERVER_ANNOUNCE is sent every second (RFC 5352 §3.6)")
	fs.BoolVar(&opts.noAnnounce, "no-announce", false, "send no ASAP_SERVER_ANNOUNCE; PEs and PUs then need the registrar's address")
	fs.DurationVar(&opts.cfg.KeepAliveInterval, "keepalive-interval", enrp.DefaultKeepAliveInterval, "mean `time` between two keep-alives to a PE (±50%, RFC 5352 §3.5)")
	fs.DurationVar(&opts.cfg.KeepAliveTimeout, "keepalive-timeout", enrp.DefaultKeepAliveTimeout, "`time` a PE has to acknowledge a keep-alive before it is removed")
	fs.IntVar(&opts.cfg.MaxBadPEReports, "max-bad-pe-reports", enrp.DefaultMaxBadPEReports, "unreachability reports (MAX-BAD-PE-REPORT, RFC 5352 §3.5) that remove a PE")
	fs.IntVar(&opts.cfg.MaxHandleResolutionItems, "max-hr-items", enrp.DefaultMaxHandleResolutionItems, "most pool elements in a handle resolution response; -1 for the whole pool")
	fs.StringVar(&lifeUnit, "registration-life-unit", "s", "unit of the PEs' Registration Life: s (RFC 5354 §3.10) or ms (rsplib's PEs)")
	fs.DurationVar(&opts.cfg.MaxRegistrationLife, "max-registration-life", enrp.DefaultMaxRegistrationLife, "longest registration granted; longer ones, infinite included, are cut to it")
	fs.StringVar(&id, "id", "", "server identifier (RFC 5353 §3.2.1) in `hex`, such as 0x5ee5e001; default random")
	fs.StringVar(&opts.pcap, "pcap", "", "write every SCTP packet sent and received to the pcap `FILE`")
	fs.StringVar(&opts.metrics, "metrics", "", "serve Prometheus metrics over HTTP at `ADDR:PORT`/metrics")
	fs.StringVar(&hsdump, "hsdump-addr", "auto", "serve the handlespace as JSON over HTTP at `ADDR:PORT`/handlespace, for hsdump; auto: the first -asap address, port 8863, when it is a loopback address; off: none")
	fs.BoolVar(&verbose, "v", false, "log at debug level (same as -log-level debug)")
	fs.StringVar(&level, "log-level", "info", "log `level`: debug, info, warn or error")
	fs.Usage = func() { usage(fs, stderr) }

	bad := func(format string, a ...any) (options, int, bool) {
		fmt.Fprintf(stderr, "rspregistrar: "+format+"\n", a...)
		return opts, 2, false
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return opts, 0, false
		}
		return opts, 2, false
	}
	if fs.NArg() > 0 {
		return bad("unexpected argument %q", fs.Arg(0))
	}
	var err error
	if opts.asapAddrs, opts.asapPort, err = parseAddrList(asap, msg.PortASAP); err != nil {
		return bad("-asap: %v", err)
	}
	if udpPort > 65535 {
		return bad("-udp-port: %d is not a port", udpPort)
	}
	opts.udpPort = uint16(udpPort)
	if opts.announce, err = netip.ParseAddrPort(announce); err != nil {
		return bad("-announce: %v", err)
	}
	if opts.enrpGroup, err = netip.ParseAddrPort(enrpGroup); err != nil {
		return bad("-enrp-multicast: %v", err)
	}
	if !opts.enrpGroup.Addr().IsMulticast() {
		return bad("-enrp-multicast: %v is not a multicast group", opts.enrpGroup)
	}
	if enrpAddr != "" {
		addrs, port, err := parseAddrList(enrpAddr, msg.PortENRP)
		if err != nil {
			return bad("-enrp: %v", err)
		}
		if len(addrs) != 1 {
			return bad("-enrp: one address")
		}
		opts.enrp = netip.AddrPortFrom(addrs[0], port)
	}
	if opts.cfg.PeerHeartbeatCycle < 0 || opts.cfg.MaxTimeLastHeard < 0 || opts.cfg.MaxTimeNoResponse < 0 || opts.cfg.HandleTablePiece < 1 {
		return bad("ENRP timers must not be negative, -table-piece at least 1")
	}
	switch lifeUnit {
	case "s":
		opts.cfg.RegistrationLifeUnit = time.Second
	case "ms":
		opts.cfg.RegistrationLifeUnit = time.Millisecond
	default:
		return bad("-registration-life-unit: %q is neither s nor ms", lifeUnit)
	}
	if id != "" {
		v, err := strconv.ParseUint(strings.TrimPrefix(strings.ToLower(id), "0x"), 16, 32)
		if err != nil || v == 0 {
			return bad("-id: %q is not a non-zero 32-bit hex number", id)
		}
		opts.cfg.ServerID = msg.ServerID(v)
	}
	switch hsdump {
	case "off", "":
	case "auto":
		if a := opts.asapAddrs[0]; a.IsLoopback() {
			opts.hsdump = netip.AddrPortFrom(a, hsdumpPort).String()
		}
	default:
		opts.hsdump = hsdump
	}
	if err := opts.level.UnmarshalText([]byte(level)); err != nil {
		return bad("-log-level: %v", err)
	}
	if verbose {
		opts.level = slog.LevelDebug
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"-keepalive-interval", opts.cfg.KeepAliveInterval}, {"-keepalive-timeout", opts.cfg.KeepAliveTimeout}, {"-max-registration-life", opts.cfg.MaxRegistrationLife}} {
		if d.v <= 0 {
			return bad("%s: must be above 0", d.name)
		}
	}
	if opts.cfg.MaxBadPEReports <= 0 {
		return bad("-max-bad-pe-reports: must be at least 1")
	}
	if opts.cfg.MaxHandleResolutionItems == 0 || opts.cfg.MaxHandleResolutionItems < -1 {
		return bad("-max-hr-items: must be at least 1, or -1")
	}
	return opts, 0, true
}

// parseAddrList reads ADDR[,ADDR...][:PORT], with IPv6 addresses in
// brackets when a port follows ([::1],[fd00::1]:3863). Without a port,
// def is the port.
func parseAddrList(s string, def uint16) ([]netip.Addr, uint16, error) {
	list, port := s, def
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		head := s[:i]
		// A colon inside an unbracketed IPv6 address is not a port's.
		if strings.HasSuffix(head, "]") || !strings.Contains(head, ":") {
			p, err := strconv.ParseUint(s[i+1:], 10, 16)
			if err != nil || p == 0 {
				return nil, 0, fmt.Errorf("%q: %q is not a port", s, s[i+1:])
			}
			list, port = head, uint16(p)
		}
	}
	var addrs []netip.Addr
	for _, part := range strings.Split(list, ",") {
		part = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(part), "["), "]")
		a, err := netip.ParseAddr(part)
		if err != nil {
			return nil, 0, fmt.Errorf("%q: %v", s, err)
		}
		addrs = append(addrs, a)
	}
	return addrs, port, nil
}

// usage writes the help, with every flag's default.
func usage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "usage: rspregistrar [flags]\n\n")
	fmt.Fprintf(w, "An RSerPool registrar (ENRP server), ASAP side (RFC 5352): pool elements\n")
	fmt.Fprintf(w, "register with it and are kept alive by its keep-alives; pool users resolve\n")
	fmt.Fprintf(w, "pool handles at it. SCTP runs over UDP (RFC 6951), unprivileged. SIGINT or\n")
	fmt.Fprintf(w, "SIGTERM closes the associations gracefully and exits 0.\n")
	fmt.Fprintf(w, "With -enrp (and -peer), registrars share the handlespace, audit it, and\n")
	fmt.Fprintf(w, "take over the pool elements of a dead peer (ENRP, RFC 5353).\n\nflags:\n")
	cli.PrintFlags(w, fs)
}
