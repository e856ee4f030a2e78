package asap

import (
	"log/slog"
	"time"

	"github.com/rserpool/rserpool/asap/handlespace"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/asap/policy"
)

// puCache is a pool user's cache of handle resolutions (RFC 5352 §3.3
// C1-C4): a handlespace holding the pools as the registrar last listed
// them, so selection runs each pool's own policy (RFC 5356), and the
// time each pool was fetched, which makes it stale after
// stale_cache_value. Pool elements reported unreachable stay out of it
// for stale_cache_value too, even when a registrar still lists them: it
// learns of the failure only when its keep-alive fails (§3.5).
type puCache struct {
	hs          *handlespace.Handlespace
	fetched     map[string]time.Time
	unreachable map[peKey]time.Time // until when
	staleAfter  time.Duration
	maxPools    int
	maxElements int
	rand        policy.Rand
	scratch     []*handlespace.Element
}

type peKey struct {
	handle string
	id     msg.PEID
}

// maxUnreachable bounds the pool elements remembered as unreachable.
const maxUnreachable = 1024

func newPUCache(cfg *PUConfig) *puCache {
	return &puCache{
		hs: handlespace.New(handlespace.Limits{
			MaxPools:        cfg.MaxCachedPools,
			MaxPoolElements: cfg.MaxPoolElements,
			MaxElements:     cfg.MaxCachedPools * cfg.MaxPoolElements,
			MaxHandleLen:    maxHandleLen,
		}),
		fetched:     make(map[string]time.Time),
		unreachable: make(map[peKey]time.Time),
		staleAfter:  cfg.StaleCacheValue,
		maxPools:    cfg.MaxCachedPools,
		maxElements: cfg.MaxPoolElements,
		rand:        cfg.Rand,
	}
}

// fresh returns the cached pool when it is younger than
// stale_cache_value and has an element left.
func (c *puCache) fresh(handle string, now time.Time) ([]PoolElementInfo, bool) {
	t, ok := c.fetched[handle]
	if !ok || now.Sub(t) >= c.staleAfter {
		return nil, false
	}
	return c.pool(handle)
}

// stale returns the cached pool however old, when it has an element.
func (c *puCache) stale(handle string) ([]PoolElementInfo, bool) {
	if _, ok := c.fetched[handle]; !ok {
		return nil, false
	}
	return c.pool(handle)
}

func (c *puCache) pool(handle string) ([]PoolElementInfo, bool) {
	p, ok := c.hs.Pool([]byte(handle))
	if !ok || p.Len() == 0 {
		return nil, false
	}
	infos := make([]PoolElementInfo, 0, p.Len())
	for e := range p.Elements() {
		pe := e.Param()
		infos = append(infos, infoFrom([]byte(handle), &pe))
	}
	return infos, true
}

// store replaces the cached pool with the elements of a positive handle
// resolution response and returns them in the registrar's order, those
// reported unreachable lately left out. Elements the handlespace refuses
// (a policy or transport inconsistent with the pool's) are left out and
// logged; so is what exceeds the limits.
func (c *puCache) store(handle string, resp *msg.HandleResolutionResponse, now time.Time, log *slog.Logger) []PoolElementInfo {
	c.pruneUnreachable(now)
	if _, ok := c.fetched[handle]; !ok {
		c.makeRoom()
	}
	keep := make(map[msg.PEID]bool)
	var infos []PoolElementInfo
	var pe msg.PoolElement
	it := resp.PoolElements.Iter()
	for it.Next(&pe) {
		if len(infos) >= c.maxElements {
			log.Warn("asap: handle resolution lists more pool elements than the cache holds", "pool", handle, "limit", c.maxElements)
			break
		}
		if _, bad := c.unreachable[peKey{handle, pe.ID}]; bad {
			continue
		}
		if _, _, err := c.hs.Register([]byte(handle), &pe, time.Time{}); err != nil {
			if len(keep) == 0 {
				// The first element decides the pool's policy and
				// transport; one left over from the last answer must not.
				c.purgePool(handle)
				if _, _, err = c.hs.Register([]byte(handle), &pe, time.Time{}); err == nil {
					keep[pe.ID] = true
					infos = append(infos, infoFrom([]byte(handle), &pe))
					continue
				}
			}
			log.Warn("asap: pool element from the registrar not cached", "pool", handle, "pe", pe.ID, "err", err)
			continue
		}
		keep[pe.ID] = true
		infos = append(infos, infoFrom([]byte(handle), &pe))
	}
	if p, ok := c.hs.Pool([]byte(handle)); ok {
		var gone []msg.PEID
		for e := range p.Elements() {
			if !keep[e.ID()] {
				gone = append(gone, e.ID())
			}
		}
		for _, id := range gone {
			c.hs.Deregister([]byte(handle), id)
		}
	}
	c.fetched[handle] = now
	return infos
}

// makeRoom drops the stalest pool when the cache is full.
func (c *puCache) makeRoom() {
	if len(c.fetched) < c.maxPools {
		return
	}
	var oldest string
	var at time.Time
	first := true
	for h, t := range c.fetched {
		if first || t.Before(at) {
			oldest, at, first = h, t, false
		}
	}
	c.purge(oldest)
}

// purge drops a pool from the cache.
func (c *puCache) purge(handle string) {
	c.purgePool(handle)
	delete(c.fetched, handle)
}

func (c *puCache) purgePool(handle string) {
	p, ok := c.hs.Pool([]byte(handle))
	if !ok {
		return
	}
	var ids []msg.PEID
	for e := range p.Elements() {
		ids = append(ids, e.ID())
	}
	for _, id := range ids {
		c.hs.Deregister([]byte(handle), id)
	}
}

// remove drops an unreachable element and keeps it out for
// stale_cache_value.
func (c *puCache) remove(handle string, id msg.PEID, now time.Time) {
	c.hs.Deregister([]byte(handle), id)
	c.pruneUnreachable(now)
	if len(c.unreachable) < maxUnreachable {
		c.unreachable[peKey{handle, id}] = now.Add(c.staleAfter)
	}
}

func (c *puCache) pruneUnreachable(now time.Time) {
	for k, until := range c.unreachable {
		if !now.Before(until) {
			delete(c.unreachable, k)
		}
	}
}

// selectOne picks one cached element of the pool by its policy.
func (c *puCache) selectOne(handle string) (PoolElementInfo, bool) {
	var err error
	c.scratch, err = c.hs.Resolve(c.scratch[:0], []byte(handle), 1, c.rand)
	if err != nil || len(c.scratch) == 0 {
		return PoolElementInfo{}, false
	}
	pe := c.scratch[0].Param()
	clear(c.scratch)
	return infoFrom([]byte(handle), &pe), true
}
