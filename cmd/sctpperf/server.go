package main

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/rserpool/rserpool/internal/cli"
	"github.com/rserpool/rserpool/sctp"
)

// server serves associations until ctx ends (or, with -once, until the
// first one ended), then shuts the others down gracefully.
func (r *runner) server(ctx context.Context, ep *sctp.Endpoint) int {
	o := &r.opts
	if err := ep.Listen(); err != nil {
		r.log.Printf("%v", err)
		return 1
	}
	if o.verbose {
		r.log.Printf("listening on SCTP port %d at %s", ep.Port(), cli.AddrList(ep.Addrs()))
	}
	var mu sync.Mutex
	active := map[*sctp.Association]bool{}
	var wg sync.WaitGroup
	status := 0
	for {
		a, err := ep.Accept(ctx)
		if err != nil {
			if ctx.Err() == nil {
				r.log.Printf("%v", err)
				status = 1
			}
			break
		}
		if o.once {
			if !r.serve(a) {
				status = 1
			}
			break
		}
		mu.Lock()
		active[a] = true
		mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.serve(a)
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
	return status
}

// serve receives the messages of a, sends back those of the
// request/response mode, and reports when a ended; it returns whether a
// ended gracefully.
func (r *runner) serve(a *sctp.Association) bool {
	o := &r.opts
	peer := a.RemoteAddrs()[0].String()
	events := cli.Watch(a, r.log, o.verbose, peer+": ")
	res := &result{Mode: "server", Peer: peer}
	var c counter
	stopProgress := make(chan struct{})
	if o.interval > 0 {
		go progress(r.progressOut(), peer+" ", &c, o.interval, stopProgress)
	}
	ctx := context.Background()
	var first, last time.Time
	var echoErr error
	for {
		m, err := a.Receive(ctx)
		if err != nil {
			break
		}
		last = time.Now()
		if first.IsZero() {
			first = last
		}
		c.add(len(m.Data))
		if m.PPID != ppidEcho || echoErr != nil {
			continue
		}
		if err := a.Send(ctx, m); err != nil {
			// Counted and reported once; the peer's shutdown ends
			// the echoes too.
			if !errors.Is(err, sctp.ErrShutdown) {
				r.log.Printf("%s: sending back: %v", peer, err)
			}
			echoErr = err
			continue
		}
		res.Echoed++
	}
	close(stopProgress)
	<-a.Done()
	<-events
	res.Messages, res.Bytes = c.messages.Load(), c.bytes.Load()
	res.fill(last.Sub(first), a.Stats())
	res.Graceful = a.Err() == nil
	if err := a.Err(); err != nil {
		res.Error = err.Error()
	}
	res.write(r.stdout, o.json)
	return res.Graceful
}
