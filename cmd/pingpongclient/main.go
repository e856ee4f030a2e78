// Command pingpongclient is a pool user of the ping-pong session service
// (rspserver -pingpong): it sends pings at an interval and checks that the
// session's counter goes on across failovers, the state carried by the
// cookie of RFC 5352 §3.8.
//
// Usage:
//
//	pingpongclient [-poolhandle NAME] [-registrar ADDR[:PORT]]... [-local ADDR]
//	               [-count N] [-interval D] [-reply-timeout D] [-v]
//
// Exit status: 0 when every pong came with the expected counter, 1 on a
// failure or lost state, 2 for bad usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"os/signal"
	"time"

	"github.com/rserpool/rserpool/internal/services"
	"github.com/rserpool/rserpool/sctp/lower"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	status := run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil)
	stop()
	os.Exit(status)
}

// run is the command; open, when not nil, replaces the UDP socket (the
// tests' in-memory network). It returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, open func(netip.Addr) (lower.Conn, error)) int {
	fs := flag.NewFlagSet("pingpongclient", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f services.ClientFlags
	f.Register(fs, "PingPongPool")
	count := fs.Int("count", 0, "pings to send (0: until interrupted)")
	interval := fs.Duration("interval", time.Second, "time between pings")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 || *count < 0 || *interval < 0 {
		fmt.Fprintln(stderr, "pingpongclient: bad arguments")
		fs.Usage()
		return 2
	}
	f.Lower = open
	log := f.Logger(stderr)
	c, err := f.Open(ctx, log)
	if err != nil {
		log.Error("cannot open a session", "pool", f.Handle, "err", err)
		return 1
	}
	evDone := c.LogEvents(log, slog.LevelInfo)
	cl := &services.PingPongClient{S: c.Session}
	status := 0
	for i := 1; *count == 0 || i <= *count; i++ {
		start := time.Now()
		p, err := cl.Ping(ctx)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			log.Error("ping failed", "seq", i, "err", err)
			status = 1
			break
		}
		pe, _ := c.Session.PoolElement()
		fmt.Fprintf(stdout, "pong seq=%d counter=%d pe=%v rtt=%v resent=%d\n", p.Seq, p.Count, pe.ID, time.Since(start).Round(time.Microsecond), p.Resent)
		if p.Count != p.Seq {
			log.Error("state lost: counter does not match the pings sent", "seq", p.Seq, "counter", p.Count)
			status = 1
		}
		if *count != 0 && i == *count {
			break
		}
		t := time.NewTimer(*interval)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
		if ctx.Err() != nil {
			break
		}
	}
	c.Close()
	<-evDone
	return status
}
