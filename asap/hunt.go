package asap

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/rserpool/rserpool/sctp"
)

// hunter runs the ENRP server hunt of RFC 5352 §3.6 for one PE or PU:
// it finds a registrar to be the home one by dialing a few of the known
// registrars at once.
type hunter struct {
	ep   *sctp.Endpoint
	cfg  *Config
	list *serverList
	log  *slog.Logger

	mu   sync.Mutex
	next int // where the next round starts in the list, so it tries a different set (SH5.2)
}

// hunt returns an association with a registrar, the first that answers.
// Each round dials up to MaxHuntAssocs registrars at once (SH1), and
// another one in place of each that fails (SH4), until one is up (SH3,
// SH6) or T5-Serverhunt expires (SH2); then the next round starts with
// the next registrars of the list and T5 doubled, up to RETRAN-MAX
// (SH5). avoid is a registrar to try last, the one just given up: "in an
// attempt to get service from a different ENRP server" (§3.1). With no
// registrar known, hunt waits for an announcement. It ends only when an
// association is up or ctx ends.
func (h *hunter) hunt(ctx context.Context, avoid string) (*sctp.Association, registrar, error) {
	t5 := h.cfg.T5ServerHunt
	for round := 0; ; round++ {
		changed := h.list.wait()
		cands := h.candidates(avoid)
		if len(cands) == 0 {
			h.log.Warn("asap: server hunt: no registrar known; waiting for an announcement")
			select {
			case <-changed:
				continue
			case <-ctx.Done():
				return nil, registrar{}, ctx.Err()
			}
		}
		a, r, tried := h.round(ctx, cands, t5)
		if a != nil {
			return a, r, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, registrar{}, err
		}
		h.advance(tried)
		t5 = backoff(h.cfg.T5ServerHunt, h.cfg.RetranMax, round+1)
		h.log.Warn("asap: server hunt: no registrar answered", "tried", tried, "next_t5", t5)
	}
}

// candidates returns the known registrars in the order this hunt tries
// them: the list rotated to where the last round stopped, avoid last.
func (h *hunter) candidates(avoid string) []registrar {
	regs := h.list.list(time.Now())
	if len(regs) == 0 {
		return nil
	}
	h.mu.Lock()
	start := h.next % len(regs)
	h.mu.Unlock()
	out := make([]registrar, 0, len(regs))
	var last []registrar
	for i := range regs {
		r := regs[(start+i)%len(regs)]
		if avoid != "" && r.key() == avoid {
			last = append(last, r)
			continue
		}
		out = append(out, r)
	}
	return append(out, last...)
}

func (h *hunter) advance(n int) {
	h.mu.Lock()
	h.next += n
	h.mu.Unlock()
}

type dialResult struct {
	a   *sctp.Association
	r   registrar
	err error
}

// round is one round of the hunt: it returns the first association up,
// or nil when T5 expired or ctx ended, and how many registrars it tried.
// Only MaxHuntAssocs dials run at once: "An ASAP Endpoint MUST NOT
// establish more than three associations" (SH1). When every registrar
// failed before T5, the round still lasts T5, so that a scope whose
// registrars all refuse is not hammered.
func (h *hunter) round(ctx context.Context, cands []registrar, t5 time.Duration) (*sctp.Association, registrar, int) {
	rctx, cancel := context.WithTimeout(ctx, t5)
	defer cancel()
	results := make(chan dialResult, len(cands))
	launched, inflight := 0, 0
	launch := func() {
		r := cands[launched]
		launched++
		inflight++
		go func() {
			a, err := h.ep.Dial(rctx, r.addrs, r.port)
			results <- dialResult{a: a, r: r, err: err}
		}()
	}
	for launched < len(cands) && inflight < h.cfg.MaxHuntAssocs {
		launch()
	}
	var won dialResult
	for inflight > 0 {
		res := <-results
		inflight--
		if res.err == nil && won.a == nil && rctx.Err() == nil {
			won = res
			cancel() // SH5.2 for the others: stop their establishment
			continue
		}
		if res.err == nil {
			// Up too late: one association is all the hunt keeps.
			res.a.Abort("server hunt: another registrar answered first")
			continue
		}
		h.log.Debug("asap: server hunt: registrar did not answer", "registrar", res.r, "err", res.err)
		if won.a == nil && rctx.Err() == nil && launched < len(cands) {
			launch() // SH4
		}
	}
	if won.a != nil {
		h.log.Debug("asap: server hunt: registrar found", "registrar", won.r)
		return won.a, won.r, launched
	}
	<-rctx.Done()
	return nil, registrar{}, launched
}
