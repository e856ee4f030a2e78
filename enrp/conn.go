package enrp

import (
	"context"
	"net/netip"
	"sync"
	"time"

	"github.com/rserpool/rserpool/asap/handlespace"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// conn is one association a peer (pool element or pool user) started
// with the registrar.
type conn struct {
	a      *sctp.Association
	out    chan []byte   // encoded messages for the writer
	gone   chan struct{} // closed by the reader when it ends
	kill   chan struct{} // closed to make the writer abort the association
	why    string        // the reason of kill, written before it is closed
	once   sync.Once
	remote []netip.Addr // the peer's addresses, for the ASAP transport and the address check
	port   uint16       // the peer's SCTP port
	ppid   uint32       // the protocol spoken: ASAP (PE, PU) or ENRP (a peer registrar)

	// Set before the loop hears of the association, read-only after.
	dialKey string // ASAP: dialed to reach adopted PEs (RFC 5353 §3.5.2); their key
	seed    *seed  // ENRP: dialed to a static peer whose identifier may be unknown
	dialed  *peer  // ENRP: dialed to this peer

	// Loop-owned.
	alive   bool
	pes     map[*handlespace.Element]*peState // registered through this association
	reports bucket                            // ASAP_ENDPOINT_UNREACHABLE admitted
	from    *peer                             // ENRP: the registrar that speaks on it, once heard
	// ENRP: when the oldest request on it not followed by any message
	// from the peer was sent; zero when nothing is awaited
	// (enrp_assoc.go).
	waitSince time.Time
}

func newConn(a *sctp.Association, cfg Config) *conn {
	c := &conn{
		a:     a,
		out:   make(chan []byte, cfg.SendQueue),
		gone:  make(chan struct{}),
		kill:  make(chan struct{}),
		port:  a.PeerPort(),
		ppid:  msg.PPIDASAP,
		alive: true,
		pes:   make(map[*handlespace.Element]*peState),
	}
	for _, ap := range a.RemoteAddrs() {
		c.remote = append(c.remote, ap.Addr().Unmap())
	}
	c.reports = newBucket(cfg.UnreachableRate, cfg.UnreachableBurst)
	return c
}

// peer names the association in logs.
func (c *conn) peer() string {
	if len(c.remote) == 0 {
		return "?"
	}
	return netip.AddrPortFrom(c.remote[0], c.port).String()
}

// asapTransport is the SCTP transport the registration came from, which
// the registrar records in the Pool Element (RFC 5352 §3.1 rule 4): the
// peer's SCTP port and addresses. It carries ASAP, so it is a
// control-only transport for the pool; rsplib marks it "data only", the
// only other value, and so does this registrar.
func (c *conn) asapTransport() msg.Transport {
	return msg.Transport{Kind: msg.ParamSCTPTransport, Port: c.port, Use: msg.DataOnly, Addrs: msg.MakeAddrs(c.remote...)}
}

// hasAddr reports whether a is one of the peer's addresses.
func (c *conn) hasAddr(a netip.Addr) bool {
	a = a.Unmap()
	for _, x := range c.remote {
		if x == a {
			return true
		}
	}
	return false
}

// sharesAddr reports whether the peers of c and d have an address in
// common: the same host.
func (c *conn) sharesAddr(d *conn) bool {
	for _, a := range d.remote {
		if c.hasAddr(a) {
			return true
		}
	}
	return false
}

// enqueue hands an encoded message to the writer without waiting. A full
// queue means the peer has not read what was sent to it for a long
// while (the SCTP send buffer filled up first): the association is
// aborted rather than the registrar holding more for it.
func (c *conn) enqueue(b []byte) bool {
	select {
	case c.out <- b:
		return true
	default:
		c.abort("the peer does not read its messages")
		return false
	}
}

// abort makes the writer abort the association.
func (c *conn) abort(why string) {
	c.once.Do(func() {
		c.why = why
		close(c.kill)
	})
}

// read receives the association's messages, decodes those with the
// association's PPID (ASAP's, or ENRP's for a peer registrar), and hands
// them to the loop of that protocol. It ends when the association does,
// telling the loop, or when ctx does, closing the association
// gracefully: its pool elements see a shutdown, not silence.
func (r *Registrar) read(ctx context.Context, c *conn) {
	defer close(c.gone)
	events := r.events
	if c.ppid == msg.PPIDENRP {
		events = r.enrpEvents
	}
	for {
		m, err := c.a.Receive(ctx)
		if err != nil {
			if ctx.Err() != nil {
				c.a.Close()
				return
			}
			r.postTo(ctx, events, event{kind: evDown, c: c, err: err})
			return
		}
		ev := event{kind: evMessage, c: c, ppid: m.PPID}
		if m.PPID == c.ppid {
			ev.raw = m.Data
			ev.m, ev.err = msg.DecodeMessage(msg.Protocol(c.ppid), m.Data)
		}
		if !r.postTo(ctx, events, ev) {
			c.a.Close()
			return
		}
	}
}

// write sends what the loop queued, on stream 0 with the association's
// PPID (RFC 5352 §5, RFC 5353 §5.4). A send that fails means the association is ending; the
// reader tells the loop.
func (r *Registrar) write(ctx context.Context, c *conn) {
	for {
		select {
		case b := <-c.out:
			if err := c.a.Send(ctx, sctp.Message{PPID: c.ppid, Data: b}); err != nil && ctx.Err() == nil {
				r.log.Debug("send failed", "peer", c.peer(), "err", err)
			}
		case <-c.kill:
			r.log.Warn("aborting association", "peer", c.peer(), "reason", c.why)
			c.a.Abort(c.why)
			return
		case <-c.gone:
			return
		case <-ctx.Done():
			return
		}
	}
}
