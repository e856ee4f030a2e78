package enrp

import (
	"iter"
	"time"

	"github.com/rserpool/rserpool/asap/handlespace"
	"github.com/rserpool/rserpool/asap/msg"
)

// This file copies the handlespace between registrars: the download of
// server initialization (RFC 5353 §3.2.3) and the re-synchronization of
// one peer's PEs after an audit mismatch (§3.6.3), both in pieces, on
// either side.

// pieceRoom is what one ENRP_HANDLE_TABLE_RESPONSE may hold of pool
// entries: the message's 16-bit length less its header and servers.
const pieceRoom = msg.MaxMessageLen - 16

// tableRequest serves ENRP_HANDLE_TABLE_REQUEST. A peer with a session
// open, for the same kind of list, gets the next piece (§3.2.3 step 3:
// it asks again after each response with M set); others start from the
// beginning. The whole handlespace (W clear) is refused while this
// registrar initializes, and any download beyond MaxDownloadSessions
// (§3.2.3: "too many download sessions open"); its own PEs (W set) it
// always knows.
func (r *Registrar) tableRequest(p *peer, c *conn, m *msg.HandleTableRequest, now time.Time) {
	resp := msg.HandleTableResponse{Servers: msg.Servers{Sender: r.id, Receiver: p.id}}
	s := r.enrp.sessions[p]
	if s == nil || s.own != m.OwnChildrenOnly {
		if (!m.OwnChildrenOnly && !r.ready()) || (s == nil && len(r.enrp.sessions) >= r.cfg.MaxDownloadSessions) {
			resp.Reject = true
			r.sendConn(c, &resp)
			return
		}
		s = &session{own: m.OwnChildrenOnly}
	}
	var seq iter.Seq[*handlespace.Element]
	if s.own {
		seq = r.hs.Owned(r.id, s.cursor)
	} else {
		seq = r.hs.After(s.cursor)
	}
	b, next, n, more := r.piece(seq)
	resp.Entries = msg.MakePoolEntries(b)
	resp.MoreToSend = more
	if more {
		s.cursor = next
		s.expires = now.Add(r.cfg.MaxTimeNoResponse)
		r.enrp.sessions[p] = s
	} else {
		// §3.2.3 step 2: the last piece closes the session.
		delete(r.enrp.sessions, p)
	}
	r.stats.TablePiecesSent++
	r.log.Debug("handle table piece sent", "peer", p.id.String(), "own", s.own, "pes", n, "more", more)
	r.sendConn(c, &resp)
}

// piece encodes the pool entries of up to HandleTablePiece elements of
// seq, within pieceRoom bytes: each run of elements of one pool after
// its handle. more says elements are left.
func (r *Registrar) piece(seq iter.Seq[*handlespace.Element]) (b []byte, next handlespace.Cursor, n int, more bool) {
	var last *handlespace.Pool
	for e := range seq {
		if n == r.cfg.HandleTablePiece {
			return b, next, n, true
		}
		mark := len(b)
		if e.Pool() != last {
			b = msg.AppendPoolEntry(b, []byte(e.Handle()))
		}
		b = e.AppendParam(b)
		if len(b) > pieceRoom {
			return b[:mark], next, n, true
		}
		last = e.Pool()
		next = e.Cursor()
		n++
	}
	return b, next, n, false
}

// resync starts the re-synchronization of p's PEs (§3.6.3): mark every
// PE of p this registrar holds, ask p for its own PEs (W set).
func (r *Registrar) resync(p *peer, c *conn, now time.Time) {
	t := &tableRequest{own: true, deadline: now.Add(r.cfg.MaxTimeNoResponse), marked: make(map[peKey]struct{})}
	for e := range r.hs.Owned(p.id, handlespace.Cursor{}) {
		t.marked[peKey{e.Handle(), e.ID()}] = struct{}{}
	}
	p.table = t
	r.stats.Resyncs++
	r.sendConn(c, &msg.HandleTableRequest{OwnChildrenOnly: true, Servers: msg.Servers{Sender: r.id, Receiver: p.id}})
}

// tableResponse takes one piece of a download: its entries go into the
// handlespace (§3.2.3 step 4, §3.6.3 step 4), and the next piece is
// asked for while M is set. The end of a re-synchronization removes the
// PEs still marked (§3.6.3 step 5); the end of the initial download
// completes the initialization (§3.2.3 step 5).
func (r *Registrar) tableResponse(p *peer, c *conn, m *msg.HandleTableResponse, now time.Time) {
	t := p.table
	if t == nil {
		r.stats.Discarded++
		return
	}
	if m.Reject {
		p.table = nil
		r.log.Debug("handle table request refused", "peer", p.id.String(), "own", t.own)
		if t.init {
			r.mentorFailed(now)
		}
		return
	}
	it := m.Entries.Iter()
	var pe msg.PoolEntry
	for it.Next(&pe) {
		pit := pe.PoolElements.Iter()
		var el msg.PoolElement
		for pit.Next(&el) {
			if t.own && el.HomeServer != p.id {
				continue // not the peer's: not what was asked for
			}
			if t.marked != nil {
				delete(t.marked, peKey{string(pe.PoolHandle), el.ID})
			}
			r.importPE(pe.PoolHandle, &el, p.id, false)
			t.got++
		}
	}
	if m.MoreToSend {
		t.deadline = now.Add(r.cfg.MaxTimeNoResponse)
		r.sendConn(c, &msg.HandleTableRequest{OwnChildrenOnly: t.own, Servers: msg.Servers{Sender: r.id, Receiver: p.id}})
		return
	}
	p.table = nil
	for k := range t.marked {
		if e, ok := r.hs.Lookup([]byte(k.handle), k.id); ok && e.Home() == p.id && r.owned[e] == nil {
			r.hs.Deregister([]byte(k.handle), k.id)
		}
	}
	if t.own {
		r.log.Info("re-synchronized", "peer", p.id.String(), "pes", t.got, "removed", len(t.marked))
	}
	if t.init {
		r.initComplete(now)
	}
}

// tableTimeout gives up a download that stalled (§3.2.3: "abort the
// current download session and re-start a new handlespace download
// with a backup mentor peer").
func (r *Registrar) tableTimeout(p *peer, now time.Time) {
	t := p.table
	p.table = nil
	r.log.Debug("handle table download timed out", "peer", p.id.String(), "own", t.own)
	if t.init {
		r.mentorFailed(now)
	}
}

// importPE puts a PE a peer told of into the handlespace, replacing
// what was there (§3.2.3 rules A-C, §3.3.1 rules 1-3). The copy does not
// expire: its home removes it, and a takeover adopts it when the home
// dies.
//
// This registrar's own PEs are its own business: a copy naming this
// registrar as home is stale news (it restarted, or the PE left), and a
// download does not overwrite a PE this registrar watches. An update
// from the PE's new home does: the PE registered there, and this
// registrar stops watching it.
func (r *Registrar) importPE(handle []byte, pe *msg.PoolElement, from msg.ServerID, update bool) {
	if pe.HomeServer == 0 {
		pe.HomeServer = from
	}
	if pe.HomeServer == r.id {
		return
	}
	if e, ok := r.hs.Lookup(handle, pe.ID); ok {
		if s := r.owned[e]; s != nil {
			if !update {
				return
			}
			r.log.Info("pool element moved to another registrar", "pool", quote(handle), "pe", pe.ID.String(), "home", pe.HomeServer.String())
			r.forget(s)
		}
	}
	if _, _, err := r.hs.Register(handle, pe, time.Time{}); err != nil {
		r.stats.ImportsRefused++
		r.log.Warn("pool element from a peer refused", "peer", from.String(), "pool", quote(handle), "pe", pe.ID.String(), "err", err)
	}
}
