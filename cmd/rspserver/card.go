package main

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/sctp"
)

// startCards starts the pool user that resolves the pool for the
// business card, on its own endpoint: the pool element's endpoint has
// its association with the registrar already, and SCTP allows one per
// pair of endpoints. stop ends it.
func (s *server) startCards(o options, e env, self msg.PEID, log *slog.Logger) (stop func(), err error) {
	if e.listenAux == nil {
		return nil, errors.New("no lower layer for the pool user")
	}
	conn, err := e.listenAux(o.local)
	if err != nil {
		return nil, err
	}
	ep, err := sctp.NewEndpoint(conn, uint16(49152+rand.IntN(16384)), &sctp.Config{})
	if err != nil {
		conn.Close()
		return nil, err
	}
	pu, err := asap.NewPoolUser(context.Background(), ep, asap.PUConfig{Config: asap.Config{
		Registrars: o.registrars, RegistrarPort: o.registrarPort, EncapPort: o.peerUDPPort,
		StaleCacheValue: o.cardRefresh, Logger: log.With("part", "business card"),
	}})
	if err != nil {
		ep.Close()
		return nil, err
	}
	s.cards = newCardKeeper(pu, o.handle, self, o.cardRefresh, log)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.cards.run(ctx)
	}()
	return func() {
		cancel()
		<-done
		pu.Close()
		ep.Close()
	}, nil
}

// cardKeeper keeps the pool element's business card (RFC 5352 §3.9): its
// pool handle and the other pool elements in the order its users should
// fail over to them. It learns the pool as a pool user does, by handle
// resolution at a registrar, every refresh; the sessions send the card
// when they start and again whenever it changes ("a new
// ASAP_BUSINESS_CARD message may be sent at any time ... to update its
// failover order").
type cardKeeper struct {
	pu      *asap.PoolUser
	handle  string
	self    msg.PEID
	refresh time.Duration
	log     *slog.Logger

	mu      sync.Mutex
	card    *asap.BusinessCard // nil while the PE is alone in its pool
	changed chan struct{}      // closed and replaced when card changes
}

func newCardKeeper(pu *asap.PoolUser, handle string, self msg.PEID, refresh time.Duration, log *slog.Logger) *cardKeeper {
	return &cardKeeper{pu: pu, handle: handle, self: self, refresh: refresh, log: log, changed: make(chan struct{})}
}

// run refreshes the card until ctx ends.
func (k *cardKeeper) run(ctx context.Context) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
		infos, err := k.pu.Resolve(ctx, k.handle)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			k.log.Debug("business card: pool not resolved", "err", err)
		} else {
			k.set(failoverOrder(infos, k.self))
		}
		t.Reset(k.refresh)
	}
}

func (k *cardKeeper) set(order []asap.PoolElementInfo) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.card != nil && sameOrder(k.card.Order, order) || k.card == nil && len(order) == 0 {
		return
	}
	k.card = nil
	if len(order) > 0 {
		k.card = &asap.BusinessCard{Handle: k.handle, Order: order}
	}
	close(k.changed)
	k.changed = make(chan struct{})
	ids := make([]msg.PEID, len(order))
	for i, o := range order {
		ids[i] = o.ID
	}
	k.log.Debug("business card", "order", ids)
}

// current returns the card, nil when there is none, and a channel closed
// when it changes.
func (k *cardKeeper) current() (*asap.BusinessCard, <-chan struct{}) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.card, k.changed
}

// follow sends the card on ss now and after each change, until ctx ends
// or a send fails (the association is gone).
func (k *cardKeeper) follow(ctx context.Context, ss *asap.ServerSession) {
	var sent *asap.BusinessCard
	for {
		card, changed := k.current()
		if card != nil && card != sent {
			if err := ss.SendBusinessCard(ctx, *card); err != nil {
				return
			}
			sent = card
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return
		}
	}
}

// failoverOrder is the card's order: the other pool elements in the ring
// of identifiers, from the next one after self on. Each PE thus names a
// different successor first, so the users of a failed PE go to one
// other PE that expects them and the load of several failures spreads
// around the pool (RFC 5352 §3.9: "to control the load redistribution
// upon the failure of any PE"), while each user of one PE follows the
// same order and the sessions that worked together meet again.
func failoverOrder(infos []asap.PoolElementInfo, self msg.PEID) []asap.PoolElementInfo {
	var after, before []asap.PoolElementInfo
	for _, i := range infos {
		switch {
		case i.ID > self:
			after = append(after, i)
		case i.ID < self:
			before = append(before, i)
		}
	}
	byID := func(a, b asap.PoolElementInfo) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	}
	slices.SortFunc(after, byID)
	slices.SortFunc(before, byID)
	order := append(after, before...)
	return order[:min(len(order), maxCardOrder)]
}

// maxCardOrder bounds the card: a user tries its entries one by one, and
// beyond a few the pool's policy chooses as well.
const maxCardOrder = 16

// sameOrder compares two orders by identifier and transport.
func sameOrder(a, b []asap.PoolElementInfo) bool {
	return slices.EqualFunc(a, b, func(x, y asap.PoolElementInfo) bool {
		return x.ID == y.ID && x.Port == y.Port && slices.Equal(x.Addrs, y.Addrs)
	})
}
