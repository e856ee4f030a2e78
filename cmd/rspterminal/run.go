package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/udpencap"
)

// env is what run takes from the process, so tests can run it over an
// in-memory network.
type env struct {
	listen  func(addr netip.Addr, udpPort uint16) (lower.Conn, error)
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
	signals <-chan os.Signal
}

func realEnv(sig <-chan os.Signal) env {
	return env{
		listen: func(addr netip.Addr, port uint16) (lower.Conn, error) {
			return udpencap.Listen(udpencap.Config{Addrs: []netip.Addr{addr}, Port: port})
		},
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		signals: sig,
	}
}

// Bounds of the terminal's own waits.
const (
	reportTimeout = 5 * time.Second // sending an unreachability report
	redialPause   = time.Second     // between attempts when no pool element answers
	maxRedial     = 30              // attempts before giving up on the pool
	maxUnanswered = 1024            // messages kept for sending again
)

// run talks to the pool until the input ends, -count answers came, or a
// signal; it returns the exit status.
func run(o options, e env) int {
	level := slog.LevelWarn
	if o.verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	conn, err := e.listen(o.local, o.udpPort)
	if err != nil {
		fmt.Fprintf(e.stderr, "rspterminal: cannot open the UDP socket on %v port %d: %v\n", o.local, o.udpPort, err)
		return 1
	}
	ep, err := sctp.NewEndpoint(conn, o.localPort, &sctp.Config{})
	if err != nil {
		conn.Close()
		fmt.Fprintf(e.stderr, "rspterminal: %v\n", err)
		return 1
	}
	defer ep.Close()
	cfg := asap.PUConfig{
		Config: asap.Config{
			Registrars:    o.registrars,
			RegistrarPort: o.registrarPort,
			EncapPort:     o.peerUDPPort,
			Logger:        log,
		},
		DialTimeout: o.dialTimeout,
	}
	if o.announce {
		ac, err := asap.ListenAnnounce(msg.ASAPAnnounceGroup, nil)
		if err != nil {
			fmt.Fprintf(e.stderr, "rspterminal: cannot listen for announcements on %v: %v\n", msg.ASAPAnnounceGroup, err)
			return 1
		}
		defer ac.Close()
		cfg.Announcements = ac
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pu, err := asap.NewPoolUser(ctx, ep, cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "rspterminal: %v\n", err)
		return 1
	}
	defer pu.Close()
	t := &terminal{o: o, e: e, pu: pu, replies: make(chan reply)}
	var wg sync.WaitGroup
	lines := make(chan string)
	wg.Add(1)
	go func() {
		defer wg.Done()
		if o.count > 0 {
			generate(ctx, lines, o.count, o.interval)
		} else {
			readLines(ctx, lines, e.stdin)
		}
	}()
	status := t.loop(ctx, lines)
	cancel()
	if t.a != nil {
		t.a.Close()
	}
	t.readers.Wait()
	if o.count > 0 {
		// The generator has ended with ctx; a reader of standard input
		// may be blocked in Read, and ends with the process.
		wg.Wait()
	}
	return status
}

// generate sends "message 1" ... "message n", one per interval.
func generate(ctx context.Context, out chan<- string, n int, interval time.Duration) {
	for i := 1; i <= n; i++ {
		select {
		case out <- "message " + strconv.Itoa(i):
		case <-ctx.Done():
			return
		}
		if i < n {
			select {
			case <-time.After(interval):
			case <-ctx.Done():
				return
			}
		}
	}
}

// readLines sends each line of r, and closes out at its end.
func readLines(ctx context.Context, out chan<- string, r io.Reader) {
	s := bufio.NewScanner(r)
	for s.Scan() {
		select {
		case out <- s.Text():
		case <-ctx.Done():
			return
		}
	}
	close(out)
}

// reply is what an association's reader hands the loop: a message, or
// (err set) why the association ended.
type reply struct {
	gen  int
	data []byte
	err  error
}

// terminal holds the session with the current pool element.
type terminal struct {
	o       options
	e       env
	pu      *asap.PoolUser
	a       *sctp.Association
	info    asap.PoolElementInfo
	gen     int // counts associations, so a reply from a former one is told apart
	replies chan reply
	readers sync.WaitGroup

	unanswered [][]byte  // sent, not answered yet, oldest first
	progress   time.Time // when the oldest unanswered message was sent, or the last answer came
	answers    int
}

func (t *terminal) loop(ctx context.Context, lines <-chan string) int {
	if err := t.connect(ctx); err != nil {
		fmt.Fprintf(t.e.stderr, "rspterminal: %v\n", err)
		return 1
	}
	fmt.Fprintf(t.e.stderr, "connected to pool element %s\n", describe(t.info))
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	inputDone := false
	for {
		var wait <-chan time.Time
		if t.o.timeout > 0 && len(t.unanswered) > 0 {
			timer.Reset(time.Until(t.progress.Add(t.o.timeout)))
			wait = timer.C
		}
		select {
		case line, ok := <-lines:
			if !ok {
				inputDone, lines = true, nil
				if len(t.unanswered) == 0 || t.o.timeout == 0 {
					return 0
				}
				continue
			}
			if len(t.unanswered) == 0 {
				t.progress = time.Now()
			}
			if len(t.unanswered) < maxUnanswered {
				t.unanswered = append(t.unanswered, []byte(line))
			}
			if err := t.send([]byte(line)); err != nil {
				if status, ok := t.failover(ctx, "send failed: "+err.Error()); !ok {
					return status
				}
			}
		case r := <-t.replies:
			if r.gen != t.gen {
				continue
			}
			if r.err != nil {
				if status, ok := t.failover(ctx, "association lost: "+r.err.Error()); !ok {
					return status
				}
				continue
			}
			fmt.Fprintln(t.e.stdout, trimLine(r.data))
			t.answers++
			t.progress = time.Now()
			if len(t.unanswered) > 0 {
				t.unanswered = t.unanswered[1:]
			}
			if t.o.count > 0 && t.answers >= t.o.count {
				return 0
			}
			if inputDone && len(t.unanswered) == 0 {
				return 0
			}
		case <-wait:
			if status, ok := t.failover(ctx, "no answer within "+t.o.timeout.String()); !ok {
				return status
			}
		case <-t.e.signals:
			return 0
		}
	}
}

// connect dials a pool element of the pool, trying again for a while
// when none answers (its registrar may still be learning of a failure).
func (t *terminal) connect(ctx context.Context) error {
	var err error
	for attempt := range maxRedial {
		var a *sctp.Association
		var info asap.PoolElementInfo
		a, info, err = t.pu.Dial(ctx, t.o.handle)
		if err == nil {
			t.a, t.info = a, info
			t.gen++
			t.startReader(ctx, a, t.gen)
			return nil
		}
		if ctx.Err() != nil {
			return err
		}
		if attempt == 0 {
			fmt.Fprintf(t.e.stderr, "rspterminal: no pool element of %q answers (%v); trying again\n", t.o.handle, err)
		}
		select {
		case <-time.After(redialPause):
		case <-ctx.Done():
			return ctx.Err()
		case <-t.e.signals:
			return errors.New("interrupted")
		}
	}
	return fmt.Errorf("pool %q cannot be reached: %w", t.o.handle, err)
}

func (t *terminal) startReader(ctx context.Context, a *sctp.Association, gen int) {
	t.readers.Add(1)
	go func() {
		defer t.readers.Done()
		for {
			m, err := a.Receive(ctx)
			if err == nil && len(m.Data) == 0 {
				continue
			}
			if err == nil && m.PPID == 11 {
				continue // ASAP control messages (RFC 5352 §5) are not answers
			}
			if err == nil {
				m.Data = append([]byte(nil), m.Data...)
			} else if errors.Is(err, io.EOF) {
				err = errors.New("pool element shut the association down")
			}
			select {
			case t.replies <- reply{gen: gen, data: m.Data, err: err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
}

func (t *terminal) send(data []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), t.o.dialTimeout)
	defer cancel()
	return t.a.Send(ctx, sctp.Message{Data: data})
}

// failover leaves the failed pool element: it is reported unreachable
// (RFC 5352 §3.5, §6.9.2), another is dialed, the switch is announced on
// standard error, and the unanswered messages go to the new one. It
// returns ok false with the exit status when no pool element is left.
func (t *terminal) failover(ctx context.Context, why string) (int, bool) {
	for {
		failed := t.info
		rctx, cancel := context.WithTimeout(ctx, reportTimeout)
		if err := t.pu.ReportUnreachable(rctx, t.o.handle, failed.ID); err != nil {
			fmt.Fprintf(t.e.stderr, "rspterminal: unreachability of %v not reported: %v\n", failed.ID, err)
		}
		cancel()
		t.a.Abort("pool element failed: " + why)
		if err := t.connect(ctx); err != nil {
			fmt.Fprintf(t.e.stderr, "pool element %s failed (%s); %v\n", describe(failed), why, err)
			return 1, false
		}
		fmt.Fprintf(t.e.stderr, "pool element %s failed (%s); switched to %s\n", describe(failed), why, describe(t.info))
		t.progress = time.Now()
		sent := true
		for _, m := range t.unanswered {
			if err := t.send(m); err != nil {
				why, sent = "send failed: "+err.Error(), false
				break
			}
		}
		if sent {
			return 0, true
		}
	}
}

// describe names a pool element as "0x1234abcd at 127.0.0.3".
func describe(i asap.PoolElementInfo) string {
	if len(i.Addrs) == 0 {
		return i.ID.String()
	}
	return i.ID.String() + " at " + i.Addrs[0].String()
}

// trimLine drops one trailing line end, which the line-oriented services
// send.
func trimLine(b []byte) string {
	s := string(b)
	if n := len(s); n > 0 && s[n-1] == '\n' {
		s = s[:n-1]
		if n := len(s); n > 0 && s[n-1] == '\r' {
			s = s[:n-1]
		}
	}
	return s
}
