// Command calcappclient is a pool user of the calculation session service
// (rspserver -calcapp): it hands the pool long jobs and checks their
// results; a job whose pool element fails is finished by another from the
// last checkpoint cookie (RFC 5352 §3.8) rather than from the start.
//
// Usage:
//
//	calcappclient [-poolhandle NAME] [-registrar ADDR[:PORT]]... [-local ADDR]
//	              [-jobs N] [-steps N] [-reply-timeout D] [-v]
//
// Exit status: 0 when every result is right, 1 otherwise, 2 for bad usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/netip"
	"os"
	"os/signal"
	"time"

	"github.com/rserpool/rserpool/internal/services"
	"github.com/rserpool/rserpool/sctp/lower"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	status := run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil, rand.Uint64)
	stop()
	os.Exit(status)
}

// run is the command; open, when not nil, replaces the UDP socket (the
// tests' in-memory network), and jobID draws the jobs' identifiers. It
// returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, open func(netip.Addr) (lower.Conn, error), jobID func() uint64) int {
	fs := flag.NewFlagSet("calcappclient", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f services.ClientFlags
	f.Register(fs, "CalcAppPool")
	jobs := fs.Int("jobs", 1, "jobs to run one after the other")
	steps := fs.Uint("steps", 1000, "steps of each job")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 || *jobs < 1 || *steps < 1 || *steps > services.MaxJobSteps {
		fmt.Fprintln(stderr, "calcappclient: bad arguments")
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
	evDone := c.LogEvents(log, slog.LevelDebug)
	cl := &services.CalcClient{S: c.Session}
	status := 0
	for range *jobs {
		job := jobID()
		start := time.Now()
		r, err := cl.Run(ctx, job, uint32(*steps))
		if err != nil {
			log.Error("job failed", "job", job, "err", err)
			status = 1
			break
		}
		pe, _ := c.Session.PoolElement()
		fmt.Fprintf(stdout, "job=%016x steps=%d result=%016x pe=%v resumed-from=%d resent=%d took=%v\n",
			r.Job, r.Steps, r.Value, pe.ID, r.ResumedFrom, r.Resent, time.Since(start).Round(time.Millisecond))
	}
	c.Close()
	<-evDone
	return status
}
