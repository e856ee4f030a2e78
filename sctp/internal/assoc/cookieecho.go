package assoc

import (
	"time"

	"github.com/rserpool/rserpool/sctp/internal/cookie"
	"github.com/rserpool/rserpool/sctp/internal/path"

	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/wire"
)

// handleCookieEcho is §5.2.4: a COOKIE ECHO for an existing association.
func (a *Assoc) handleCookieEcho(now time.Time, in lower.Packet, p wire.Packet, c wire.Chunk) {
	if a.accepting {
		return // the COOKIE ECHO that made a; already answered
	}
	st, _, pi, stale, ok := a.ep.openCookie(now, in, c)
	if !ok || p.VTag() != st.LocalVTag {
		return
	}
	tagsMatch := st.LocalVTag == a.localTag && pi.tag == a.peerTag
	// §5.2.4 3: a stale cookie is accepted only when both tags match
	// (case E: our COOKIE ACK was lost).
	if stale != nil && !tagsMatch {
		a.ep.sendStale(in, pi.tag, stale)
		return
	}
	localM, peerM := st.LocalVTag == a.localTag, pi.tag == a.peerTag
	tieM := st.LocalTieTag == a.localTieTag && st.PeerTieTag == a.peerTieTag && st.LocalTieTag != 0
	switch {
	case !localM && !peerM && tieM:
		a.restart(now, in, &st, &pi)
	case localM && !peerM:
		// (B): collision; the peer's tag comes from the cookie, and
		// so does the rest of its INIT: the peer's association is the
		// one that INIT began, with its own initial TSN.
		a.ep.Forget(a)
		a.adoptPeerInit(now, &pi, st.OutStreams, st.InStreams)
		a.ep.register(a)
		a.emit(a.primary, &wire.CookieAck{})
		if a.state == CookieWait || a.state == CookieEchoed {
			a.established(now)
		}
	case !localM && peerM && st.LocalTieTag == 0 && st.PeerTieTag == 0:
		// (C): our own cookie arrived late; discarded.
	case localM && peerM:
		// (D)
		a.emit(a.primary, &wire.CookieAck{})
		if a.state == CookieEchoed {
			a.established(now)
		}
	}
}

// restart is action (A) of §5.2.4: the peer restarted. The old state
// goes as if aborted, the user hears RESTART, the TCB takes the cookie's
// tags and starts again in ESTABLISHED with the congestion state reset.
func (a *Assoc) restart(now time.Time, in lower.Packet, st *cookie.State, pi *peerInit) {
	if a.state == ShutdownAckSent {
		// §5.2.4 A: no restart while shutting down: resend the
		// SHUTDOWN ACK with a Cookie Received While Shutting Down
		// error.
		a.emit(a.primary, &wire.ShutdownAck{})
		ec := wire.ErrorChunk{Causes: wire.MakeCauses((&wire.CookieWhileShuttingDownCause{}).Append(nil))}
		a.emit(a.primary, &ec)
		return
	}
	if nw := a.newAddresses(pi); nw != nil {
		a.abortNewAddresses(in, pi.tag, nw)
		return
	}
	a.failQueued(ErrRestarted)
	old := a.localTag
	a.localTag, a.localTSN = st.LocalVTag, st.LocalTSN
	a.localTieTag, a.peerTieTag = 0, 0
	a.stopTimers()
	for i, p := range a.paths {
		a.paths[i] = &pathState{Path: path.New(p.Remote, a.ep.mtu, &a.cfg.Path, p.State() != path.Unconfirmed)}
	}
	a.setup(now, pi, st.OutStreams, st.InStreams)
	a.ep.retag(a, old)
	a.emit(a.primary, &wire.CookieAck{})
	a.state = Established
	for i := range a.paths {
		a.scheduleHeartbeat(now, i)
	}
	a.errorCount = 0
	a.event(Event{Kind: EventRestart})
}
