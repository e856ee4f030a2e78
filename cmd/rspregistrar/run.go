package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/rserpool/rserpool/enrp"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/capture"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/udpencap"
)

// run starts the registrar and serves until ctx ends. It returns the
// exit status: 0 after a clean stop, 1 when something could not start
// or the endpoint failed.
func run(ctx context.Context, opts options, stderr io.Writer) int {
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: opts.level}))
	if opts.enrp != "" || len(opts.peers) > 0 {
		log.Warn("ENRP not implemented yet: -enrp and -peer are ignored", "enrp", opts.enrp, "peers", opts.peers)
	}

	uc, err := udpencap.Listen(udpencap.Config{Addrs: opts.asapAddrs, Port: opts.udpPort, EphemeralPort: opts.udpPort == 0})
	if err != nil {
		log.Error("cannot open the UDP encapsulation", "err", err)
		return 1
	}
	var lc lower.Conn = uc
	if opts.pcap != "" {
		cc, err := capture.WrapFile(uc, opts.pcap)
		if err != nil {
			uc.Close()
			log.Error("cannot open the capture file", "file", opts.pcap, "err", err)
			return 1
		}
		lc = cc
	}
	ep, err := sctp.NewEndpoint(lc, opts.asapPort, &sctp.Config{Logger: log.With("layer", "sctp")})
	if err != nil {
		lc.Close()
		log.Error("cannot start the SCTP endpoint", "err", err)
		return 1
	}
	defer ep.Close()
	// Listen before anything can tell a peer where the registrar is;
	// Serve listens again, which changes nothing.
	if err := ep.Listen(); err != nil {
		log.Error("cannot listen", "err", err)
		return 1
	}

	cfg := opts.cfg
	cfg.Logger = log
	cfg.AnnounceAddr = opts.announce
	cfg.DisableAnnounce = opts.noAnnounce
	r, err := enrp.New(cfg)
	if err != nil {
		log.Error("bad configuration", "err", err)
		return 1
	}
	defer r.Close()

	web, err := startHTTP(r, opts, log)
	if err != nil {
		log.Error("cannot serve HTTP", "err", err)
		return 1
	}
	defer web.shutdown()

	done := make(chan error, 1)
	go func() { done <- r.Serve(ctx, ep) }()
	log.Info("rspregistrar started", "id", r.ID().String(), "asap", ep.Addrs(), "sctp-port", ep.Port(),
		"announce", !opts.noAnnounce, "http", web.addrs)
	if opts.ready != nil {
		opts.ready(readyInfo{ASAP: ep.Addrs(), HTTP: web.addrs, Server: r.ID()})
	}
	if err := <-done; err != nil {
		log.Error("registrar failed", "err", err)
		return 1
	}
	return 0
}
