package asap

import (
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/asap/policy"
	"github.com/rserpool/rserpool/sctp"
)

// PUConfig configures a pool user.
type PUConfig struct {
	Config

	// Items, when not zero, asks the registrar for at most this many
	// pool elements per handle resolution: rsplib's Handle Resolution
	// Option, which its registrar honours and RFC 5352 does not define
	// (it suggests the whole pool, §3.3). Zero asks for the whole pool.
	Items uint32

	// DialTimeout bounds each attempt of Dial to reach one pool
	// element. Default 5 s.
	DialTimeout time.Duration

	// MaxDialAttempts is how many pool elements Dial tries before it
	// gives up. Default 4.
	MaxDialAttempts int

	// MaxCachedPools bounds the pools the cache holds; the stalest go
	// first. Default 64.
	MaxCachedPools int

	// MaxPoolElements bounds the elements cached per pool; a handle
	// resolution listing more is cut. Default 1024.
	MaxPoolElements int

	// Rand drives the random selection policies. Nil means a generator
	// seeded from crypto/rand.
	Rand policy.Rand
}

// Defaults of PUConfig.
const (
	DefaultDialTimeout     = 5 * time.Second
	DefaultMaxDialAttempts = 4
	DefaultMaxCachedPools  = 64
	DefaultMaxPoolElements = 1024
)

// PoolUser is the ASAP side of a pool user (RFC 5352 §3.3, §3.5-§3.7):
// it resolves pool handles at a home registrar found by server hunt,
// keeps the answers in a cache for stale_cache_value, selects pool
// elements by the pool's policy, and reports the ones it cannot reach.
//
// One goroutine talks to the registrars; the methods are safe for
// concurrent use.
type PoolUser struct {
	cfg    PUConfig
	ep     *sctp.Endpoint
	log    *slog.Logger
	hunter *hunter

	ctx    context.Context
	cancel context.CancelFunc
	in     chan inbound
	hunted chan huntOutcome
	reqs   chan *puRequest
	done   chan struct{}
	wg     sync.WaitGroup

	mu    sync.Mutex // guards cache
	cache *puCache

	closeOnce sync.Once
}

// NewPoolUser starts a pool user on ep. The endpoint dials registrars and
// pool elements; the PU does not make it listen. ctx bounds nothing after
// NewPoolUser returns: Close ends the PU.
func NewPoolUser(ctx context.Context, ep *sctp.Endpoint, cfg PUConfig) (*PoolUser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c, err := cfg.Config.withDefaults()
	if err != nil {
		return nil, err
	}
	cfg.Config = c
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if cfg.Rand == nil {
		var seed [16]byte
		crand.Read(seed[:])
		cfg.Rand = rand.New(rand.NewPCG(binary.LittleEndian.Uint64(seed[:8]), binary.LittleEndian.Uint64(seed[8:])))
	}
	u := &PoolUser{
		cfg: cfg, ep: ep,
		log:    cfg.Logger,
		in:     make(chan inbound),
		hunted: make(chan huntOutcome),
		reqs:   make(chan *puRequest),
		done:   make(chan struct{}),
		cache:  newPUCache(&cfg),
	}
	u.hunter = &hunter{ep: ep, cfg: &u.cfg.Config, list: newServerList(&u.cfg.Config), log: u.log}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	if src := cfg.Announcements; src != nil {
		u.wg.Add(1)
		go func() {
			defer u.wg.Done()
			readAnnouncements(u.ctx, src, u.hunter.list, u.log)
		}()
	}
	go u.run()
	return u, nil
}

func (cfg *PUConfig) check() error {
	def := func(name string, v *int, d int) error {
		if *v < 0 {
			return &ConfigError{Field: name, Rule: "negative"}
		}
		if *v == 0 {
			*v = d
		}
		return nil
	}
	if err := def("MaxDialAttempts", &cfg.MaxDialAttempts, DefaultMaxDialAttempts); err != nil {
		return err
	}
	if err := def("MaxCachedPools", &cfg.MaxCachedPools, DefaultMaxCachedPools); err != nil {
		return err
	}
	if err := def("MaxPoolElements", &cfg.MaxPoolElements, DefaultMaxPoolElements); err != nil {
		return err
	}
	switch {
	case cfg.DialTimeout < 0:
		return &ConfigError{Field: "DialTimeout", Rule: "negative"}
	case cfg.DialTimeout == 0:
		cfg.DialTimeout = DefaultDialTimeout
	}
	return nil
}

// Resolve returns the pool elements of the pool handle (RFC 5352 §3.3):
// from the cache while its entry is younger than stale_cache_value (C1,
// C4), otherwise from the home registrar, which refreshes the cache
// (C2). The elements come in the registrar's order, without those
// reported unreachable lately. When the registrars do not answer
// (ErrRequestTimeout) and the cache holds the pool from before, the
// stale entry is returned (C3). A pool the registrar does not know gives
// an *OperationFailedError matching ErrUnknownPoolHandle.
func (u *PoolUser) Resolve(ctx context.Context, handle string) ([]PoolElementInfo, error) {
	if err := checkHandle(handle); err != nil {
		return nil, err
	}
	u.mu.Lock()
	infos, ok := u.cache.fresh(handle, time.Now())
	u.mu.Unlock()
	if ok {
		return infos, nil
	}
	return u.refresh(ctx, handle)
}

func checkHandle(handle string) error {
	switch {
	case handle == "":
		return &ConfigError{Field: "pool handle", Rule: "empty"}
	case len(handle) > maxHandleLen:
		return &ConfigError{Field: "pool handle", Rule: "too long"}
	}
	return nil
}

// refresh asks the registrar and stores the answer.
func (u *PoolUser) refresh(ctx context.Context, handle string) ([]PoolElementInfo, error) {
	req := &msg.HandleResolution{PoolHandle: []byte(handle), Items: u.cfg.Items, HasItems: u.cfg.Items > 0}
	res, err := u.do(ctx, req, true)
	if err != nil {
		if errors.Is(err, ErrRequestTimeout) {
			u.mu.Lock()
			infos, ok := u.cache.stale(handle)
			u.mu.Unlock()
			if ok {
				u.log.Warn("asap: registrars do not answer; using the stale cache", "pool", handle)
				return infos, nil
			}
		}
		return nil, err
	}
	resp := res.resp
	if !resp.Error.IsZero() {
		u.mu.Lock()
		u.cache.purge(handle)
		u.mu.Unlock()
		return nil, refusal("handle resolution", resp.PoolHandle, &resp.Error)
	}
	u.mu.Lock()
	infos := u.cache.store(handle, resp, time.Now(), u.log)
	u.mu.Unlock()
	return infos, nil
}

// Select returns one pool element of the pool, chosen by the pool's
// policy (RFC 5356) over the cached elements, the cache refreshed first
// when stale. It gives ErrNoPoolElement when none is left.
func (u *PoolUser) Select(ctx context.Context, handle string) (PoolElementInfo, error) {
	if _, err := u.Resolve(ctx, handle); err != nil {
		return PoolElementInfo{}, err
	}
	u.mu.Lock()
	info, ok := u.cache.selectOne(handle)
	u.mu.Unlock()
	if !ok {
		return PoolElementInfo{}, ErrNoPoolElement
	}
	return info, nil
}

// ReportUnreachable reports a pool element the application could not
// reach (RFC 5352 §3.5, §6.9.2): it leaves the cache, is left out of
// resolutions for stale_cache_value, and the home registrar gets an
// ASAP_ENDPOINT_UNREACHABLE, which has it check the PE. It returns once
// the report is sent. §3.5 allows one report per failure: call it once
// for each.
func (u *PoolUser) ReportUnreachable(ctx context.Context, handle string, id msg.PEID) error {
	u.forget(handle, id)
	_, err := u.do(ctx, &msg.EndpointUnreachable{PoolHandle: []byte(handle), ID: id}, false)
	return err
}

func (u *PoolUser) forget(handle string, id msg.PEID) {
	u.mu.Lock()
	u.cache.remove(handle, id, time.Now())
	u.mu.Unlock()
}

// reportLater is ReportUnreachable without the wait: the loop sends the
// report when it has a registrar, within its retransmission limits.
func (u *PoolUser) reportLater(handle string, id msg.PEID) {
	u.forget(handle, id)
	r := newRequest(u.ctx, &msg.EndpointUnreachable{PoolHandle: []byte(handle), ID: id}, false)
	select {
	case u.reqs <- r:
	case <-u.done:
	}
}

// Purge drops the pool from the cache (RFC 5352 §6.4
// CachePurgeRequest); the next Resolve asks the registrar.
func (u *PoolUser) Purge(handle string) {
	u.mu.Lock()
	u.cache.purge(handle)
	u.mu.Unlock()
}

// Close ends the pool user: requests under way fail with ErrClosed and
// the associations with registrars are closed. The endpoint is left
// alone.
func (u *PoolUser) Close() error {
	u.closeOnce.Do(func() {
		u.cancel()
		<-u.done
	})
	return nil
}

// do hands a request to the loop and waits for its outcome.
func (u *PoolUser) do(ctx context.Context, m msg.Message, reply bool) (puResult, error) {
	r := newRequest(ctx, m, reply)
	select {
	case u.reqs <- r:
	case <-ctx.Done():
		return puResult{}, ctx.Err()
	case <-u.done:
		return puResult{}, ErrClosed
	}
	select {
	case res := <-r.done:
		return res, res.err
	case <-ctx.Done():
		return puResult{}, ctx.Err()
	case <-u.done:
		return puResult{}, ErrClosed
	}
}
