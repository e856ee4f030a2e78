package main

import (
	"context"
	"io"
	"log/slog"
	"net/netip"

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
	cfg.Peers = opts.peers
	cfg.Logger = log
	cfg.AnnounceAddr = opts.announce
	cfg.DisableAnnounce = opts.noAnnounce
	cfg.ENRPMulticastAddr = opts.enrpGroup
	cfg.DisableENRPMulticast = opts.noGroup
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

	var enrpEP *sctp.Endpoint
	if opts.enrp.IsValid() {
		// ENRP has its own endpoint over its own UDP socket: the -enrp
		// address with the -enrp port as both the UDP and the SCTP port
		// (enrp.Config.PeerLowerPort left 0 says so to the peers).
		ec, err := udpencap.Listen(udpencap.Config{Addrs: []netip.Addr{opts.enrp.Addr()}, Port: opts.enrp.Port()})
		if err != nil {
			log.Error("cannot open the ENRP UDP encapsulation", "err", err)
			return 1
		}
		enrpEP, err = sctp.NewEndpoint(ec, opts.enrp.Port(), &sctp.Config{Logger: log.With("layer", "sctp-enrp")})
		if err != nil {
			ec.Close()
			log.Error("cannot start the ENRP endpoint", "err", err)
			return 1
		}
		defer enrpEP.Close()
	} else if len(opts.peers) > 0 {
		log.Warn("-peer without -enrp: ENRP is off")
	}

	done := make(chan error, 2)
	go func() { done <- r.Serve(ctx, ep) }()
	if enrpEP != nil {
		go func() { done <- r.ServeENRP(ctx, enrpEP) }()
	}
	log.Info("rspregistrar started", "id", r.ID().String(), "asap", ep.Addrs(), "sctp-port", ep.Port(),
		"announce", !opts.noAnnounce, "http", web.addrs)
	if opts.ready != nil {
		opts.ready(readyInfo{ASAP: ep.Addrs(), HTTP: web.addrs, Server: r.ID()})
	}
	status := 0
	n := 1
	if enrpEP != nil {
		n = 2
	}
	for range n {
		if err := <-done; err != nil {
			log.Error("registrar failed", "err", err)
			status = 1
			r.Close()
		}
	}
	return status
}
