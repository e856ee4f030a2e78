package sctp

import (
	"time"

	"github.com/rserpool/rserpool/sctp/internal/send"
)

// call is a send waiting for room in its association's send buffer. The
// loop answers it exactly once: it sets err and signals done, when the
// message is queued or the association ended. The sender owns the call
// again after it received from done, or after it withdrew the call from
// the pending sends itself, and may put it back in its endpoint's pool.
type call struct {
	m    send.Message // the message, data already copied
	err  error
	done chan struct{} // capacity 1
}

// canceler is what a blocking call waits on besides its own progress: a
// context.Context, or a deadline of a StreamConn. When Done is closed
// and Err is nil, the deadline moved: the caller waits again.
type canceler interface {
	Done() <-chan struct{}
	Err() error
}

// getCall returns a call from the endpoint's pool. The pool is a channel
// of the endpoint rather than a sync.Pool, so a call's channel never
// crosses from one synctest bubble to another.
func (e *Endpoint) getCall() *call {
	select {
	case c := <-e.pool:
		return c
	default:
		return &call{done: make(chan struct{}, 1)}
	}
}

func (e *Endpoint) putCall(c *call) {
	*c = call{done: c.done}
	select {
	case e.pool <- c:
	default:
	}
}

// do runs f as a step of the loop, on the caller's goroutine. It fails
// once the loop has ended.
func (e *Endpoint) do(f func(now time.Time)) error {
	if !e.l.step(f) {
		return e.closedErr()
	}
	return nil
}
