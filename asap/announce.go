package asap

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

// AnnounceSource delivers the datagrams sent to the ASAP announcement
// group, where registrars send ASAP_SERVER_ANNOUNCE (RFC 5352 §3.6).
// ListenAnnounce opens one on UDP multicast; tests feed their own.
type AnnounceSource interface {
	// ReadAnnounce reads one datagram into b and returns its length and
	// source address. It returns an error when ctx ends or the source is
	// closed; a PE or PU stops reading then.
	ReadAnnounce(ctx context.Context, b []byte) (n int, from netip.Addr, err error)
}

// AnnounceConn is a UDP socket joined to the announcement group.
type AnnounceConn struct {
	c *net.UDPConn
}

// ListenAnnounce joins the multicast group (msg.ASAPAnnounceGroup,
// 239.0.0.50:3863, is where rsplib's registrars announce; RFC 5352 §8.4
// assigns 224.0.1.185) on interface ifi (nil: the system's choice).
func ListenAnnounce(group netip.AddrPort, ifi *net.Interface) (*AnnounceConn, error) {
	if !group.Addr().IsMulticast() {
		return nil, &ConfigError{Field: "announce group", Rule: group.String() + " is not a multicast address"}
	}
	network := "udp4"
	if group.Addr().Is6() {
		network = "udp6"
	}
	c, err := net.ListenMulticastUDP(network, ifi, net.UDPAddrFromAddrPort(group))
	if err != nil {
		return nil, err
	}
	return &AnnounceConn{c: c}, nil
}

// ReadAnnounce implements AnnounceSource.
func (a *AnnounceConn) ReadAnnounce(ctx context.Context, b []byte) (int, netip.Addr, error) {
	if err := ctx.Err(); err != nil {
		return 0, netip.Addr{}, err
	}
	a.c.SetReadDeadline(time.Time{})
	stop := context.AfterFunc(ctx, func() { a.c.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	n, from, err := a.c.ReadFromUDPAddrPort(b)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return 0, netip.Addr{}, cerr
		}
		return 0, netip.Addr{}, err
	}
	return n, from.Addr().Unmap(), nil
}

// Close leaves the group and closes the socket.
func (a *AnnounceConn) Close() error { return a.c.Close() }

// readAnnouncements feeds the server list from src until ctx ends or src
// fails. Datagrams that are not a well-formed ASAP_SERVER_ANNOUNCE are
// dropped: the group is open to anyone on the link.
func readAnnouncements(ctx context.Context, src AnnounceSource, list *serverList, log *slog.Logger) {
	buf := make([]byte, msg.MaxMessageLen)
	for {
		n, from, err := src.ReadAnnounce(ctx, buf)
		if err != nil {
			if ctx.Err() == nil && !errors.Is(err, net.ErrClosed) {
				log.Warn("asap: announcements: read failed; no longer listening", "err", err)
			}
			return
		}
		m, err := msg.DecodeASAP(buf[:n])
		if err != nil {
			log.Debug("asap: announcements: datagram dropped", "from", from, "err", err)
			continue
		}
		sa, ok := m.(*msg.ServerAnnounce)
		if !ok {
			log.Debug("asap: announcements: not a server announce", "from", from, "type", m.MessageType())
			continue
		}
		if list.announce(time.Now(), sa, from) > 0 {
			log.Info("asap: registrar announced", "from", from, "server", sa.ServerID)
		}
	}
}
