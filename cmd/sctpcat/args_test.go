package main

import (
	"bytes"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseConnect(t *testing.T) {
	var stderr bytes.Buffer
	o, status, ok := parseArgs([]string{"-v", "-stream", "3", "-ppid", "4294967295", "-unordered", "-binary",
		"-local", "127.0.0.3,127.0.0.13", "-peer-udp-port", "4000", "-w", "2s", "127.0.0.2,127.0.0.12:5000"}, &stderr)
	if !ok {
		t.Fatalf("refused (%d): %s", status, stderr.String())
	}
	want := []netip.Addr{netip.MustParseAddr("127.0.0.2"), netip.MustParseAddr("127.0.0.12")}
	if o.listen || !o.verbose || o.stream != 3 || o.ppid != 4294967295 || !o.unordered || !o.binary ||
		o.wait != 2*time.Second || o.target.Port != 5000 || !reflect.DeepEqual(o.target.Addrs, want) ||
		o.lower.Local != "127.0.0.3,127.0.0.13" || o.lower.PeerUDPPort != 4000 {
		t.Errorf("options %+v", o)
	}
}

func TestParseListen(t *testing.T) {
	o, _, ok := parseArgs([]string{"-l", "-echo", "5000"}, &bytes.Buffer{})
	if !ok || !o.listen || !o.echo || o.target.Port != 5000 || o.target.Addrs != nil {
		t.Errorf("options %+v", o)
	}
	o, _, ok = parseArgs([]string{"-l", "[::1]:7"}, &bytes.Buffer{})
	if !ok || o.target.Addrs[0] != netip.MustParseAddr("::1") {
		t.Errorf("options %+v", o)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-stream", "65536", "h:1"}, "sctpcat: -stream 65536: must lie in 0..65535\n"},
		{[]string{"-ppid", "4294967296", "127.0.0.1:1"}, "sctpcat: -ppid 4294967296: must lie in 0..4294967295\n"},
		{[]string{"-port", "70000", "127.0.0.1:1"}, "sctpcat: -port 70000: must lie in 0..65535\n"},
		{[]string{"-w", "0s", "127.0.0.1:1"}, "sctpcat: -w 0s: must be positive\n"},
		{[]string{"-echo", "127.0.0.1:1"}, "sctpcat: -echo needs -l\n"},
		{[]string{"127.0.0.1"}, "sctpcat: \"127.0.0.1\" at byte 9: missing :PORT after the address list\n"},
		{[]string{"-l", "0"}, "sctpcat: \"0\" at byte 0: port must lie in 1..65535\n"},
		{[]string{"-l", "-local", "127.0.0.1", "5000"}, "sctpcat: -local is for connecting: a listener's addresses come before its :PORT\n"},
		{[]string{"-l", "-tun", "t0", "5000"}, "sctpcat: -tun needs the listener's addresses on the device: ADDR[,ADDR...]:PORT\n"},
		{[]string{"-udp-port", "99999", "127.0.0.1:1"}, "sctpcat: -udp-port 99999: must lie in 0..65535\n"},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		_, status, ok := parseArgs(tt.args, &stderr)
		if ok || status != 2 || stderr.String() != tt.want {
			t.Errorf("%v: ok %v status %d, stderr %q; want %q", tt.args, ok, status, stderr.String(), tt.want)
		}
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"a:1", "b:2"}} {
		var stderr bytes.Buffer
		if _, status, ok := parseArgs(args, &stderr); ok || status != 2 || !strings.HasPrefix(stderr.String(), "usage: sctpcat") {
			t.Errorf("%v: status %d, stderr %q", args, status, stderr.String())
		}
	}
	var stderr bytes.Buffer
	_, status, ok := parseArgs([]string{"-h"}, &stderr)
	if ok || status != 0 {
		t.Errorf("-h: ok %v status %d", ok, status)
	}
	help := stderr.String()
	// Every flag the tool documents, each with an explanation.
	for _, f := range []string{"-l", "-echo", "-binary", "-v", "-stream", "-ppid", "-unordered", "-port", "-w",
		"-udp-port", "-peer-udp-port", "-tun", "-tun-prefix", "-tun-config", "-local", "-mtu", "-pcap"} {
		i := strings.Index(help, "\n  "+f+" ")
		if i < 0 {
			i = strings.Index(help, "\n  "+f+"\n")
		}
		if i < 0 {
			t.Errorf("-h does not list %s", f)
			continue
		}
		rest := help[i+1:]
		lines := strings.SplitN(rest, "\n", 3)
		if len(lines) < 2 || len(strings.TrimSpace(lines[1])) < 20 {
			t.Errorf("-h explains %s too briefly: %q", f, lines)
		}
	}
	if !strings.Contains(help, "Exit status") || !strings.Contains(help, "9899") {
		t.Errorf("-h lacks the exit status or the port convention:\n%s", help)
	}
}
