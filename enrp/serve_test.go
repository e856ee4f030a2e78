package enrp

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/simnet"
)

// packetSink is a net.PacketConn that keeps what is written to it, or
// fails every write.
type packetSink struct {
	mu     sync.Mutex
	fail   bool
	writes []sinkWrite
}

type sinkWrite struct {
	at  time.Time
	to  string
	msg []byte
}

func (p *packetSink) WriteTo(b []byte, addr net.Addr) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail {
		return 0, errors.New("network is unreachable")
	}
	p.writes = append(p.writes, sinkWrite{time.Now(), addr.String(), append([]byte(nil), b...)})
	return len(b), nil
}

func (p *packetSink) got() []sinkWrite {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]sinkWrite(nil), p.writes...)
}

func (p *packetSink) ReadFrom([]byte) (int, net.Addr, error) { return 0, nil, net.ErrClosed }
func (p *packetSink) Close() error                           { return nil }
func (p *packetSink) LocalAddr() net.Addr                    { return &net.UDPAddr{} }
func (p *packetSink) SetDeadline(time.Time) error            { return nil }
func (p *packetSink) SetReadDeadline(time.Time) error        { return nil }
func (p *packetSink) SetWriteDeadline(time.Time) error       { return nil }

// The registrar announces itself every T6 (RFC 5352 §3.6, §7.1) with its
// identifier and the SCTP transport where it serves ASAP.
func TestServerAnnounce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := &packetSink{}
		tb := newTestbed(t, Config{AnnounceConn: sink})
		start := time.Now()
		wait(3*time.Second + time.Millisecond)
		got := sink.got()
		if len(got) != 4 {
			t.Fatalf("%d announcements in 3 s, want 4", len(got))
		}
		for i, w := range got {
			if w.at.Sub(start) != time.Duration(i)*time.Second || w.to != "239.0.0.50:3863" {
				t.Errorf("announcement %d at %v to %s", i, w.at.Sub(start), w.to)
			}
			m, err := msg.DecodeASAP(w.msg)
			if err != nil {
				t.Fatal(err)
			}
			sa := m.(*msg.ServerAnnounce)
			var tr msg.Transport
			it := sa.Transports.Iter()
			if sa.ServerID != testServerID || !it.Next(&tr) || tr.Kind != msg.ParamSCTPTransport ||
				tr.Port != msg.PortASAP || tr.Addrs.First() != regAddr.Addr() {
				t.Fatalf("announcement %+v, transport %+v", sa, tr)
			}
		}
		if s := tb.r.Stats(); s.Announcements != 4 {
			t.Errorf("stats %+v", s)
		}
	})
}

// countHandler counts the log records of each message.
type countHandler struct {
	mu sync.Mutex
	n  map[string]int
}

func (h *countHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *countHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.n[r.Message]++
	return nil
}
func (h *countHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *countHandler) WithGroup(string) slog.Handler      { return h }

func (h *countHandler) count(m string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n[m]
}

// Announcements that cannot be sent are logged once per run of failures,
// and the registrar serves on.
func TestServerAnnounceFailureLoggedOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := &packetSink{fail: true}
		logs := &countHandler{n: map[string]int{}}
		tb := newTestbed(t, Config{AnnounceConn: sink, Logger: slog.New(logs)})
		wait(5 * time.Second)
		c := tb.client()
		c.mustRegister("pool", c.pe(1, roundRobin))
		if n := logs.count("ASAP_SERVER_ANNOUNCE not sent"); n != 1 {
			t.Fatalf("%d warnings, want 1", n)
		}
	})
}

// Close stops Serve, which shuts its associations down gracefully and
// returns nil; a closed registrar does not serve again; one Serve at a
// time.
func TestServeClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tb := newTestbed(t, Config{})
		c := tb.client()
		c.mustRegister("pool", c.pe(1, roundRobin))
		if err := tb.r.Serve(context.Background(), tb.ep); !errors.Is(err, ErrServing) {
			t.Fatalf("second Serve: %v", err)
		}
		tb.r.Close()
		if err := <-tb.done; err != nil {
			t.Fatalf("Serve: %v", err)
		}
		tb.done <- nil // for the cleanup
		if _, err := c.a.Receive(context.Background()); !errors.Is(err, io.EOF) {
			t.Fatalf("client after Close: %v, want the shutdown's EOF", err)
		}
		if err := tb.r.Serve(context.Background(), tb.ep); !errors.Is(err, ErrClosed) {
			t.Fatalf("Serve after Close: %v", err)
		}
		// The handlespace is still readable.
		if _, ok := tb.element("pool", 1); !ok {
			t.Fatal("handlespace lost")
		}
	})
}

// A Serve that ends with its context leaves the handlespace to the next
// one, on another endpoint; the pool elements of the first had their
// associations closed, and are removed when their keep-alives fail
// unless they register again.
func TestServeAgain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(1)
		defer n.Close()
		r, err := New(Config{ServerID: testServerID, DisableAnnounce: true, Rand: rand.New(rand.NewPCG(1, 2))})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		serve := func(ctx context.Context) (*sctp.Endpoint, chan error) {
			ep, err := sctp.NewEndpoint(n.Host(regAddr), msg.PortASAP, nil)
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- r.Serve(ctx, ep) }()
			synctest.Wait()
			return ep, done
		}
		ctx, cancel := context.WithCancel(context.Background())
		ep1, done := serve(ctx)
		tb := &testbed{t: t, n: n, r: r, ep: ep1}
		c := tb.client()
		c.mustRegister("pool", c.pe(1, roundRobin))
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Serve: %v", err)
		}
		ep1.Close()
		if s := r.Stats(); s.Associations != 0 || s.PoolElements != 1 {
			t.Fatalf("after the first Serve: %+v", s)
		}

		ep2, done := serve(context.Background())
		defer ep2.Close()
		d := tb.clientAt(netip.MustParseAddrPort("10.0.1.9:9899"))
		d.mustRegister("pool", d.pe(2, roundRobin))
		d.startAutoAck()
		wait(2 * DefaultKeepAliveInterval)
		if _, ok := tb.element("pool", 1); ok {
			t.Fatal("the PE of the first Serve stays")
		}
		if _, ok := tb.element("pool", 2); !ok {
			t.Fatal("the PE of the second Serve left")
		}
		r.Close()
		if err := <-done; err != nil {
			t.Fatalf("Serve: %v", err)
		}
	})
}

// A Serve whose endpoint is closed under it returns the error.
func TestServeEndpointClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := simnet.New(1)
		defer n.Close()
		r, _ := New(Config{DisableAnnounce: true})
		ep, _ := sctp.NewEndpoint(n.Host(regAddr), msg.PortASAP, nil)
		done := make(chan error, 1)
		go func() { done <- r.Serve(context.Background(), ep) }()
		synctest.Wait()
		ep.Close()
		if err := <-done; err == nil {
			t.Fatal("Serve returned nil after its endpoint closed")
		}
	})
}
