package asap

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// link is an association with a registrar, as a PE's or PU's loop holds
// it. Its reader goroutine hands the loop every message and, last, why
// the association ended.
type link struct {
	a      *sctp.Association
	reg    registrar
	server msg.ServerID // the registrar's identifier, once a keep-alive said it; 0 before
}

// inbound is what a reader hands its loop: a message, or (m nil) the
// error that ended the association.
type inbound struct {
	l   *link
	m   msg.Message
	err error
}

// startReader reads l's messages into out until the association ends or
// ctx does. A message that does not decode, or that is not ASAP, is
// logged and skipped: one bad message from a registrar is no reason to
// drop it (RFC 5354 §3, §4 say which unknown types to skip silently).
func startReader(ctx context.Context, wg *sync.WaitGroup, l *link, out chan<- inbound, log *slog.Logger) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			m, err := ReadMessage(ctx, l.a)
			if err != nil && skippable(err) {
				log.Debug("asap: message from registrar skipped", "registrar", l.reg, "err", err)
				continue
			}
			select {
			case out <- inbound{l: l, m: m, err: err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
}

// skippable tells the errors of one message from those of the
// association.
func skippable(err error) bool {
	var na *NotASAPError
	return errors.As(err, &na) ||
		errors.Is(err, msg.ErrMalformed) ||
		errors.Is(err, msg.ErrUnrecognizedMessage) ||
		errors.Is(err, msg.ErrUnrecognizedParameter)
}

// closeLink ends an association that is no longer wanted, gracefully
// (RFC 9260 §9.2) in the background so the loop does not wait for the
// peer; wg tracks it.
func closeLink(wg *sync.WaitGroup, l *link) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		l.a.Close()
	}()
}
