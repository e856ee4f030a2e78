package enrp

import (
	"net"
	"net/netip"
	"os"
	"sync"
	"time"
)

// fakeGroup is a multicast group in memory: what one member writes
// reaches every member, the writer too, as IP_MULTICAST_LOOP does.
type fakeGroup struct {
	mu      sync.Mutex
	members []*fakeMember
}

var fakeGroupSource = net.UDPAddrFromAddrPort(netip.MustParseAddrPort("10.0.9.9:9901"))

func (g *fakeGroup) join() *fakeMember {
	m := &fakeMember{g: g, in: make(chan []byte, 64), stop: make(chan struct{})}
	g.mu.Lock()
	g.members = append(g.members, m)
	g.mu.Unlock()
	return m
}

// inject delivers b to every member, as from a host outside the test.
func (g *fakeGroup) inject(b []byte) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, m := range g.members {
		select {
		case m.in <- append([]byte(nil), b...):
		default: // a full queue loses the datagram, as a socket does
		}
	}
}

// fakeMember is one member's socket. Only a read deadline in the past
// is honoured: the registrar sets one to stop reading.
type fakeMember struct {
	g        *fakeGroup
	in       chan []byte
	stop     chan struct{}
	stopOnce sync.Once
}

func (m *fakeMember) ReadFrom(b []byte) (int, net.Addr, error) {
	select {
	case d := <-m.in:
		return copy(b, d), fakeGroupSource, nil
	case <-m.stop:
		return 0, nil, os.ErrDeadlineExceeded
	}
}

func (m *fakeMember) WriteTo(b []byte, _ net.Addr) (int, error) {
	m.g.inject(b)
	return len(b), nil
}

func (m *fakeMember) SetReadDeadline(t time.Time) error {
	if !t.IsZero() && !t.After(time.Now()) {
		m.stopOnce.Do(func() { close(m.stop) })
	}
	return nil
}

func (m *fakeMember) Close() error                       { return nil }
func (m *fakeMember) LocalAddr() net.Addr                { return fakeGroupSource }
func (m *fakeMember) SetDeadline(t time.Time) error      { return m.SetReadDeadline(t) }
func (m *fakeMember) SetWriteDeadline(_ time.Time) error { return nil }
