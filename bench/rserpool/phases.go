package rserpool

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/asap/msg"
)

// poolHandle names pool i.
func poolHandle(i int) []byte { return []byte("pool-" + strconv.Itoa(i)) }

// registrations makes the registrations of n pool elements spread over
// pools pools, element i in pool i%pools with identifier i+1, each on
// the client given by i%len(clients): the client's share in order.
func registrations(clients []*client, n, pools int) [][]msg.Message {
	out := make([][]msg.Message, len(clients))
	for i := range n {
		c := clients[i%len(clients)]
		out[i%len(clients)] = append(out[i%len(clients)], &msg.Registration{
			PoolHandle: poolHandle(i % pools),
			PoolElement: msg.PoolElement{
				ID: msg.PEID(i + 1), RegistrationLife: 3600,
				UserTransport: c.transport(),
				Policy:        msg.Policy{Type: msg.PolicyRoundRobin},
			},
		})
	}
	return out
}

// pipeline sends reqs on c with at most window unanswered and checks
// each answer with ok; it returns when every answer came.
func (c *client) pipeline(ctx context.Context, reqs []msg.Message, window int, ok func(msg.Message) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, window)
	sent := make(chan error, 1)
	go func() {
		for _, m := range reqs {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				sent <- ctx.Err()
				return
			}
			if err := asap.WriteMessage(ctx, c.a, m); err != nil {
				sent <- err
				return
			}
		}
		sent <- nil
	}()
	for range reqs {
		m, err := c.next(ctx)
		if err != nil {
			return err
		}
		if err := ok(m); err != nil {
			return err
		}
		<-sem
	}
	return <-sent
}

// registered checks a registration response: granted, without a
// warning.
func registered(m msg.Message) error {
	r, ok := m.(*msg.RegistrationResponse)
	switch {
	case !ok:
		return fmt.Errorf("%v in answer to a registration", m.MessageType())
	case r.Reject || !r.Error.IsZero():
		return fmt.Errorf("registration of %v refused or changed: %+v", r.ID, r.Error)
	}
	return nil
}

// resolved checks a handle resolution response: positive, with items
// elements.
func resolved(items int) func(msg.Message) error {
	return func(m msg.Message) error {
		r, ok := m.(*msg.HandleResolutionResponse)
		switch {
		case !ok:
			return fmt.Errorf("%v in answer to a handle resolution", m.MessageType())
		case !r.Error.IsZero():
			return fmt.Errorf("handle resolution of %q refused: %+v", r.PoolHandle, r.Error)
		case r.PoolElements.Count() != items:
			return fmt.Errorf("handle resolution of %q lists %d elements, want %d", r.PoolHandle, r.PoolElements.Count(), items)
		}
		return nil
	}
}

// registerAll sends every client its share of registrations at once and
// returns the time from the first send to the last answer.
func registerAll(ctx context.Context, clients []*client, shares [][]msg.Message, window int) (time.Duration, error) {
	start := time.Now()
	errs := make([]error, len(clients))
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Go(func() { errs[i] = c.pipeline(ctx, shares[i], window, registered) })
	}
	wg.Wait()
	elapsed := time.Since(start)
	for _, err := range errs {
		if err != nil {
			return elapsed, err
		}
	}
	return elapsed, nil
}

// resolveFor has every client resolve the pools round robin, window
// requests outstanding each, for about d; it returns the answers and
// the time from the first request to the last answer.
func resolveFor(ctx context.Context, clients []*client, pools, items, window int, d time.Duration) (int64, time.Duration, error) {
	var answered atomic.Int64
	start := time.Now()
	end := start.Add(d)
	errs := make([]error, len(clients))
	var wg sync.WaitGroup
	for k, c := range clients {
		wg.Go(func() {
			check := resolved(items)
			// Batches of requests until the end: each batch is a
			// pipeline, so the window stays full within it.
			reqs := make([]msg.Message, 256)
			for i := range reqs {
				reqs[i] = &msg.HandleResolution{PoolHandle: poolHandle((k*len(reqs) + i) % pools)}
			}
			for time.Now().Before(end) {
				if err := c.pipeline(ctx, reqs, window, check); err != nil {
					errs[k] = err
					return
				}
				answered.Add(int64(len(reqs)))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	for _, err := range errs {
		if err != nil {
			return answered.Load(), elapsed, err
		}
	}
	return answered.Load(), elapsed, nil
}

// latencies resolves n times on c, one request at a time, and returns
// each round trip.
func latencies(ctx context.Context, c *client, pools, items, n int) ([]time.Duration, error) {
	check := resolved(items)
	out := make([]time.Duration, 0, n)
	for i := range n {
		req := &msg.HandleResolution{PoolHandle: poolHandle(i % pools)}
		t0 := time.Now()
		if err := asap.WriteMessage(ctx, c.a, req); err != nil {
			return out, err
		}
		m, err := c.next(ctx)
		if err != nil {
			return out, err
		}
		out = append(out, time.Since(t0))
		if err := check(m); err != nil {
			return out, err
		}
	}
	return out, nil
}
