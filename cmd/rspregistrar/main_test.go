package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/enrp"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/udpencap"
)

func TestParseAddrList(t *testing.T) {
	for _, tc := range []struct {
		in    string
		addrs []string
		port  uint16
		bad   bool
	}{
		{in: "127.0.0.1:3863", addrs: []string{"127.0.0.1"}, port: 3863},
		{in: "127.0.0.1,127.0.0.2:4000", addrs: []string{"127.0.0.1", "127.0.0.2"}, port: 4000},
		{in: "127.0.0.1", addrs: []string{"127.0.0.1"}, port: 3863},
		{in: "[::1]:3863", addrs: []string{"::1"}, port: 3863},
		{in: "[::1],[fd00::1]:5", addrs: []string{"::1", "fd00::1"}, port: 5},
		{in: "::1", addrs: []string{"::1"}, port: 3863},
		{in: "127.0.0.1:0", bad: true},
		{in: "127.0.0.1:x", bad: true},
		{in: "host:3863", bad: true},
		{in: "127.0.0.1,:3863", bad: true},
	} {
		addrs, port, err := parseAddrList(tc.in, 3863)
		if (err != nil) != tc.bad {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if tc.bad {
			continue
		}
		var got []string
		for _, a := range addrs {
			got = append(got, a.String())
		}
		if !slices.Equal(got, tc.addrs) || port != tc.port {
			t.Errorf("%q: %v port %d", tc.in, got, port)
		}
	}
}

func TestParseArgs(t *testing.T) {
	var stderr bytes.Buffer
	opts, _, ok := parseArgs(nil, &stderr)
	if !ok {
		t.Fatal(stderr.String())
	}
	if opts.asapPort != 3863 || opts.udpPort != 9899 || opts.hsdump != "127.0.0.1:8863" || opts.announce != msg.ASAPAnnounceGroup ||
		opts.cfg.KeepAliveInterval != 5*time.Second || opts.cfg.RegistrationLifeUnit != time.Second || opts.metrics != "" ||
		opts.enrpGroup != msg.ENRPAnnounceGroup || opts.noGroup {
		t.Errorf("defaults %+v", opts)
	}
	opts, _, ok = parseArgs([]string{"-asap", "10.1.1.1:3863", "-peer", "10.1.1.2:9901", "-peer", "10.1.1.3", "-id", "0x5ee5e001",
		"-registration-life-unit", "ms", "-max-hr-items", "-1", "-v", "-enrp-multicast", "239.1.2.3:9911", "-no-enrp-multicast"}, &stderr)
	if !ok {
		t.Fatal(stderr.String())
	}
	if opts.hsdump != "" || len(opts.peers) != 2 || opts.cfg.ServerID != 0x5ee5e001 || opts.cfg.RegistrationLifeUnit != time.Millisecond ||
		opts.cfg.MaxHandleResolutionItems != -1 || opts.level.String() != "DEBUG" ||
		opts.enrpGroup != netip.MustParseAddrPort("239.1.2.3:9911") || !opts.noGroup {
		t.Errorf("options %+v", opts)
	}
	for _, args := range [][]string{
		{"-asap", "nowhere"}, {"-id", "0"}, {"-id", "xyz"}, {"-keepalive-interval", "0s"}, {"-max-bad-pe-reports", "0"},
		{"-max-hr-items", "0"}, {"-registration-life-unit", "h"}, {"-log-level", "loud"}, {"-udp-port", "70000"},
		{"-peer", "x"}, {"extra"}, {"-enrp-multicast", "10.0.0.1:9901"}, {"-enrp-multicast", "239.0.0.51"},
	} {
		stderr.Reset()
		if _, status, ok := parseArgs(args, &stderr); ok || status != 2 || stderr.Len() == 0 {
			t.Errorf("%v: ok %v, status %d, %q", args, ok, status, stderr.String())
		}
	}
	stderr.Reset()
	if _, status, ok := parseArgs([]string{"-h"}, &stderr); ok || status != 0 || !strings.Contains(stderr.String(), "-keepalive-timeout") {
		t.Errorf("-h: status %d, %q", status, stderr.String())
	}
}

func TestMetricsExposition(t *testing.T) {
	var b bytes.Buffer
	writeMetrics(&b, 0x5ee5e001, enrp.Stats{Pools: 2, Registrations: 7})
	out := b.String()
	for _, want := range []string{
		"rserpool_registrar_info{server_id=\"0x5ee5e001\"} 1\n",
		"# TYPE rserpool_registrar_pools gauge\nrserpool_registrar_pools 2\n",
		"# TYPE rserpool_registrar_registrations_total counter\nrserpool_registrar_registrations_total 7\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("exposition lacks %q", want)
		}
	}
	// Every sample line is "name value" after its HELP and TYPE lines.
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines)%3 != 0 {
		t.Fatalf("%d lines", len(lines))
	}
}

// The registrar as the command runs it, over UDP on loopback: a pool
// element registers, the handlespace endpoint shows it, the metrics
// count it, the pcap file records it, and the end of the context stops
// the command with status 0.
func TestRunOverUDP(t *testing.T) {
	dir := t.TempDir()
	opts, _, ok := parseArgs([]string{"-asap", "127.0.0.1:3863", "-udp-port", "0", "-no-announce", "-no-enrp-multicast",
		"-hsdump-addr", "127.0.0.1:0", "-metrics", "127.0.0.1:0", "-pcap", filepath.Join(dir, "reg.pcap"),
		"-enrp", "127.0.0.1:19901", "-log-level", "warn"}, io.Discard)
	if !ok {
		t.Fatal("parseArgs")
	}
	ready := make(chan readyInfo, 1)
	opts.ready = func(ri readyInfo) { ready <- ri }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs bytes.Buffer
	status := make(chan int, 1)
	go func() { status <- run(ctx, opts, &logs) }()
	var ri readyInfo
	select {
	case ri = <-ready:
	case s := <-status:
		t.Fatalf("run ended with %d", s)
	}

	uc, err := udpencap.Listen(udpencap.Config{Addrs: []netip.Addr{netip.MustParseAddr("127.0.0.1")}, EphemeralPort: true})
	if err != nil {
		t.Fatal(err)
	}
	ep, err := sctp.NewEndpoint(uc, 5000, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ep.Close()
	dctx, dcancel := context.WithTimeout(ctx, 10*time.Second)
	defer dcancel()
	a, err := ep.Dial(dctx, ri.ASAP, msg.PortASAP)
	if err != nil {
		t.Fatal(err)
	}
	reg, _ := msg.Encode(nil, &msg.Registration{PoolHandle: []byte("EchoPool"), PoolElement: msg.PoolElement{
		ID: 0x1234, RegistrationLife: 300, Policy: msg.Policy{Type: msg.PolicyRoundRobin},
		UserTransport: msg.Transport{Kind: msg.ParamSCTPTransport, Port: 7, Addrs: msg.MakeAddrs(netip.MustParseAddr("127.0.0.1"))},
	}})
	if err := a.Send(dctx, sctp.Message{PPID: msg.PPIDASAP, Data: reg}); err != nil {
		t.Fatal(err)
	}
	m, err := a.Receive(dctx)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := msg.DecodeASAP(m.Data)
	if err != nil || resp.(*msg.RegistrationResponse).Reject {
		t.Fatalf("registration: %+v, %v", resp, err)
	}

	var d enrp.Dump
	getJSON(t, "http://"+ri.HTTP["/handlespace"]+"/handlespace", &d)
	if d.ServerID != ri.Server || len(d.Pools) != 1 || d.Pools[0].Handle != "EchoPool" || len(d.Pools[0].Elements) != 1 ||
		d.Pools[0].Elements[0].ID != 0x1234 {
		t.Fatalf("dump %+v", d)
	}
	body := get(t, "http://"+ri.HTTP["/metrics"]+"/metrics")
	if !strings.Contains(body, "rserpool_registrar_registrations_total 1\n") || !strings.Contains(body, "rserpool_registrar_pool_elements 1\n") {
		t.Fatalf("metrics:\n%s", body)
	}

	cancel()
	if s := <-status; s != 0 {
		t.Fatalf("status %d; log:\n%s", s, logs.String())
	}
	if !d.Stats.InitCompleted || !strings.Contains(body, "rserpool_registrar_peers 0\n") || !strings.Contains(body, "rserpool_registrar_takeovers_total 0\n") {
		t.Errorf("ENRP not serving alone: init %v; metrics:\n%s", d.Stats.InitCompleted, body)
	}
	if fi, err := os.Stat(filepath.Join(dir, "reg.pcap")); err != nil || fi.Size() <= 24 {
		t.Errorf("capture: %v, %v", fi, err)
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d, %v", url, resp.StatusCode, err)
	}
	return string(b)
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(get(t, url)), v); err != nil {
		t.Fatal(err)
	}
}
