package asap

import (
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

// registrar is one ENRP server as a PE or PU reaches it: its addresses on
// the lower layer (IP address and UDP encapsulation port; several when it
// is multihomed, the primary first) and its SCTP port.
type registrar struct {
	addrs []netip.AddrPort
	port  uint16
}

// key identifies a registrar by its primary address and port.
func (r registrar) key() string {
	if len(r.addrs) == 0 {
		return ""
	}
	return r.addrs[0].String() + "/" + strconv.Itoa(int(r.port))
}

// String shows the registrar's primary address.
func (r registrar) String() string {
	if len(r.addrs) == 0 {
		return "no address"
	}
	return r.addrs[0].String()
}

// primary returns the registrar's primary address.
func (r registrar) primary() netip.AddrPort {
	if len(r.addrs) == 0 {
		return netip.AddrPort{}
	}
	return r.addrs[0]
}

// serverList is the list of registrars a PE or PU knows (RFC 5352 §3.6):
// the configured ones, always there, and those learned from
// ASAP_SERVER_ANNOUNCE, each kept for T7-ENRPoutdate after it was last
// announced. It is safe for concurrent use: the announcement reader adds
// to it while a server hunt reads it.
type serverList struct {
	mu        sync.Mutex
	static    []registrar
	announced []announced // in the order first heard
	max       int
	t7        time.Duration
	encap     uint16
	port      uint16
	changed   chan struct{} // closed and replaced when a registrar is added
}

type announced struct {
	r       registrar
	expires time.Time
}

func newServerList(c *Config) *serverList {
	s := &serverList{max: c.MaxAnnounced, t7: c.T7ENRPOutdate, encap: c.EncapPort, port: c.RegistrarPort,
		changed: make(chan struct{})}
	for _, a := range c.Registrars {
		s.static = append(s.static, registrar{addrs: []netip.AddrPort{a}, port: c.RegistrarPort})
	}
	return s
}

// list returns the registrars known at now: the configured ones, then the
// announced ones whose T7-ENRPoutdate has not expired. Expired ones are
// dropped ("If a T7-ENRPoutdate timer for a transport address expires,
// the corresponding address is deleted", RFC 5352 §3.6).
func (s *serverList) list(now time.Time) []registrar {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pruneLocked(now)
	out := make([]registrar, 0, len(s.static)+len(s.announced))
	out = append(out, s.static...)
	for _, a := range s.announced {
		out = append(out, a.r)
	}
	return out
}

// wait returns a channel closed when the next registrar is added.
func (s *serverList) wait() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

func (s *serverList) pruneLocked(now time.Time) {
	k := 0
	for _, a := range s.announced {
		if now.Before(a.expires) {
			s.announced[k] = a
			k++
		}
	}
	clear(s.announced[k:])
	s.announced = s.announced[:k]
}

// announce takes in an ASAP_SERVER_ANNOUNCE received from src at now. Its
// SCTP transports are the registrar's addresses; with none, "the SCTP
// transport protocol is assumed to be used and the source IP address and
// the IANA-registered ASAP port number" (RFC 5352 §3.6), which here is
// the configured registrar port, 3863 unless changed. TCP transports are
// left out: this side speaks ASAP over SCTP only. A known registrar's
// T7-ENRPoutdate restarts; a new one is added while there is room
// (Config.MaxAnnounced), so a flood of announcements cannot grow the
// list; expired entries make room first.
func (s *serverList) announce(now time.Time, m *msg.ServerAnnounce, src netip.Addr) int {
	var regs []registrar
	if m.Transports.Count() == 0 {
		if src.IsValid() {
			regs = append(regs, registrar{addrs: []netip.AddrPort{netip.AddrPortFrom(src.Unmap(), s.encap)}, port: s.port})
		}
	} else {
		var t msg.Transport
		it := m.Transports.Iter()
		for it.Next(&t) && len(regs) < maxAnnouncedTransports {
			if t.Kind != msg.ParamSCTPTransport {
				continue
			}
			r := registrar{port: t.Port}
			ai := t.Addrs.Iter()
			for a, ok := ai.Next(); ok && len(r.addrs) < maxInfoAddrs; a, ok = ai.Next() {
				if a.IsUnspecified() {
					// rsplib may list the wildcard: the sender's address stands for it.
					if !src.IsValid() {
						continue
					}
					a = src
				}
				r.addrs = append(r.addrs, netip.AddrPortFrom(a.Unmap(), s.encap))
			}
			if len(r.addrs) > 0 {
				regs = append(regs, r)
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pruneLocked(now)
	added := 0
	for _, r := range regs {
		if s.refreshLocked(r, now) {
			continue
		}
		if len(s.announced) >= s.max {
			continue
		}
		s.announced = append(s.announced, announced{r: r, expires: now.Add(s.t7)})
		added++
	}
	if added > 0 {
		close(s.changed)
		s.changed = make(chan struct{})
	}
	return added
}

// maxAnnouncedTransports bounds the transports taken from one
// announcement.
const maxAnnouncedTransports = 8

// refreshLocked restarts the T7-ENRPoutdate of a known registrar and
// reports whether r was known (configured ones count as known).
func (s *serverList) refreshLocked(r registrar, now time.Time) bool {
	k := r.key()
	for _, st := range s.static {
		if st.key() == k {
			return true
		}
	}
	for i := range s.announced {
		if s.announced[i].r.key() == k {
			s.announced[i].r = r
			s.announced[i].expires = now.Add(s.t7)
			return true
		}
	}
	return false
}
