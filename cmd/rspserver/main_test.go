package main

import (
	"bytes"
	"context"
	"net/netip"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/simnet"
)

func TestParseArgs(t *testing.T) {
	for _, c := range []struct {
		args   []string
		ok     bool
		status int
		check  func(o options) bool
	}{
		{args: nil, ok: true, check: func(o options) bool {
			return o.handle == "EchoPool" && o.service == "echo" && o.policy.Type == msg.PolicyRoundRobin &&
				len(o.registrars) == 1 && o.registrars[0] == netip.MustParseAddrPort("127.0.0.1:9899") &&
				o.registrarPort == 3863 && o.local == netip.MustParseAddr("127.0.0.2") && o.localPort >= 49152 &&
				o.udpPort == 9899 && o.lifetime == asap.DefaultLifetime
		}},
		{args: []string{"-poolhandle", "DayPool", "-daytime", "-policy", "wrr:10", "-registrar", "127.0.0.1:4000",
			"-registrar", "127.0.0.5:4000", "-local", "127.0.0.3:5001", "-peer-udp-port", "9900", "-fail-after", "5", "-id", "0x1234"},
			ok: true, check: func(o options) bool {
				return o.handle == "DayPool" && o.service == "daytime" && o.policy.Weight == 10 &&
					len(o.registrars) == 2 && o.registrars[1] == netip.MustParseAddrPort("127.0.0.5:9900") &&
					o.registrarPort == 4000 && o.localPort == 5001 && o.failAfter == 5 && o.id == 0x1234
			}},
		{args: []string{"-policy", "leastused", "-load", "4294967295"}, ok: true, check: func(o options) bool {
			return o.policy.Type == msg.PolicyLeastUsed && o.load == 0xffffffff
		}},
		{args: []string{"-h"}, status: 0},
		{args: []string{"-echo", "-discard"}, status: 2},
		{args: []string{"-policy", "fastest"}, status: 2},
		{args: []string{"-load", "4294967296"}, status: 2},
		{args: []string{"-registrar", "127.0.0.1:1", "-registrar", "127.0.0.2:2"}, status: 2},
		{args: []string{"-registrar", "nowhere"}, status: 2},
		{args: []string{"-local", "0.0.0.0"}, status: 2},
		{args: []string{"-poolhandle", ""}, status: 2},
		{args: []string{"-lifetime", "10ms"}, status: 2},
		{args: []string{"extra"}, status: 2},
		{args: []string{"-nosuchflag"}, status: 2},
	} {
		var stderr bytes.Buffer
		o, status, ok := parseArgs(c.args, &stderr)
		if ok != c.ok || status != c.status {
			t.Errorf("%q: ok %v status %d, want %v %d: %s", c.args, ok, status, c.ok, c.status, stderr.String())
			continue
		}
		if ok {
			if !c.check(o) {
				t.Errorf("%q: options %+v", c.args, o)
			}
			continue
		}
		help := stderr.String()
		for _, want := range []string{"usage: rspserver [flags]", "\n  -poolhandle\n", "\n  -fail-after\n", "(default EchoPool)"} {
			if !strings.Contains(help, want) {
				t.Errorf("%q: usage lacks %q:\n%s", c.args, want, help)
			}
		}
	}
}

func TestChargenLine(t *testing.T) {
	l0, l1 := string(chargenLine(0)), string(chargenLine(1))
	if len(l0) != 74 || !strings.HasPrefix(l0, ` !"#$%&`) || !strings.HasSuffix(l0, "\r\n") || l1[:71] != l0[1:72] {
		t.Errorf("lines %q %q", l0, l1)
	}
	if l := string(chargenLine(94)); l[0] != '~' || l[1] != ' ' {
		t.Errorf("line 94 %q", l)
	}
}

func TestDaytime(t *testing.T) {
	d := string(daytime(time.Date(2024, 3, 5, 14, 7, 9, 0, time.UTC)))
	if d != "Tuesday, March 5, 2024 14:07:09-UTC\r\n" {
		t.Errorf("%q", d)
	}
}

// serverRun runs the command over the simulated network; it returns the
// pool element once started, a function that sends the signal and waits
// for the exit status, and a channel closed by -fail-after's crash.
func serverRun(t *testing.T, n *simnet.Network, args ...string) (*asap.PoolElement, func() int, chan struct{}) {
	t.Helper()
	var stderr bytes.Buffer
	args = append([]string{"-registrar", "10.0.0.1", "-local", "10.0.1.1:5000"}, args...)
	o, _, ok := parseArgs(args, &stderr)
	if !ok {
		t.Fatal(stderr.String())
	}
	sig := make(chan os.Signal, 1)
	crashed := make(chan struct{})
	started := make(chan *asap.PoolElement, 1)
	var once sync.Once
	e := env{
		listen: func(addr netip.Addr, port uint16) (lower.Conn, error) {
			return n.Host(netip.AddrPortFrom(addr, port)), nil
		},
		signals: sig,
		stderr:  &lockedWriter{w: &stderr},
		crash:   func() { once.Do(func() { close(crashed) }) },
		ready:   func(pe *asap.PoolElement) { started <- pe },
	}
	status := make(chan int, 1)
	go func() { status <- run(o, e) }()
	pe := <-started
	stop := func() int {
		sig <- syscall.SIGTERM
		return <-status
	}
	return pe, stop, crashed
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// dialPool reaches the pool through a pool user, as a terminal would.
func dialPool(t *testing.T, n *simnet.Network) *sctp.Association {
	t.Helper()
	ep := endpoint(t, n, netip.MustParseAddrPort("10.0.2.1:9899"), 7000, 3)
	pu, err := asap.NewPoolUser(context.Background(), ep, asap.PUConfig{Config: asap.Config{Registrars: []netip.AddrPort{regAddr}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pu.Close() })
	a, _, err := pu.Dial(context.Background(), "EchoPool")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Abort("done") })
	return a
}

func exchange(t *testing.T, a *sctp.Association, s string) string {
	t.Helper()
	ctx := context.Background()
	if err := a.Send(ctx, sctp.Message{Data: []byte(s)}); err != nil {
		t.Fatal(err)
	}
	m, err := a.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return string(m.Data)
}

// The echo service answers through the pool; the signal de-registers.
func TestServeEchoAndDeregister(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := newNet(t)
		reg := startRegistrar(t, n)
		_, stop, _ := serverRun(t, n, "-id", "0x42")
		r := await[*msg.Registration](t, reg, time.Minute)
		if r.PoolElement.ID != 0x42 || r.PoolElement.UserTransport.Port != 5000 {
			t.Errorf("registration %+v", r.PoolElement)
		}
		a := dialPool(t, n)
		if got := exchange(t, a, "hello"); got != "hello" {
			t.Errorf("echo %q", got)
		}
		if status := stop(); status != 0 {
			t.Errorf("exit status %d", status)
		}
		if d := await[*msg.Deregistration](t, reg, time.Second); d.ID != 0x42 {
			t.Errorf("deregistration of %v", d.ID)
		}
	})
}

// -daytime answers with the time; -fail-after crashes after the number
// of messages, without de-registering.
func TestServeDaytimeFailAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := newNet(t)
		reg := startRegistrar(t, n)
		_, stop, crashed := serverRun(t, n, "-daytime", "-fail-after", "2")
		await[*msg.Registration](t, reg, time.Minute)
		a := dialPool(t, n)
		ctx := context.Background()
		first, err := a.Receive(ctx) // sent on connection
		if err != nil || !strings.HasSuffix(string(first.Data), "-UTC\r\n") {
			t.Fatalf("greeting %q %v", first.Data, err)
		}
		exchange(t, a, "1")
		select {
		case <-crashed:
			t.Fatal("crashed after one message")
		default:
		}
		exchange(t, a, "2")
		select {
		case <-crashed:
		case <-time.After(time.Second):
			t.Fatal("no crash after two messages")
		}
		stop()
	})
}

// -chargen sends lines without being asked.
func TestServeChargen(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := newNet(t)
		reg := startRegistrar(t, n)
		_, stop, _ := serverRun(t, n, "-chargen")
		await[*msg.Registration](t, reg, time.Minute)
		a := dialPool(t, n)
		for i := range 3 {
			m, err := a.Receive(context.Background())
			if err != nil || string(m.Data) != string(chargenLine(i)) {
				t.Fatalf("line %d: %q %v", i, m.Data, err)
			}
		}
		a.Abort("enough")
		stop()
	})
}
