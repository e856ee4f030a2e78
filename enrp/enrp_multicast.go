package enrp

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// This file sends and hears ENRP_PRESENCE on a UDP multicast group
// (Config.ENRPMulticastAddr), rsplib's way for registrars to find each
// other without static peers. RFC 5353 §3.2.2.1 leaves open how a new
// server finds its mentor besides configuration; a presence on the group
// carries the Server Information (§2.1) that says where the sender's
// ENRP endpoint is, and from there everything goes point to point over
// SCTP as §3.1 requires.
//
// RFC 5353 §6 warns that the source of a multicast announcement is not
// to be trusted and that there may be many: the registrar takes the
// ENRP transport from the Server Information, not from the datagram's
// source, and the peers it learns so count against MaxPeers.

// maxDatagram is the largest UDP payload.
const maxDatagram = 65535

// multicast joins the group, sends this registrar's presence to it every
// PeerHeartbeatCycle and hands the presences heard to the ENRP loop,
// until ctx ends. A socket that cannot be opened is logged once and the
// registrar goes on with its static peers; a failing send is logged once
// per run of failures.
func (r *Registrar) multicast(ctx context.Context, ep *sctp.Endpoint) {
	pc := r.cfg.ENRPMulticastConn
	if pc == nil {
		var local netip.Addr
		if addrs := ep.Addrs(); len(addrs) > 0 {
			local = addrs[0].Addr()
		}
		var err error
		pc, err = listenMulticast(r.cfg.ENRPMulticastAddr, local)
		if err != nil {
			r.log.Warn("cannot open the ENRP multicast socket; static peers only", "group", r.cfg.ENRPMulticastAddr, "err", err)
			return
		}
		defer pc.Close()
	}
	var wg sync.WaitGroup
	wg.Go(func() { r.readMulticast(ctx, pc) })
	// The loop below returns only once ctx is done: then a read
	// deadline in the past ends the reader, which is waited for before
	// the socket is closed. (Left to a context.AfterFunc, the deadline
	// could be cancelled by this return before it was set, leaving the
	// reader blocked.)
	defer func() {
		pc.SetReadDeadline(time.Now())
		wg.Wait()
	}()

	dst := net.UDPAddrFromAddrPort(r.cfg.ENRPMulticastAddr)
	t := time.NewTicker(r.cfg.PeerHeartbeatCycle)
	defer t.Stop()
	failing := false
	for {
		r.mu.Lock()
		b, ok := r.encode(r.presenceMsg(0, false))
		r.mu.Unlock()
		if ok {
			if _, err := pc.WriteTo(b, dst); err != nil {
				if !failing {
					r.log.Warn("ENRP_PRESENCE not sent to the group", "to", r.cfg.ENRPMulticastAddr, "err", err)
				}
				failing = true
			} else {
				failing = false
				r.mu.Lock()
				r.stats.MulticastSent++
				r.mu.Unlock()
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// readMulticast decodes the datagrams of the group. What is not a
// well-formed ENRP_PRESENCE is dropped and counted, and so is this
// registrar's own presence, which the group loops back; the others go to
// the ENRP loop.
func (r *Registrar) readMulticast(ctx context.Context, pc net.PacketConn) {
	buf := make([]byte, maxDatagram)
	for {
		n, _, err := pc.ReadFrom(buf)
		if err != nil {
			if ctx.Err() == nil && !errors.Is(err, net.ErrClosed) {
				r.log.Warn("ENRP multicast socket failed; no more presences from the group", "err", err)
			}
			return
		}
		// The decoded message aliases its bytes, which the loop reads
		// after the next datagram has filled buf.
		m, err := msg.DecodeENRP(append([]byte(nil), buf[:n]...))
		p, ok := m.(*msg.Presence)
		r.mu.Lock()
		switch {
		case err != nil || !ok:
			r.stats.MulticastMalformed++
			r.log.Debug("malformed datagram on the ENRP multicast group dropped", "len", n, "err", err)
		case p.Sender == r.id:
			r.stats.MulticastOwn++
		}
		r.mu.Unlock()
		if err != nil || !ok || p.Sender == r.id {
			continue
		}
		if !r.postTo(ctx, r.enrpEvents, event{kind: evMulticast, m: p}) {
			return
		}
	}
}

// multicastPresence takes a presence heard on the group. During the
// initialization its sender is a mentor to try (mentorCandidate);
// afterwards it is a peer like one heard over SCTP: new, it is probed
// with a PRESENCE asking for a reply (§3.4.1), which starts the
// association; known, it is heard (§3.4.3).
func (r *Registrar) multicastPresence(m *msg.Presence, now time.Time) {
	si := &m.ServerInfo
	if m.Sender == 0 || m.Sender == r.id || (m.Receiver != 0 && m.Receiver != r.id) ||
		si.ServerID != m.Sender || si.Transport.Kind != msg.ParamSCTPTransport || si.Transport.Addrs.Count() == 0 {
		// Without its Server Information a presence on the group does
		// not say where the sender is.
		r.stats.Discarded++
		return
	}
	r.stats.MulticastReceived++
	if r.enrp.mentor.phase != initDone {
		r.mentorCandidate(si, now)
		return
	}
	p := r.enrp.peers[m.Sender]
	if p == nil {
		if len(r.enrp.peers) >= r.cfg.MaxPeers {
			r.stats.Discarded++
			r.log.Warn("peer list full; multicast presence discarded", "peer", m.Sender.String())
			return
		}
		p = &peer{id: m.Sender, status: peerActive, heard: now}
		r.enrp.peers[p.id] = p
		p.addrs, p.port = r.lowerAddrs(&si.Transport), si.Transport.Port
		r.log.Info("new peer from the multicast group", "peer", p.id.String(), "addrs", p.addrs)
		r.sendPeer(p, r.presenceMsg(p.id, true))
		return
	}
	p.heard = now
	if len(p.addrs) == 0 {
		p.addrs, p.port = r.lowerAddrs(&si.Transport), si.Transport.Port
	}
	if p.status != peerActive {
		r.log.Info("peer alive again", "peer", p.id.String(), "was", p.status.String(), "via", "multicast")
		if p.status == peerTakingOver {
			r.stats.TakeoversAborted++
		}
		p.status, p.acks = peerActive, nil
	}
}

// mentorCandidate adds the registrar si names to the mentors to try
// (§3.2.2.1), after the static peers, and tries it at once when the
// initialization is waiting for one. The learned mentors count against
// MaxPeers, the peers they stand for.
func (r *Registrar) mentorCandidate(si *msg.ServerInformation, now time.Time) {
	addrs, port := r.lowerAddrs(&si.Transport), si.Transport.Port
	learned := 0
	for _, s := range r.enrp.seeds {
		if s.port == port && sameAddr(s.addrs, addrs) {
			return
		}
		if s.learned {
			learned++
		}
	}
	if learned+len(r.enrp.peers) >= r.cfg.MaxPeers {
		r.stats.Discarded++
		return
	}
	s := &seed{addrs: addrs, port: port, learned: true}
	if c := r.connTo(addrs, port); c != nil {
		// The registrar heard of this one already started an association.
		s.c = c
	}
	r.enrp.seeds = append(r.enrp.seeds, s)
	r.log.Info("mentor heard on the multicast group", "server", si.ServerID.String(), "addrs", addrs)
	if m := &r.enrp.mentor; m.phase == initWaiting {
		m.idx = len(r.enrp.seeds) - 1
		r.tryMentor(now)
	}
}

// dropLearnedSeeds forgets the mentors heard on the group once the
// initialization is over: those that answered are peers now, and the
// others are found again by their next presence.
func (r *Registrar) dropLearnedSeeds() {
	kept := r.enrp.seeds[:0]
	for _, s := range r.enrp.seeds {
		if !s.learned {
			kept = append(kept, s)
		}
	}
	clear(r.enrp.seeds[len(kept):])
	r.enrp.seeds = kept
}

// sameAddr reports whether two address lists share an address.
func sameAddr(a, b []netip.AddrPort) bool {
	for _, x := range a {
		for _, y := range b {
			if x.Addr() == y.Addr() {
				return true
			}
		}
	}
	return false
}
