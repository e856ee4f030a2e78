package simnet

import (
	"net/netip"
	"sync"
	"time"
)

// packet is a copy of a written packet on its way through the network.
// Copies are pooled so that steady traffic does not allocate.
type packet struct {
	buf  []byte
	src  netip.AddrPort
	dst  netip.AddrPort
	link *link     // whose stats count the arrival
	at   time.Time // arrival time while scheduled
	seq  uint64    // write order, to keep equal arrival times in order
}

// maxPooled bounds the buffers kept for reuse so that one jumbo packet
// does not pin its memory for the life of the process.
const maxPooled = 64 << 10

var packetPool = sync.Pool{New: func() any { return &packet{buf: make([]byte, 0, 2048)} }}

func newPacket(b []byte, src, dst netip.AddrPort) *packet {
	p := packetPool.Get().(*packet)
	p.buf = append(p.buf[:0], b...)
	p.src, p.dst = src, dst
	return p
}

func (p *packet) clone() *packet {
	q := newPacket(p.buf, p.src, p.dst)
	q.link = p.link
	return q
}

func (p *packet) free() {
	if cap(p.buf) > maxPooled {
		return
	}
	p.link = nil
	packetPool.Put(p)
}
