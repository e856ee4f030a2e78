package sctp

import (
	"errors"
	"time"

	"github.com/rserpool/rserpool/sctp/internal/send"
)

// call is a request from an API call to the loop. Most carry a closure;
// the hot ones (send and its cancellation) carry their arguments in
// fields, so that sending a message allocates nothing but its copy.
//
// The loop runs the call, sets err and signals done, exactly once. The
// caller owns the call again after it received from done, and may put it
// back in its endpoint's pool; a call the loop never answered (the loop
// ended) is left to the garbage collector.
type call struct {
	f  func(now time.Time) // generic request; nil for the typed ones
	op callOp

	a      *Association // opSend
	m      send.Message // opSend: the message, data already copied
	target *call        // opCancel: the send to withdraw
	err    error

	done chan struct{} // capacity 1
}

type callOp uint8

const (
	opFunc   callOp = iota
	opSend          // queue m on a, or wait in a's pending sends
	opCancel        // withdraw target from its pending sends, failing it with err
)

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

// submit hands c to the loop. It fails when the loop ended or cancel
// fired first.
func (e *Endpoint) submit(c *call, cancel <-chan struct{}) error {
	select {
	case e.calls <- c:
		return nil
	case <-e.done:
		return e.closedErr()
	case <-cancel:
		return errCanceled
	}
}

// errCanceled is returned by submit when the caller's canceler fired
// first; the caller replaces it by the canceler's error.
var errCanceled = errors.New("sctp: canceled before the loop took the request")

// do runs f on the loop and waits for it. It gives up waiting for room in
// the loop's queue when cancel fires, but not for f: f is short.
func (e *Endpoint) do(cancel <-chan struct{}, f func(now time.Time)) error {
	c := e.getCall()
	c.f = f
	if err := e.submit(c, cancel); err != nil {
		return err
	}
	select {
	case <-c.done:
	case <-e.done:
		// The loop may have run f before it ended.
		select {
		case <-c.done:
		default:
			return e.closedErr()
		}
	}
	e.putCall(c)
	return nil
}
