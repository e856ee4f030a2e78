package udpencap

import (
	"encoding/binary"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp/lower"
)

func BenchmarkLoopbackPlain(b *testing.B)  { benchLoopback(b, false, false) }
func BenchmarkLoopbackGSO(b *testing.B)    { benchLoopback(b, true, false) }
func BenchmarkLoopbackGSOGRO(b *testing.B) { benchLoopback(b, true, true) }

// benchLoopback sends b.N packets of 1200 bytes in batches of 64 from one
// Conn to another over loopback; one op is one packet. The sender keeps
// at most window packets ahead of the highest one received, so that it
// measures the path rather than the drops of an overrun socket buffer; a
// packet lost anyway is reported, and a lost last packet is sent again.
func benchLoopback(b *testing.B, gso, gro bool) {
	const (
		size     = 1200
		batchLen = 64
		window   = 2048
	)
	tx, err := Listen(Config{Addrs: []netip.Addr{lo1}, EphemeralPort: true, DisableGSO: !gso})
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Close()
	rx, err := Listen(Config{Addrs: []netip.Addr{lo2}, EphemeralPort: true, DisableGRO: !gro})
	if err != nil {
		b.Fatal(err)
	}
	if gso && !tx.Stats().GSO || gro && !rx.Stats().GRO {
		rx.Close()
		b.Skip("kernel without UDP GSO or GRO")
	}
	total := uint64(b.N)
	var (
		high     atomic.Uint64 // one more than the highest number received
		received atomic.Uint64
		progress = make(chan struct{}, 1)
		all      = make(chan struct{})
		stopped  = make(chan struct{})
	)
	go func() {
		defer close(stopped)
		pkts := make([]lower.Packet, 2*batchLen)
		for i := range pkts {
			pkts[i].Buf = make([]byte, 0, 1500)
		}
		var hi, got uint64
		for {
			n, err := rx.ReadBatch(pkts)
			if err != nil {
				return
			}
			for _, p := range pkts[:n] {
				hi = max(hi, binary.BigEndian.Uint64(p.Buf)+1)
			}
			got += uint64(n)
			received.Store(got)
			high.Store(hi)
			select {
			case progress <- struct{}{}:
			default:
			}
			if hi >= total {
				close(all)
				return
			}
		}
	}()

	dst := rx.LocalAddrs()[0]
	src := tx.LocalAddrs()[0]
	out := make([]lower.Packet, batchLen)
	for i := range out {
		out[i] = lower.Packet{Buf: make([]byte, size), Src: src, Dst: dst}
	}
	// floor stands for high when a whole window seems lost: after a
	// stall the sender takes what is in flight as gone.
	var floor uint64
	stall := time.NewTimer(time.Hour)
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for seq := uint64(0); seq < total; {
		if seq >= max(high.Load(), floor)+window {
			stall.Reset(100 * time.Millisecond)
			select {
			case <-progress:
			case <-stall.C:
				floor = seq
			}
			continue
		}
		k := min(batchLen, total-seq)
		for i := range k {
			binary.BigEndian.PutUint64(out[i].Buf, seq+i)
		}
		if _, err := tx.WriteBatch(out[:k]); err != nil {
			b.Fatal(err)
		}
		seq += k
	}
	resend := time.NewTimer(100 * time.Millisecond)
	for done := false; !done; {
		select {
		case <-all:
			done = true
		case <-progress:
		case <-resend.C:
			binary.BigEndian.PutUint64(out[0].Buf, total-1)
			tx.WriteBatch(out[:1])
			resend.Reset(100 * time.Millisecond)
		}
	}
	b.StopTimer()
	resend.Stop()
	stall.Stop()
	rx.Close()
	<-stopped
	b.ReportMetric(float64(total-min(received.Load(), total))/float64(total), "lost/op")
}
