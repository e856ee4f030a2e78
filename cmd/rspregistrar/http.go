package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/rserpool/rserpool/enrp"
)

// web is the HTTP side: one server per listening address, with
// /handlespace (for hsdump) and /metrics (for Prometheus) on the
// addresses the flags give them.
type web struct {
	servers []*http.Server
	addrs   map[string]string // path -> the address it is served on
	log     *slog.Logger
}

// startHTTP binds the listeners at once, so that a bad address stops the
// start, and serves them in the background.
func startHTTP(r *enrp.Registrar, opts options, log *slog.Logger) (*web, error) {
	w := &web{addrs: map[string]string{}, log: log}
	muxes := map[string]*http.ServeMux{}
	route := func(addr, path string, h http.HandlerFunc) {
		if addr == "" {
			return
		}
		if muxes[addr] == nil {
			muxes[addr] = http.NewServeMux()
		}
		muxes[addr].HandleFunc("GET "+path, h)
	}
	route(opts.hsdump, "/handlespace", func(rw http.ResponseWriter, _ *http.Request) { serveDump(rw, r) })
	route(opts.metrics, "/metrics", func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		writeMetrics(rw, r.ID(), r.Stats())
	})
	for addr, mux := range muxes {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			w.shutdown()
			return nil, err
		}
		for _, path := range []string{"/handlespace", "/metrics"} {
			if (path == "/handlespace" && addr == opts.hsdump) || (path == "/metrics" && addr == opts.metrics) {
				w.addrs[path] = ln.Addr().String()
			}
		}
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		w.servers = append(w.servers, srv)
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Warn("HTTP server failed", "addr", ln.Addr().String(), "err", err)
			}
		}()
	}
	return w, nil
}

// shutdown stops the HTTP servers, waiting a little for requests under
// way.
func (w *web) shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, s := range w.servers {
		s.Shutdown(ctx)
	}
}

// serveDump writes the handlespace and the counters as JSON
// (enrp.Dump), which hsdump reads.
func serveDump(rw http.ResponseWriter, r *enrp.Registrar) {
	rw.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(rw)
	enc.SetIndent("", "  ")
	enc.Encode(r.Dump())
}
