package enrp

import (
	"time"

	"github.com/rserpool/rserpool/asap/handlespace"
	"github.com/rserpool/rserpool/asap/msg"
)

// This file is the handlespace update of RFC 5353 §3.3: the home
// registrar of a PE tells every peer when the PE registers,
// re-registers or leaves, and the peers apply it.

// announceUpdate sends ENRP_HANDLE_UPDATE for e, an element this registrar is
// home for, to every peer (§3.3.1 ADD_PE, §3.3.2 DEL_PE), with the PE
// as the handlespace holds it, its home and ASAP transport included, so
// that a peer that adopts it later knows where to reach it. For a
// removal e has already left the handlespace; its accessors still give
// its last values.
func (r *Registrar) announceUpdate(action msg.UpdateAction, e *handlespace.Element) {
	if len(r.enrp.peers) == 0 {
		return
	}
	m := msg.HandleUpdate{
		Servers:     msg.Servers{Sender: r.id},
		Action:      action,
		PoolHandle:  []byte(e.Handle()),
		PoolElement: e.Param(),
	}
	r.broadcast(&m)
	r.stats.UpdatesSent++
}

// handleUpdate applies a peer's ENRP_HANDLE_UPDATE (§3.3.1 rules 1-3,
// §3.3.2). A removal takes out the PE only while the handlespace still
// has it from the same home as the message: a PE that moved to another
// registrar meanwhile, whose ADD_PE may come first on another
// association, stays.
func (r *Registrar) handleUpdate(p *peer, m *msg.HandleUpdate, now time.Time) {
	r.stats.UpdatesReceived++
	pe := m.PoolElement
	switch m.Action {
	case msg.AddPE:
		r.importPE(m.PoolHandle, &pe, p.id, true)
	case msg.DelPE:
		home := pe.HomeServer
		if home == 0 {
			home = p.id
		}
		if e, ok := r.hs.Lookup(m.PoolHandle, pe.ID); ok && e.Home() == home && r.owned[e] == nil {
			r.hs.Deregister(m.PoolHandle, pe.ID)
		}
	default:
		// §2.4: other values are reserved; nothing to apply.
		r.stats.Discarded++
	}
	_ = now
}
