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
	"math/rand/v2"
	"os"
	"os/signal"
	"time"

	"github.com/rserpool/rserpool/internal/services"
)

func main() {
	fs := flag.NewFlagSet("calcappclient", flag.ContinueOnError)
	var f services.ClientFlags
	f.Register(fs, "CalcAppPool")
	jobs := fs.Int("jobs", 1, "jobs to run one after the other")
	steps := fs.Uint("steps", 1000, "steps of each job")
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		os.Exit(2)
	}
	if fs.NArg() > 0 || *jobs < 1 || *steps < 1 || *steps > services.MaxJobSteps {
		fmt.Fprintln(os.Stderr, "calcappclient: bad arguments")
		fs.Usage()
		os.Exit(2)
	}
	log := f.Logger(os.Stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	c, err := f.Open(ctx, log)
	if err != nil {
		log.Error("cannot open a session", "pool", f.Handle, "err", err)
		os.Exit(1)
	}
	defer c.Close()
	go func() {
		for ev := range c.Session.Events() {
			log.Debug("session: "+ev.Kind.String(), "from", ev.From.ID, "to", ev.To.ID, "took", ev.Took, "err", ev.Err)
		}
	}()
	cl := &services.CalcClient{S: c.Session}
	status := 0
	for range *jobs {
		job := rand.Uint64()
		start := time.Now()
		r, err := cl.Run(ctx, job, uint32(*steps))
		if err != nil {
			log.Error("job failed", "job", job, "err", err)
			status = 1
			break
		}
		pe, _ := c.Session.PoolElement()
		fmt.Printf("job=%016x steps=%d result=%016x pe=%v resumed-from=%d resent=%d took=%v\n",
			r.Job, r.Steps, r.Value, pe.ID, r.ResumedFrom, r.Resent, time.Since(start).Round(time.Millisecond))
	}
	c.Close()
	os.Exit(status)
}
