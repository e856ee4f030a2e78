package asap

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
)

// fakeAnnounces is an AnnounceSource fed by the test.
type fakeAnnounces struct {
	c chan fakeDatagram
}

type fakeDatagram struct {
	b    []byte
	from netip.Addr
}

func newFakeAnnounces() *fakeAnnounces { return &fakeAnnounces{c: make(chan fakeDatagram, 16)} }

func (f *fakeAnnounces) ReadAnnounce(ctx context.Context, b []byte) (int, netip.Addr, error) {
	select {
	case d := <-f.c:
		return copy(b, d.b), d.from, nil
	case <-ctx.Done():
		return 0, netip.Addr{}, ctx.Err()
	}
}

func (f *fakeAnnounces) send(t *testing.T, m msg.Message, from netip.Addr) {
	t.Helper()
	b, err := msg.Encode(nil, m)
	if err != nil {
		t.Fatal(err)
	}
	f.c <- fakeDatagram{b: b, from: from}
}

func testList(t *testing.T, cfg Config) *serverList {
	t.Helper()
	c, err := cfg.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	return newServerList(&c)
}

func keys(regs []registrar) []string {
	var out []string
	for _, r := range regs {
		out = append(out, r.key())
	}
	return out
}

// RFC 5352 §3.6: an announcement without transports stands for its
// source address on the ASAP port; SCTP transports give the addresses
// and port; TCP ones are not for us. Each stays T7-ENRPoutdate after it
// was last announced; configured registrars stay for good.
func TestServerListAnnouncements(t *testing.T) {
	l := testList(t, Config{Registrars: []netip.AddrPort{reg1Addr}})
	now := time.Unix(1000, 0)
	src := netip.MustParseAddr("10.0.0.5")
	if n := l.announce(now, &msg.ServerAnnounce{ServerID: 5}, src); n != 1 {
		t.Fatalf("added %d", n)
	}
	sctpT := msg.Transport{Kind: msg.ParamSCTPTransport, Port: 4000,
		Addrs: msg.MakeAddrs(netip.MustParseAddr("10.0.0.6"), netip.MustParseAddr("10.1.0.6"))}
	tcpT := msg.Transport{Kind: msg.ParamTCPTransport, Port: 3863, Addrs: msg.MakeAddrs(netip.MustParseAddr("10.0.0.7"))}
	l.announce(now.Add(time.Second), &msg.ServerAnnounce{ServerID: 6, Transports: msg.MakeTransports(tcpT, sctpT)}, src)
	got := keys(l.list(now.Add(2 * time.Second)))
	want := []string{"10.0.0.1:9899/3863", "10.0.0.5:9899/3863", "10.0.0.6:9899/4000"}
	if len(got) != len(want) {
		t.Fatalf("list %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("list %v, want %v", got, want)
		}
	}
	if regs := l.list(now.Add(2 * time.Second)); len(regs[2].addrs) != 2 {
		t.Errorf("multihomed registrar %v", regs[2].addrs)
	}
	// Announced again at +4 s: the first one's T7 restarts.
	if n := l.announce(now.Add(4*time.Second), &msg.ServerAnnounce{ServerID: 5}, src); n != 0 {
		t.Errorf("known registrar added again")
	}
	got = keys(l.list(now.Add(6500 * time.Millisecond)))
	if len(got) != 2 || got[1] != "10.0.0.5:9899/3863" {
		t.Errorf("after 6.5 s: %v", got)
	}
	got = keys(l.list(now.Add(time.Hour)))
	if len(got) != 1 || got[0] != "10.0.0.1:9899/3863" {
		t.Errorf("after an hour: %v", got)
	}
	// The static registrar announcing itself changes nothing.
	if n := l.announce(now, &msg.ServerAnnounce{ServerID: 1}, reg1Addr.Addr()); n != 0 {
		t.Errorf("configured registrar added as announced")
	}
}

// A flood of announcements cannot grow the list past MaxAnnounced.
func TestServerListLimit(t *testing.T) {
	l := testList(t, Config{MaxAnnounced: 3})
	now := time.Unix(1000, 0)
	for i := range 10 {
		l.announce(now, &msg.ServerAnnounce{ServerID: msg.ServerID(i + 1)}, netip.AddrFrom4([4]byte{10, 9, 0, byte(i)}))
	}
	if n := len(l.list(now)); n != 3 {
		t.Errorf("%d registrars kept", n)
	}
	// Expired ones make room.
	l.announce(now.Add(time.Minute), &msg.ServerAnnounce{ServerID: 99}, netip.MustParseAddr("10.9.1.1"))
	if got := keys(l.list(now.Add(time.Minute))); len(got) != 1 || got[0] != "10.9.1.1:9899/3863" {
		t.Errorf("after expiry: %v", got)
	}
}

// Datagrams that are not ASAP_SERVER_ANNOUNCE are dropped by the reader.
func TestReadAnnouncementsDropsOthers(t *testing.T) {
	l := testList(t, Config{})
	src := newFakeAnnounces()
	src.c <- fakeDatagram{b: []byte{1, 2, 3}, from: netip.MustParseAddr("10.0.0.8")}
	src.send(t, &msg.EndpointUnreachable{PoolHandle: []byte("x"), ID: 1}, netip.MustParseAddr("10.0.0.9"))
	src.send(t, &msg.ServerAnnounce{ServerID: 3}, netip.MustParseAddr("10.0.0.3"))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		readAnnouncements(ctx, src, l, newTestLogger(t))
		close(done)
	}()
	for {
		changed := l.wait()
		if len(l.list(time.Now())) > 0 {
			break
		}
		<-changed
	}
	cancel()
	<-done
	if got := keys(l.list(time.Now())); len(got) != 1 || got[0] != "10.0.0.3:9899/3863" {
		t.Errorf("list %v", got)
	}
}

// ListenAnnounce wants a multicast group.
func TestListenAnnounceRefusesUnicast(t *testing.T) {
	if _, err := ListenAnnounce(netip.MustParseAddrPort("127.0.0.1:3863"), nil); !errors.Is(err, ErrConfig) {
		t.Errorf("ListenAnnounce: %v", err)
	}
}
