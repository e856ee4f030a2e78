package fuzz

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strconv"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/rserpool/rserpool/sctp/wire"
)

// FuzzGopacketSCTP decodes the same bytes as an SCTP packet with gopacket
// (v1.1.19, layers/sctp.go) and with sctp/wire, and wherever both accept
// a chunk, compares every field gopacket exposes. gopacket is an
// independent reading of RFC 4960; where it departs from RFC 9260 the
// comparison does not follow it, and each such place is listed here and
// marked where the comparison skips it:
//
//  1. Checksum byte order. gopacket's decoder reads the CRC32c field big
//     endian, yet its own encoder writes it least significant byte first,
//     as RFC 9260 §6.8 and Appendix A transmit it (and as wire reads it).
//     The two Checksum values are compared byte-swapped.
//  2. DATA is taken as the last chunk. gopacket makes everything from the
//     end of the DATA header to the end of the packet, less this chunk's
//     padding, the DATA payload, and stops. RFC 9260 §6.10 lets DATA be
//     bundled with any chunks after it, and the user data ends at the
//     chunk length (§3.3.1). The payload is compared in full only when the
//     DATA chunk ends the packet, as a prefix otherwise; chunks after a
//     DATA chunk are not compared.
//  3. DATA length ignored. gopacket sets ActualLength to 16 for every DATA
//     chunk and never checks the chunk length against the packet: it
//     accepts a DATA chunk whose length runs past the end of the packet or
//     whose padding is missing (RFC 9260 §3.2). ActualLength is not
//     compared for DATA, and a DATA chunk that gopacket accepts where the
//     chunk walk rejects it is let pass.
//  4. SACK gap blocks. RFC 9260 §3.3.4 counts Gap Ack Blocks of 4 bytes
//     each (a start and an end offset); gopacket reads that many 16-bit
//     words instead, so its GapACKs hold the first half of the words and
//     its DuplicateTSNs are read from the wrong offset whenever there is a
//     gap block. GapACKs are compared as the first NumGapACKs words, and
//     the duplicate TSNs only when there is no gap block.
//  5. Unrecognized chunk types. gopacket fails the whole decode at any
//     chunk type other than the thirteen of RFC 4960 (I-DATA, FORWARD
//     TSN, AUTH, ASCONF, RE-CONFIG, PAD, ECNE, ...), while RFC 9260 §3.2
//     has the two high bits of the type decide whether the receiver skips
//     the chunk and goes on. Chunks from such a chunk on are not compared.
//  6. Unpadded last parameter or cause. gopacket walks HEARTBEAT, ABORT
//     and ERROR values up to the chunk length but steps over each item by
//     its padded length, so when the last item's length is not a multiple
//     of 4 (its padding lies outside the chunk length, RFC 9260 §3.2) it
//     runs out of bytes and fails. (For INIT it walks to the padded end of
//     the chunk, which is right.) Such chunks are let pass when gopacket
//     fails on them.
//  7. Unchecked lengths and values. gopacket reads the fixed fields of
//     INIT, SACK, SHUTDOWN and DATA without checking that the chunk is long
//     enough (reading the next chunk's bytes instead), accepts a SHUTDOWN
//     too short for its Cumulative TSN Ack (§3.3.8: 8 bytes), and
//     does not refuse what §3.3.1, §3.3.2, §3.3.5 and §3.3.10 forbid (DATA
//     without user data, a zero Initiate Tag or stream count, HEARTBEAT
//     without Heartbeat Info, ERROR without a cause). Fields are compared
//     only when wire accepts the chunk too; the chunk header still is.
//
// One difference is wire's choice rather than a gopacket fault: wire reads
// the Heartbeat Info parameter of a HEARTBEAT or HEARTBEAT ACK and ignores
// any bytes after it, where gopacket parses them as more parameters and
// fails on bytes that are not. Such chunks are let pass too.
func FuzzGopacketSCTP(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		gpCompare(t, b)
	})
}

// gpDecoded is a packet as gopacket decoded it.
type gpDecoded struct {
	sctp    *layers.SCTP
	chunks  []gopacket.Layer // chunk layers, in order
	payload []byte           // the Payload layer after a DATA chunk
	failed  bool             // gopacket stopped on an error after chunks
}

func gpDecode(b []byte) gpDecoded {
	p := gopacket.NewPacket(b, layers.LayerTypeSCTP, gopacket.DecodeOptions{NoCopy: true})
	var d gpDecoded
	for _, l := range p.Layers() {
		switch l := l.(type) {
		case *layers.SCTP:
			d.sctp = l
		case *gopacket.Payload:
			d.payload = l.Payload()
		case *gopacket.DecodeFailure:
			d.failed = true
		default:
			d.chunks = append(d.chunks, l)
		}
	}
	return d
}

// gpCompare is the body of the fuzz target: it fails t on any
// disagreement that the list above does not explain.
func gpCompare(t *testing.T, b []byte) {
	t.Helper()
	g := gpDecode(b)
	_, perr := wire.ParsePacket(b)
	if len(b) < wire.HeaderLen {
		if perr == nil || !g.failed {
			t.Fatalf("%d-byte packet: wire error %v, gopacket failed %v; both must refuse it", len(b), perr, g.failed)
		}
		return
	}
	if g.sctp == nil {
		t.Fatalf("gopacket decoded no SCTP layer from %d bytes", len(b))
	}
	h := wire.Packet(b).Header()
	if uint16(g.sctp.SrcPort) != h.SrcPort || uint16(g.sctp.DstPort) != h.DstPort || g.sctp.VerificationTag != uint32(h.VTag) {
		t.Errorf("common header: gopacket %d>%d tag %#x, wire %d>%d tag %#x",
			g.sctp.SrcPort, g.sctp.DstPort, g.sctp.VerificationTag, h.SrcPort, h.DstPort, h.VTag)
	}
	if g.sctp.Checksum != bits.ReverseBytes32(h.Checksum) { // divergence 1
		t.Errorf("checksum: gopacket %#08x, wire %#08x (byte-swapped)", g.sctp.Checksum, h.Checksum)
	}

	it := wire.Packet(b).Chunks()
	i := 0
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		switch {
		case i < len(g.chunks):
			gpCompareChunk(t, b, c, g.chunks[i], g.payload, it.Offset() >= len(b))
		case i == len(g.chunks):
			gpExplainStop(t, g, i, c)
		}
		i++
	}
	if i > len(g.chunks) {
		i = len(g.chunks)
	}
	if i < len(g.chunks) {
		// gopacket took a chunk the chunk walk refused: only a DATA chunk
		// whose length gopacket ignored may be that (divergence 3).
		_, isData := g.chunks[i].(*layers.SCTPData)
		if it.Err() == nil || !isData || i+1 != len(g.chunks) {
			t.Errorf("gopacket decoded chunk %d (%T) that wire refuses: %v", i, g.chunks[i], it.Err())
		}
	}
	if it.Err() == nil && perr != nil || it.Err() != nil && perr == nil {
		t.Errorf("ParsePacket (%v) and the chunk walk (%v) disagree", perr, it.Err())
	}
}

// gpExplainStop is called when wire has a chunk at index i and gopacket
// has none: gopacket stopped before it, which must have a reason.
func gpExplainStop(t *testing.T, g gpDecoded, i int, c wire.Chunk) {
	t.Helper()
	if i > 0 {
		if _, ok := g.chunks[i-1].(*layers.SCTPData); ok {
			return // divergence 2: nothing after DATA is decoded
		}
	}
	if !g.failed {
		t.Errorf("gopacket ended without error before chunk %d (%v at offset %d)", i, c.Type(), c.Offset())
		return
	}
	if !gpKnownType(c.Type()) {
		return // divergence 5
	}
	if _, err := gpWireDecode(c); err != nil {
		return // both refuse the chunk
	}
	switch c.Type() {
	case wire.ChunkHeartbeat, wire.ChunkHeartbeatAck, wire.ChunkAbort, wire.ChunkError:
		if !gpPaddedTLVs(c.Value()) {
			return // divergence 6, or wire ignoring bytes after Heartbeat Info
		}
	}
	t.Errorf("gopacket fails on chunk %d (%v at offset %d) that wire accepts", i, c.Type(), c.Offset())
}

// gpKnownType reports whether gopacket has a decoder for the chunk type:
// the chunk types of RFC 4960.
func gpKnownType(t wire.ChunkType) bool {
	return t <= wire.ChunkCookieAck || t == wire.ChunkShutdownComplete
}

// gpPaddedTLVs reports whether b is a list of TLVs each of which, padding
// included, lies inside b: the only lists gopacket's item walk finishes.
func gpPaddedTLVs(b []byte) bool {
	for len(b) > 0 {
		if len(b) < 4 {
			return false
		}
		n := int(binary.BigEndian.Uint16(b[2:]))
		if n < 4 || (n+3)&^3 > len(b) {
			return false
		}
		b = b[(n+3)&^3:]
	}
	return true
}

// gpWireDecode decodes c with the wire decoder of its type.
func gpWireDecode(c wire.Chunk) (any, error) {
	var d interface{ Decode(wire.Chunk) error }
	switch c.Type() {
	case wire.ChunkData:
		d = new(wire.Data)
	case wire.ChunkInit:
		d = new(wire.Init)
	case wire.ChunkInitAck:
		d = new(wire.InitAck)
	case wire.ChunkSack:
		d = new(wire.Sack)
	case wire.ChunkHeartbeat:
		d = new(wire.Heartbeat)
	case wire.ChunkHeartbeatAck:
		d = new(wire.HeartbeatAck)
	case wire.ChunkAbort:
		d = new(wire.Abort)
	case wire.ChunkShutdown:
		d = new(wire.Shutdown)
	case wire.ChunkShutdownAck:
		d = new(wire.ShutdownAck)
	case wire.ChunkError:
		d = new(wire.ErrorChunk)
	case wire.ChunkCookieEcho:
		d = new(wire.CookieEcho)
	case wire.ChunkCookieAck:
		d = new(wire.CookieAck)
	case wire.ChunkShutdownComplete:
		d = new(wire.ShutdownComplete)
	default:
		d = new(wire.RawChunk)
	}
	return d, d.Decode(c)
}

// gpChunkHeader returns the common chunk fields of a gopacket chunk layer.
func gpChunkHeader(l gopacket.Layer) (layers.SCTPChunk, bool) {
	switch l := l.(type) {
	case *layers.SCTPData:
		return l.SCTPChunk, true
	case *layers.SCTPInit:
		return l.SCTPChunk, true
	case *layers.SCTPSack:
		return l.SCTPChunk, true
	case *layers.SCTPHeartbeat:
		return l.SCTPChunk, true
	case *layers.SCTPError:
		return l.SCTPChunk, true
	case *layers.SCTPShutdown:
		return l.SCTPChunk, true
	case *layers.SCTPShutdownAck:
		return l.SCTPChunk, true
	case *layers.SCTPCookieEcho:
		return l.SCTPChunk, true
	case *layers.SCTPEmptyLayer:
		return l.SCTPChunk, true
	case *layers.SCTPUnknownChunkType:
		return l.SCTPChunk, true
	}
	return layers.SCTPChunk{}, false
}

// gpCompareChunk compares one chunk of packet b that both sides found at
// the same place. last tells whether the chunk ends the packet.
func gpCompareChunk(t *testing.T, b []byte, c wire.Chunk, l gopacket.Layer, payload []byte, last bool) {
	t.Helper()
	gh, ok := gpChunkHeader(l)
	if !ok {
		t.Errorf("chunk at %d: unexpected gopacket layer %T", c.Offset(), l)
		return
	}
	where := c.Type().String() + " chunk at offset " + strconv.Itoa(c.Offset())
	if uint8(gh.Type) != uint8(c.Type()) || gh.Flags != c.Flags() || int(gh.Length) != c.Len() {
		t.Errorf("%s: gopacket type %d flags %#x length %d, wire type %d flags %#x length %d",
			where, gh.Type, gh.Flags, gh.Length, c.Type(), c.Flags(), c.Len())
		return
	}
	padded := (c.Len() + 3) &^ 3
	whole := b[c.Offset() : c.Offset()+padded] // the chunk walk checked that the padding is there
	if c.Type() != wire.ChunkData {            // divergence 3: ActualLength and contents stop at 16 for DATA
		if gh.ActualLength != padded || !bytes.Equal(gh.LayerContents(), whole) {
			t.Errorf("%s: gopacket ActualLength %d and contents % x, wire padded length %d and bytes % x",
				where, gh.ActualLength, gh.LayerContents(), padded, whole)
		}
	}
	d, err := gpWireDecode(c)
	if err != nil {
		return // divergence 7: wire refuses what gopacket does not check
	}
	switch w := d.(type) {
	case *wire.Data:
		gpCompareData(t, where, w, l.(*layers.SCTPData), payload, last)
	case *wire.Init:
		gpCompareInit(t, where, (*wire.Init)(w), l.(*layers.SCTPInit))
	case *wire.InitAck:
		gpCompareInit(t, where, (*wire.Init)(w), l.(*layers.SCTPInit))
	case *wire.Sack:
		gpCompareSack(t, where, w, l.(*layers.SCTPSack))
	case *wire.Heartbeat:
		gpCompareHeartbeat(t, where, w.Info, l.(*layers.SCTPHeartbeat))
	case *wire.HeartbeatAck:
		gpCompareHeartbeat(t, where, w.Info, l.(*layers.SCTPHeartbeat))
	case *wire.Abort:
		if w.TBit != (c.Flags()&1 != 0) {
			t.Errorf("%s: T bit %v with flags %#x", where, w.TBit, c.Flags())
		}
		gpCompareCauses(t, where, w.Causes, l.(*layers.SCTPError))
	case *wire.ErrorChunk:
		gpCompareCauses(t, where, w.Causes, l.(*layers.SCTPError))
	case *wire.Shutdown:
		if g := l.(*layers.SCTPShutdown); g.CumulativeTSNAck != uint32(w.CumTSNAck) {
			t.Errorf("%s: cumulative TSN ack gopacket %d, wire %d", where, g.CumulativeTSNAck, w.CumTSNAck)
		}
	case *wire.CookieEcho:
		if g := l.(*layers.SCTPCookieEcho); !bytes.Equal(g.Cookie, w.Cookie) {
			t.Errorf("%s: cookie gopacket % x, wire % x", where, g.Cookie, w.Cookie)
		}
	case *wire.ShutdownComplete:
		if w.TBit != (c.Flags()&1 != 0) {
			t.Errorf("%s: T bit %v with flags %#x", where, w.TBit, c.Flags())
		}
		_ = l.(*layers.SCTPEmptyLayer)
	case *wire.CookieAck:
		_ = l.(*layers.SCTPEmptyLayer)
	case *wire.ShutdownAck:
		_ = l.(*layers.SCTPShutdownAck)
	}
}

func gpCompareData(t *testing.T, where string, w *wire.Data, g *layers.SCTPData, payload []byte, last bool) {
	t.Helper()
	if g.Unordered != w.Unordered || g.BeginFragment != w.Beginning || g.EndFragment != w.Ending ||
		g.TSN != uint32(w.TSN) || g.StreamId != uint16(w.Stream) || g.StreamSequence != uint16(w.SSN) ||
		uint32(g.PayloadProtocol) != uint32(w.PPID) {
		t.Errorf("%s: gopacket %+v, wire %+v", where, g, w)
	}
	// Divergence 2: gopacket's payload runs to the end of the packet.
	if last && !bytes.Equal(payload, w.UserData) || !last && !bytes.HasPrefix(payload, w.UserData) {
		t.Errorf("%s (last %v): gopacket payload % x, wire user data % x", where, last, payload, w.UserData)
	}
}

func gpCompareInit(t *testing.T, where string, w *wire.Init, g *layers.SCTPInit) {
	t.Helper()
	if g.InitiateTag != uint32(w.InitiateTag) || g.AdvertisedReceiverWindowCredit != w.ARwnd ||
		g.OutboundStreams != w.OutStreams || g.InboundStreams != w.InStreams || g.InitialTSN != uint32(w.InitialTSN) {
		t.Errorf("%s: gopacket tag %#x a_rwnd %d streams %d/%d TSN %d, wire %+v", where, g.InitiateTag,
			g.AdvertisedReceiverWindowCredit, g.OutboundStreams, g.InboundStreams, g.InitialTSN, w)
	}
	var gps []layers.SCTPParameter
	for _, p := range g.Parameters {
		gps = append(gps, layers.SCTPParameter(p))
	}
	it := w.Params.Iter()
	gpCompareTLVs(t, where+" parameter", gps, func() (uint16, int, []byte, bool) {
		p, ok := it.Next()
		if !ok {
			return 0, 0, nil, false
		}
		return uint16(p.Type()), p.Len(), p.Value(), true
	})
	if it.Err() != nil {
		t.Errorf("%s: decoded parameters fail to iterate: %v", where, it.Err())
	}
}

func gpCompareCauses(t *testing.T, where string, cs wire.Causes, g *layers.SCTPError) {
	t.Helper()
	var gps []layers.SCTPParameter
	for _, p := range g.Parameters {
		gps = append(gps, layers.SCTPParameter(p))
	}
	it := cs.Iter()
	gpCompareTLVs(t, where+" cause", gps, func() (uint16, int, []byte, bool) {
		c, ok := it.Next()
		if !ok {
			return 0, 0, nil, false
		}
		return uint16(c.Code()), c.Len(), c.Value(), true
	})
	if it.Err() != nil {
		t.Errorf("%s: decoded causes fail to iterate: %v", where, it.Err())
	}
}

// gpCompareTLVs compares gopacket's parameter or cause list with wire's,
// item by item: type or code, length, padded length and value.
func gpCompareTLVs(t *testing.T, where string, g []layers.SCTPParameter, next func() (uint16, int, []byte, bool)) {
	t.Helper()
	i := 0
	for typ, n, v, ok := next(); ok; typ, n, v, ok = next() {
		if i >= len(g) {
			t.Errorf("%s %d: gopacket has only %d", where, i, len(g))
			return
		}
		p := g[i]
		if p.Type != typ || int(p.Length) != n || p.ActualLength != (n+3)&^3 || !bytes.Equal(p.Value, v) {
			t.Errorf("%s %d: gopacket type %d length %d/%d value % x, wire type %d length %d value % x",
				where, i, p.Type, p.Length, p.ActualLength, p.Value, typ, n, v)
		}
		i++
	}
	if i != len(g) {
		t.Errorf("%s: gopacket has %d, wire %d", where, len(g), i)
	}
}

func gpCompareSack(t *testing.T, where string, w *wire.Sack, g *layers.SCTPSack) {
	t.Helper()
	ng, nd := w.GapBlocks.Len(), w.DupTSNs.Len()
	if g.CumulativeTSNAck != uint32(w.CumTSNAck) || g.AdvertisedReceiverWindowCredit != w.ARwnd ||
		int(g.NumGapACKs) != ng || int(g.NumDuplicateTSNs) != nd {
		t.Errorf("%s: gopacket cum %d a_rwnd %d gaps %d dups %d, wire cum %d a_rwnd %d gaps %d dups %d", where,
			g.CumulativeTSNAck, g.AdvertisedReceiverWindowCredit, g.NumGapACKs, g.NumDuplicateTSNs,
			w.CumTSNAck, w.ARwnd, ng, nd)
		return
	}
	// Divergence 4: gopacket holds NumGapACKs 16-bit words, the start and
	// end offsets of the first half of the blocks.
	words := make([]uint16, 0, 2*ng)
	for i := 0; i < ng; i++ {
		gb := w.GapBlocks.At(i)
		words = append(words, gb.Start, gb.End)
	}
	if len(g.GapACKs) != ng {
		t.Errorf("%s: gopacket has %d gap words for %d blocks", where, len(g.GapACKs), ng)
		return
	}
	for i, v := range g.GapACKs {
		if v != words[i] {
			t.Errorf("%s: gap word %d gopacket %d, wire %d", where, i, v, words[i])
		}
	}
	if ng != 0 {
		return // divergence 4: gopacket reads the duplicates from the wrong offset
	}
	if len(g.DuplicateTSNs) != nd {
		t.Errorf("%s: gopacket has %d duplicate TSNs, wire %d", where, len(g.DuplicateTSNs), nd)
		return
	}
	for i, v := range g.DuplicateTSNs {
		if v != uint32(w.DupTSNs.At(i)) {
			t.Errorf("%s: duplicate TSN %d gopacket %d, wire %d", where, i, v, w.DupTSNs.At(i))
		}
	}
}

// gpCompareHeartbeat compares the Heartbeat Info parameter, the first
// parameter of the chunk; wire ignores whatever follows it.
func gpCompareHeartbeat(t *testing.T, where string, info []byte, g *layers.SCTPHeartbeat) {
	t.Helper()
	if len(g.Parameters) == 0 {
		t.Errorf("%s: gopacket found no parameter", where)
		return
	}
	p := g.Parameters[0]
	if p.Type != uint16(wire.ParamHeartbeatInfo) || int(p.Length) != 4+len(info) || !bytes.Equal(p.Value, info) {
		t.Errorf("%s: gopacket parameter type %d length %d value % x, wire info % x", where, p.Type, p.Length, p.Value, info)
	}
}
