package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/rserpool/rserpool/internal/cli"
	"github.com/rserpool/rserpool/sctp"
)

// client connects, runs the measurement and reports it.
func (r *runner) client(ctx context.Context, ep *sctp.Endpoint) int {
	o := &r.opts
	dctx, cancel := context.WithTimeout(ctx, o.wait)
	a, err := ep.Dial(dctx, o.lower.Peers(o.target.Addrs), o.target.Port)
	cancel()
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("%w (no answer within -w %v)", err, o.wait)
	}
	if err != nil {
		r.log.Printf("%v", err)
		return 1
	}
	events := cli.Watch(a, r.log, o.verbose, "")
	res := &result{Mode: "bulk", Peer: a.RemoteAddrs()[0].String(), Size: o.size, Streams: o.streams, Unordered: o.unordered}
	var c counter
	stopProgress := make(chan struct{})
	if o.interval > 0 {
		go progress(r.progressOut(), "", &c, o.interval, stopProgress)
	}
	// Running out of time or a signal stops the sending; the
	// association is then shut down gracefully all the same.
	var stop atomic.Bool
	if o.count == 0 {
		t := time.AfterFunc(o.duration, func() { stop.Store(true) })
		defer t.Stop()
	}
	go func() {
		select {
		case <-ctx.Done():
			stop.Store(true)
		case <-a.Done():
		}
	}()
	start := time.Now()
	var lat cli.Latency
	var elapsed time.Duration
	if o.rr {
		// The round trips are the measure: the shutdown does not count.
		res.Mode = "rr"
		err = r.requests(ctx, a, &c, &stop, &lat)
		elapsed = time.Since(start)
	} else {
		err = r.bulk(ctx, a, &c, &stop)
	}
	if err == nil {
		err = a.Shutdown(ctx)
		if ctx.Err() != nil {
			a.Abort("sctpperf: interrupted")
		}
	} else {
		a.Abort("sctpperf: " + err.Error())
	}
	if !o.rr {
		// Bulk data counts once acknowledged: the graceful shutdown
		// completes when the last of it is.
		elapsed = time.Since(start)
	}
	close(stopProgress)
	<-a.Done()
	<-events
	res.Messages, res.Bytes = c.messages.Load(), c.bytes.Load()
	res.fill(elapsed, a.Stats())
	if o.rr {
		res.fillLatency(&lat)
	}
	status := 0
	if end := a.Err(); end != nil || err != nil {
		if end == nil {
			end = err
		}
		res.Error = end.Error()
		r.log.Printf("%v", end)
		status = 1
	}
	res.Graceful = a.Err() == nil
	res.write(r.stdout, o.json)
	return status
}

// bulk sends messages until stop or the count.
func (r *runner) bulk(ctx context.Context, a *sctp.Association, c *counter, stop *atomic.Bool) error {
	o := &r.opts
	m := sctp.Message{Unordered: o.unordered, Data: bytes.Repeat([]byte{'b'}, o.size)}
	for i := 0; o.count == 0 || i < o.count; i++ {
		if stop.Load() {
			break
		}
		m.Stream = uint16(i % o.streams)
		if err := a.Send(ctx, m); err != nil {
			if ctx.Err() != nil {
				return nil // interrupted: shut down with what was sent
			}
			return err
		}
		c.add(o.size)
	}
	return nil
}

// requests sends a message at a time and waits for it to come back,
// recording each round trip.
func (r *runner) requests(ctx context.Context, a *sctp.Association, c *counter, stop *atomic.Bool, lat *cli.Latency) error {
	o := &r.opts
	m := sctp.Message{PPID: ppidEcho, Unordered: o.unordered, Data: bytes.Repeat([]byte{'r'}, o.size)}
	for i := 0; o.count == 0 || i < o.count; i++ {
		if stop.Load() {
			break
		}
		m.Stream = uint16(i % o.streams)
		t0 := time.Now()
		if err := a.Send(ctx, m); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		back, err := a.Receive(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		lat.Add(time.Since(t0))
		if len(back.Data) != o.size {
			return fmt.Errorf("reply of %d bytes to a request of %d: is the server an echo server?", len(back.Data), o.size)
		}
		c.add(o.size)
	}
	return nil
}
