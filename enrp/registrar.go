package enrp

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"github.com/rserpool/rserpool/asap/handlespace"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// Errors of Serve.
var (
	// ErrServing: Serve was called while another Serve of the same
	// Registrar runs; one registrar keeps one handlespace and serves it
	// on one endpoint (which may have several addresses).
	ErrServing = errors.New("enrp: registrar is already serving")
	// ErrClosed: the Registrar was closed.
	ErrClosed = errors.New("enrp: registrar closed")
)

// Registrar is the ASAP side of an ENRP server (RFC 5352 §3; RFC 5353
// §3.3 for what it owns): pool elements register with it, pool users
// resolve pool handles at it, and it watches over the pool elements it is
// home for.
//
// One goroutine, the loop, owns the handlespace and every piece of
// protocol state; it holds mu while it handles one event, so that
// Snapshot and Stats can read a consistent state from any goroutine.
// Each association has a reader, which decodes the messages and hands
// them to the loop on one bounded channel, and a writer, which sends what
// the loop queued for it, so that the loop never waits for a peer.
type Registrar struct {
	cfg Config
	id  msg.ServerID
	log *slog.Logger

	events     chan event
	enrpEvents chan event    // to the ENRP loop (enrp_serve.go)
	asapKick   chan struct{} // wakes the ASAP loop: the ENRP loop changed its deadlines
	enrpKick   chan struct{} // wakes the ENRP loop: messages wait for a peer without an association
	peDialKick chan struct{} // wakes the dialer of adopted PEs
	enrpReady  chan struct{} // closed when the ENRP initialization completes

	serveMu   sync.Mutex // held by Serve while it runs
	enrpMu    sync.Mutex // held by ServeENRP while it runs
	closed    chan struct{}
	closeOnce sync.Once

	mu      sync.Mutex
	hs      *handlespace.Handlespace
	owned   map[*handlespace.Element]*peState // the elements this registrar is home for
	monitor monitorHeap                       // their keep-alive deadlines
	conns   map[*conn]struct{}
	stats   Stats
	expired []*handlespace.Element // scratch for Expire
	found   []*handlespace.Element // scratch for Resolve
	pes     []msg.PoolElement      // scratch for handle resolution responses

	enrp enrpState // the ENRP side (RFC 5353), under mu too
}

// eventQueue is the capacity of the channel from the readers and the
// acceptor to the loop. A full queue holds the readers back, and SCTP's
// receive window holds back the peers.
const eventQueue = 256

// New returns a registrar with an empty handlespace. It starts nothing:
// Serve does.
func New(cfg Config) (*Registrar, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	id := c.ServerID
	for id == 0 {
		// RFC 5353 §3.2.1: a non-zero 32-bit random number, kept for the
		// server's life.
		id = msg.ServerID(c.Rand.Uint64N(1 << 32))
	}
	r := &Registrar{
		cfg:        c,
		id:         id,
		log:        c.Logger.With("server", id.String()),
		events:     make(chan event, eventQueue),
		enrpEvents: make(chan event, eventQueue),
		asapKick:   make(chan struct{}, 1),
		enrpKick:   make(chan struct{}, 1),
		peDialKick: make(chan struct{}, 1),
		enrpReady:  make(chan struct{}),
		closed:     make(chan struct{}),
		hs:         handlespace.New(c.Limits),
		owned:      make(map[*handlespace.Element]*peState),
		conns:      make(map[*conn]struct{}),
	}
	r.enrp.init(&r.cfg)
	return r, nil
}

// ID returns the registrar's server identifier (RFC 5353 §3.2.1).
func (r *Registrar) ID() msg.ServerID { return r.id }

// Config returns the configuration in force, defaults filled in.
func (r *Registrar) Config() Config { return r.cfg }

// Serve listens on ep and serves ASAP on every association peers start
// (ep is normally on the ASAP port, 3863: RFC 5352 §8.2), and sends
// ASAP_SERVER_ANNOUNCE unless Config.DisableAnnounce is set. It returns
// nil once ctx ends or Close is called, after it has closed the
// associations it accepted and every goroutine it started has ended; an
// error when ep fails or is closed first. The caller keeps ep and closes
// it afterwards.
//
// The handlespace outlives Serve: a later Serve goes on with it.
func (r *Registrar) Serve(ctx context.Context, ep *sctp.Endpoint) error {
	if !r.serveMu.TryLock() {
		return ErrServing
	}
	defer r.serveMu.Unlock()
	var wg sync.WaitGroup
	ctx, cancel, err := r.listen(ctx, ep, &wg)
	if err != nil {
		return err
	}
	defer cancel()
	wg.Go(func() { r.run(ctx) })
	wg.Go(func() { r.dialPEs(ctx, ep, &wg) })
	if !r.cfg.DisableAnnounce {
		wg.Go(func() { r.announce(ctx, ep) })
	}
	r.log.Info("registrar serving", "addrs", ep.Addrs(), "port", ep.Port())
	err = r.accept(ctx, ep, &wg)
	cancel()
	wg.Wait()
	r.afterServe()
	r.log.Info("registrar stopped")
	return err
}

// listen is the start Serve and ServeENRP share: it refuses a closed
// registrar, listens on ep and returns a context that ends with ctx or
// when the registrar is closed, watched by a goroutine of wg.
func (r *Registrar) listen(ctx context.Context, ep *sctp.Endpoint, wg *sync.WaitGroup) (context.Context, context.CancelFunc, error) {
	select {
	case <-r.closed:
		return nil, nil, ErrClosed
	default:
	}
	if err := ep.Listen(); err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	wg.Go(func() {
		select {
		case <-r.closed:
			cancel()
		case <-ctx.Done():
		}
	})
	return ctx, cancel, nil
}

// accept takes the associations peers start until ctx ends. Each gets a
// reader and a writer, started after the loop has heard of it, so that
// its messages come after it.
func (r *Registrar) accept(ctx context.Context, ep *sctp.Endpoint, wg *sync.WaitGroup) error {
	for {
		a, err := ep.Accept(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			r.log.Warn("accept failed; the registrar stops", "err", err)
			return err
		}
		c := newConn(a, r.cfg)
		if !r.post(ctx, event{kind: evUp, c: c}) {
			a.Abort("registrar stopping")
			return nil
		}
		wg.Go(func() { r.read(ctx, c) })
		wg.Go(func() { r.write(ctx, c) })
	}
}

// afterServe forgets the associations of the Serve that ended and the
// events nobody will handle. The pool elements stay, as after the loss
// of their associations: keep-alives will fail unless they come back.
func (r *Registrar) afterServe() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for c := range r.conns {
		r.connDown(c)
	}
	for {
		select {
		case <-r.events:
		default:
			return
		}
	}
}

// Close stops Serve and ServeENRP, waits for them to return, and makes
// later calls of either fail with ErrClosed. It is safe to call more
// than once and without Serve.
func (r *Registrar) Close() error {
	r.closeOnce.Do(func() { close(r.closed) })
	// Serve and ServeENRP hold their mutexes until everything they
	// started has ended.
	r.serveMu.Lock()
	defer r.serveMu.Unlock()
	r.enrpMu.Lock()
	defer r.enrpMu.Unlock()
	return nil
}

// kick wakes the goroutine that waits on ch without waiting itself.
func kick(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// post hands an event to the loop; false when ctx ended first.
func (r *Registrar) post(ctx context.Context, ev event) bool {
	return r.postTo(ctx, r.events, ev)
}

// postTo hands an event to the loop that reads ch.
func (r *Registrar) postTo(ctx context.Context, ch chan event, ev event) bool {
	select {
	case ch <- ev:
		return true
	case <-ctx.Done():
		return false
	}
}
