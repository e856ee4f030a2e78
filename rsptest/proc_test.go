package rsptest

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Bounds of the waits on processes.
const (
	exitTimeout = 15 * time.Second // a process asked to end (SIGTERM: de-registration included)
	killTimeout = 10 * time.Second // a process killed
)

// proc is a command a test started. When the test ends it is killed by
// its PID if it still runs, and its output is logged if the test failed.
type proc struct {
	name string
	args []string
	cmd  *exec.Cmd
	out  *tailBuffer // stdout
	err  *tailBuffer // stderr, the log
	done chan struct{}
	werr error // Wait's error; read after done is closed
}

// startProc runs the built command with args.
func startProc(t *testing.T, name, command string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, args: args, out: &tailBuffer{}, err: &tailBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(binary(command), args...)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.err
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	go func() {
		p.werr = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.kill(t)
		if t.Failed() {
			t.Logf("%s (%s %s), pid %d\nstdout:\n%s\nstderr:\n%s", name, command, strings.Join(args, " "), p.cmd.Process.Pid,
				p.out.String(), p.err.String())
		}
	})
	return p
}

// pid is the process's identifier.
func (p *proc) pid() int { return p.cmd.Process.Pid }

// running reports whether the process has not ended.
func (p *proc) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// signal sends sig to the process by its PID.
func (p *proc) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := syscall.Kill(p.pid(), sig); err != nil {
		t.Fatalf("%s (pid %d): %v: %v", p.name, p.pid(), sig, err)
	}
}

// stop stops the process with SIGSTOP and waits until every thread of
// it has stopped. The signal goes to one thread, which stops the others
// once it runs: until then, on a loaded machine, another thread may
// still take a packet and answer it.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	p.signal(t, syscall.SIGSTOP)
	deadline := time.Now().Add(killTimeout)
	for {
		stopped, err := allStopped(p.pid())
		if err != nil {
			t.Fatalf("%s (pid %d): %v", p.name, p.pid(), err)
		}
		if stopped {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s (pid %d) not stopped within %v of SIGSTOP", p.name, p.pid(), killTimeout)
		}
		select {
		case <-p.done:
			t.Fatalf("%s (pid %d) ended instead of stopping", p.name, p.pid())
		case <-time.After(time.Millisecond):
		}
	}
}

// allStopped reports whether every thread of the process is in the
// stopped state (T in /proc/PID/task/TID/stat).
func allStopped(pid int) (bool, error) {
	dir := "/proc/" + strconv.Itoa(pid) + "/task"
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return false, err
	}
	for _, task := range tasks {
		b, err := os.ReadFile(dir + "/" + task.Name() + "/stat")
		if err != nil {
			return false, err
		}
		// pid (comm) state ...: comm may hold spaces and parentheses.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 || i+2 >= len(b) {
			return false, errors.New("unreadable " + dir + "/" + task.Name() + "/stat")
		}
		if b[i+2] != 'T' {
			return false, nil
		}
	}
	return len(tasks) > 0, nil
}

// kill ends the process with SIGKILL, which also ends a stopped one,
// and waits for it.
func (p *proc) kill(t *testing.T) {
	if !p.running() {
		return
	}
	syscall.Kill(p.pid(), syscall.SIGKILL)
	select {
	case <-p.done:
	case <-time.After(killTimeout):
		t.Errorf("%s (pid %d) did not end within %v of SIGKILL", p.name, p.pid(), killTimeout)
	}
}

// exitStatus waits for the process to end and returns its exit status,
// -1 for a death by signal.
func (p *proc) exitStatus(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(exitTimeout):
		t.Fatalf("%s (pid %d) did not end within %v", p.name, p.pid(), exitTimeout)
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

// tailBuffer keeps the last maxTail bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	b   []byte
	cut bool
}

const maxTail = 64 << 10

func (w *tailBuffer) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b = append(w.b, b...)
	if len(w.b) > maxTail {
		w.b = append(w.b[:0], w.b[len(w.b)-maxTail:]...)
		w.cut = true
	}
	return len(b), nil
}

func (w *tailBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cut {
		return "[...]\n" + string(w.b)
	}
	return string(w.b)
}
