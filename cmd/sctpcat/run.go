package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/rserpool/rserpool/internal/cli"
	"github.com/rserpool/rserpool/sctp"
)

// run carries out the command and returns the exit status. SIGINT and
// SIGTERM shut the associations down gracefully.
func run(opts options, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runContext(ctx, opts, stdin, stdout, stderr)
}

// runContext is run with the end of ctx standing for a signal.
func runContext(ctx context.Context, opts options, stdin io.Reader, stdout, stderr io.Writer) int {
	r := &runner{opts: opts, stdout: stdout, log: cli.NewLogger(stderr, "sctpcat")}
	cfg := &sctp.Config{OutStreams: max(10, opts.stream+1)}
	if opts.echo {
		cfg.OutStreams = 65535 // a message goes back on its own stream, whichever
	}
	ep, err := opts.lower.Start(opts.listen, opts.target, opts.port, cfg)
	if err != nil {
		r.log.Printf("%v", err)
		return 1
	}
	defer ep.Close()
	var a *sctp.Association
	if opts.listen {
		if err := ep.Listen(); err != nil {
			r.log.Printf("%v", err)
			return 1
		}
		if opts.verbose {
			r.log.Printf("listening on SCTP port %d at %s", ep.Port(), cli.AddrList(ep.Addrs()))
		}
		if opts.echo {
			return r.echo(ctx, ep)
		}
		a, err = ep.Accept(ctx)
		if err != nil && ctx.Err() != nil {
			return 0 // interrupted before any association: nothing to shut down
		}
	} else {
		dctx, cancel := context.WithTimeout(ctx, opts.wait)
		a, err = ep.Dial(dctx, opts.lower.Peers(opts.target.Addrs), opts.target.Port)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w (no answer within -w %v)", err, opts.wait)
		}
	}
	if err != nil {
		r.log.Printf("%v", err)
		return 1
	}
	return r.session(ctx, a, stdin)
}

// runner holds what the parts of a run share.
type runner struct {
	opts   options
	stdout io.Writer
	log    *cli.Logger
}

// session moves messages between stdin, stdout and the association
// until it ends, and returns the exit status.
func (r *runner) session(ctx context.Context, a *sctp.Association, stdin io.Reader) int {
	events := cli.Watch(a, r.log, r.opts.verbose, "")
	recvDone := make(chan error, 1)
	go func() { recvDone <- r.receive(a) }()
	sendDone := make(chan error, 1)
	go func() { sendDone <- r.send(a, stdin) }()

	failed := false
	select {
	case err := <-sendDone:
		if err != nil {
			// The association ends (its reason is reported below),
			// the peer shuts it down, or it refused the message:
			// then abort.
			if !errors.Is(err, sctp.ErrShutdown) && !errors.Is(err, net.ErrClosed) {
				r.log.Printf("%v", err)
				a.Abort("sctpcat: " + err.Error())
				failed = true
			}
			break
		}
		// End of stdin: shut down gracefully; a signal meanwhile aborts.
		if err := a.Shutdown(ctx); err != nil && ctx.Err() != nil {
			a.Abort("sctpcat: interrupted")
		}
	case err := <-recvDone:
		recvDone <- err
		if err != nil {
			r.log.Printf("%v", err)
			a.Abort("sctpcat: " + err.Error())
			failed = true
		}
	case <-ctx.Done():
		a.Close()
	}
	<-a.Done()
	if err := <-recvDone; err != nil && !failed {
		r.log.Printf("%v", err)
		failed = true
	}
	<-events
	if err := a.Err(); err != nil {
		r.log.Printf("%v", err)
		return 1
	}
	if failed {
		return 1
	}
	return 0
}

// receive writes the association's messages to stdout until the
// association ends. It returns nil when it ended, whatever the reason
// (session reports that), and the error when stdout failed.
func (r *runner) receive(a *sctp.Association) error {
	for {
		m, err := a.Receive(context.Background())
		if err != nil {
			return nil
		}
		if _, err := r.stdout.Write(m.Data); err != nil {
			return fmt.Errorf("writing stdout: %w", err)
		}
	}
}

// Message sizes taken from stdin: a line up to lineMax is one message
// (longer ones are cut), and with -binary one read of up to readMax.
// Both stay below the 256 KiB a peer of this stack reassembles by
// default (sctp.Config.MaxMessage).
const (
	lineMax = 128 << 10
	readMax = 64 << 10
)

// send sends stdin, a message per line or per read, and returns nil at
// its end.
func (r *runner) send(a *sctp.Association, stdin io.Reader) error {
	o := &r.opts
	m := sctp.Message{Stream: o.stream, PPID: o.ppid, Unordered: o.unordered}
	ctx := context.Background()
	if o.binary {
		buf := make([]byte, readMax)
		for {
			n, err := stdin.Read(buf)
			if n > 0 {
				m.Data = buf[:n]
				if err := a.Send(ctx, m); err != nil {
					return err
				}
			}
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("reading stdin: %w", err)
			}
		}
	}
	br := newLineReader(stdin, lineMax)
	for {
		line, err := br.next()
		if len(line) > 0 {
			m.Data = line
			if err := a.Send(ctx, m); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading stdin: %w", err)
		}
	}
}

// echo serves any number of associations, sending each message back,
// until ctx ends; then it shuts them all down gracefully.
func (r *runner) echo(ctx context.Context, ep *sctp.Endpoint) int {
	var mu sync.Mutex
	active := map[*sctp.Association]bool{}
	var wg sync.WaitGroup
	for {
		a, err := ep.Accept(ctx)
		if err != nil {
			break
		}
		mu.Lock()
		active[a] = true
		mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.echoOne(a)
			mu.Lock()
			delete(active, a)
			mu.Unlock()
		}()
	}
	mu.Lock()
	for a := range active {
		go a.Close()
	}
	mu.Unlock()
	wg.Wait()
	if ctx.Err() == nil {
		return 1 // Accept failed: the endpoint's lower layer broke
	}
	return 0
}

// echoOne sends every message of a back on its stream until the
// association ends.
func (r *runner) echoOne(a *sctp.Association) {
	prefix := a.RemoteAddrs()[0].String() + ": "
	events := cli.Watch(a, r.log, r.opts.verbose, prefix)
	ctx := context.Background()
	for {
		m, err := a.Receive(ctx)
		if err != nil {
			break
		}
		if err := a.Send(ctx, m); err != nil {
			if errors.Is(err, sctp.ErrInvalidStream) {
				// The peer may send on more streams than it takes.
				r.log.Printf("%s%v", prefix, err)
				continue
			}
			break
		}
	}
	<-a.Done()
	<-events
}
