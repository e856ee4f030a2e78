package main

import (
	"bytes"
	"context"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rserpool/rserpool/internal/cli"
	"github.com/rserpool/rserpool/sctp"
)

// TestMain lets a test run the command itself in a process of its own:
// the test binary runs main when SCTPCAT_RUN_MAIN is set.
func TestMain(m *testing.M) {
	if os.Getenv("SCTPCAT_RUN_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

const timeout = 20 * time.Second

// instance is the command run in the test's process.
type instance struct {
	stdin  *io.PipeWriter
	stdout *output
	stderr *output
	status chan int
	cancel context.CancelFunc // stands for SIGINT
}

// launch parses args and runs the command; the test ends it.
func launch(t *testing.T, args ...string) *instance {
	t.Helper()
	var perr bytes.Buffer
	opts, _, ok := parseArgs(args, &perr)
	if !ok {
		t.Fatalf("%v: %s", args, perr.String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	in := &instance{stdin: pw, stdout: newOutput(), stderr: newOutput(), status: make(chan int, 1), cancel: cancel}
	go func() { in.status <- runContext(ctx, opts, pr, in.stdout, in.stderr) }()
	t.Cleanup(func() {
		cancel()
		pw.Close()
		select {
		case <-in.status:
		case <-time.After(timeout):
			t.Errorf("sctpcat %v did not end", args)
		}
		if t.Failed() {
			t.Logf("sctpcat %v\nstdout: %q\nstderr:\n%s", args, in.stdout.String(), in.stderr.String())
		}
	})
	return in
}

func (in *instance) exits(t *testing.T, want int) {
	t.Helper()
	select {
	case got := <-in.status:
		in.status <- got
		if got != want {
			t.Fatalf("exit status %d, want %d", got, want)
		}
	case <-time.After(timeout):
		t.Fatalf("did not end within %v", timeout)
	}
}

// listener starts sctpcat -l -v on 127.0.0.1 and returns it with its
// UDP port.
func listener(t *testing.T, args ...string) (*instance, string) {
	t.Helper()
	l := launch(t, append([]string{"-l", "-v", "-udp-port", "0"}, args...)...)
	return l, l.stderr.waitFor(t, `listening on SCTP port \d+ at 127\.0\.0\.1:(\d+)`)[1]
}

func client(t *testing.T, udpPort string, args ...string) *instance {
	t.Helper()
	base := []string{"-v", "-udp-port", "0", "-local", "127.0.0.1", "-peer-udp-port", udpPort}
	return launch(t, append(base, args...)...)
}

func TestSessionBothWays(t *testing.T) {
	l, port := listener(t, "127.0.0.1:5000")
	c := client(t, port, "127.0.0.1:5000")
	c.stderr.waitFor(t, `association up with SCTP port 5000, 1 path: 127\.0\.0\.1:`+port)
	io.WriteString(c.stdin, "from client\n")
	l.stdout.waitFor(t, `^from client\n$`)
	io.WriteString(l.stdin, "from listener\nsecond")
	c.stdout.waitFor(t, `^from listener\n$`)
	l.stdin.Close() // "second", without newline, is the last message
	c.stdout.waitFor(t, `^from listener\nsecond$`)
	l.exits(t, 0)
	c.exits(t, 0)
	l.stderr.waitFor(t, `graceful shutdown complete`)
	c.stderr.waitFor(t, `peer started a graceful shutdown`)
	c.stderr.waitFor(t, `path 127\.0\.0\.1:\d+ active: srtt`)
}

// A signal (the context's end) shuts the association down gracefully.
func TestInterruptShutsDown(t *testing.T) {
	l, port := listener(t, "127.0.0.1:5001")
	c := client(t, port, "127.0.0.1:5001")
	c.stderr.waitFor(t, `association up`)
	c.cancel()
	c.exits(t, 0)
	l.exits(t, 0)
	l.stderr.waitFor(t, `peer started a graceful shutdown`)
}

// -binary sends each read as a message, and the peer writes messages
// as they came: bytes without newlines pass unchanged.
func TestBinary(t *testing.T) {
	l, port := listener(t, "127.0.0.1:5002")
	c := client(t, port, "-binary", "127.0.0.1:5002")
	c.stderr.waitFor(t, `association up`)
	data := "\x00\x01no newline\x7f"
	io.WriteString(c.stdin, data)
	l.stdout.waitFor(t, "^"+regexp.QuoteMeta(data)+"$")
	c.stdin.Close()
	c.exits(t, 0)
	l.exits(t, 0)
}

// -echo sends each message back on its stream with its PPID and its
// ordering, to several associations, until interrupted.
func TestEcho(t *testing.T) {
	l, port := listener(t, "-echo", "127.0.0.1:5003")
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var lower cli.Lower
	lower.UDPPort, lower.PeerUDPPort = 0, mustAtoi(t, port)
	target := cli.Endpoint{Addrs: []netip.Addr{netip.MustParseAddr("127.0.0.1")}, Port: 5003}
	var as []*sctp.Association
	for range 2 {
		// One association per pair of endpoints (RFC 9260 §2.4).
		ep, err := lower.Start(false, target, 0, &sctp.Config{OutStreams: 20})
		if err != nil {
			t.Fatal(err)
		}
		defer ep.Close()
		a, err := ep.Dial(ctx, lower.Peers(target.Addrs), target.Port)
		if err != nil {
			t.Fatal(err)
		}
		as = append(as, a)
	}
	for i, a := range as {
		m := sctp.Message{Stream: uint16(7 + i), PPID: 42, Unordered: i == 1, Data: []byte("echo " + strconv.Itoa(i))}
		if err := a.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
		got, err := a.Receive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got.Stream != m.Stream || got.PPID != m.PPID || got.Unordered != m.Unordered || string(got.Data) != string(m.Data) {
			t.Errorf("echo of %+v: %+v", m, got)
		}
	}
	l.cancel()
	l.exits(t, 0)
	for _, a := range as {
		if _, err := a.Receive(ctx); err != io.EOF {
			t.Errorf("after the echo server's shutdown: %v, want EOF", err)
		}
	}
	if l.stdout.String() != "" {
		t.Errorf("-echo wrote %q to stdout", l.stdout.String())
	}
}

// Interrupted while nobody came, the listener has nothing to shut down.
func TestInterruptListener(t *testing.T) {
	l, _ := listener(t, "127.0.0.1:5006")
	l.cancel()
	l.exits(t, 0)
}

func TestDialFails(t *testing.T) {
	u := launch(t, "-udp-port", "0", "-local", "127.0.0.1", "-peer-udp-port", "9", "-w", "300ms", "127.0.0.1:5004")
	u.exits(t, 1)
	msg := u.stderr.String()
	if !strings.HasPrefix(msg, "sctpcat: sctp dial 127.0.0.1:9: ") || !strings.HasSuffix(msg, "(no answer within -w 300ms)\n") ||
		strings.Count(msg, "\n") != 1 {
		t.Errorf("stderr %q: want one line naming the dial", msg)
	}
}

func TestBindFails(t *testing.T) {
	u := launch(t, "-local", "192.0.2.77", "127.0.0.1:5005")
	u.exits(t, 1)
	if msg := u.stderr.String(); !strings.Contains(msg, "not an address of this host") || strings.Count(msg, "\n") != 1 {
		t.Errorf("stderr %q: want one line saying the address is not the host's", msg)
	}
}

// Without CAP_NET_ADMIN, -tun fails in one line that says what is
// missing. As root the command runs as nobody, which lacks it.
func TestTUNNeedsPrivilege(t *testing.T) {
	args := []string{"-tun", "sctpcattest0", "-local", "10.99.0.2", "10.99.0.1:5000"}
	if os.Geteuid() != 0 {
		u := launch(t, args...)
		u.exits(t, 1)
		checkTUNMessage(t, u.stderr.String())
		return
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// t.TempDir makes two directories, both private to root.
	dir := t.TempDir()
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(dir, "sctpcat")
	b, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "SCTPCAT_RUN_MAIN=1")
	cmd.Stderr = &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("as nobody: %v, want exit status 1\n%s", err, stderr.String())
	}
	checkTUNMessage(t, stderr.String())
}

func checkTUNMessage(t *testing.T, msg string) {
	t.Helper()
	if strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "sctpcat: tun: ") ||
		!strings.Contains(msg, "CAP_NET_ADMIN") && !strings.Contains(msg, "/dev/net/tun") {
		t.Errorf("stderr %q: want one line naming CAP_NET_ADMIN or /dev/net/tun", msg)
	}
}

func TestLineReader(t *testing.T) {
	in := "a\n" + strings.Repeat("x", 10) + "\nlast"
	r := newLineReader(strings.NewReader(in), 16)
	var got []string
	for {
		b, err := r.next()
		if len(b) > 0 {
			got = append(got, string(b))
		}
		if err != nil {
			break
		}
	}
	want := []string{"a\n", strings.Repeat("x", 10) + "\n", "last"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("lines %q, want %q", got, want)
	}
	// A line longer than the limit is cut, so no message outgrows it.
	r = newLineReader(strings.NewReader(strings.Repeat("y", 40)+"\n"), 16)
	got = nil
	for {
		b, err := r.next()
		if len(b) > 0 {
			got = append(got, string(b))
		}
		if err != nil {
			break
		}
	}
	if len(got) != 3 || len(got[0]) != 16 || len(got[1]) != 16 || got[2] != strings.Repeat("y", 8)+"\n" {
		t.Errorf("long line cut into %q", got)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// output collects what the command writes and lets a test wait for it.
type output struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	grew chan struct{}
}

func newOutput() *output { return &output{grew: make(chan struct{})} }

func (o *output) Write(b []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(b)
	close(o.grew)
	o.grew = make(chan struct{})
	return len(b), nil
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// waitFor waits until the output matches re and returns the submatches.
func (o *output) waitFor(t *testing.T, re string) []string {
	t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		o.mu.Lock()
		m := rx.FindStringSubmatch(o.buf.String())
		grew := o.grew
		o.mu.Unlock()
		if m != nil {
			return m
		}
		select {
		case <-grew:
		case <-deadline.C:
			t.Fatalf("output %q did not match %q within %v", o.String(), re, timeout)
		}
	}
}
