package simnet

import (
	"net/netip"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/lower"
)

const benchBatch = 32

func benchPackets(src, dst netip.AddrPort, size int) ([]lower.Packet, []lower.Packet) {
	out := make([]lower.Packet, benchBatch)
	in := make([]lower.Packet, benchBatch)
	for i := range out {
		out[i] = lower.Packet{Buf: make([]byte, size), Src: src, Dst: dst}
		in[i].Buf = make([]byte, 0, 2048)
	}
	return out, in
}

// BenchmarkLink1500 moves 1500-byte packets over a perfect link in real
// time, in batches, writer and reader taking turns: the cost of the
// network itself per packet.
func BenchmarkLink1500(b *testing.B) {
	n := New(1)
	defer n.Close()
	n.Link(addrA.Addr(), addrB.Addr(), LinkConfig{MTU: 1500})
	ha, hb := n.Host(addrA), n.Host(addrB)
	out, in := benchPackets(addrA, addrB, 1500)
	b.SetBytes(1500)
	b.ReportAllocs()
	b.ResetTimer()
	for sent := 0; sent < b.N; {
		k := min(benchBatch, b.N-sent)
		if _, err := ha.WriteBatch(out[:k]); err != nil {
			b.Fatal(err)
		}
		for got := 0; got < k; {
			m, err := hb.ReadBatch(in)
			if err != nil {
				b.Fatal(err)
			}
			got += m
		}
		sent += k
	}
	b.StopTimer()
	if st := n.Stats(addrA.Addr(), addrB.Addr()); st.Delivered != b.N {
		b.Fatalf("delivered %d of %d", st.Delivered, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
}

// BenchmarkLink1500Delayed moves 1500-byte packets over a link with 1ms of
// delay in real time, writer and reader in their own goroutines with a
// window of packets in flight: the cost of the timer path.
func BenchmarkLink1500Delayed(b *testing.B) {
	const window = 512
	n := New(1)
	defer n.Close()
	n.Link(addrA.Addr(), addrB.Addr(), LinkConfig{MTU: 1500, Delay: time.Millisecond})
	ha, hb := n.Host(addrA), n.Host(addrB)
	out, in := benchPackets(addrA, addrB, 1500)
	credit := make(chan int, window) // never full: each message stands for at least one packet
	for range window / benchBatch {
		credit <- benchBatch
	}
	b.SetBytes(1500)
	b.ReportAllocs()
	b.ResetTimer()
	total := b.N
	written := make(chan struct{})
	go func() {
		defer close(written)
		for sent := 0; sent < total; {
			k := min(<-credit, total-sent)
			if _, err := ha.WriteBatch(out[:k]); err != nil {
				return
			}
			sent += k
		}
	}()
	for got := 0; got < total; {
		m, err := hb.ReadBatch(in)
		if err != nil {
			b.Fatal(err)
		}
		got += m
		credit <- m
	}
	b.StopTimer()
	<-written
	if st := n.Stats(addrA.Addr(), addrB.Addr()); st.Delivered != b.N {
		b.Fatalf("delivered %d of %d", st.Delivered, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
}
