package enrp

import (
	"errors"
	"net/netip"
	"os"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

// Registrars 0 and 2 cannot hear each other; registrar 1 hears both.
// Each of 0 and 2 presumes the other dead and starts a takeover, and
// registrar 1 acknowledges neither: it heard the target within
// MaxTimeLastHeard. Nobody takes anybody over, the PE keeps its home,
// and once the path is back the three agree again.
func TestENRPTakeoverOfPeerHeardLatelyRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cl := newCluster(t, 6, fastENRP(Config{}))
		cl.debug = os.Getenv("ENRP_DEBUG") != ""
		startThree(t, cl)
		pe := cl.addPE(2, "pool", 1)
		cl.waitConverged(time.Second)

		cfg := cl.base
		cl.n.Blackout(regENRPAddr(0).Addr(), regENRPAddr(2).Addr(), true)
		wait(4 * (cfg.MaxTimeLastHeard + cfg.MaxTimeNoResponse))
		var started uint64
		for _, nd := range cl.live() {
			s := nd.r.Stats()
			started += s.TakeoversStarted
			if s.Takeovers != 0 {
				t.Fatalf("registrar %v took over a live peer", nd.r.ID())
			}
		}
		if started == 0 {
			t.Fatal("no takeover started: the test cut nothing")
		}
		if s := cl.nodes[1].r.Stats(); s.TakeoversRefused == 0 {
			t.Fatalf("registrar 1 refused no takeover: %+v", s)
		}
		if h := msg.ServerID(pe.home.Load()); h != 0 {
			t.Fatalf("the PE was adopted by %v", h)
		}

		cl.n.Blackout(regENRPAddr(0).Addr(), regENRPAddr(2).Addr(), false)
		cl.waitConverged(4 * (cfg.MaxTimeLastHeard + cfg.MaxTimeNoResponse))
		cl.waitPeers(2, 4*(cfg.MaxTimeLastHeard+cfg.MaxTimeNoResponse))
		for _, nd := range cl.live() {
			if n := nd.r.Stats().Takeovers; n != 0 {
				t.Fatalf("registrar %v: %d takeovers", nd.r.ID(), n)
			}
		}
	})
}

// whiteBox is a registrar without endpoints, for the ENRP rules that
// tests drive by hand, under its lock.
func whiteBox(t *testing.T) *Registrar {
	t.Helper()
	r, err := New(Config{ServerID: 1, MaxTimeNoResponse: time.Second, DisableAnnounce: true})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// fakeConn is an ENRP association whose messages go nowhere.
func fakeConn(r *Registrar) *conn {
	c := &conn{out: make(chan []byte, 64), gone: make(chan struct{}), kill: make(chan struct{}), alive: true, port: msg.PortENRP, ppid: msg.PPIDENRP}
	r.enrp.conns[c] = struct{}{}
	return c
}

// The initiator of a takeover gives the target MaxTimeNoResponse to
// object, even with no peer to wait for: a PRESENCE from the target in
// that time stops the takeover; without one it completes.
func TestENRPTakeoverWaitsForTheTarget(t *testing.T) {
	for _, objects := range []bool{true, false} {
		synctest.Test(t, func(t *testing.T) {
			r := whiteBox(t)
			r.mu.Lock()
			defer r.mu.Unlock()
			start := time.Now()
			target := &peer{id: 2, status: peerProbing, heard: start.Add(-time.Minute)}
			r.enrp.peers[2] = target
			r.startTakeover(target, start)
			if r.enrp.peers[2] == nil || r.stats.Takeovers != 0 {
				t.Fatal("takeover completed before the target could object")
			}
			wait(r.cfg.MaxTimeNoResponse / 2)
			if objects {
				c := fakeConn(r)
				r.handleENRP(event{kind: evMessage, c: c, ppid: msg.PPIDENRP,
					m: &msg.Presence{Servers: msg.Servers{Sender: 2, Receiver: 1}}}, time.Now())
				if target.status != peerActive || r.stats.TakeoversAborted != 1 {
					t.Fatalf("target speaks: status %v, %d takeovers aborted", target.status, r.stats.TakeoversAborted)
				}
			}
			wait(r.cfg.MaxTimeNoResponse / 2)
			r.tickENRP(time.Now())
			switch {
			case objects && r.stats.Takeovers != 0:
				t.Fatal("a target that spoke was taken over")
			case !objects && r.stats.Takeovers != 1:
				t.Fatalf("silent target: %d takeovers, want 1", r.stats.Takeovers)
			}
		})
	}
}

// A request that gets no message back within MaxTimeNoResponse ends
// the association it went on (it may carry one way only); any message
// from the peer ends the wait, and a message that asks for nothing
// starts none.
func TestENRPAssociationWithoutAnswerAborted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := whiteBox(t)
		r.mu.Lock()
		defer r.mu.Unlock()
		mute, talks, quiet := fakeConn(r), fakeConn(r), fakeConn(r)
		peers := map[*conn]*peer{}
		for i, c := range []*conn{mute, talks, quiet} {
			p := &peer{id: msg.ServerID(2 + i), status: peerActive, heard: time.Now()}
			r.enrp.peers[p.id] = p
			r.bind(c, p)
			peers[c] = p
		}
		r.enrp.beat = time.Now().Add(time.Hour) // no heartbeat meanwhile
		r.sendPeer(peers[mute], r.presenceMsg(2, true))
		r.sendPeer(peers[talks], &msg.ListRequest{Servers: msg.Servers{Sender: 1, Receiver: 3}})
		r.sendPeer(peers[quiet], r.presenceMsg(4, false))
		wait(r.cfg.MaxTimeNoResponse / 2)
		r.handleENRP(event{kind: evMessage, c: talks, ppid: msg.PPIDENRP,
			m: &msg.Presence{Servers: msg.Servers{Sender: 3, Receiver: 1}}}, time.Now())
		wait(r.cfg.MaxTimeNoResponse / 2)
		if d := r.nextENRPDeadline(); d.After(time.Now()) {
			t.Fatalf("next ENRP deadline %v after the end of the wait", time.Until(d))
		}
		r.tickENRP(time.Now())
		if mute.alive || peers[mute].c != nil {
			t.Fatal("association without an answer kept")
		}
		select {
		case <-mute.kill:
		default:
			t.Fatal("association without an answer not aborted")
		}
		if !talks.alive || !quiet.alive {
			t.Fatal("an association that answered, or was asked nothing, ended")
		}
		if r.stats.PeerAssociationsAborted != 1 {
			t.Fatalf("%d associations aborted, want 1", r.stats.PeerAssociationsAborted)
		}
	})
}

// A registrar restarted at once on the address and port of one that
// died takes over the association SCTP kept with each peer (a peer
// restart, RFC 9260 §5.2.4); the peers must hear it on that
// association as the new registrar, not lose its messages to the old
// one's entry. No live registrar is taken for dead, the one that died
// is taken over once, and all agree.
func TestENRPRestartOnSameAddress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := fastENRP(Config{})
		cl := newCluster(t, 7, cfg)
		startThree(t, cl)
		cl.addPE(0, "pool", 1)
		cl.addPE(2, "pool", 2)
		cl.waitConverged(time.Second)
		cl.kill(2)
		wait(cfg.MaxTimeNoResponse / 5)
		cl.start(2, 0xa0000004, 0, 1)
		cl.waitReady(2)
		wait(3 * (cfg.MaxTimeLastHeard + cfg.MaxTimeNoResponse))
		cl.waitConverged(3 * (cfg.MaxTimeLastHeard + cfg.MaxTimeNoResponse))
		cl.waitPeers(2, time.Second)
		var takeovers uint64
		for _, nd := range cl.live() {
			s := nd.r.Stats()
			if s.TakeoversAborted != 0 {
				t.Errorf("registrar %v started a takeover of a live peer: %+v", nd.r.ID(), s)
			}
			takeovers += s.Takeovers
			if s.Takeovers > 0 {
				if got := nd.r.LastTakeover().Target; got != 0xa0000003 {
					t.Errorf("registrar %v took over %v, a live registrar", nd.r.ID(), got)
				}
			}
		}
		if takeovers != 1 {
			t.Errorf("%d takeovers, want 1 (of the registrar that died)", takeovers)
		}
	})
}

// The sender of a message names the registrar an association belongs
// to: after a registrar restarts on the address and port of one that
// died, SCTP keeps the association (a peer restart, RFC 9260 §5.2.4),
// and what this registrar sends to the new one must go on it, not wait
// for a dial SCTP refuses.
func TestENRPAssociationBelongsToItsSender(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := whiteBox(t)
		r.mu.Lock()
		defer r.mu.Unlock()
		c := fakeConn(r)
		old := &peer{id: 2, status: peerActive, heard: time.Now()}
		r.enrp.peers[2] = old
		r.bind(c, old)
		r.handleENRP(event{kind: evMessage, c: c, ppid: msg.PPIDENRP,
			m: &msg.Presence{Servers: msg.Servers{Sender: 5, Receiver: 1}}}, time.Now())
		p := r.enrp.peers[5]
		if p == nil || p.c != c || c.from != p {
			t.Fatal("the association is not the new registrar's")
		}
		if old.c != nil {
			t.Fatal("the old registrar keeps the association")
		}
		queued := len(c.out)
		if !r.sendPeer(p, r.presenceMsg(5, false)) || len(c.out) != queued+1 {
			t.Fatal("a message to the new registrar does not go on its association")
		}
	})
}

// A dial refused because the peer's own association came up first (it
// dialed at the same moment) is no failure: what waited for the dial
// goes on that association.
func TestENRPDialRacedUsesTheOtherAssociation(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := whiteBox(t)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.enrp.serving = true
		p := &peer{id: 2, status: peerProbing, heard: time.Now(), addrs: []netip.AddrPort{regENRPAddr(1)}, port: msg.PortENRP}
		r.enrp.peers[2] = p
		if !r.sendPeer(p, r.presenceMsg(2, true)) || len(p.out.queue) != 1 {
			t.Fatal("message not parked for the dial")
		}
		c := fakeConn(r) // accepted from the peer, not yet heard on
		c.remote = []netip.Addr{regENRPAddr(1).Addr()}
		r.handleENRP(event{kind: evDialFailed, peer: p, err: errors.New("an association with the peer exists")}, time.Now())
		if p.status != peerProbing || r.stats.TakeoversStarted != 0 {
			t.Fatal("a raced dial taken for a dead peer")
		}
		if p.c != c || len(c.out) != 1 || len(p.out.queue) != 0 {
			t.Fatal("the parked message did not go on the peer's association")
		}
	})
}
