package enrp

import (
	"github.com/rserpool/rserpool/asap/msg"
)

// resolve handles ASAP_HANDLE_RESOLUTION (RFC 5352 §3.3). The pool's
// policy picks up to Config.MaxHandleResolutionItems elements (fewer if
// the pool user asks for fewer with rsplib's Handle Resolution Option)
// and orders them; the response carries them with the pool's overall
// policy, which §3.3 requires unless it is Round Robin and which is
// always sent, as rsplib does. An unknown pool is answered with the
// Unknown Pool Handle error §3.3 names; so is a pool none of whose
// elements may be selected (all of weight 0, RFC 5356 §3.2, or fully
// loaded under Randomized Least Used): the user has nobody to contact
// either way, and §2.2.6 allows no empty positive response.
//
// The elements go out without their ASAP transport, which is the
// registrar's business, not the user's (rsplib leaves it out too), and
// as many as fit one message. A subscription (the S flag) is not
// offered: the A flag stays clear.
func (r *Registrar) resolve(c *conn, m *msg.HandleResolution) {
	r.stats.Resolutions++
	resp := msg.HandleResolutionResponse{PoolHandle: m.PoolHandle}
	pool, ok := r.hs.Pool(m.PoolHandle)
	if ok {
		n := r.cfg.MaxHandleResolutionItems
		if n < 0 {
			n = pool.Len()
		}
		if m.HasItems && m.Items > 0 && uint64(m.Items) < uint64(n) {
			n = int(m.Items)
		}
		r.found, _ = r.hs.Resolve(r.found[:0], m.PoolHandle, n, r.cfg.Rand)
	}
	if len(r.found) == 0 {
		r.stats.ResolutionsFailed++
		resp.Error = msg.NewOperationError(msg.Cause{Code: msg.CauseUnknownPoolHandle})
		r.send(c, &resp)
		return
	}
	resp.Policy = pool.Policy()
	size := resp.Len()
	for _, e := range r.found {
		pe := e.Param()
		pe.ASAPTransport = msg.Transport{}
		if size += (pe.Len() + 3) &^ 3; size > msg.MaxMessageLen && len(r.pes) > 0 {
			break
		}
		r.pes = append(r.pes, pe)
	}
	resp.PoolElements = msg.MakePoolElements(r.pes...)
	clear(r.found)
	r.found = r.found[:0]
	clear(r.pes)
	r.pes = r.pes[:0]
	r.send(c, &resp)
}
