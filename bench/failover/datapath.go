package failover

import (
	"net/netip"
	"sync"

	"github.com/rserpool/rserpool/sctp/wire"
)

// firstFragments calls f with the sequence number of every message of the
// stream whose first DATA fragment packet b carries. A packet or chunk
// that does not parse ends the walk: the harness only reads, the stack
// decides what is valid.
func firstFragments(b []byte, f func(seq uint64)) {
	p, err := wire.ParsePacket(b)
	if err != nil {
		return
	}
	it := p.Chunks()
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		if c.Type() != wire.ChunkData {
			continue
		}
		var d wire.Data
		if d.Decode(c) != nil || !d.Beginning || d.PPID != PPID {
			continue
		}
		if seq, _, err := parsePayload(d.UserData); err == nil {
			f(seq)
		}
	}
}

// PathLog records, for each message, the receiver's address its DATA
// chunk first arrived at: the copy the receiver takes, since later ones
// carry a TSN it already has (RFC 9260 §6.2). It is safe for concurrent
// use.
type PathLog struct {
	mu    sync.Mutex
	local map[netip.Addr]bool // the receiver's addresses
	first map[uint64]netip.Addr
}

// NewPathLog returns a log of the packets that arrive at the addresses
// local.
func NewPathLog(local ...netip.Addr) *PathLog {
	l := &PathLog{local: make(map[netip.Addr]bool), first: make(map[uint64]netip.Addr)}
	for _, a := range local {
		l.local[a] = true
	}
	return l
}

// Arrived notes a packet b that reached address dst.
func (l *PathLog) Arrived(b []byte, dst netip.Addr) {
	if !l.local[dst] {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	firstFragments(b, func(seq uint64) {
		if _, ok := l.first[seq]; !ok {
			l.first[seq] = dst
		}
	})
}

// Path returns the address message seq first arrived at.
func (l *PathLog) Path(seq uint64) (netip.Addr, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a, ok := l.first[seq]
	return a, ok
}
