package main

import (
	"github.com/rserpool/rserpool/sctp/wire"
)

// chunkItem decodes one chunk into its line: the type's name and its
// fields, with parameters, error causes and carried ASAP/ENRP messages as
// nested items. User data of DATA and I-DATA goes through the decoder's
// reassembly, which is why this is a method.
func (d *decoder) chunkItem(c wire.Chunk, pc *pktCtx) item {
	it := item{name: c.Type().String()}
	dc, err := wire.DecodeChunk(c)
	if err != nil {
		d.stats.badChunks++
		it.add("len", c.Len())
		it.add("error", problemItem(err))
		return it
	}
	switch v := dc.(type) {
	case *wire.Data:
		it.add("tsn", uint32(v.TSN))
		it.add("sid", uint16(v.Stream))
		it.add("ssn", uint16(v.SSN))
		it.add("ppid", uint32(v.PPID))
		it.add("flags", dataFlags(v.DataFlags))
		it.add("len", len(v.UserData))
		d.userData(&it, pc, fragment{
			flags: v.DataFlags, seq: uint32(v.TSN), sid: uint16(v.Stream),
			ppid: uint32(v.PPID), data: v.UserData,
		})
	case *wire.IData:
		it.add("tsn", uint32(v.TSN))
		it.add("sid", uint16(v.Stream))
		it.add("mid", uint32(v.MID))
		if v.Beginning {
			it.add("ppid", uint32(v.PPID))
		} else {
			it.add("fsn", uint32(v.FSN))
		}
		it.add("flags", dataFlags(v.DataFlags))
		it.add("len", len(v.UserData))
		d.userData(&it, pc, fragment{
			idata: true, flags: v.DataFlags, seq: uint32(v.FSN), sid: uint16(v.Stream),
			mid: uint32(v.MID), ppid: uint32(v.PPID), data: v.UserData,
		})
	case *wire.Init:
		initFields(&it, v)
	case *wire.InitAck:
		initFields(&it, (*wire.Init)(v))
	case *wire.Sack:
		it.add("cum", uint32(v.CumTSNAck))
		it.add("a_rwnd", v.ARwnd)
		gaps := make(list, v.GapBlocks.Len())
		for i := range gaps {
			gaps[i] = gapBlock(v.GapBlocks.At(i))
		}
		it.add("gaps", gaps)
		dups := make(list, v.DupTSNs.Len())
		for i := range dups {
			dups[i] = uint32(v.DupTSNs.At(i))
		}
		it.add("dups", dups)
	case *wire.Heartbeat:
		it.add("info_len", len(v.Info))
	case *wire.HeartbeatAck:
		it.add("info_len", len(v.Info))
	case *wire.Abort:
		it.add("tbit", v.TBit)
		it.add("causes", causeItems(v.Causes))
	case *wire.Shutdown:
		it.add("cum", uint32(v.CumTSNAck))
	case *wire.ShutdownAck, *wire.CookieAck:
	case *wire.ErrorChunk:
		it.add("causes", causeItems(v.Causes))
	case *wire.CookieEcho:
		it.add("cookie_len", len(v.Cookie))
	case *wire.ShutdownComplete:
		it.add("tbit", v.TBit)
	case *wire.Auth:
		it.add("key_id", v.SharedKeyID)
		it.add("hmac_id", v.HMACID.String())
		it.add("hmac_len", len(v.HMAC))
	case *wire.ASCONF:
		it.add("seq", v.Seq)
		if v.Addr.IsValid() {
			it.add("addr", v.Addr.String())
		} else {
			// A wildcard or a Host Name Address: the receiver finds the
			// association by other means (RFC 5061 §4.1.1).
			it.add("addr", "none")
		}
		it.add("params", paramItems(v.Params))
	case *wire.ASCONFAck:
		it.add("seq", v.Seq)
		it.add("params", paramItems(v.Params))
	case *wire.Reconfig:
		it.add("params", paramItems(v.Params))
	case *wire.Pad:
		it.add("size", v.Size)
	case *wire.ForwardTSN:
		it.add("new_cum", uint32(v.NewCumulativeTSN))
		streams := make(list, v.Streams.Len())
		for i := range streams {
			streams[i] = fwdStream(v.Streams.At(i))
		}
		it.add("streams", streams)
	case *wire.IForwardTSN:
		it.add("new_cum", uint32(v.NewCumulativeTSN))
		streams := make(list, v.Streams.Len())
		for i := range streams {
			streams[i] = iFwdStream(v.Streams.At(i))
		}
		it.add("streams", streams)
	case *wire.RawChunk:
		// A type without a codec: its upper two bits say what a receiver
		// does with it (RFC 9260 §3.2).
		it.add("action", sctpAction(v.Type.UnknownAction()))
		it.add("flags", hex8(v.Flags))
		it.add("len", c.Len())
	}
	return it
}

// initFields fills in the fields of INIT and INIT ACK, which share their
// layout (RFC 9260 §3.3.2, §3.3.3).
func initFields(it *item, m *wire.Init) {
	it.add("tag", hex32(m.InitiateTag))
	it.add("a_rwnd", m.ARwnd)
	it.add("os", m.OutStreams)
	it.add("mis", m.InStreams)
	it.add("itsn", uint32(m.InitialTSN))
	it.add("params", paramItems(m.Params))
}

// dataFlags writes the U, B, E and I bits of DATA and I-DATA as the
// letters Wireshark uses, "-" when none is set.
func dataFlags(f wire.DataFlags) string {
	s := ""
	if f.Unordered {
		s += "U"
	}
	if f.Beginning {
		s += "B"
	}
	if f.Ending {
		s += "E"
	}
	if f.Immediate {
		s += "I"
	}
	if s == "" {
		s = "-"
	}
	return s
}
