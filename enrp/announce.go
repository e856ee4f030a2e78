package enrp

import (
	"context"
	"net"
	"net/netip"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// announce sends ASAP_SERVER_ANNOUNCE to Config.AnnounceAddr every
// AnnounceInterval until ctx ends (RFC 5352 §3.6), so that PEs and PUs
// that listen to the group find the registrar without a static list. The
// message lists the endpoint's addresses and SCTP port in one SCTP
// transport; rsplib lists none, which makes the receiver take the
// datagram's source address and port 3863, and a registrar on another
// port or several addresses needs the list.
//
// Announcing is a convenience: a socket that cannot be opened is logged
// once and the registrar goes on without; a failing send is logged once
// per run of failures.
func (r *Registrar) announce(ctx context.Context, ep *sctp.Endpoint) {
	pc := r.cfg.AnnounceConn
	if pc == nil {
		network := "udp4"
		if r.cfg.AnnounceAddr.Addr().Is6() {
			network = "udp6"
		}
		var err error
		pc, err = net.ListenPacket(network, ":0")
		if err != nil {
			r.log.Warn("cannot open the announcement socket; not announcing", "err", err)
			return
		}
		defer pc.Close()
	}
	var addrs []netip.Addr
	for _, a := range ep.Addrs() {
		addrs = append(addrs, a.Addr())
	}
	m := msg.ServerAnnounce{
		ServerID: r.id,
		Transports: msg.MakeTransports(msg.Transport{
			Kind: msg.ParamSCTPTransport, Port: ep.Port(), Use: msg.DataOnly, Addrs: msg.MakeAddrs(addrs...),
		}),
	}
	b, err := msg.Encode(nil, &m)
	if err != nil {
		r.log.Error("cannot encode ASAP_SERVER_ANNOUNCE; not announcing", "err", err)
		return
	}
	dst := net.UDPAddrFromAddrPort(r.cfg.AnnounceAddr)
	t := time.NewTicker(r.cfg.AnnounceInterval)
	defer t.Stop()
	failing := false
	for {
		if _, err := pc.WriteTo(b, dst); err != nil {
			if !failing {
				r.log.Warn("ASAP_SERVER_ANNOUNCE not sent", "to", r.cfg.AnnounceAddr, "err", err)
			}
			failing = true
		} else {
			failing = false
			r.mu.Lock()
			r.stats.Announcements++
			r.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
