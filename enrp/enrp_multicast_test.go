package enrp

import (
	"net/netip"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

// mcastCluster is a cluster whose registrars share a multicast group.
func mcastCluster(t *testing.T, seed uint64, cfg Config) *cluster {
	cl := newCluster(t, seed, fastENRP(cfg))
	cl.mcast = &fakeGroup{}
	return cl
}

// waitStat waits up to limit for cond on the registrar's stats.
func waitStat(t *testing.T, r *Registrar, limit time.Duration, what string, cond func(Stats) bool) {
	t.Helper()
	start := time.Now()
	for !cond(r.Stats()) {
		if time.Since(start) > limit {
			t.Fatalf("after %v: %s not reached: %+v", limit, what, r.Stats())
		}
		wait(10 * time.Millisecond)
	}
}

// Two registrars without static peers find each other by the presences
// on the group and share their handlespaces.
func TestMulticastTwoFindEachOther(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cl := mcastCluster(t, 11, Config{})
		cl.start(0, 0xb0000001)
		cl.start(1, 0xb0000002)
		cl.waitReady(0)
		cl.waitReady(1)
		cl.addPE(0, "pool", 1)
		cl.addPE(1, "pool", 2)
		cl.waitPeers(1, 10*time.Second)
		cl.waitConverged(10 * time.Second)
		for i := range 2 {
			if got := cl.resolveAt(i, "pool"); !slices.Equal(got, []msg.PEID{1, 2}) {
				t.Fatalf("registrar %d resolves %v, want [1 2]", i, got)
			}
			if s := cl.nodes[i].r.Stats(); s.MulticastReceived == 0 {
				t.Errorf("registrar %d: no presence taken from the group", i)
			}
		}
	})
}

// A registrar started later, without static peers, hears a mentor on
// the group and downloads the handlespace from it before it is ready.
func TestMulticastLateRegistrarFindsMentor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cl := mcastCluster(t, 12, Config{HandleTablePiece: 2})
		cl.start(0, 0xb0000001)
		cl.start(1, 0xb0000002)
		cl.waitReady(0)
		cl.waitReady(1)
		for id := range msg.PEID(5) {
			cl.addPE(int(id)%2, "pool", 100+id)
		}
		cl.waitConverged(10 * time.Second)
		pieces := cl.nodes[0].r.Stats().TablePiecesSent + cl.nodes[1].r.Stats().TablePiecesSent
		start := time.Now()
		cl.start(2, 0xb0000003)
		cl.waitReady(2)
		if got, want := peSet(cl.nodes[2].r), cl.livePEs(); !slices.Equal(got, want) {
			t.Fatalf("when ready: %v, want %v", got, want)
		}
		if sent := cl.nodes[0].r.Stats().TablePiecesSent + cl.nodes[1].r.Stats().TablePiecesSent - pieces; sent < 3 {
			t.Fatalf("%d table pieces sent, want at least 3 (5 PEs in pieces of 2)", sent)
		}
		// Sooner than the wait of one heartbeat cycle for a presence on
		// the group: the registrars that heard this one's probe it, and
		// the probe names a mentor.
		if took := time.Since(start); took >= cl.base.PeerHeartbeatCycle/2 {
			t.Fatalf("initialization took %v", took)
		}
		cl.waitPeers(2, 10*time.Second)
		cl.waitConverged(10 * time.Second)
	})
}

// A lone registrar waits one heartbeat cycle for a mentor on the group
// and then starts alone; its own presences, looped back by the group,
// make no peer.
func TestMulticastOwnPresenceIgnored(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cl := mcastCluster(t, 13, Config{})
		start := time.Now()
		nd := cl.start(0, 0xb0000001)
		cl.waitReady(0)
		if took := time.Since(start); took < cl.base.PeerHeartbeatCycle {
			t.Fatalf("ready after %v, before one heartbeat cycle", took)
		}
		waitStat(t, nd.r, 10*time.Second, "3 presences heard back", func(s Stats) bool { return s.MulticastOwn >= 3 })
		s := nd.r.Stats()
		if s.MulticastSent < 3 || s.MulticastReceived != 0 || s.Peers != 0 {
			t.Fatalf("sent %d, received %d, peers %d; want >= 3, 0, 0", s.MulticastSent, s.MulticastReceived, s.Peers)
		}
	})
}

// What is not a well-formed ENRP_PRESENCE is dropped and counted; a
// presence without Server Information makes no peer; the peers learned
// from the group count against MaxPeers.
func TestMulticastMalformedAndLimits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cl := mcastCluster(t, 14, Config{MaxPeers: 2})
		nd := cl.start(0, 0xb0000001)
		cl.waitReady(0)
		base := nd.r.Stats()

		cl.mcast.inject([]byte{0x01, 0x00, 0x00, 0x40}) // a length beyond the datagram
		list, err := msg.Encode(nil, &msg.ListRequest{Servers: msg.Servers{Sender: 0xc0000001}})
		if err != nil {
			t.Fatal(err)
		}
		cl.mcast.inject(list) // well-formed, but not a presence
		waitStat(t, nd.r, time.Second, "2 malformed", func(s Stats) bool { return s.MulticastMalformed == base.MulticastMalformed+2 })

		bare, err := msg.Encode(nil, &msg.Presence{Servers: msg.Servers{Sender: 0xc0000002}})
		if err != nil {
			t.Fatal(err)
		}
		cl.mcast.inject(bare)
		for i := range 4 {
			id := msg.ServerID(0xc0000010 + i)
			p := &msg.Presence{Servers: msg.Servers{Sender: id}, ServerInfo: msg.ServerInformation{ServerID: id,
				Transport: msg.Transport{Kind: msg.ParamSCTPTransport, Port: msg.PortENRP, Use: msg.DataOnly,
					Addrs: msg.MakeAddrs(netip.AddrFrom4([4]byte{10, 0, 3, byte(i + 1)}))}}}
			b, err := msg.Encode(nil, p)
			if err != nil {
				t.Fatal(err)
			}
			cl.mcast.inject(b)
		}
		waitStat(t, nd.r, time.Second, "5 presences handled", func(s Stats) bool {
			return s.MulticastReceived+s.Discarded >= base.MulticastReceived+base.Discarded+5
		})
		s := nd.r.Stats()
		if s.Peers != 2 {
			t.Fatalf("%d peers, want MaxPeers 2", s.Peers)
		}
		for _, p := range nd.r.Peers() {
			if p.ID == 0xc0000002 {
				t.Fatal("a presence without Server Information made a peer")
			}
		}
		if s.MulticastMalformed != base.MulticastMalformed+2 {
			t.Fatalf("%d malformed, want 2", s.MulticastMalformed-base.MulticastMalformed)
		}
	})
}
