package simnet

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/lower"
)

var (
	addrA = netip.MustParseAddrPort("10.0.0.1:9899")
	addrB = netip.MustParseAddrPort("10.0.0.2:9899")
	addrC = netip.MustParseAddrPort("10.0.0.3:9899")
)

// numbered returns a packet of size bytes (at least 4) from src to dst
// whose first four bytes hold i.
func numbered(src, dst netip.AddrPort, i, size int) lower.Packet {
	b := make([]byte, max(size, 4))
	binary.BigEndian.PutUint32(b, uint32(i))
	return lower.Packet{Buf: b, Src: src, Dst: dst}
}

func number(b []byte) int { return int(binary.BigEndian.Uint32(b)) }

// write sends one packet and fails the test if it is refused.
func write(t *testing.T, h *Host, p lower.Packet) {
	t.Helper()
	if n, err := h.WriteBatch([]lower.Packet{p}); n != 1 || err != nil {
		t.Fatalf("WriteBatch = %d, %v", n, err)
	}
}

type arrival struct {
	at time.Duration // since the recorder started
	p  lower.Packet
}

// recorder reads a host until it is closed, noting when each packet came.
type recorder struct {
	mu   sync.Mutex
	got  []arrival
	done chan struct{}
}

// The host is closed when the test ends, so that a failing test does not
// leave the reader blocked in its bubble.
func record(t *testing.T, h *Host) *recorder {
	r := &recorder{done: make(chan struct{})}
	t.Cleanup(func() { h.Close() })
	start := time.Now()
	go func() {
		defer close(r.done)
		pkts := make([]lower.Packet, 8)
		for {
			for i := range pkts {
				pkts[i].Buf = make([]byte, 0, 9000)
			}
			n, err := h.ReadBatch(pkts)
			if err != nil {
				if !errors.Is(err, lower.ErrClosed) {
					t.Errorf("ReadBatch: %v", err)
				}
				return
			}
			now := time.Since(start)
			r.mu.Lock()
			for _, p := range pkts[:n] {
				r.got = append(r.got, arrival{now, p})
			}
			r.mu.Unlock()
		}
	}()
	return r
}

func (r *recorder) arrivals() []arrival {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]arrival(nil), r.got...)
}

// stop closes the network and waits for the reader to return.
func stop(n *Network, rs ...*recorder) {
	n.Close()
	for _, r := range rs {
		<-r.done
	}
}
