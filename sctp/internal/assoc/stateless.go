package assoc

import (
	"errors"
	"net/netip"
	"time"

	"github.com/rserpool/rserpool/sctp/internal/cookie"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/wire"
)

// HandleStateless answers a packet that belongs to no association: INIT
// (§5.1 B) and COOKIE ECHO (§5.1.5) when listening, and out-of-the-blue
// packets (§8.4). It returns the association a valid COOKIE ECHO made.
func (e *Endpoint) HandleStateless(now time.Time, in lower.Packet, p wire.Packet) *Assoc {
	// §8.4 1: answer nothing to a non-unicast source.
	if s := in.Src.Addr(); !s.IsValid() || s.IsMulticast() || s.IsUnspecified() {
		return nil
	}
	it := p.Chunks()
	first, ok := it.Next()
	if !ok {
		return nil
	}
	switch first.Type() {
	case wire.ChunkInit:
		// §8.5.1 A and §6.10.
		if p.VTag() != 0 || len(p) != wire.HeaderLen+pad4(first.Len()) {
			return nil
		}
		e.handleInit(now, in, first)
		return nil
	case wire.ChunkCookieEcho:
		if e.listen {
			return e.acceptCookie(now, in, p, first)
		}
	}
	e.ootb(now, in, p)
	return nil
}

// ootb applies §8.4 to a packet without an association.
func (e *Endpoint) ootb(now time.Time, in lower.Packet, p wire.Packet) {
	e.stats.OutOfTheBlue++
	it := p.Chunks()
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		switch c.Type() {
		case wire.ChunkAbort, wire.ChunkShutdownComplete, wire.ChunkCookieAck:
			return // §8.4 2, 6, 7
		case wire.ChunkError:
			var ec wire.ErrorChunk
			if ec.Decode(c) == nil {
				ci := ec.Causes.Iter()
				for cs, ok := ci.Next(); ok; cs, ok = ci.Next() {
					if cs.Code() == wire.CauseStaleCookie {
						return // §8.4 7
					}
				}
			}
		case wire.ChunkShutdownAck:
			// §8.4 5: SHUTDOWN COMPLETE with the T bit, the tag
			// reflected.
			e.out.add(in.Dst, in.Src, e.port, p.SrcPort(), p.VTag(), e.mtu, &wire.ShutdownComplete{TBit: true})
			return
		}
	}
	// §8.4 8: ABORT with the T bit, the tag reflected.
	e.out.add(in.Dst, in.Src, e.port, p.SrcPort(), p.VTag(), e.mtu, &wire.Abort{TBit: true})
}

// abortTo sends an ABORT with the given causes under tag (the peer's
// Initiate Tag, T bit clear: §5.1, §8.4 3).
func (e *Endpoint) abortTo(in lower.Packet, tag wire.VTag, causes []byte) {
	p := wire.Packet(in.Buf)
	ab := wire.Abort{Causes: wire.MakeCauses(causes)}
	e.out.add(in.Dst, in.Src, e.port, p.SrcPort(), tag, e.mtu, &ab)
}

// badInit answers an INIT whose fixed fields are invalid (§3.3.2): a
// zero Initiate Tag is silently discarded; zero streams and an a_rwnd
// below 1500 get an ABORT under the Initiate Tag.
func (e *Endpoint) badInit(in lower.Packet, m *wire.Init, err error) {
	switch {
	case errors.Is(err, wire.ErrZeroStreams), errors.Is(err, wire.ErrSmallWindow):
		e.abortTo(in, m.InitiateTag, (&wire.InvalidMandatoryParameterCause{}).Append(nil))
	}
}

// handleInit answers an INIT for no association (§5.1 B): an INIT ACK
// whose cookie carries everything, so no state is kept (§5.1.3).
func (e *Endpoint) handleInit(now time.Time, in lower.Packet, c wire.Chunk) {
	var m wire.Init
	if err := m.Decode(c); err != nil {
		e.badInit(in, &m, err)
		return
	}
	if !e.listen {
		// §8.4 3: an INIT that cannot be processed gets an ABORT
		// under its Initiate Tag, T bit clear.
		e.abortTo(in, m.InitiateTag, nil)
		return
	}
	pi := e.parsePeerInit(&m, in.Src, false)
	if pi.hostName {
		e.abortTo(in, m.InitiateTag, (&wire.UnresolvableAddressCause{}).Append(nil))
		return
	}
	e.sendInitAck(now, in, c, &pi, e.newTag(), wire.TSN(e.random64()), 0, 0)
}

// sendInitAck sends the INIT ACK of §5.1 B with the cookie of §5.1.3,
// from the address the INIT came to, to the address it came from
// (§5.2.1 rule 3).
func (e *Endpoint) sendInitAck(now time.Time, in lower.Packet, init wire.Chunk, pi *peerInit, tag wire.VTag, tsn wire.TSN, localTie, peerTie wire.VTag) {
	e.stats.InitsAnswered++
	life := min(e.cfg.ValidCookieLife+min(pi.preservative, e.cfg.MaxCookiePreservative), e.signer.Rotation())
	st := cookie.State{PeerAddr: in.Src.Addr(), Created: now, Lifetime: life, LocalVTag: tag, LocalTSN: tsn,
		LocalRwnd: e.cfg.Window, OutStreams: e.cfg.OutStreams, InStreams: e.cfg.MaxInStreams,
		LocalTieTag: localTie, PeerTieTag: peerTie, LocalPort: e.port, PeerPort: wire.Packet(in.Buf).SrcPort(),
		Init: init.Bytes()}
	ck, err := e.signer.Seal(e.scratch[:0], &st, now)
	if err != nil {
		return
	}
	e.scratch = ck
	ps := (&wire.StateCookieParam{Cookie: ck}).Append(nil)
	ps = e.appendLocalParams(ps)
	ps = append(ps, pi.unrecognized...)
	m := wire.InitAck{InitiateTag: tag, ARwnd: e.cfg.Window, OutStreams: e.cfg.OutStreams,
		InStreams: e.cfg.MaxInStreams, InitialTSN: tsn, Params: wire.MakeParams(ps)}
	// An INIT ACK is never split: one that outgrows the MTU (a peer's
	// long INIT in the cookie) goes whole and the IP layer fragments it.
	e.out.add(in.Dst, in.Src, e.port, st.PeerPort, pi.tag, wire.MaxPacketLen, &m)
}

// openCookie authenticates a COOKIE ECHO and decodes the INIT inside
// (§5.1.5 steps 1-3). A stale cookie is answered with an ERROR carrying
// the staleness (§5.1.5 step 4, §3.3.10.3) unless tolerate says to accept it.
func (e *Endpoint) openCookie(now time.Time, in lower.Packet, c wire.Chunk) (st cookie.State, init wire.Init, pi peerInit, stale *cookie.StaleError, ok bool) {
	var ce wire.CookieEcho
	if ce.Decode(c) != nil {
		return
	}
	st, err := e.signer.Open(ce.Cookie, now)
	if errors.As(err, &stale) {
		e.stats.CookiesStale++
	} else if err != nil {
		e.stats.CookiesBad++
		return // §5.1.5 2: silently discard
	}
	ic, err := wire.ParseChunk(st.Init)
	if err != nil || init.Decode(ic) != nil {
		e.stats.CookiesBad++
		return
	}
	// The INIT's source is a peer address (§3.3.2.1.1) even when the
	// COOKIE ECHO comes from another.
	src := in.Src
	if st.PeerAddr.IsValid() {
		src = netip.AddrPortFrom(st.PeerAddr, in.Src.Port())
	}
	pi = e.parsePeerInit(&init, src, false)
	return st, init, pi, stale, true
}

// sendStale answers a stale cookie (§5.1.5 step 4) under the peer's tag.
func (e *Endpoint) sendStale(in lower.Packet, peerTag wire.VTag, stale *cookie.StaleError) {
	cause := wire.StaleCookieCause{Staleness: stale.Micros()}
	ec := wire.ErrorChunk{Causes: wire.MakeCauses(cause.Append(nil))}
	e.out.add(in.Dst, in.Src, e.port, wire.Packet(in.Buf).SrcPort(), peerTag, e.mtu, &ec)
}

// acceptCookie is §5.1.5 for a COOKIE ECHO that matches no association:
// a valid cookie creates the association in ESTABLISHED, answered with
// COOKIE ACK; the chunks bundled after it are processed by it (§5.1 D).
func (e *Endpoint) acceptCookie(now time.Time, in lower.Packet, p wire.Packet, c wire.Chunk) *Assoc {
	st, _, pi, stale, ok := e.openCookie(now, in, c)
	if !ok {
		return nil
	}
	// §8.5.1 C (via §5.1.5): the packet's tag is the one our INIT ACK
	// announced, and the ports are those of the cookie.
	if p.VTag() != st.LocalVTag || p.SrcPort() != st.PeerPort || st.LocalPort != e.port {
		e.stats.CookiesBad++
		return nil
	}
	if stale != nil {
		e.sendStale(in, pi.tag, stale)
		return nil
	}
	if _, used := e.byTag[st.LocalVTag]; used {
		return nil
	}
	if len(e.byTag) >= e.cfg.MaxAssociations {
		// §5.1 (INIT, INIT ACK or COOKIE ECHO refused for lack of
		// resources): ABORT with the cause, under the peer's tag.
		e.stats.RefusedFull++
		e.abortTo(in, pi.tag, (&wire.OutOfResourceCause{}).Append(nil))
		return nil
	}
	e.stats.CookiesAccepted++
	a := e.newAssoc(st.LocalVTag, st.LocalTSN, st.PeerPort, []netip.AddrPort{in.Src})
	a.setupFromCookie(now, &st, &pi)
	e.register(a)
	e.accepted = append(e.accepted, a)
	a.emit(0, &wire.CookieAck{})
	a.established(now)
	a.accepting = true
	a.Handle(now, in, p)
	a.accepting = false
	return a
}

// setupFromCookie fills the TCB from an opened cookie: the streams are
// negotiated from what our INIT ACK announced (§5.1.1).
func (a *Assoc) setupFromCookie(now time.Time, st *cookie.State, pi *peerInit) {
	a.localTieTag, a.peerTieTag = st.LocalTieTag, st.PeerTieTag
	a.setup(now, pi, st.OutStreams, st.InStreams)
}
