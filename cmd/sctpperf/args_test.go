package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestParseClient(t *testing.T) {
	var stderr bytes.Buffer
	o, _, ok := parseArgs([]string{"-size", "64K", "-count", "10", "-streams", "4", "-unordered", "-json",
		"-interval", "1s", "-window", "1M", "-sndbuf", "4M", "127.0.0.2:5001"}, &stderr)
	if !ok {
		t.Fatal(stderr.String())
	}
	if o.server || o.size != 65536 || o.count != 10 || o.streams != 4 || !o.unordered || !o.json ||
		o.interval != time.Second || o.window != 1<<20 || o.sndbuf != 4<<20 || o.target.Port != 5001 {
		t.Errorf("options %+v", o)
	}
	o, _, ok = parseArgs([]string{"127.0.0.2:5001"}, &stderr)
	if !ok || o.size != 1000 || o.duration != 10*time.Second || o.count != 0 || o.streams != 1 || o.rr {
		t.Errorf("defaults %+v", o)
	}
}

func TestParseServer(t *testing.T) {
	o, _, ok := parseArgs([]string{"-s", "-once", "-json", "5001"}, &bytes.Buffer{})
	if !ok || !o.server || !o.once || o.target.Port != 5001 || o.target.Addrs != nil {
		t.Errorf("options %+v", o)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-size", "0", "127.0.0.1:1"}, "-size must be at least 1"},
		{[]string{"-size", "257K", "127.0.0.1:1"}, `invalid value "257K" for flag -size: "257K" at byte 0: larger than 262144`},
		{[]string{"-count", "-1", "127.0.0.1:1"}, "-count -1: must not be negative"},
		{[]string{"-count", "5", "-duration", "1s", "127.0.0.1:1"}, "give -duration or -count, not both"},
		{[]string{"-duration", "0s", "127.0.0.1:1"}, "-duration 0s: must be positive"},
		{[]string{"-streams", "0", "127.0.0.1:1"}, "-streams 0: must lie in 1..65535"},
		{[]string{"-interval", "-1s", "127.0.0.1:1"}, "-interval -1s: must not be negative"},
		{[]string{"-window", "1000", "127.0.0.1:1"}, "-window 1000: must be 0 or at least 1500 (RFC 9260 §3.3.2)"},
		{[]string{"-once", "127.0.0.1:1"}, "-once needs -s"},
		{[]string{"-s", "-rr", "5001"}, "-rr is for the client, not with -s"},
		{[]string{"-s", "-size", "10", "5001"}, "-size is for the client, not with -s"},
		{[]string{"-s", "-local", "127.0.0.1", "5001"}, "-local is for the client: a server's addresses come before its :PORT"},
		{[]string{"[::1]"}, `"[::1]" at byte 5: missing :PORT after the address list`},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		_, status, ok := parseArgs(tt.args, &stderr)
		if ok || status != 2 || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%v: ok %v status %d, stderr %q; want %q", tt.args, ok, status, stderr.String(), tt.want)
		}
	}
}

func TestUsage(t *testing.T) {
	var stderr bytes.Buffer
	if _, status, ok := parseArgs([]string{"-h"}, &stderr); ok || status != 0 {
		t.Fatalf("-h: status %d", status)
	}
	help := stderr.String()
	for _, f := range []string{"-s", "-once", "-rr", "-json", "-v", "-size", "-count", "-duration", "-streams",
		"-unordered", "-interval", "-window", "-sndbuf", "-port", "-w", "-udp-port", "-peer-udp-port", "-tun",
		"-local", "-mtu", "-pcap"} {
		i := strings.Index(help, "\n  "+f+" ")
		if i < 0 {
			i = strings.Index(help, "\n  "+f+"\n")
		}
		if i < 0 {
			t.Errorf("-h does not list %s", f)
			continue
		}
		lines := strings.SplitN(help[i+1:], "\n", 3)
		if len(lines) < 2 || len(strings.TrimSpace(lines[1])) < 20 {
			t.Errorf("-h explains %s too briefly: %q", f, lines)
		}
	}
	for _, s := range []string{"MB/s counts 10^6 bytes", "Exit status", "9899"} {
		if !strings.Contains(help, s) {
			t.Errorf("-h lacks %q", s)
		}
	}
}
