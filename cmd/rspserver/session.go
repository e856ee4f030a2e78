package main

import (
	"context"
	"errors"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/internal/services"
	"github.com/rserpool/rserpool/sctp"
)

// defaultCookieKey lets the examples run without configuration. Anyone
// can read it here, so anyone could forge a cookie: a pool that matters
// sets its own -cookie-key.
const defaultCookieKey = "rserpool example pool key, not a secret"

// calcCheckpoint is the steps between two checkpoint cookies of -calcapp.
const calcCheckpoint = 10

func isSessionService(s string) bool { return s == "pingpong" || s == "calcapp" }

// transportUse is what the registration says of the user transport: the
// session services take ASAP_COOKIE_ECHO from their users on the data
// association, the "data plus control" of RFC 5354 §3.4.
func transportUse(service string) msg.TransportUse {
	if isSessionService(service) {
		return msg.DataPlusControl
	}
	return msg.DataOnly
}

// serveSession runs a session service on one association: the state of
// an echoed cookie is restored first, and a cookie that does not verify
// ends the association with the reason.
func (s *server) serveSession(ctx context.Context, a *sctp.Association) {
	var restore func([]byte) error
	var serve func(context.Context, *asap.ServerSession, func()) error
	switch s.service {
	case "pingpong":
		p := &services.PingPong{}
		restore, serve = p.Restore, p.Serve
	default:
		c := &services.Calc{StepTime: s.calcStep, Checkpoint: calcCheckpoint}
		restore, serve = c.Restore, c.Serve
	}
	ss := asap.NewServerSession(a, asap.ServerSessionConfig{Signer: s.signer, Restore: func(b []byte) error {
		if err := restore(b); err != nil {
			return err
		}
		s.log.Info("session state restored from a cookie", "peer", a.RemoteAddrs())
		return nil
	}, Logger: s.log})
	if s.cards != nil {
		cctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			s.cards.follow(cctx, ss)
		}()
		defer func() {
			stop()
			<-done
		}()
	}
	err := serve(ctx, ss, s.answered)
	switch {
	case errors.Is(err, asap.ErrCookieInvalid):
		s.log.Warn("cookie refused", "peer", a.RemoteAddrs(), "err", err)
		a.Abort("cookie refused: " + err.Error())
	case errors.Is(err, services.ErrMalformed):
		s.log.Warn("malformed request", "peer", a.RemoteAddrs())
		a.Abort("malformed request")
	}
}
