package main

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

const timeout = 30 * time.Second

// instance is the command run in the test's process.
type instance struct {
	stdout, stderr *output
	status         chan int
	cancel         context.CancelFunc // stands for SIGINT
}

func launch(t *testing.T, args ...string) *instance {
	t.Helper()
	var perr bytes.Buffer
	opts, _, ok := parseArgs(args, &perr)
	if !ok {
		t.Fatalf("%v: %s", args, perr.String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	in := &instance{stdout: newOutput(), stderr: newOutput(), status: make(chan int, 1), cancel: cancel}
	go func() { in.status <- runContext(ctx, opts, in.stdout, in.stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-in.status:
		case <-time.After(timeout):
			t.Errorf("sctpperf %v did not end", args)
		}
		if t.Failed() {
			t.Logf("sctpperf %v\nstdout:\n%s\nstderr:\n%s", args, in.stdout.String(), in.stderr.String())
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

// server starts sctpperf -s -v on 127.0.0.1 and returns its UDP port.
func server(t *testing.T, args ...string) (*instance, string) {
	t.Helper()
	s := launch(t, append([]string{"-s", "-v", "-udp-port", "0"}, args...)...)
	return s, s.stderr.waitFor(t, `listening on SCTP port \d+ at 127\.0\.0\.1:(\d+)`)[1]
}

func clientArgs(port string, args ...string) []string {
	return append([]string{"-udp-port", "0", "-local", "127.0.0.1", "-peer-udp-port", port}, args...)
}

func decode(t *testing.T, s string) result {
	t.Helper()
	var r result
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("result %q: %v", s, err)
	}
	return r
}

func TestBulkCount(t *testing.T) {
	s, port := server(t, "-once", "-json", "127.0.0.1:5001")
	c := launch(t, clientArgs(port, "-json", "-count", "2000", "-size", "1200", "-streams", "3", "127.0.0.1:5001")...)
	c.exits(t, 0)
	s.exits(t, 0)
	r := decode(t, c.stdout.String())
	if r.Mode != "bulk" || r.Messages != 2000 || r.Bytes != 2400000 || r.Size != 1200 || r.Streams != 3 ||
		!r.Graceful || r.MBps <= 0 || r.MsgsPerS <= 0 || r.Seconds <= 0 || r.PacketsSent == 0 || r.SRTTus <= 0 {
		t.Errorf("client's result %+v", r)
	}
	sr := decode(t, s.stdout.String())
	if sr.Mode != "server" || sr.Messages != 2000 || sr.Bytes != 2400000 || sr.Echoed != 0 || !sr.Graceful {
		t.Errorf("server's result %+v", sr)
	}
}

// -duration stops the sending, then the association shuts down; the
// progress lines come every -interval, on stderr with -json.
func TestBulkDurationProgress(t *testing.T) {
	s, port := server(t, "-once", "127.0.0.1:5002")
	c := launch(t, clientArgs(port, "-json", "-duration", "300ms", "-interval", "100ms", "-unordered", "127.0.0.1:5002")...)
	c.exits(t, 0)
	s.exits(t, 0)
	r := decode(t, c.stdout.String())
	if r.Messages == 0 || !r.Unordered || !r.Graceful || r.Seconds < 0.3 {
		t.Errorf("result %+v", r)
	}
	c.stderr.waitFor(t, `(?m)^\[\s+0\.\d-\s+0\.\d s\]\s+[0-9.]+ MB/s\s+\d+ msgs/s$`)
	s.stdout.waitFor(t, `^from 127\.0\.0\.1:\d+: received \d+ messages, \d+ bytes in [0-9.]+ s: [0-9.]+ MB/s, \d+ msgs/s; \d+ retransmissions, srtt [0-9.]+ µs\n$`)
}

func TestRequestResponse(t *testing.T) {
	s, port := server(t, "-once", "-json", "127.0.0.1:5003")
	c := launch(t, clientArgs(port, "-rr", "-count", "200", "-size", "100", "127.0.0.1:5003")...)
	c.exits(t, 0)
	s.exits(t, 0)
	m := c.stdout.waitFor(t, `^rr to 127\.0\.0\.1:\d+: 200 round trips of 100 bytes in [0-9.]+ s: \d+ per second, rtt p50 ([0-9.]+) µs, p99 ([0-9.]+) µs, max [0-9.]+ µs; 0 retransmissions, srtt [0-9.]+ µs\n$`)
	if m[1] == "0.0" {
		t.Errorf("p50 of zero: %s", c.stdout.String())
	}
	sr := decode(t, s.stdout.String())
	if sr.Messages != 200 || sr.Echoed != 200 || !sr.Graceful {
		t.Errorf("server's result %+v", sr)
	}
}

// The server goes on until interrupted, serving several clients, and
// reports each.
func TestServerInterrupted(t *testing.T) {
	s, port := server(t, "127.0.0.1:5004")
	for range 2 {
		c := launch(t, clientArgs(port, "-count", "10", "127.0.0.1:5004")...)
		c.exits(t, 0)
		c.stdout.waitFor(t, `^bulk to 127\.0\.0\.1:\d+: 10 messages of 1000 bytes on 1 stream in`)
	}
	s.stdout.waitFor(t, `(?s)(received 10 messages.*){2}`)
	s.cancel()
	s.exits(t, 0)
}

func TestDialFails(t *testing.T) {
	c := launch(t, clientArgs("9", "-w", "200ms", "127.0.0.1:5005")...)
	c.exits(t, 1)
	if msg := c.stderr.String(); strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "sctpperf: sctp dial 127.0.0.1:9:") {
		t.Errorf("stderr %q", msg)
	}
}

func TestTextReport(t *testing.T) {
	r := result{Mode: "bulk", Peer: "127.0.0.1:9899", Size: 1000, Streams: 2, Unordered: true, Messages: 5, Bytes: 5000,
		Seconds: 0.5, MBps: 0.01, MsgsPerS: 10, Retransmissions: 1, SRTTus: 12.5, Graceful: false, Error: "aborted"}
	var b bytes.Buffer
	r.write(&b, false)
	want := "bulk to 127.0.0.1:9899: 5 messages of 1000 bytes on 2 streams, unordered, in 0.500 s: 0.01 MB/s, 10 msgs/s; 1 retransmissions, srtt 12.5 µs; ended without a graceful shutdown: aborted\n"
	if b.String() != want {
		t.Errorf("text\n%q\nwant\n%q", b.String(), want)
	}
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
