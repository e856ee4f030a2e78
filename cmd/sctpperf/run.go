package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/rserpool/rserpool/internal/cli"
	"github.com/rserpool/rserpool/sctp"
)

// run carries out the command and returns the exit status. SIGINT and
// SIGTERM stop the measurement (or the server) and shut the
// associations down gracefully.
func run(opts options, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runContext(ctx, opts, stdout, stderr)
}

func runContext(ctx context.Context, opts options, stdout, stderr io.Writer) int {
	r := &runner{opts: opts, stdout: &lockedWriter{w: stdout}, stderr: &lockedWriter{w: stderr}}
	r.log = cli.NewLogger(r.stderr, "sctpperf")
	cfg := &sctp.Config{
		OutStreams:    uint16(max(10, opts.streams)),
		ReceiveWindow: opts.window,
		SendBuffer:    opts.sndbuf,
	}
	if opts.server {
		cfg.OutStreams = 65535 // a message goes back on its own stream
	}
	ep, err := opts.lower.Start(opts.server, opts.target, opts.port, cfg)
	if err != nil {
		r.log.Printf("%v", err)
		return 1
	}
	defer ep.Close()
	if opts.server {
		return r.server(ctx, ep)
	}
	return r.client(ctx, ep)
}

type runner struct {
	opts           options
	stdout, stderr io.Writer
	log            *cli.Logger
}

// progressOut is where progress lines go: stdout, unless it carries JSON.
func (r *runner) progressOut() io.Writer {
	if r.opts.json {
		return r.stderr
	}
	return r.stdout
}

// lockedWriter serializes the writes of several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}
