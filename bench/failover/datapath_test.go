package failover

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/wire"
)

// packet builds an SCTP packet of the given chunks.
func packet(chunks ...wire.Chunker) []byte {
	b := wire.Header{SrcPort: portA, DstPort: portB, VTag: 1}.Append(nil)
	for _, c := range chunks {
		b = c.Append(b)
	}
	return b
}

// data is a DATA chunk of the stream for message seq.
func data(seq uint64, tsn wire.TSN, first bool, ppid wire.PPID) *wire.Data {
	d := &wire.Data{TSN: tsn, PPID: ppid, UserData: appendPayload(nil, seq, 0, 64)}
	d.Beginning, d.Ending = first, true
	return d
}

// Only first fragments of the stream's messages count: a middle
// fragment's bytes are not a header, and other PPIDs are not the stream.
func TestFirstFragments(t *testing.T) {
	b := packet(
		&wire.Sack{CumTSNAck: 3, ARwnd: 1000},
		data(7, 10, true, PPID),
		data(8, 11, false, PPID),
		data(9, 12, true, 99),
		data(10, 13, true, PPID),
	)
	var got []uint64
	firstFragments(b, func(seq uint64) { got = append(got, seq) })
	if !slices.Equal(got, []uint64{7, 10}) {
		t.Fatalf("got %v, want [7 10]", got)
	}
}

// Malformed input is skipped without a panic: truncated packets, a DATA
// chunk too short for its header, a payload too short for the stream's.
func TestFirstFragmentsMalformed(t *testing.T) {
	good := packet(data(1, 1, true, PPID))
	short := &wire.Data{TSN: 2, PPID: PPID, UserData: []byte{1, 2, 3}}
	short.Beginning = true
	cases := [][]byte{nil, good[:5], good[:wire.HeaderLen+3], good[:len(good)-4], packet(short)}
	for i := range len(good) {
		cases = append(cases, good[:i])
	}
	for _, b := range cases {
		firstFragments(b, func(seq uint64) { t.Fatalf("%x: got message %d", b, seq) })
	}
}

// The path of a message is the receiver's address its first copy came
// to; later copies and packets to other addresses do not change it.
func TestPathLog(t *testing.T) {
	b1, b2 := simB1.Addr(), simB2.Addr()
	l := NewPathLog(b1, b2)
	l.Arrived(packet(data(1, 1, true, PPID)), simA1.Addr()) // not the receiver's
	l.Arrived(packet(data(1, 1, true, PPID)), b2)
	l.Arrived(packet(data(1, 1, true, PPID)), b1) // a retransmission
	l.Arrived(packet(data(2, 2, true, PPID)), b1)
	if a, ok := l.Path(1); !ok || a != b2 {
		t.Fatalf("message 1: %v %v, want %v", a, ok, b2)
	}
	if a, ok := l.Path(2); !ok || a != b1 {
		t.Fatalf("message 2: %v %v, want %v", a, ok, b1)
	}
	if _, ok := l.Path(3); ok {
		t.Fatal("message 3 never arrived")
	}
}

// fakeConn hands out one batch of packets.
type fakeConn struct {
	lower.Conn
	in []lower.Packet
}

func (c *fakeConn) ReadBatch(pkts []lower.Packet) (int, error) {
	n := copy(pkts, c.in)
	return n, nil
}

// The recording lower layer logs the address each packet it reads came
// to, IPv4-mapped or not, and passes the packets on untouched.
func TestRecordConn(t *testing.T) {
	mapped := netip.AddrPortFrom(netip.AddrFrom16(simB2.Addr().As16()), 9899)
	in := []lower.Packet{
		{Buf: packet(data(4, 4, true, PPID)), Dst: simB1},
		{Buf: packet(data(5, 5, true, PPID)), Dst: mapped},
	}
	log := NewPathLog(simB1.Addr(), simB2.Addr())
	c := &recordConn{Conn: &fakeConn{in: in}, log: log}
	out := make([]lower.Packet, 4)
	if n, err := c.ReadBatch(out); n != 2 || err != nil {
		t.Fatalf("ReadBatch: %d %v", n, err)
	}
	if a, _ := log.Path(4); a != simB1.Addr() {
		t.Fatalf("message 4 at %v", a)
	}
	if a, _ := log.Path(5); a != simB2.Addr() {
		t.Fatalf("message 5 at %v", a)
	}
}
