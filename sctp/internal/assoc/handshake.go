package assoc

import (
	"net/netip"
	"time"

	"github.com/rserpool/rserpool/sctp/internal/path"
	"github.com/rserpool/rserpool/sctp/internal/recv"
	"github.com/rserpool/rserpool/sctp/internal/send"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/wire"
)

// newAssoc makes the TCB. Paths to remotes are confirmed (§5.4): they
// were given by the user, or are the source of the packet that created
// the association.
func (e *Endpoint) newAssoc(tag wire.VTag, tsn wire.TSN, peerPort uint16, remotes []netip.AddrPort) *Assoc {
	a := &Assoc{ep: e, cfg: &e.cfg, localPort: e.port, peerPort: peerPort,
		localTag: tag, localTSN: tsn}
	for _, r := range remotes {
		a.addPath(r, true)
	}
	return a
}

func (a *Assoc) addPath(r netip.AddrPort, confirmed bool) {
	p := &pathState{Path: path.New(r, a.ep.mtu, &a.cfg.Path, confirmed)}
	a.paths = append(a.paths, p)
}

// setup completes the TCB from the peer's INIT or INIT ACK: streams
// negotiated (§5.1.1), the send and receive sides made, the peer's other
// addresses added as unconfirmed paths (§5.4).
func (a *Assoc) setup(now time.Time, pi *peerInit, ourOS, ourMIS uint16) {
	a.outStreams = min(ourOS, pi.mis)
	a.snd = send.New(send.Config{OutStreams: a.outStreams, MaxQueued: a.cfg.MaxQueued}, a.localTSN)
	// As many entries as a SACK in one packet can carry, so that
	// building a SACK never grows them.
	n := (a.ep.mtu - wire.HeaderLen - 16) / 4
	a.sackGaps = make([]wire.GapBlock, 0, n)
	a.sackDups = make([]wire.TSN, 0, n)
	a.takePeer(pi, ourMIS)
}

// takePeer takes the peer's side of the association from its INIT or
// INIT ACK: its tag, window, addresses, and the receive side starting
// at its initial TSN.
func (a *Assoc) takePeer(pi *peerInit, ourMIS uint16) {
	a.peerTag = pi.tag
	a.peerTSN = pi.tsn
	a.peerARwnd = pi.rwnd
	a.inStreams = min(ourMIS, pi.os)
	for _, ad := range pi.addrs {
		if a.pathIndex(ad.Addr()) < 0 {
			a.addPath(ad, false)
		}
	}
	a.snd.SetPeerRwnd(pi.rwnd)
	a.rcv = recv.New(recv.Config{Window: a.cfg.Window, InStreams: a.inStreams, MaxMessage: a.cfg.MaxMessage}, pi.tsn)
}

// adoptPeerInit takes the peer's side of the association from pi, an
// INIT that replaces the one first learned (§5.2.4 B: the peer answered
// our INIT statelessly, then began an association of its own with
// another tag and initial TSN). The receive side starts again from the
// new initial TSN, since nothing can have arrived under the old tag. The
// send side is made anew when it holds nothing; otherwise it is kept,
// with what it queued and sent, which the peer's new association also
// numbers from our initial TSN.
func (a *Assoc) adoptPeerInit(now time.Time, pi *peerInit, ourOS, ourMIS uint16) {
	if a.snd == nil || a.snd.Done() {
		a.setup(now, pi, ourOS, ourMIS)
		return
	}
	a.takePeer(pi, ourMIS)
}

// established enters ESTABLISHED: timers of the handshake stop, the
// heartbeats start (§8.3), the user hears COMMUNICATION UP.
func (a *Assoc) established(now time.Time) {
	a.state = Established
	a.t1.Stop()
	a.initChunk, a.cookieEcho = nil, nil
	for i := range a.paths {
		a.scheduleHeartbeat(now, i)
	}
	a.event(Event{Kind: EventUp})
	if a.shutdownAsked {
		a.startShutdown(now)
	}
}

// sendInit sends (or resends) the INIT of §5.1 A.
func (a *Assoc) sendInit(now time.Time) {
	if a.initChunk == nil {
		var ps []byte
		ps = a.ep.appendLocalParams(ps)
		if a.preservativ > 0 {
			ps = (&wire.CookiePreservativeParam{Increment: uint32(a.preservativ / time.Millisecond)}).Append(ps)
		}
		m := wire.Init{InitiateTag: a.localTag, ARwnd: a.cfg.Window, OutStreams: a.cfg.OutStreams,
			InStreams: a.cfg.MaxInStreams, InitialTSN: a.localTSN, Params: wire.MakeParams(ps)}
		a.initChunk = m.Append(nil)[:m.Len()]
	}
	p := a.paths[a.t1Path]
	// §8.5.1 A: the packet carrying INIT has tag 0.
	a.out.add(a.src(a.t1Path), p.Remote, a.localPort, a.peerPort, 0, p.MTU(), a.initChunk)
	a.t1.Start(now, p.RTO())
}

// handleInitAck is §5.1 C: in COOKIE-WAIT, the INIT ACK completes the
// TCB and the cookie is echoed. Elsewhere it is discarded (§5.2.3).
func (a *Assoc) handleInitAck(now time.Time, in lower.Packet, c wire.Chunk) {
	if a.state != CookieWait {
		return
	}
	var m wire.InitAck
	if err := m.Decode(c); err != nil {
		// §5.1 and §3.3.3: an INIT ACK with invalid mandatory fields
		// ends the attempt with an ABORT carrying the cause; its tag
		// is the Initiate Tag of the INIT ACK.
		if m.InitiateTag != 0 {
			ab := wire.Abort{Causes: wire.MakeCauses((&wire.InvalidMandatoryParameterCause{}).Append(nil))}
			a.out.add(in.Dst, in.Src, a.localPort, a.peerPort, m.InitiateTag, a.ep.mtu, &ab)
			a.close(ErrProtocolViolation)
		}
		return
	}
	pi := a.ep.parsePeerInit((*wire.Init)(&m), in.Src, true)
	if pi.cookie == nil {
		// §3.3.10.2: a missing State Cookie is reported and the
		// attempt ends.
		mm := wire.MissingMandatoryParameterCause{Missing: wire.MakeParamTypes(wire.ParamStateCookie)}
		ab := wire.Abort{Causes: wire.MakeCauses(mm.Append(nil))}
		a.out.add(in.Dst, in.Src, a.localPort, a.peerPort, m.InitiateTag, a.ep.mtu, &ab)
		a.close(ErrProtocolViolation)
		return
	}
	if pi.hostName {
		a.abortUnresolvable(in, m.InitiateTag)
		return
	}
	a.setup(now, &pi, a.cfg.OutStreams, a.cfg.MaxInStreams)
	src := a.pathIndex(in.Src.Addr())
	if src >= 0 {
		a.paths[src].Remote = in.Src
		a.paths[src].Confirm()
	}
	a.t1.Stop()
	a.t1Retrans = 0
	a.cookieEcho = (&wire.CookieEcho{Cookie: pi.cookie}).Append(nil)[:4+len(pi.cookie)]
	a.state = CookieEchoed
	// §3.2.2: unrecognized parameters of an INIT ACK are reported in an
	// ERROR chunk bundled with the COOKIE ECHO (after it, §5.1 D).
	a.sendCookieEcho(now)
	if len(pi.unrecognized) > 0 {
		causes := (&wire.UnrecognizedParametersCause{Params: wire.MakeParams(pi.unrecognized)}).Append(nil)
		a.emit(a.t1Path, &wire.ErrorChunk{Causes: wire.MakeCauses(causes)})
	}
}

func (a *Assoc) sendCookieEcho(now time.Time) {
	a.emit(a.t1Path, a.cookieEcho)
	a.t1.Start(now, a.paths[a.t1Path].RTO())
}

// handleCookieAck is §5.1 E; a COOKIE ACK in another state is discarded
// (§5.2.5).
func (a *Assoc) handleCookieAck(now time.Time) {
	if a.state != CookieEchoed {
		return
	}
	a.established(now)
}

// t1Expired is T1-init and T1-cookie (§5.1 A, C): resend with the RTO
// doubled, until Max.Init.Retransmits.
func (a *Assoc) t1Expired(now time.Time) {
	a.t1.Stop()
	a.t1Retrans++
	if a.t1Retrans > a.cfg.MaxInitRetransmits {
		a.close(ErrTimeout)
		return
	}
	a.paths[a.t1Path].BackoffRTO()
	// §5.1: retransmissions of INIT and COOKIE ECHO SHOULD use all the
	// peer's addresses, like DATA retransmissions.
	a.t1Path = (a.t1Path + 1) % len(a.paths)
	switch a.state {
	case CookieWait:
		a.sendInit(now)
	case CookieEchoed:
		a.sendCookieEcho(now)
	}
}

// handleInit answers an INIT that arrives for an existing association:
// a collision (§5.2.1) or an unexpected INIT, maybe a restart (§5.2.2).
func (a *Assoc) handleInit(now time.Time, in lower.Packet, c wire.Chunk) {
	var m wire.Init
	if err := m.Decode(c); err != nil {
		a.ep.badInit(in, &m, err)
		return
	}
	pi := a.ep.parsePeerInit(&m, in.Src, false)
	if pi.hostName {
		a.abortUnresolvable(in, m.InitiateTag)
		return
	}
	switch a.state {
	case CookieWait, CookieEchoed:
		// §5.2.1: answer with the tag of our own INIT; in
		// COOKIE-ECHOED no address may be new, and the tie-tags are
		// populated.
		if a.state == CookieEchoed {
			if nw := a.newAddresses(&pi); nw != nil {
				a.abortNewAddresses(in, m.InitiateTag, nw)
				return
			}
			a.populateTieTags()
		}
		a.ep.sendInitAck(now, in, c, &pi, a.localTag, a.localTSN, a.localTieTag, a.peerTieTag)
	case ShutdownAckSent:
		// §9.2: in SHUTDOWN-ACK-SENT an INIT is answered by resending
		// the SHUTDOWN ACK; a restart waits for the shutdown to end.
		a.emit(a.primary, &wire.ShutdownAck{})
	default:
		// §5.2.2: check for new addresses, then answer with a new
		// tag and the tie-tags; the association does not change.
		if nw := a.newAddresses(&pi); nw != nil {
			a.abortNewAddresses(in, m.InitiateTag, nw)
			return
		}
		a.populateTieTags()
		a.ep.sendInitAck(now, in, c, &pi, a.ep.newTag(), wire.TSN(a.random64()), a.localTieTag, a.peerTieTag)
	}
}

// populateTieTags gives the TCB its random tie-tags (§5.2.2: "populated
// with a random value other than 0").
func (a *Assoc) populateTieTags() {
	for a.localTieTag == 0 {
		a.localTieTag = wire.VTag(a.random64())
	}
	for a.peerTieTag == 0 {
		a.peerTieTag = wire.VTag(a.random64())
	}
}

func (a *Assoc) abortNewAddresses(in lower.Packet, tag wire.VTag, addrs []byte) {
	cause := wire.RestartWithNewAddressesCause{Addresses: wire.MakeParams(addrs)}
	ab := wire.Abort{Causes: wire.MakeCauses(cause.Append(nil))}
	a.out.add(in.Dst, in.Src, a.localPort, a.peerPort, tag, a.ep.mtu, &ab)
}

// abortUnresolvable answers a Host Name Address, which RFC 9260 §5.1.2
// B no longer supports: ABORT with an Unresolvable Address cause.
func (a *Assoc) abortUnresolvable(in lower.Packet, tag wire.VTag) {
	a.ep.abortTo(in, tag, (&wire.UnresolvableAddressCause{}).Append(nil))
	if a.state == CookieWait {
		a.close(ErrProtocolViolation)
	}
}
