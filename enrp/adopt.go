package enrp

import (
	"container/heap"
	"context"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// This file is the ASAP side of a takeover (RFC 5353 §3.5.2 step 2): the
// registrar that adopted a dead peer's PEs starts an association from
// its ASAP endpoint to each PE's ASAP transport, so that the PE sees the
// registrar's port (3863) and takes it for a registrar, and sends the PE
// an ASAP_ENDPOINT_KEEP_ALIVE with the H flag (RFC 5352 §3.4 KA2.4): the
// PE adopts its new home, acknowledges, and is watched from then on like
// any PE registered here. One association serves every PE behind one
// transport.

// peDial is an association to start to reach adopted PEs.
type peDial struct {
	key   string
	addrs []netip.AddrPort
	port  uint16
}

// peDialers bounds the associations to adopted PEs being set up at
// once, so that adopting thousands of PEs does not start thousands of
// handshakes together.
const peDialers = 16

// transportKey names an ASAP transport: the port and the addresses.
func transportKey(t *msg.Transport) string {
	k := strconv.Itoa(int(t.Port))
	it := t.Addrs.Iter()
	for a, ok := it.Next(); ok; a, ok = it.Next() {
		k += "," + a.String()
	}
	return k
}

// dialPEs starts the associations the ENRP side queued, until ctx ends.
// It runs in Serve, whose endpoint the PEs must see.
func (r *Registrar) dialPEs(ctx context.Context, ep *sctp.Endpoint, wg *sync.WaitGroup) {
	sem := make(chan struct{}, peDialers)
	kick(r.peDialKick) // dials queued before Serve started
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.peDialKick:
		}
		r.mu.Lock()
		q := r.enrp.dials
		r.enrp.dials = nil
		r.mu.Unlock()
		for _, d := range q {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			wg.Go(func() {
				defer func() { <-sem }()
				dctx, cancel := context.WithTimeout(ctx, r.cfg.MaxTimeNoResponse)
				a, err := ep.Dial(dctx, d.addrs, d.port)
				cancel()
				if err != nil {
					r.log.Info("adopted pool element not reachable", "addrs", d.addrs, "port", d.port, "err", err)
					r.post(ctx, event{kind: evDialFailed, key: d.key})
					return
				}
				c := newConn(a, r.cfg)
				c.dialKey = d.key
				if !r.post(ctx, event{kind: evUp, c: c}) {
					a.Abort("registrar stopping")
					return
				}
				wg.Go(func() { r.read(ctx, c) })
				wg.Go(func() { r.write(ctx, c) })
			})
		}
	}
}

// adoptedUp sends the keep-alive with the H flag to each PE adopted
// behind c's transport that is still this registrar's and has no
// association yet (it may have registered again meanwhile), and waits
// for its acknowledgement as for any keep-alive.
func (r *Registrar) adoptedUp(c *conn, now time.Time) {
	list := r.enrp.adopting[c.dialKey]
	delete(r.enrp.adopting, c.dialKey)
	for _, s := range list {
		if r.owned[s.e] != s || s.c != nil {
			continue
		}
		s.c = c
		c.pes[s.e] = s
		ka := msg.EndpointKeepAlive{Home: true, ServerID: r.id, PoolHandle: []byte(s.e.Handle()), ID: s.e.ID(), HasID: true}
		if !r.send(c, &ka) {
			r.stats.KeepAliveFailures++
			r.removeOwned(s, "keep-alive cannot be sent")
			continue
		}
		r.stats.KeepAlivesSent++
		s.waiting = true
		s.due = now.Add(r.cfg.KeepAliveTimeout)
		if s.idx < 0 {
			heap.Push(&r.monitor, s)
		} else {
			heap.Fix(&r.monitor, s.idx)
		}
	}
}

// adoptFailed removes the adopted PEs that could not be reached (RFC
// 5352 §3.5: a keep-alive that cannot be sent removes the PE).
func (r *Registrar) adoptFailed(key string) {
	list := r.enrp.adopting[key]
	delete(r.enrp.adopting, key)
	for _, s := range list {
		if r.owned[s.e] != s || s.c != nil {
			continue
		}
		r.stats.KeepAliveFailures++
		r.removeOwned(s, "adopted pool element not reachable")
	}
}
