package main

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/asap/msg"
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
			return o.handle == "EchoPool" && len(o.registrars) == 1 && o.registrars[0] == netip.MustParseAddrPort("127.0.0.1:9899") &&
				o.registrarPort == 3863 && o.local == netip.MustParseAddr("127.0.0.100") && o.timeout == 2*time.Second &&
				o.count == 0 && o.interval == 100*time.Millisecond
		}},
		{args: []string{"-poolhandle", "P", "-registrar", "[::1]:4000", "-local", "::1", "-count", "10", "-interval", "1s", "-timeout", "0"},
			ok: true, check: func(o options) bool {
				return o.handle == "P" && o.registrars[0] == netip.MustParseAddrPort("[::1]:9899") && o.registrarPort == 4000 &&
					o.local == netip.MustParseAddr("::1") && o.count == 10 && o.interval == time.Second && o.timeout == 0
			}},
		{args: []string{"-h"}, status: 0},
		{args: []string{"-count", "-1"}, status: 2},
		{args: []string{"-timeout", "-1s"}, status: 2},
		{args: []string{"-dial-timeout", "0"}, status: 2},
		{args: []string{"-udp-port", "70000"}, status: 2},
		{args: []string{"-registrar", "127.0.0.1:0"}, status: 2},
		{args: []string{"x"}, status: 2},
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
		for _, want := range []string{"usage: rspterminal [flags]", "\n  -count\n", "\n  -timeout\n", "(default 2s)"} {
			if !strings.Contains(help, want) {
				t.Errorf("%q: usage lacks %q:\n%s", c.args, want, help)
			}
		}
	}
}

func TestTrimLine(t *testing.T) {
	for in, want := range map[string]string{"a": "a", "a\n": "a", "a\r\n": "a", "a\n\n": "a\n", "": "", "\r": "\r"} {
		if got := trimLine([]byte(in)); got != want {
			t.Errorf("%q: %q", in, got)
		}
	}
}

var (
	pe1Addr = netip.MustParseAddrPort("10.0.1.1:9899")
	pe2Addr = netip.MustParseAddrPort("10.0.1.2:9899")
)

// echoPE is a pool element of EchoPool with the given priority that
// echoes every message; after failAfter answers (0: never) it drops off
// the network, as a crashed host does.
func echoPE(t *testing.T, n *simnet.Network, addr netip.AddrPort, id msg.PEID, prio uint32, failAfter int) *asap.PoolElement {
	t.Helper()
	ep := endpoint(t, n, addr, 5000, byte(id))
	pe, err := asap.NewPoolElement(context.Background(), ep, asap.PEConfig{
		Config:     asap.Config{Registrars: []netip.AddrPort{regAddr}},
		PoolHandle: "EchoPool", ID: id,
		Policy: msg.Policy{Type: msg.PolicyPriority, Priority: prio},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		answered := 0
		for {
			a, err := pe.Accept(ctx)
			if err != nil {
				return
			}
			for {
				m, err := a.Receive(ctx)
				if err != nil {
					break
				}
				a.Send(ctx, m)
				if answered++; answered == failAfter {
					n.Down(addr.Addr(), true)
				}
			}
		}
	}()
	t.Cleanup(func() {
		n.Down(addr.Addr(), false)
		cancel()
		wg.Wait()
		cctx, ccancel := context.WithTimeout(context.Background(), time.Minute)
		defer ccancel()
		pe.Close(cctx)
	})
	return pe
}

func terminalRun(t *testing.T, n *simnet.Network, stdin string, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	args = append([]string{"-registrar", "10.0.0.1", "-local", "10.0.2.1:7000"}, args...)
	var errb bytes.Buffer
	o, _, ok := parseArgs(args, &errb)
	if !ok {
		t.Fatal(errb.String())
	}
	var outb bytes.Buffer
	e := env{
		listen: func(addr netip.Addr, port uint16) (lower.Conn, error) {
			return n.Host(netip.AddrPortFrom(addr, port)), nil
		},
		stdin: strings.NewReader(stdin), stdout: &outb, stderr: &errb,
		signals: make(chan os.Signal),
	}
	status = run(o, e)
	return status, outb.String(), errb.String()
}

// Lines of standard input go to the pool; the answers come out.
func TestTerminalLines(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := newNet(t)
		reg := startRegistrar(t, n)
		echoPE(t, n, pe1Addr, 1, 1, 0)
		await[*msg.Registration](t, reg, time.Minute)
		status, out, errs := terminalRun(t, n, "one\ntwo\nthree\n")
		if status != 0 || out != "one\ntwo\nthree\n" {
			t.Errorf("status %d, output %q, errors %q", status, out, errs)
		}
		if !strings.Contains(errs, "connected to pool element 0x00000001 at 10.0.1.1") {
			t.Errorf("errors %q", errs)
		}
	})
}

// When the pool element dies, the terminal reports it, switches to
// another, says so, and sends again what was not answered: every message
// is answered once, in order.
func TestTerminalFailover(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := newNet(t)
		reg := startRegistrar(t, n)
		echoPE(t, n, pe1Addr, 1, 10, 3) // chosen first; dies after 3 answers
		await[*msg.Registration](t, reg, time.Minute)
		echoPE(t, n, pe2Addr, 2, 1, 0)
		await[*msg.Registration](t, reg, time.Minute)
		status, out, errs := terminalRun(t, n, "", "-count", "20", "-interval", "100ms", "-timeout", "1s")
		var want strings.Builder
		for i := 1; i <= 20; i++ {
			fmt.Fprintf(&want, "message %d\n", i)
		}
		if status != 0 || out != want.String() {
			t.Errorf("status %d, output\n%s\nerrors %s", status, out, errs)
		}
		notice := "pool element 0x00000001 at 10.0.1.1 failed (no answer within 1s); switched to 0x00000002 at 10.0.1.2\n"
		if !strings.Contains(errs, notice) {
			t.Errorf("no notice %q in\n%s", notice, errs)
		}
		if u := await[*msg.EndpointUnreachable](t, reg, time.Second); u.ID != 1 {
			t.Errorf("reported %v", u.ID)
		}
	})
}

// With no pool element at all, the terminal gives up with status 1.
func TestTerminalNoPool(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := newNet(t)
		startRegistrar(t, n)
		status, _, errs := terminalRun(t, n, "hello\n")
		if status != 1 || !strings.Contains(errs, `pool "EchoPool" cannot be reached`) {
			t.Errorf("status %d, errors %q", status, errs)
		}
	})
}
