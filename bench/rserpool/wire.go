package rserpool

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"time"
)

// wireConfig is the shape of one run over the wire.
type wireConfig struct {
	Elements, Pools int
	Clients         []netip.Addr  // one association from each
	RegWindow       int           // registrations outstanding per association
	Resolvers       int           // associations that resolve for the throughput
	ResWindow       int           // resolutions outstanding per association
	ResDuration     time.Duration // how long they resolve
	LatencySamples  int           // resolutions one at a time
	Items           int           // elements per resolution: the registrar's MaxHandleResolutionItems
}

// wireResult is what one run measured.
type wireResult struct {
	RegistrationsPerSec float64       `json:"registrations_per_s"`
	RegisterTime        time.Duration `json:"register_ns"`
	ResolutionsPerSec   float64       `json:"resolutions_per_s"`
	LatencyP50          time.Duration `json:"latency_p50_ns"`
	LatencyP99          time.Duration `json:"latency_p99_ns"`
	BytesPerElement     float64       `json:"bytes_per_element"`
}

// runWire associates the clients with the registrar, registers the
// elements, resolves for throughput and then for latency.
func runWire(ctx context.Context, t target, cfg wireConfig) (wireResult, error) {
	var res wireResult
	clients, err := dialAll(ctx, cfg.Clients, t.lower(), 16)
	if err != nil {
		return res, fmt.Errorf("associating: %w", err)
	}
	defer closeAll(clients)

	before, err := t.memory()
	if err != nil {
		return res, err
	}
	shares := registrations(clients, cfg.Elements, cfg.Pools)
	res.RegisterTime, err = registerAll(ctx, clients, shares, cfg.RegWindow)
	if err != nil {
		return res, fmt.Errorf("registering: %w", err)
	}
	res.RegistrationsPerSec = float64(cfg.Elements) / res.RegisterTime.Seconds()
	if n, err := t.elements(); err != nil || n != cfg.Elements {
		return res, fmt.Errorf("the registrar holds %d elements (%v), want %d", n, err, cfg.Elements)
	}
	after, err := t.memory()
	if err != nil {
		return res, err
	}
	res.BytesPerElement = (float64(after) - float64(before)) / float64(cfg.Elements)

	n, elapsed, err := resolveFor(ctx, clients[:cfg.Resolvers], cfg.Pools, cfg.Items, cfg.ResWindow, cfg.ResDuration)
	if err != nil {
		return res, fmt.Errorf("resolving: %w", err)
	}
	res.ResolutionsPerSec = float64(n) / elapsed.Seconds()

	lat, err := latencies(ctx, clients[0], cfg.Pools, cfg.Items, cfg.LatencySamples)
	if err != nil {
		return res, fmt.Errorf("resolving one at a time: %w", err)
	}
	res.LatencyP50, res.LatencyP99 = percentile(lat, 50), percentile(lat, 99)
	return res, nil
}

// percentile returns the p-th percentile of ds (nearest rank).
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[max(i-1, 0)]
}

// addrs lists count loopback addresses 127.78.net.first and on.
func addrs(net, first, count int) []netip.Addr {
	out := make([]netip.Addr, count)
	for i := range out {
		out[i] = netip.AddrFrom4([4]byte{127, 78, byte(net + (first+i)/256), byte((first + i) % 256)})
	}
	return out
}
