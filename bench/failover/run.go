package failover

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"time"

	"github.com/rserpool/rserpool/sctp"
)

// pair is an established association seen from both ends, with what the
// run needs to know about the receiver.
type pair struct {
	snd, rcv  *sctp.Association
	primary   netip.Addr   // the receiver's primary address
	alternate netip.Addr   // its other address
	paths     *PathLog     // arrivals at the receiver
	cut       func() error // cuts the primary
}

// tally is the receiver's side of the run, shared with the goroutine
// that ends it.
type tally struct {
	mu       sync.Mutex
	got      map[uint64][]time.Duration // delivery times by sequence number
	distinct int
	target   int // messages sent, -1 while the sender runs
	done     context.CancelFunc
}

// delivered notes a delivery and ends the receiving once every message
// sent has arrived.
func (t *tally) delivered(seq uint64, at time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.got[seq]) == 0 {
		t.distinct++
	}
	t.got[seq] = append(t.got[seq], at)
	if t.target >= 0 && t.distinct >= t.target {
		t.done()
	}
}

// sent tells the receiver how many messages to wait for.
func (t *tally) sent(n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.target = n
	if t.distinct >= n {
		t.done()
	}
}

// run streams messages from p.snd to p.rcv for sc.Duration, cuts the
// primary at CutAt, and waits up to Drain after the last message for the
// rest. It aborts the association at the end.
func run(mode string, sc Scenario, p pair) *Timeline {
	start := time.Now()
	since := func() time.Duration { return time.Since(start) }
	tl := &Timeline{Mode: mode, Scenario: sc, Primary: p.primary}

	var wg sync.WaitGroup
	// The sender's path events, until the association ends.
	var events []PathEvent
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ev := range p.snd.Events() {
			if ev.Kind == sctp.EventPath || ev.Kind == sctp.EventPrimary {
				events = append(events, PathEvent{At: since(), Kind: ev.Kind, Addr: ev.Path, State: ev.PathState, Reason: ev.Reason})
			}
		}
	}()

	// The cut.
	var cutErr error
	cutDone := make(chan struct{})
	go func() {
		defer close(cutDone)
		time.Sleep(CutAt)
		tl.BeforeCut = p.snd.Stats().Paths
		tl.Cut = since()
		cutErr = p.cut()
		tl.CutTook = since() - tl.Cut
	}()

	// The receiver, until everything sent arrived or the drain ends.
	rctx, rcancel := context.WithCancel(context.Background())
	defer rcancel()
	ta := &tally{got: make(map[uint64][]time.Duration), target: -1, done: rcancel}
	var recvErr error
	recvDone := make(chan struct{})
	go func() {
		defer close(recvDone)
		for {
			m, err := p.rcv.Receive(rctx)
			if err != nil {
				if rctx.Err() == nil {
					recvErr = err
				}
				return
			}
			if seq, _, err := parsePayload(m.Data); err == nil && m.PPID == PPID {
				ta.delivered(seq, since())
			}
		}
	}()

	// The sender: one message per Interval, or later when Send blocks.
	// A Send still blocked when the stream's time is up is withdrawn.
	var sent []time.Duration
	var sendErr error
	ctx, cancel := context.WithDeadline(context.Background(), start.Add(sc.Duration))
	defer cancel()
	buf := make([]byte, 0, MessageSize)
	next := time.Duration(0)
	for {
		now := since()
		if now >= sc.Duration {
			break
		}
		if now < next {
			time.Sleep(next - now)
			continue
		}
		buf = appendPayload(buf[:0], uint64(len(sent)), now, MessageSize)
		if err := p.snd.Send(ctx, sctp.Message{PPID: PPID, Data: buf}); err != nil {
			if ctx.Err() == nil {
				sendErr = err
			}
			break
		}
		sent = append(sent, now)
		// Keep the pace, but after a Send that blocked for more than
		// an interval start afresh instead of sending a burst.
		next += Interval
		if now := since(); now > next+Interval {
			next = now
		}
	}
	ta.sent(len(sent))
	drain := time.AfterFunc(Drain, rcancel)
	<-recvDone
	drain.Stop()
	tl.End = since()
	<-cutDone
	p.snd.Abort("end of run")
	p.rcv.Abort("end of run")
	wg.Wait()
	tl.Events = events

	switch {
	case cutErr != nil:
		tl.Err = "cut: " + cutErr.Error()
	case sendErr != nil:
		tl.Err = "send: " + sendErr.Error()
	case recvErr != nil && !errors.Is(recvErr, context.Canceled):
		tl.Err = "receive: " + recvErr.Error()
	}
	ta.mu.Lock()
	defer ta.mu.Unlock()
	tl.Records = make([]Record, len(sent))
	for i, at := range sent {
		rec := Record{Seq: uint64(i), Sent: at}
		if d := ta.got[uint64(i)]; len(d) > 0 {
			rec.Delivered, rec.Copies = d[0], len(d)
		}
		if a, ok := p.paths.Path(uint64(i)); ok {
			switch a {
			case p.primary:
				rec.Path = PathPrimary
			case p.alternate:
				rec.Path = PathAlternate
			}
		}
		tl.Records[i] = rec
	}
	return tl
}
