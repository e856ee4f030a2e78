package sctp

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rserpool/rserpool/sctp/internal/assoc"
	"github.com/rserpool/rserpool/sctp/lower"
)

// Endpoint is an SCTP endpoint (RFC 9260 §2.4): one SCTP port on the
// addresses of a lower layer, with its associations.
//
// One lock guards the protocol engine and every association's state,
// and whichever goroutine has an input for it runs the step itself (see
// loop): the reader, which calls the lower layer's ReadBatch and hands
// each batch to the engine, the API calls, and a goroutine for the
// timers. While the reader is in a step the lower layer's own buffer
// holds what arrives, dropping only when it is full, as a socket does.
// Close stops both goroutines.
type Endpoint struct {
	conn   lower.Conn
	port   uint16
	addrs  []netip.AddrPort
	log    *slog.Logger
	linger time.Duration
	evQ    int
	rcvCap int // bytes of delivered messages queued per association

	pool     chan *call
	accepted chan *Association
	kick     chan struct{} // capacity 1: see kicked
	done     chan struct{} // closed when the loop has ended
	doneErr  error         // why the loop ended; written before done is closed

	kickMu sync.Mutex
	kicked []*Association // associations whose reader made room for more messages

	listening atomic.Bool
	writeErrs atomic.Uint64

	closeOnce sync.Once
	closeErr  error
	wg        sync.WaitGroup

	l *loop
}

// Sizes of the pool of pending sends and of the reader's batch.
const (
	poolSize   = 64 // calls kept for reuse
	batchBytes = 64 << 10
	maxBatch   = 32
)

// NewEndpoint starts an endpoint on SCTP port port over conn, on the
// local addresses conn lists, with packets up to conn's MTU. The
// endpoint owns conn from now on: Close closes it. A nil cfg means the
// defaults.
func NewEndpoint(conn lower.Conn, port uint16, cfg *Config) (*Endpoint, error) {
	if conn == nil {
		return nil, errors.New("sctp: nil lower layer")
	}
	var c Config
	if cfg != nil {
		c = *cfg
	}
	ac, err := c.engine()
	if err != nil {
		return nil, err
	}
	rnd := c.Rand
	if rnd == nil {
		rnd = rand.Reader
	}
	log := c.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	addrs := conn.LocalAddrs()
	mtu := conn.MTU()
	eng, err := assoc.NewEndpoint(ac, port, addrs, mtu, rnd, time.Now())
	if err != nil {
		return nil, err
	}
	acceptQ, evQ, linger := c.runtime()
	e := &Endpoint{
		conn: conn, port: port, addrs: addrs, log: log, linger: linger, evQ: evQ,
		rcvCap:   int(ac.Window),
		pool:     make(chan *call, poolSize),
		accepted: make(chan *Association, acceptQ),
		kick:     make(chan struct{}, 1),
		done:     make(chan struct{}),
	}
	bufLen := min(max(mtu, 1500), 65535)
	batchLen := max(1, min(maxBatch, batchBytes/bufLen))
	e.l = newLoop(e, eng)
	e.wg.Add(2)
	go e.l.run()
	go e.l.read(bufLen, batchLen)
	return e, nil
}

// Port returns the endpoint's SCTP port.
func (e *Endpoint) Port() uint16 { return e.port }

// Addr returns the endpoint's first local address (the lower layer's:
// IP address and encapsulation port).
func (e *Endpoint) Addr() netip.AddrPort { return e.addrs[0] }

// Addrs returns all the endpoint's local addresses.
func (e *Endpoint) Addrs() []netip.AddrPort { return append([]netip.AddrPort(nil), e.addrs...) }

// Listen makes the endpoint accept associations that peers start
// (RFC 9260 §5.1); Accept returns them.
func (e *Endpoint) Listen() error {
	err := e.do(func(time.Time) { e.l.eng.Listen(true) })
	if err != nil {
		return &OpError{Op: "listen", Err: err}
	}
	e.listening.Store(true)
	return nil
}

// Accept returns the next association a peer started, established. It
// needs Listen first. At most Config.AcceptQueue associations wait for
// Accept; more are aborted.
func (e *Endpoint) Accept(ctx context.Context) (*Association, error) {
	if !e.listening.Load() {
		return nil, &OpError{Op: "accept", Err: ErrNotListening}
	}
	select {
	case a := <-e.accepted:
		return a, nil
	case <-ctx.Done():
		return nil, &OpError{Op: "accept", Err: ctx.Err()}
	case <-e.done:
		return nil, &OpError{Op: "accept", Err: e.closedErr()}
	}
}

// Dial starts an association with the peer at peers (its addresses on
// the lower layer; the first is the primary) on SCTP port port, and
// waits until it is established. It fails when the handshake fails
// (ErrTimeout after Max.Init.Retransmits, an *AbortError when the peer
// refuses) or when ctx ends, which aborts the attempt.
func (e *Endpoint) Dial(ctx context.Context, peers []netip.AddrPort, port uint16) (*Association, error) {
	var primary netip.AddrPort
	if len(peers) > 0 {
		primary = peers[0]
	}
	fail := func(err error) (*Association, error) {
		return nil, &OpError{Op: "dial", Peer: primary, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	peers = append([]netip.AddrPort(nil), peers...)
	var a *Association
	for range maxDialWaits {
		var derr error
		var closing *Association
		err := e.do(func(now time.Time) {
			ea, err := e.l.eng.Dial(now, peers, port)
			var ex *assoc.ExistsError
			if errors.As(err, &ex) && ex.Closing() {
				closing = e.l.assocs[ex.Assoc]
			}
			if err != nil {
				derr = err
				return
			}
			a = e.l.adopt(ea)
		})
		switch {
		case err != nil:
			return fail(err)
		case closing != nil:
			// The association with the peer is shutting down, as when
			// a client redials a server that just restarted: wait for
			// it to end rather than fail.
			select {
			case <-closing.done:
				continue
			case <-ctx.Done():
				return fail(ctx.Err())
			}
		case derr != nil:
			return fail(publicError(derr))
		}
		break
	}
	if a == nil {
		return fail(errors.New("sctp: the association with the peer is still closing"))
	}
	select {
	case <-a.up:
		return a, nil
	case <-a.done:
		if a.endErr == nil {
			return fail(net.ErrClosed) // shut down before it came up
		}
		return fail(a.endErr)
	case <-ctx.Done():
		a.Abort("dial canceled")
		return fail(ctx.Err())
	}
}

// maxDialWaits bounds how many closing associations with the peer a Dial
// waits out.
const maxDialWaits = 4

// Stats returns the endpoint's counters.
func (e *Endpoint) Stats() EndpointStats {
	var s EndpointStats
	e.do(func(time.Time) {
		s = fromEndpointStats(e.l.eng.Stats())
		s.Associations = len(e.l.assocs)
	})
	s.WriteErrors = e.writeErrs.Load()
	return s
}

// Close aborts every association (each peer gets an ABORT), stops the
// endpoint's goroutines and closes the lower layer. Blocked calls return
// errors that wrap net.ErrClosed.
func (e *Endpoint) Close() error {
	e.closeOnce.Do(func() {
		e.do(func(now time.Time) { e.l.closeAll(now) })
		e.closeErr = e.conn.Close()
		e.wg.Wait()
	})
	return e.closeErr
}

// closedErr is the error of a call that found the loop ended.
func (e *Endpoint) closedErr() error {
	select {
	case <-e.done:
		if e.doneErr != nil {
			return e.doneErr
		}
	default:
	}
	return net.ErrClosed
}
