package cli

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/rserpool/rserpool/sctp"
)

// EventLine renders an association event in one line for -v: what
// happened and, for a path, its address, its new state and why (RFC 9260
// §11.2.2 reports the same to the user).
func EventLine(ev sctp.Event) string {
	switch ev.Kind {
	case sctp.EventUp:
		return "association up"
	case sctp.EventPath:
		return fmt.Sprintf("path %s %s (%s)", addrString(ev.Path), ev.PathState, ev.Reason)
	case sctp.EventPrimary:
		return fmt.Sprintf("primary path now %s (%s)", addrString(ev.Path), ev.Reason)
	case sctp.EventDown:
		return fmt.Sprintf("association down: %v", ev.Err)
	case sctp.EventShutdownStarted:
		return "peer started a graceful shutdown"
	case sctp.EventShutdownComplete:
		return "graceful shutdown complete"
	case sctp.EventRestart:
		return "peer restarted the association"
	case sctp.EventSendFailed:
		if m := ev.Message; m != nil {
			return fmt.Sprintf("message of %d bytes on stream %d not delivered: %v", len(m.Data), m.Stream, ev.Err)
		}
		return fmt.Sprintf("message not delivered: %v", ev.Err)
	case sctp.EventPeerError:
		return fmt.Sprintf("peer reported an error: %v", ev.Err)
	}
	return ev.Kind.String()
}

// UpLine describes a new association: the peer's SCTP port and all its
// addresses, the primary first, which are the association's paths.
func UpLine(a *sctp.Association) string {
	return fmt.Sprintf("association up with SCTP port %d, %s", a.PeerPort(), PathList(a.RemoteAddrs()))
}

// PathList renders the peer addresses of an association.
func PathList(remotes []netip.AddrPort) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d path", len(remotes))
	if len(remotes) != 1 {
		b.WriteByte('s')
	}
	for i, r := range remotes {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(addrString(r))
		if i == 0 {
			b.WriteString(" (primary)")
		}
	}
	return b.String()
}

// PathLines renders each path of a Stats snapshot: its state, smoothed
// RTT and traffic.
func PathLines(s sctp.Stats) []string {
	out := make([]string, 0, len(s.Paths))
	for _, p := range s.Paths {
		out = append(out, fmt.Sprintf("path %s %s: srtt %s, %d packets sent, %d received, %d heartbeats acknowledged, %d retransmissions",
			addrString(p.Remote), p.State, p.SRTT.Round(time.Microsecond), p.PacketsSent, p.PacketsReceived, p.HeartbeatsAcked, p.Retransmissions))
	}
	return out
}

// addrString renders an address of the lower layer: with its UDP port
// over UDP, alone over IP, where the port is 0.
func addrString(a netip.AddrPort) string {
	if a.Port() == 0 {
		return a.Addr().String()
	}
	return a.String()
}
