package interop

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Bounds on every wait, generous for a loaded machine: a step (a line to
// appear, a process to end) and a handshake whose first INIT may find
// the peer not yet bound and be retransmitted after the initial RTO.
const (
	stepTimeout = 20 * time.Second
	killTimeout = 10 * time.Second
)

// proc is a process a test started. Cleanup kills it by its PID if it
// still runs, and logs its output when the test failed.
type proc struct {
	name  string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *output
	err   *output
	done  chan struct{}
	werr  error // Wait's error, set before done is closed
}

// start runs argv with env added to the test's environment.
func start(t *testing.T, name string, env []string, argv ...string) *proc {
	t.Helper()
	p := prepare(name, env, argv...)
	if err := p.start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	p.watch(t, argv)
	return p
}

// prepare makes the process ready to start; start and watch, in that
// order, run it.
func prepare(name string, env []string, argv ...string) *proc {
	p := &proc{name: name, out: newOutput(), err: newOutput(), done: make(chan struct{})}
	p.cmd = exec.Command(argv[0], argv[1:]...)
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.err
	return p
}

// start starts the process from the calling goroutine's OS thread,
// whose network namespace it inherits. It does not touch the test, so
// that it can run on a goroutine of tuntest.Netns.Do.
func (p *proc) start() error {
	stdin, err := p.cmd.StdinPipe()
	if err != nil {
		return err
	}
	p.stdin = stdin
	if err := p.cmd.Start(); err != nil {
		return err
	}
	go func() {
		p.werr = p.cmd.Wait()
		close(p.done)
	}()
	return nil
}

// watch kills the started process by its PID when the test ends, if it
// still runs, and logs its output if the test failed.
func (p *proc) watch(t *testing.T, argv []string) {
	name := p.name
	t.Cleanup(func() {
		p.stdin.Close()
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			select {
			case <-p.done:
			case <-time.After(killTimeout):
				t.Errorf("%s (pid %d) did not end after SIGKILL", name, p.cmd.Process.Pid)
			}
		}
		if t.Failed() {
			t.Logf("%s %s\nstdout:\n%s\nstderr:\n%s", name, strings.Join(argv[1:], " "), p.out.tail(), p.err.tail())
		}
	})
}

// send writes s to the process's stdin.
func (p *proc) send(t *testing.T, s string) {
	t.Helper()
	if _, err := io.WriteString(p.stdin, s); err != nil {
		t.Fatalf("writing to %s: %v", p.name, err)
	}
}

// closeStdin ends the process's stdin.
func (p *proc) closeStdin() { p.stdin.Close() }

// signal sends sig to the process.
func (p *proc) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signalling %s: %v", p.name, err)
	}
}

// wait waits for the process to end and returns its exit status.
func (p *proc) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(stepTimeout):
		t.Fatalf("%s did not end within %v", p.name, stepTimeout)
	}
	var ee *exec.ExitError
	switch {
	case p.werr == nil:
		return 0
	case errors.As(p.werr, &ee):
		return ee.ExitCode()
	}
	t.Fatalf("%s: %v", p.name, p.werr)
	return -1
}

// exits waits for the process to end with status want.
func (p *proc) exits(t *testing.T, want int) {
	t.Helper()
	if got := p.wait(t); got != want {
		t.Fatalf("%s exited with status %d, want %d", p.name, got, want)
	}
}

// waitOut waits until the process's stdout matches re and returns the
// submatches.
func (p *proc) waitOut(t *testing.T, re string) []string {
	t.Helper()
	return p.waitFor(t, p.out, "stdout", re)
}

// waitErr is waitOut for stderr.
func (p *proc) waitErr(t *testing.T, re string) []string {
	t.Helper()
	return p.waitFor(t, p.err, "stderr", re)
}

func (p *proc) waitFor(t *testing.T, o *output, which, re string) []string {
	t.Helper()
	rx := regexp.MustCompile(re)
	timer := time.NewTimer(stepTimeout)
	defer timer.Stop()
	exited := false
	for {
		text, grew := o.snapshot()
		if m := rx.FindStringSubmatch(text); m != nil {
			return m
		}
		if exited {
			t.Fatalf("%s ended before its %s matched %q", p.name, which, re)
		}
		select {
		case <-grew:
		case <-p.done:
			exited = true // one more look: the output is complete now
		case <-timer.C:
			t.Fatalf("%s: %s did not match %q within %v", p.name, which, re, stepTimeout)
		}
	}
}

// waitOutLen waits until the process wrote n bytes to stdout.
func (p *proc) waitOutLen(t *testing.T, n int) {
	t.Helper()
	timer := time.NewTimer(stepTimeout)
	defer timer.Stop()
	for {
		got, grew := p.out.length()
		if got >= n {
			return
		}
		select {
		case <-grew:
		case <-p.done:
			if got, _ := p.out.length(); got < n {
				t.Fatalf("%s ended after writing %d bytes to stdout, want %d", p.name, got, n)
			}
			return
		case <-timer.C:
			t.Fatalf("%s wrote %d bytes to stdout within %v, want %d", p.name, got, stepTimeout, n)
		}
	}
}

// output collects what a process writes and wakes those waiting for it.
type output struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	grew chan struct{} // closed at the next write
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

// snapshot returns the output so far and a channel closed when it grows.
func (o *output) snapshot() (string, <-chan struct{}) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String(), o.grew
}

func (o *output) length() (int, <-chan struct{}) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Len(), o.grew
}

func (o *output) String() string {
	s, _ := o.snapshot()
	return s
}

// tail returns the end of the output, for the log of a failed test.
func (o *output) tail() string {
	s := o.String()
	const max = 4000
	if len(s) > max {
		s = "..." + s[len(s)-max:]
	}
	return s
}
