package assoc

import (
	"time"

	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/wire"
)

// engineKnows lists the chunk types this engine implements. The others,
// including extensions the codec knows but the association did not
// negotiate, are handled by their upper two bits (§3.2), as a receiver
// without the extension must.
func engineKnows(t wire.ChunkType) bool {
	switch t {
	case wire.ChunkData, wire.ChunkInit, wire.ChunkInitAck, wire.ChunkSack,
		wire.ChunkHeartbeat, wire.ChunkHeartbeatAck, wire.ChunkAbort,
		wire.ChunkShutdown, wire.ChunkShutdownAck, wire.ChunkError,
		wire.ChunkCookieEcho, wire.ChunkCookieAck, wire.ChunkShutdownComplete:
		return true
	}
	return false
}

// Handle processes a packet routed to a (Endpoint.Route).
func (a *Assoc) Handle(now time.Time, in lower.Packet, p wire.Packet) {
	if a.state == Closed {
		return
	}
	it := p.Chunks()
	first, ok := it.Next()
	if !ok {
		return
	}
	vt := p.VTag()
	switch first.Type() {
	case wire.ChunkInit:
		// §8.5.1 A: an INIT's packet carries tag 0; §6.10: INIT is
		// never bundled.
		if vt != 0 || len(p) != wire.HeaderLen+pad4(first.Len()) {
			return
		}
		a.handleInit(now, in, first)
		a.flush(now)
		return
	case wire.ChunkAbort, wire.ChunkShutdownComplete:
		// §8.5.1 B, C: the T bit says the tag is the peer's own,
		// reflected by an endpoint that had no TCB.
		if first.Flags()&1 != 0 {
			if vt != a.peerTag {
				return
			}
		} else if vt != a.localTag {
			return
		}
	case wire.ChunkCookieEcho:
		// §5.2.4 decides from the tags inside the cookie.
	case wire.ChunkShutdownAck:
		// §8.5.1 E: in COOKIE-WAIT and COOKIE-ECHOED a SHUTDOWN ACK
		// is out of the blue.
		if a.state == CookieWait || a.state == CookieEchoed {
			a.ep.ootb(now, in, p)
			return
		}
		if vt != a.localTag {
			return
		}
	default:
		// §8.5: every other packet carries our tag.
		if vt != a.localTag {
			return
		}
	}
	a.stats.PacketsReceived++
	src := a.pathIndex(in.Src.Addr())
	if src >= 0 && first.Type() != wire.ChunkCookieEcho {
		// RFC 6951 §5.4: the encapsulation port is learned from
		// packets that passed the tag check.
		a.paths[src].Remote = in.Src
	}
	if src < 0 {
		src = a.primary
	}
	var unrec []byte
	hadData, hadNewData := false, false
	p.Walk(engineKnows, func(c wire.Chunk) {
		if a.state == Closed {
			return
		}
		switch c.Type() {
		case wire.ChunkData:
			hadData = true
			if a.handleData(now, c, src) {
				hadNewData = true
			}
		case wire.ChunkSack:
			a.handleSack(now, c)
		case wire.ChunkHeartbeat:
			a.handleHeartbeat(c, in, src)
		case wire.ChunkHeartbeatAck:
			a.handleHeartbeatAck(now, c, in)
		case wire.ChunkAbort:
			a.handleAbort(c)
		case wire.ChunkShutdown:
			a.handleShutdown(now, c)
		case wire.ChunkShutdownAck:
			a.handleShutdownAck(now)
		case wire.ChunkShutdownComplete:
			a.handleShutdownComplete()
		case wire.ChunkError:
			a.handleError(now, c)
		case wire.ChunkCookieEcho:
			if c.Offset() == wire.HeaderLen {
				a.handleCookieEcho(now, in, p, c)
			}
		case wire.ChunkCookieAck:
			a.handleCookieAck(now)
		case wire.ChunkInitAck:
			a.handleInitAck(now, in, c)
		case wire.ChunkInit:
			// Bundled INIT: §6.10 forbids it; ignored.
		}
	}, func(c wire.Chunk) {
		cause := wire.UnrecognizedChunkTypeCause{Chunk: c.Bytes()}
		unrec = cause.Append(unrec)
	})
	if a.state == Closed {
		a.flush(now)
		return
	}
	if len(unrec) > 0 && len(unrec) < 1200 {
		// §3.2: report unrecognized chunks in an ERROR chunk.
		a.emit(src, &wire.ErrorChunk{Causes: wire.MakeCauses(unrec)})
	}
	if hadData {
		a.afterData(now, hadNewData)
	}
	a.flush(now)
}

func pad4(n int) int { return (n + 3) &^ 3 }
