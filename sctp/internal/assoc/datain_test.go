package assoc

import (
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/wire"
)

func sackOf(t *testing.T, c wire.Chunk) *wire.Sack { return decode[wire.Sack](t, c) }

// §5.1 (last paragraphs): the first DATA of an association is
// acknowledged at once.
func TestRFC9260_5_1_FirstDataSackedAtOnce(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	s.deliver(tag, data(1000, 0, 0, "hello"))
	at, cs := s.expect(peerTagP, wire.ChunkSack)
	if at != s.now {
		t.Fatal("SACK delayed")
	}
	if sk := sackOf(t, cs[0]); sk.CumTSNAck != 1000 {
		t.Fatalf("cum ack %d", sk.CumTSNAck)
	}
	m, ok := s.a.Read()
	if !ok || string(m.Data) != "hello" || m.PPID != 51 {
		t.Fatalf("read %+v %v", m, ok)
	}
}

// §6.2: after the first, a SACK goes for every second packet with DATA,
// or SACK.Delay after a lone one.
func TestRFC9260_6_2_DelayedSack(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	s.deliver(tag, data(1000, 0, 0, "a"))
	s.expect(peerTagP, wire.ChunkSack)
	s.deliver(tag, data(1001, 0, 1, "b"))
	s.expectNone()
	s.deliver(tag, data(1002, 0, 2, "c"))
	_, cs := s.expect(peerTagP, wire.ChunkSack) // second packet
	if sackOf(t, cs[0]).CumTSNAck != 1002 {
		t.Fatal("wrong cum ack")
	}
	start := s.now
	s.deliver(tag, data(1003, 0, 3, "d"))
	s.expectNone()
	s.advance(time.Second)
	at, cs := s.expect(peerTagP, wire.ChunkSack)
	if at.Sub(start) != 200*time.Millisecond {
		t.Fatalf("delayed SACK after %v, want 200ms", at.Sub(start))
	}
	if sackOf(t, cs[0]).CumTSNAck != 1003 {
		t.Fatal("wrong cum ack")
	}
}

// §6.2 and §6.7: a gap is reported at once with a Gap Ack Block; its
// filling is reported at once too.
func TestRFC9260_6_7_GapReportedAtOnce(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	s.deliver(tag, data(1000, 0, 0, "a"))
	s.expect(peerTagP, wire.ChunkSack)
	s.deliver(tag, data(1002, 0, 2, "c"))
	_, cs := s.expect(peerTagP, wire.ChunkSack)
	sk := sackOf(t, cs[0])
	if sk.CumTSNAck != 1000 || sk.GapBlocks.Len() != 1 || sk.GapBlocks.At(0) != (wire.GapBlock{Start: 2, End: 2}) {
		t.Fatalf("SACK cum %d gaps %d", sk.CumTSNAck, sk.GapBlocks.Len())
	}
	s.deliver(tag, data(1001, 0, 1, "b"))
	_, cs = s.expect(peerTagP, wire.ChunkSack)
	if sk := sackOf(t, cs[0]); sk.CumTSNAck != 1002 || sk.GapBlocks.Len() != 0 {
		t.Fatalf("after fill: cum %d gaps %d", sk.CumTSNAck, sk.GapBlocks.Len())
	}
	for _, want := range []string{"a", "b", "c"} {
		if m, ok := s.a.Read(); !ok || string(m.Data) != want {
			t.Fatalf("read %q, want %q", m.Data, want)
		}
	}
}

// §6.2: a packet with only duplicate DATA is acknowledged at once, and
// the duplicate TSN reported.
func TestRFC9260_6_2_DuplicateReported(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	s.deliver(tag, data(1000, 0, 0, "a"))
	s.expect(peerTagP, wire.ChunkSack)
	s.deliver(tag, data(1000, 0, 0, "a"))
	_, cs := s.expect(peerTagP, wire.ChunkSack)
	sk := sackOf(t, cs[0])
	if sk.DupTSNs.Len() != 1 || sk.DupTSNs.At(0) != 1000 {
		t.Fatalf("dups %d", sk.DupTSNs.Len())
	}
	s.a.Read()
	if _, ok := s.a.Read(); ok {
		t.Fatal("duplicate delivered")
	}
}

// RFC 7053 §4: DATA with the I bit is acknowledged at once.
func TestRFC7053_4_ImmediateBit(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	s.deliver(tag, data(1000, 0, 0, "a"))
	s.expect(peerTagP, wire.ChunkSack)
	d := data(1001, 0, 1, "b")
	d.Immediate = true
	s.deliver(tag, d)
	s.expect(peerTagP, wire.ChunkSack)
}

// §6.5: DATA to a stream that does not exist is acknowledged, dropped,
// and reported with an Invalid Stream Identifier error.
func TestRFC9260_6_5_InvalidStream(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	s.deliver(tag, data(1000, 9, 0, "a")) // 5 streams negotiated
	_, cs := s.expect(peerTagP, wire.ChunkError, wire.ChunkSack)
	ec := decode[wire.ErrorChunk](t, cs[0])
	it := ec.Causes.Iter()
	c, ok := it.Next()
	var is wire.InvalidStreamIdentifierCause
	if !ok || is.Decode(c) != nil || is.Stream != 9 {
		t.Fatal("no Invalid Stream Identifier cause for stream 9")
	}
	if sackOf(t, cs[1]).CumTSNAck != 1000 {
		t.Fatal("TSN not acknowledged")
	}
	if _, ok := s.a.Read(); ok {
		t.Fatal("data of an invalid stream delivered")
	}
}

// §6.2: DATA without user data aborts the association with a No User
// Data cause.
func TestRFC9260_6_2_NoUserDataAborts(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	empty := encodedChunk{0, 3, 0, 16, 0, 0, 3, 0xe8, 0, 0, 0, 0, 0, 0, 0, 51}
	s.deliver(tag, empty)
	_, cs := s.expect(peerTagP, wire.ChunkAbort)
	ab := decode[wire.Abort](t, cs[0])
	it := ab.Causes.Iter()
	if c, ok := it.Next(); !ok || c.Code() != wire.CauseNoUserData {
		t.Fatal("no No User Data cause")
	}
	if s.a.State() != Closed {
		t.Fatal("association not closed")
	}
}

// §6.6: unordered messages are delivered as they arrive; ordered ones
// wait for their predecessors in the stream, and streams do not block
// each other (§6.5).
func TestRFC9260_6_6_UnorderedAndStreams(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	s.deliver(tag, data(1000, 0, 0, "s0m0"))
	s.expect(peerTagP, wire.ChunkSack)
	s.deliver(tag, data(1002, 0, 2, "s0m2")) // ssn 1 missing
	u := data(1003, 0, 0, "u")
	u.Unordered = true
	s.deliver(tag, u, data(1004, 1, 0, "s1m0"))
	var got []string
	for m, ok := s.a.Read(); ok; m, ok = s.a.Read() {
		got = append(got, string(m.Data))
	}
	if len(got) != 3 || got[0] != "s0m0" || got[1] != "u" || got[2] != "s1m0" {
		t.Fatalf("delivered %q", got)
	}
	s.deliver(tag, data(1001, 0, 1, "s0m1"))
	got = got[:0]
	for m, ok := s.a.Read(); ok; m, ok = s.a.Read() {
		got = append(got, string(m.Data))
	}
	if len(got) != 2 || got[0] != "s0m1" || got[1] != "s0m2" {
		t.Fatalf("delivered %q after the gap filled", got)
	}
}

// §6.2: the SACKs due for several packets received before the output is
// taken all go out, each in a packet of its own, so that the sender's
// ack clock sees them all; the newest reports everything.
func TestRFC9260_6_2_EverySackSent(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	s.deliver(tag, data(1000, 0, 0, "a"))
	s.expect(peerTagP, wire.ChunkSack)
	// Two packets with gaps, each SACKed at once, taken together.
	for _, tsn := range []uint32{1002, 1004} {
		var pb wire.Builder
		pb.Start(nil, wire.Header{SrcPort: portB, DstPort: portA, VTag: tag}, wire.MaxPacketLen)
		pb.Add(data(tsn, 0, uint16(tsn-1000), "x"))
		s.ep.Receive(s.now, lowerPacket(pb.Finish()))
	}
	s.collect()
	_, cs := s.expect(peerTagP, wire.ChunkSack)
	if sk := sackOf(t, cs[0]); sk.GapBlocks.Len() != 1 {
		t.Fatalf("the first SACK reports %d gap blocks, want 1", sk.GapBlocks.Len())
	}
	_, cs = s.expect(peerTagP, wire.ChunkSack)
	if sk := sackOf(t, cs[0]); sk.GapBlocks.Len() != 2 {
		t.Fatalf("the second SACK reports %d gap blocks, want both", sk.GapBlocks.Len())
	}
	s.expectNone()
}

// §6.2, §6.10: a SACK being delayed goes with the next DATA sent to the
// same address, in the same packet, before the DATA.
func TestRFC9260_6_2_DelayedSackBundledWithData(t *testing.T) {
	s := newScripted(t, Config{}, true)
	tag := s.establish()
	s.deliver(tag, data(1000, 0, 0, "a"))
	s.expect(peerTagP, wire.ChunkSack) // the first DATA is SACKed at once
	s.deliver(tag, data(1001, 0, 1, "b"))
	s.expectNone() // delayed
	s.send(0, "reply")
	_, cs := s.expect(peerTagP, wire.ChunkSack, wire.ChunkData)
	if sk := sackOf(t, cs[0]); sk.CumTSNAck != 1001 {
		t.Fatalf("bundled SACK acknowledges %d, want 1001", sk.CumTSNAck)
	}
	s.advance(300 * time.Millisecond) // past the SACK delay, before T3
	s.expectNone()                    // nothing left to SACK
}
