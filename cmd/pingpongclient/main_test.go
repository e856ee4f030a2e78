package main

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/rserpool/rserpool/internal/services/servicetest"
)

var clientArgs = []string{"-poolhandle", "PingPongPool", "-registrar", "10.0.0.1", "-local", "10.0.2.1", "-reply-timeout", "500ms"}

var pongLine = regexp.MustCompile(`^pong seq=(\d+) counter=(\d+) pe=(\S+) rtt=\S+ resent=(\d+)$`)

// pongs runs the client and returns its exit status and its pongs: seq,
// counter, pool element, resent.
func pongs(t *testing.T, pool *servicetest.Pool, args ...string) (int, [][]string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	status := run(context.Background(), append(append([]string(nil), clientArgs...), args...), &stdout, &stderr, pool.Lower)
	var out [][]string
	for l := range strings.Lines(stdout.String()) {
		m := pongLine.FindStringSubmatch(strings.TrimSuffix(l, "\n"))
		if m == nil {
			t.Fatalf("output line %q", l)
		}
		out = append(out, m[1:])
	}
	return status, out, stderr.String()
}

// The pool element in use crashes after three pongs: the client fails
// over to the other one, sends the unanswered ping again, and the
// counter goes on from the cookie: every pong's counter is its sequence
// number, and the exit status is 0.
func TestPingPongFailover(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pool := servicetest.New(t, "PingPongPool")
		pe1 := pool.AddPE(servicetest.PEConfig{ID: 1, CrashAfter: 3})
		pe2 := pool.AddPE(servicetest.PEConfig{ID: 2})
		status, ps, stderr := pongs(t, pool, "-count", "8", "-interval", "100ms")
		if status != 0 {
			t.Fatalf("exit status %d:\n%s", status, stderr)
		}
		if len(ps) != 8 {
			t.Fatalf("%d pongs: %q", len(ps), ps)
		}
		resent := 0
		for i, p := range ps {
			if want := strconv.Itoa(i + 1); p[0] != want || p[1] != want {
				t.Errorf("pong %d: seq %s counter %s", i+1, p[0], p[1])
			}
			if p[3] != "0" {
				resent++
			}
		}
		if ps[0][2] == ps[7][2] {
			t.Errorf("first and last pong from %s: no failover", ps[0][2])
		}
		if resent != 1 {
			t.Errorf("%d pings sent again, want 1", resent)
		}
		if pe2.Restored() != 1 || pe1.Restored() != 0 {
			t.Errorf("restored: PE 1 %d, PE 2 %d sessions", pe1.Restored(), pe2.Restored())
		}
		if !strings.Contains(stderr, "failover completed") {
			t.Errorf("no failover event in the log:\n%s", stderr)
		}
	})
}

// A pool element that takes the cookie but not its state restarts the
// counter: the client says the state is lost and exits with 1.
func TestPingPongStateLost(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pool := servicetest.New(t, "PingPongPool")
		pool.AddPE(servicetest.PEConfig{ID: 1, CrashAfter: 2})
		pool.AddPE(servicetest.PEConfig{ID: 2, NoRestore: true})
		status, ps, stderr := pongs(t, pool, "-count", "4", "-interval", "100ms")
		if status != 1 || !strings.Contains(stderr, "state lost") {
			t.Fatalf("exit status %d, pongs %q:\n%s", status, ps, stderr)
		}
	})
}

// No pool element at all: the session cannot open and the status is 1.
func TestPingPongNoPool(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pool := servicetest.New(t, "PingPongPool")
		status, ps, stderr := pongs(t, pool, "-count", "1")
		if status != 1 || len(ps) != 0 || !strings.Contains(stderr, "cannot open a session") {
			t.Fatalf("exit status %d, pongs %q:\n%s", status, ps, stderr)
		}
	})
}

func TestPingPongUsage(t *testing.T) {
	for _, args := range [][]string{{"-count", "-1"}, {"extra"}, {"-nosuchflag"}} {
		var stdout, stderr bytes.Buffer
		if status := run(context.Background(), args, &stdout, &stderr, nil); status != 2 {
			t.Errorf("%q: exit status %d, want 2", args, status)
		}
		if !strings.Contains(stderr.String(), "-count") {
			t.Errorf("%q: no usage:\n%s", args, stderr.String())
		}
	}
	var stdout, stderr bytes.Buffer
	if status := run(context.Background(), []string{"-h"}, &stdout, &stderr, nil); status != 0 {
		t.Errorf("-h: exit status %d", status)
	}
}
