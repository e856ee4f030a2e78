package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// A program under test: how to start its two processes for a size and
// mode, and which of them reports the figure.
type program struct {
	name  string // as the tables show it
	stack string // rserpool, pion, usrsctp, udp
	note  string // how it was set up, for the README
	// argv returns the server's and the client's command lines.
	argv func(o *options, mode string, size int) (server, client []string)
	env  []string
	// tsctp's server never exits nor says it is ready: the driver waits
	// for its UDP port and stops it once it printed its line.
	tsctp bool
}

// Loopback addresses and ports: the server's UDP port, the client's,
// and the SCTP port of both.
const (
	host       = "127.0.0.1"
	serverUDP  = 29900
	clientUDP  = 29901
	sctpPort   = 5001
	loopbackMT = 0 // -mtu 0: the stack's own choice, the loopback MTU less the headers
)

func hp(port int) string { return host + ":" + strconv.Itoa(port) }

// goProgram is one of the Go programs of bench/peers, which share their
// flags (package harness).
func goProgram(bin string, extra ...string) func(o *options, mode string, size int) ([]string, []string) {
	return func(o *options, mode string, size int) ([]string, []string) {
		d := o.duration
		if mode == "rr" {
			d = o.rrDuration
		}
		common := append([]string{"-mode", mode, "-size", strconv.Itoa(size), "-duration", d.String(),
			"-port", strconv.Itoa(sctpPort)}, extra...)
		if !hasFlag(extra, "-mtu") {
			common = append(common, "-mtu", strconv.Itoa(o.mtu))
		}
		s := append([]string{filepath.Join(o.bin, bin), "-s", "-local", hp(serverUDP), "-peer", hp(clientUDP)}, common...)
		c := append([]string{filepath.Join(o.bin, bin), "-local", hp(clientUDP), "-peer", hp(serverUDP)}, common...)
		return s, c
	}
}

func hasFlag(args []string, f string) bool {
	for _, a := range args {
		if a == f {
			return true
		}
	}
	return false
}

func tsctpArgv(o *options, mode string, size int) ([]string, []string) {
	s := []string{o.tsctp, "-L", host, "-E", strconv.Itoa(serverUDP), "-p", strconv.Itoa(sctpPort)}
	c := []string{o.tsctp, "-L", host, "-E", strconv.Itoa(clientUDP), "-U", strconv.Itoa(serverUDP),
		"-p", strconv.Itoa(sctpPort), "-l", strconv.Itoa(size), "-T", strconv.Itoa(int(o.duration / time.Second)), host}
	return s, c
}

func pingpongArgv(o *options, mode string, size int) ([]string, []string) {
	bin := filepath.Join(o.bin, "pingpong")
	s := []string{bin, "-s", "-L", host, "-E", strconv.Itoa(serverUDP), "-p", strconv.Itoa(sctpPort)}
	c := []string{bin, "-L", host, "-E", strconv.Itoa(clientUDP), "-U", strconv.Itoa(serverUDP), "-p", strconv.Itoa(sctpPort),
		"-l", strconv.Itoa(size), "-T", fmt.Sprintf("%g", o.rrDuration.Seconds()), "-w", "1000", host}
	return s, c
}

// programs lists what the driver can measure on this machine; missing
// pieces are reported in skipped.
func programs(o *options) (bulk, rr []program, skipped []string) {
	ours := program{name: "rserpool", stack: "rserpool", argv: goProgram("rserpool"),
		note: fmt.Sprintf("packages sctp + sctp/udpencap (sendmmsg/recvmmsg, GSO, GRO), SCTP packets of at most %d bytes, 1 MiB receive window and send buffer", o.mtu)}
	oursNoBurst := program{name: "rserpool, Max.Burst off", stack: "rserpool", argv: goProgram("rserpool", "-maxburst", "-1"),
		note: "the same with Config.MaxBurst negative: no limit on the packets sent at once in reply to a SACK (RFC 9260 §6.1 D; the default is 4)"}
	oursLo := program{name: "rserpool, loopback MTU", stack: "rserpool", argv: goProgram("rserpool", "-mtu", strconv.Itoa(loopbackMT)),
		note: "the same with the MTU udpencap reads from the loopback device (65536 less the IP and UDP headers): packets of up to 64 KiB"}
	pion := program{name: "pion/sctp", stack: "pion", argv: goProgram("pion"),
		note: fmt.Sprintf("github.com/pion/sctp %s over a connected UDP socket, MTU %d, 1 MiB receive buffer, writes held while more than 1 MiB is queued", pionVersion(), o.mtu)}
	bulk = append(bulk, ours, oursNoBurst, oursLo, pion)
	rr = append(rr, ours, pion)
	if o.tsctp != "" {
		env := []string{}
		if o.shim != "" {
			env = append(env, "LD_PRELOAD="+o.shim)
		}
		bulk = append(bulk, program{name: "usrsctp (tsctp)", stack: "usrsctp", argv: tsctpArgv, env: env, tsctp: true,
			note: "usrsctp " + usrsctpVersion() + "'s tsctp with its defaults, bound to 127.0.0.1" + shimNote(o)})
	} else {
		skipped = append(skipped, "usrsctp bulk: tsctp not found (Debian package libusrsctp-examples)")
	}
	if _, err := os.Stat(filepath.Join(o.bin, "pingpong")); err == nil {
		rr = append(rr, program{name: "usrsctp", stack: "usrsctp", argv: pingpongArgv,
			note: "bench/peers/usrsctp/pingpong.c over libusrsctp " + usrsctpVersion() + ", SCTP_NODELAY"})
	} else {
		skipped = append(skipped, "usrsctp ping-pong: bench/peers/usrsctp/pingpong.c not built (needs a C compiler and libusrsctp2)")
	}
	for _, b := range []string{"plain", "mmsg", "gso", "gro"} {
		bulk = append(bulk, program{name: "UDP " + udpLabel[b], stack: "udp", argv: goProgram("udp", "-batch", b),
			note: udpNote[b]})
	}
	rr = append(rr, program{name: "UDP", stack: "udp", argv: goProgram("udp", "-batch", "plain"),
		note: "one write(2) and one read(2) per datagram each way, made as raw system calls on a blocking socket"})
	return bulk, rr, skipped
}

var udpLabel = map[string]string{"plain": "plain", "mmsg": "sendmmsg/recvmmsg", "gso": "GSO", "gro": "GSO+GRO"}

var udpNote = map[string]string{
	"plain": "one write(2) and one read(2) per datagram",
	"mmsg":  "64 datagrams per sendmmsg(2), up to 64 per recvmmsg(2)",
	"gso":   "64 datagrams per UDP_SEGMENT send (at most 65000 bytes), recvmmsg(2) on the receiver",
	"gro":   "UDP_SEGMENT sends, UDP_GRO on the receiver (16 buffers of 64 KiB per recvmmsg)",
}

func shimNote(o *options) string {
	if o.shim == "" {
		return "; NOT silenced (no C compiler for the LD_PRELOAD shim): it prints a debug line per packet, which slows it"
	}
	return ", its per-packet debug output silenced by bench/peers/usrsctp/nodebug.c (LD_PRELOAD)"
}

// pionVersion reads the version of pion/sctp bench/go.mod requires.
func pionVersion() string {
	b, err := os.ReadFile("go.mod")
	if err != nil {
		return "?"
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) >= 2 && f[0] == "github.com/pion/sctp" {
			return f[1]
		}
	}
	return "?"
}
