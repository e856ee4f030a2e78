package main

import (
	"context"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/udpencap"
)

// env is what run takes from the process, so tests can run it over an
// in-memory network.
type env struct {
	listen func(addr netip.Addr, udpPort uint16) (lower.Conn, error)
	// listenAux opens the lower layer of the business card's pool user,
	// on the same address as the pool element but another port.
	listenAux func(addr netip.Addr) (lower.Conn, error)
	signals   <-chan os.Signal
	stderr    io.Writer
	crash     func() // -fail-after: end the process without a word to anyone
	ready     func(*asap.PoolElement)
}

func realEnv(sig <-chan os.Signal) env {
	return env{
		listen: func(addr netip.Addr, port uint16) (lower.Conn, error) {
			return udpencap.Listen(udpencap.Config{Addrs: []netip.Addr{addr}, Port: port})
		},
		listenAux: func(addr netip.Addr) (lower.Conn, error) {
			return udpencap.Listen(udpencap.Config{Addrs: []netip.Addr{addr}, EphemeralPort: true})
		},
		signals: sig,
		stderr:  os.Stderr,
		crash:   func() { os.Exit(1) },
	}
}

// deregisterTimeout bounds the de-registration at exit.
const deregisterTimeout = 10 * time.Second

// run serves until a signal; it returns the exit status.
func run(o options, e env) int {
	level := slog.LevelInfo
	if o.verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	conn, err := e.listen(o.local, o.udpPort)
	if err != nil {
		log.Error("cannot open the UDP socket", "addr", o.local, "port", o.udpPort, "err", err)
		return 1
	}
	ep, err := sctp.NewEndpoint(conn, o.localPort, &sctp.Config{})
	if err != nil {
		conn.Close()
		log.Error("cannot start SCTP", "err", err)
		return 1
	}
	defer ep.Close()
	pol := o.policy
	pol.Load = o.load
	cfg := asap.PEConfig{
		Config: asap.Config{
			Registrars:    o.registrars,
			RegistrarPort: o.registrarPort,
			Logger:        log,
		},
		PoolHandle:     o.handle,
		TransportUse:   transportUse(o.service),
		Policy:         pol,
		Lifetime:       o.lifetime,
		LifetimeMillis: o.lifetimeMS,
		ID:             msg.PEID(o.id),
	}
	if o.announce {
		ac, err := asap.ListenAnnounce(msg.ASAPAnnounceGroup, nil)
		if err != nil {
			log.Error("cannot listen for announcements", "group", msg.ASAPAnnounceGroup, "err", err)
			return 1
		}
		defer ac.Close()
		cfg.Announcements = ac
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pe, err := asap.NewPoolElement(ctx, ep, cfg)
	if err != nil {
		log.Error("cannot start the pool element", "err", err)
		return 1
	}
	log.Info("pool element started", "pool", o.handle, "pe", pe.ID(), "service", o.service,
		"addr", netip.AddrPortFrom(o.local, o.localPort), "policy", pol.Type)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for ev := range pe.Events() {
			logEvent(log, ev)
		}
	}()
	srv := &server{service: o.service, log: log, failAfter: int64(o.failAfter), crash: e.crash, calcStep: o.calcStep}
	if isSessionService(o.service) {
		if srv.signer, err = asap.NewCookieSigner([]byte(o.cookieKey), o.handle); err != nil {
			log.Error("cannot sign cookies", "err", err)
			pe.Close(ctx)
			return 1
		}
		if o.cookieKey == defaultCookieKey {
			log.Warn("cookies signed with the built-in example key: give every pool element the same -cookie-key")
		}
		if o.businessCard {
			stop, err := srv.startCards(o, e, pe.ID(), log)
			if err != nil {
				log.Error("cannot start the business card's pool user", "err", err)
				pe.Close(ctx)
				return 1
			}
			defer stop()
		}
	}
	if o.failAfterTime > 0 {
		t := time.AfterFunc(o.failAfterTime, func() {
			log.Warn("failing on purpose: exiting without de-registration", "after", o.failAfterTime)
			e.crash()
		})
		defer t.Stop()
	}
	go func() {
		defer wg.Done()
		srv.acceptLoop(ctx, pe)
	}()
	if e.ready != nil {
		e.ready(pe)
	}
	sig := <-e.signals
	log.Info("de-registering", "signal", sig)
	dctx, dcancel := context.WithTimeout(context.Background(), deregisterTimeout)
	err = pe.Close(dctx)
	dcancel()
	status := 0
	if err != nil {
		log.Warn("de-registration failed", "err", err)
		status = 1
	}
	cancel()
	ep.Close() // ends the associations with the pool users
	srv.wg.Wait()
	wg.Wait()
	return status
}

func logEvent(log *slog.Logger, ev asap.Event) {
	switch ev.Kind {
	case asap.EventRegistered:
		if !ev.Renewal {
			log.Info("registered", "registrar", ev.Registrar)
		} else {
			log.Debug("registration renewed", "registrar", ev.Registrar)
		}
	case asap.EventRegistrationFailed, asap.EventRegistrarLost:
		log.Warn(ev.Kind.String(), "registrar", ev.Registrar, "err", ev.Err)
	default:
		log.Info(ev.Kind.String(), "registrar", ev.Registrar, "server", ev.Server)
	}
}

// server runs the service on each association of a pool user.
type server struct {
	service   string
	log       *slog.Logger
	failAfter int64
	crash     func()
	signer    *asap.CookieSigner // the session services' cookies
	cards     *cardKeeper        // nil: no business cards
	calcStep  time.Duration
	count     atomic.Int64
	wg        sync.WaitGroup
}

func (s *server) acceptLoop(ctx context.Context, pe *asap.PoolElement) {
	for {
		a, err := pe.Accept(ctx)
		if err != nil {
			return
		}
		s.log.Debug("pool user connected", "peer", a.RemoteAddrs())
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serve(ctx, a)
		}()
	}
}

// answered counts a message served, and ends the process when
// -fail-after says so.
func (s *server) answered() {
	if n := s.count.Add(1); s.failAfter > 0 && n >= s.failAfter {
		s.log.Warn("failing on purpose: exiting without de-registration", "messages", n)
		s.crash()
	}
}
