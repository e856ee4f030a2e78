package simnet

import (
	"net/netip"
	"time"

	"github.com/rserpool/rserpool/sctp/lower"
)

// sendLocked takes one written packet through its link: the order of the
// checks and of the random draws is the one the package doc gives, and it
// must not change, or the same seed would give other losses.
func (n *Network) sendLocked(now time.Time, l *link, src, dst netip.AddrPort, b []byte) {
	cfg := &n.def
	if l.explicit {
		cfg = &l.cfg
	}
	l.stats.Sent++
	l.stats.SentBytes += int64(len(b))

	p := newPacket(b, src, dst)
	p.link = l
	if l.cut || len(n.down) > 0 && (n.down[src.Addr()] || n.down[dst.Addr()]) {
		n.dropLocked(p, &l.stats.DroppedBlackout)
		return
	}
	if len(b) > cfg.MTU {
		n.dropLocked(p, &l.stats.DroppedMTU)
		return
	}
	depart := now
	if cfg.Bandwidth > 0 {
		start := now
		if l.busyUntil.After(now) {
			start = l.busyUntil
		}
		// The bytes still to serialize before this packet, from the time
		// the queue needs to drain.
		backlog := float64(start.Sub(now)) * float64(cfg.Bandwidth) / float64(time.Second)
		if backlog+float64(len(b)) > float64(cfg.QueueLimit) {
			n.dropLocked(p, &l.stats.DroppedQueue)
			return
		}
		tx := time.Duration(int64(len(b)) * int64(time.Second) / cfg.Bandwidth)
		l.busyUntil = start.Add(tx)
		depart = l.busyUntil
	}
	if cfg.Loss > 0 && n.rng.Float64() < cfg.Loss {
		n.dropLocked(p, &l.stats.Lost)
		return
	}
	delay := cfg.Delay
	if cfg.Jitter > 0 {
		delay += time.Duration(n.rng.Int64N(int64(cfg.Jitter)))
	}
	if cfg.Reorder > 0 && n.rng.Float64() < cfg.Reorder {
		delay += cfg.ReorderDelay
		l.stats.Reordered++
	}
	at := depart.Add(delay)
	var dup *packet
	if cfg.Duplicate > 0 && n.rng.Float64() < cfg.Duplicate {
		l.stats.Duplicated++
		dup = p.clone()
	}
	n.scheduleLocked(now, p, at)
	if dup != nil {
		n.scheduleLocked(now, dup, at)
	}
}

// scheduleLocked delivers p at time at. A packet due now is delivered at
// once, without the timer, unless earlier packets are still waiting for
// it: they must arrive first.
func (n *Network) scheduleLocked(now time.Time, p *packet, at time.Time) {
	n.seq++
	p.seq = n.seq
	if !at.After(now) && (len(n.events) == 0 || n.events[0].at.After(now)) {
		n.deliverLocked(p)
		return
	}
	p.at = at
	n.events.push(p)
	if n.timerAt.IsZero() || at.Before(n.timerAt) {
		n.armLocked(now, at)
	}
}

func (n *Network) armLocked(now, at time.Time) {
	d := at.Sub(now)
	if n.timer == nil {
		n.timer = time.AfterFunc(d, n.fire)
	} else {
		n.timer.Reset(d)
	}
	n.timerAt = at
}

// fire delivers the packets that are due and sets the timer for the next
// one. A firing made stale by a Reset finds nothing due and only re-arms.
func (n *Network) fire() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return
	}
	n.timerAt = time.Time{}
	now := time.Now()
	for len(n.events) > 0 && !n.events[0].at.After(now) {
		n.deliverLocked(n.events.pop())
	}
	if len(n.events) > 0 {
		n.armLocked(now, n.events[0].at)
	}
}

// deliverLocked hands p to the host owning its destination address now,
// which may differ from the one that owned it when p was written.
func (n *Network) deliverLocked(p *packet) {
	l := p.link
	h := n.owners[p.dst.Addr()]
	if h == nil {
		n.dropLocked(p, &l.stats.DroppedNoRoute)
		return
	}
	size := len(p.buf)
	h.mu.Lock()
	if h.closed || h.count >= h.limit {
		h.stats.Overflow++
		h.mu.Unlock()
		n.dropLocked(p, &l.stats.DroppedOverflow)
		return
	}
	// The tap sees the packet before the reader can take it and recycle
	// its buffer.
	if n.tap != nil {
		n.tap(lower.Packet{Buf: p.buf, Src: p.src, Dst: p.dst}, true)
	}
	h.pushLocked(p)
	h.mu.Unlock()
	l.stats.Delivered++
	l.stats.DeliveredBytes += int64(size)
	select {
	case h.ready <- struct{}{}:
	default:
	}
}

func (n *Network) dropLocked(p *packet, counter *int) {
	*counter++
	if n.tap != nil {
		n.tap(lower.Packet{Buf: p.buf, Src: p.src, Dst: p.dst}, false)
	}
	p.free()
}
