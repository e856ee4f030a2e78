package enrp

import (
	"container/heap"
	"strconv"
	"time"

	"github.com/rserpool/rserpool/asap/handlespace"
	"github.com/rserpool/rserpool/asap/msg"
)

// This file watches over the pool elements the registrar is home for
// (RFC 5352 §3.5): a keep-alive to each every KeepAliveInterval, give or
// take half, and the PE that does not acknowledge within
// KeepAliveTimeout, or cannot be sent one, leaves the handlespace.

// peState is what the registrar keeps about a pool element it owns.
type peState struct {
	e       *handlespace.Element
	c       *conn     // the association it registered over; nil once that ended
	due     time.Time // next keep-alive, or while waiting the end of the wait for its ack
	waiting bool      // a keep-alive is out
	reports int       // ASAP_ENDPOINT_UNREACHABLE since it last registered
	idx     int       // index in the monitor heap
}

// monitorHeap orders the owned elements by due time.
type monitorHeap []*peState

func (h monitorHeap) Len() int           { return len(h) }
func (h monitorHeap) Less(i, j int) bool { return h[i].due.Before(h[j].due) }
func (h monitorHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx, h[j].idx = i, j
}
func (h *monitorHeap) Push(x any) {
	s := x.(*peState)
	s.idx = len(*h)
	*h = append(*h, s)
}
func (h *monitorHeap) Pop() any {
	old := *h
	s := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	s.idx = -1
	return s
}

// jitter returns the gap to the next keep-alive: uniform in
// [interval/2, interval*3/2], as RFC 5352 §3.5 asks ("varying the time
// between two ASAP_ENDPOINT_KEEP_ALIVE messages to the same PE randomly
// by plus/minus 50 percent").
func (r *Registrar) jitter() time.Duration {
	iv := r.cfg.KeepAliveInterval
	return iv/2 + time.Duration(r.cfg.Rand.Uint64N(uint64(iv)+1))
}

// schedule sets s's next keep-alive, after an acknowledgement or a
// registration.
func (r *Registrar) schedule(s *peState, now time.Time) {
	s.waiting = false
	s.due = now.Add(r.jitter())
	if s.idx < 0 {
		heap.Push(&r.monitor, s)
	} else {
		heap.Fix(&r.monitor, s.idx)
	}
}

// monitorDue handles the deadlines that have come: a keep-alive to send,
// or the end of the wait for one's acknowledgement.
func (r *Registrar) monitorDue(now time.Time) {
	for len(r.monitor) > 0 && !r.monitor[0].due.After(now) {
		s := r.monitor[0]
		if s.waiting {
			r.stats.KeepAliveFailures++
			r.removeOwned(s, "no keep-alive acknowledgement")
			continue
		}
		r.probe(s, now)
	}
}

// probe sends s a keep-alive and waits for the acknowledgement. Without
// an association to send it on, the keep-alive has failed at once, and
// RFC 5352 §3.5 has the PE removed: "If the sending of
// ASAP_ENDPOINT_KEEP_ALIVE to a PE fails, the ENRP server MUST consider
// the PE as unreachable and MUST remove the PE from its handlespace."
//
// The H flag is clear: the registrar is already the PE's home (§3.5
// asks for H clear in both kinds of probe). The PE Identifier parameter
// is rsplib's addition, not RFC 5352's (msg.EndpointKeepAlive.ID): with
// it, a PE that shares one association among several registrations
// knows which is asked about, and PEs that do not know it skip nothing,
// since the parameter's type is a known one.
func (r *Registrar) probe(s *peState, now time.Time) {
	ka := msg.EndpointKeepAlive{
		ServerID:   r.id,
		PoolHandle: []byte(s.e.Handle()),
		ID:         s.e.ID(),
		HasID:      true,
	}
	if !r.send(s.c, &ka) {
		r.stats.KeepAliveFailures++
		r.removeOwned(s, "keep-alive cannot be sent")
		return
	}
	r.stats.KeepAlivesSent++
	s.waiting = true
	s.due = now.Add(r.cfg.KeepAliveTimeout)
	heap.Fix(&r.monitor, s.idx)
}

// keepAliveAck takes a PE's answer (RFC 5352 §2.2.8). Only the
// association the PE registered over speaks for it; an acknowledgement
// from elsewhere, or one nobody waits for, changes nothing.
func (r *Registrar) keepAliveAck(c *conn, m *msg.EndpointKeepAliveAck, now time.Time) {
	e, ok := r.hs.Lookup(m.PoolHandle, m.ID)
	var s *peState
	if ok {
		s = r.owned[e]
	}
	if s == nil || s.c != c || !s.waiting {
		r.stats.Discarded++
		r.log.Debug("keep-alive acknowledgement for nothing awaited", "peer", c.peer(), "pe", m.ID.String())
		return
	}
	r.schedule(s, now)
}

// unreachable takes an ASAP_ENDPOINT_UNREACHABLE (RFC 5352 §3.5). The
// registrar probes the PE at once and removes it when the probe fails;
// the PE reported MaxBadPEReports times since it last registered is
// removed even if it answers the registrar, since its users cannot
// reach it. Reports of one association beyond Config.UnreachableRate are
// dropped, and a PE has one probe out at a time, so that a flood of
// reports becomes neither a flood of removals nor one of keep-alives to
// the PE (RFC 5355 §2.9, §2.10).
//
// A PE another registrar owns is counted but not probed: this registrar
// has no association to it; its home hears of it through ENRP.
func (r *Registrar) unreachable(c *conn, m *msg.EndpointUnreachable, now time.Time) {
	if !c.reports.take(now) {
		r.stats.UnreachableDropped++
		return
	}
	r.stats.UnreachableReports++
	e, ok := r.hs.Lookup(m.PoolHandle, m.ID)
	if !ok {
		return
	}
	s := r.owned[e]
	if s == nil {
		return
	}
	s.reports++
	r.log.Debug("pool element reported unreachable", "peer", c.peer(), "pool", e.Handle(), "pe", e.ID().String(), "reports", s.reports)
	if s.reports >= r.cfg.MaxBadPEReports {
		r.stats.UnreachableRemovals++
		r.removeOwned(s, "reported unreachable "+strconv.Itoa(s.reports)+" times")
		return
	}
	if !s.waiting {
		r.probe(s, now)
	}
}

// removeOwned takes an owned element out of the handlespace, stops
// watching it, and tells the peers (RFC 5353 §3.3.2: "purging an
// unreachable PE").
func (r *Registrar) removeOwned(s *peState, why string) {
	e := s.e
	r.hs.Deregister([]byte(e.Handle()), e.ID())
	r.forget(s)
	r.announceUpdate(msg.DelPE, e)
	r.stats.Removals++
	r.log.Info("pool element removed", "pool", e.Handle(), "pe", e.ID().String(), "reason", why)
}

// forget drops the registrar's state of an owned element that left the
// handlespace.
func (r *Registrar) forget(s *peState) {
	if s.idx >= 0 {
		heap.Remove(&r.monitor, s.idx)
	}
	delete(r.owned, s.e)
	if s.c != nil {
		delete(s.c.pes, s.e)
		s.c = nil
	}
}
