package assoc

import (
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/wire"
)

// seededReader is a deterministic random source for tests.
type seededReader struct{ r *rand.ChaCha8 }

func newSeeded(seed uint64) *seededReader {
	var s [32]byte
	s[0] = byte(seed)
	s[1] = byte(seed >> 8)
	s[2] = byte(seed >> 16)
	return &seededReader{rand.NewChaCha8(s)}
}

func (s *seededReader) Read(b []byte) (int, error) { return s.r.Read(b) }

var (
	t0       = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	addrA    = netip.MustParseAddrPort("127.0.0.1:9899")
	addrB    = netip.MustParseAddrPort("127.0.0.2:9899")
	portA    = uint16(5000)
	portB    = uint16(6000)
	peerTagP = wire.VTag(0x11223344)
)

// scripted drives one endpoint under test in virtual time; the test plays
// the peer by hand-built packets and checks every packet the endpoint
// emits and when.
type scripted struct {
	t   *testing.T
	ep  *Endpoint
	a   *Assoc
	now time.Time
	out []sent // emitted, not yet checked
}

type sent struct {
	at  time.Time
	pkt lower.Packet
}

func newScripted(t *testing.T, cfg Config, listen bool) *scripted {
	t.Helper()
	ep, err := NewEndpoint(cfg, portA, []netip.AddrPort{addrA}, 1452, newSeeded(1), t0)
	if err != nil {
		t.Fatal(err)
	}
	ep.Listen(listen)
	return &scripted{t: t, ep: ep, now: t0}
}

// collect gathers what the endpoint and its association emitted.
func (s *scripted) collect() {
	for _, p := range s.ep.Output() {
		s.out = append(s.out, sent{s.now, copyPacket(p)})
	}
	if s.a != nil {
		for _, p := range s.a.Output() {
			s.out = append(s.out, sent{s.now, copyPacket(p)})
		}
	}
	for _, a := range s.ep.Accepted() {
		if s.a == nil {
			s.a = a
			for _, p := range s.a.Output() {
				s.out = append(s.out, sent{s.now, copyPacket(p)})
			}
		}
	}
}

func copyPacket(p lower.Packet) lower.Packet {
	p.Buf = append([]byte(nil), p.Buf...)
	return p
}

// deliver hands the endpoint a packet from the peer at B.
func (s *scripted) deliver(tag wire.VTag, chunks ...wire.Chunker) {
	s.t.Helper()
	s.deliverFrom(addrB, tag, chunks...)
}

func (s *scripted) deliverFrom(from netip.AddrPort, tag wire.VTag, chunks ...wire.Chunker) {
	s.t.Helper()
	var pb wire.Builder
	pb.Start(nil, wire.Header{SrcPort: portB, DstPort: portA, VTag: tag}, wire.MaxPacketLen)
	for _, c := range chunks {
		if !pb.Add(c) {
			s.t.Fatal("chunk does not fit")
		}
	}
	s.ep.Receive(s.now, lower.Packet{Buf: pb.Finish(), Src: from, Dst: addrA})
	s.collect()
}

// advance moves virtual time to d after now, running every timer that
// expires on the way, in order.
func (s *scripted) advance(d time.Duration) {
	end := s.now.Add(d)
	for range 100000 {
		if s.a == nil {
			break
		}
		dl := s.a.Deadline()
		if dl.IsZero() || dl.After(end) {
			break
		}
		if dl.After(s.now) {
			s.now = dl
		}
		s.a.Timeout(s.now)
		s.collect()
	}
	s.now = end
}

// advanceUntilPacket advances in steps of 1 ms until something is
// emitted or limit passes.
func (s *scripted) advanceUntilPacket(limit time.Duration) {
	for end := s.now.Add(limit); len(s.out) == 0 && s.now.Before(end); {
		s.advance(time.Millisecond)
	}
}

// next returns the next emitted packet, failing when there is none.
func (s *scripted) next() (time.Time, wire.Packet, lower.Packet) {
	s.t.Helper()
	if len(s.out) == 0 {
		s.t.Fatalf("at +%v: no packet emitted", s.now.Sub(t0))
	}
	o := s.out[0]
	s.out = s.out[1:]
	p, err := wire.ParsePacket(o.pkt.Buf)
	if err != nil || !p.VerifyChecksum() {
		s.t.Fatalf("emitted a bad packet: %v", err)
	}
	return o.at, p, o.pkt
}

// expectNone fails if anything was emitted.
func (s *scripted) expectNone() {
	s.t.Helper()
	if len(s.out) > 0 {
		_, p, _ := s.next()
		s.t.Fatalf("unexpected packet: %s", describe(p))
	}
}

// expect returns the next packet and checks its tag and chunk types.
func (s *scripted) expect(tag wire.VTag, types ...wire.ChunkType) (time.Time, []wire.Chunk) {
	s.t.Helper()
	at, p, _ := s.next()
	if p.VTag() != tag {
		s.t.Fatalf("packet %s: tag %#x, want %#x", describe(p), p.VTag(), tag)
	}
	var cs []wire.Chunk
	it := p.Chunks()
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		cs = append(cs, c)
	}
	if len(cs) != len(types) {
		s.t.Fatalf("packet %s, want %v", describe(p), types)
	}
	for i, c := range cs {
		if c.Type() != types[i] {
			s.t.Fatalf("packet %s, want %v", describe(p), types)
		}
	}
	return at, cs
}

func describe(p wire.Packet) string {
	s := "["
	it := p.Chunks()
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		if len(s) > 1 {
			s += " "
		}
		s += c.Type().String()
	}
	return s + "]"
}

func decode[T any, P interface {
	*T
	Decode(wire.Chunk) error
}](t *testing.T, c wire.Chunk) *T {
	t.Helper()
	v := P(new(T))
	if err := v.Decode(c); err != nil {
		t.Fatalf("decode %v: %v", c.Type(), err)
	}
	return v
}

// peerInit is the INIT the scripted peer sends.
func peerInitChunk() *wire.Init {
	return &wire.Init{InitiateTag: peerTagP, ARwnd: 65536, OutStreams: 5, InStreams: 5, InitialTSN: 1000}
}

// establish runs the server side handshake with the scripted peer and
// returns the association's tag.
func (s *scripted) establish() wire.VTag {
	s.t.Helper()
	return s.establishWith(peerInitChunk())
}

// establishWith is establish with the peer's INIT given.
func (s *scripted) establishWith(init *wire.Init) wire.VTag {
	s.t.Helper()
	s.deliver(0, init)
	_, cs := s.expect(peerTagP, wire.ChunkInitAck)
	ia := decode[wire.InitAck](s.t, cs[0])
	ck, ok := ia.StateCookie()
	if !ok {
		s.t.Fatal("INIT ACK without cookie")
	}
	s.deliver(ia.InitiateTag, &wire.CookieEcho{Cookie: append([]byte(nil), ck...)})
	s.expect(peerTagP, wire.ChunkCookieAck)
	if s.a == nil || s.a.State() != Established {
		s.t.Fatal("not established")
	}
	return ia.InitiateTag
}

// data is a one-fragment DATA chunk.
func data(tsn uint32, stream uint16, ssn uint16, payload string) *wire.Data {
	return &wire.Data{DataFlags: wire.DataFlags{Beginning: true, Ending: true}, TSN: wire.TSN(tsn),
		Stream: wire.StreamID(stream), SSN: wire.SSN(ssn), PPID: 51, UserData: []byte(payload)}
}

func lowerPacket(b []byte) lower.Packet { return lower.Packet{Buf: b, Src: addrB, Dst: addrA} }
