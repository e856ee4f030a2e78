package simnet

import (
	"math"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/sctp/lower"
)

// TestConservation runs three hosts writing to each other at the same time
// over links that do everything at once, and checks that every packet is
// accounted for exactly once.
func TestConservation(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := New(11)
		n.SetDefault(LinkConfig{
			Delay: 5 * time.Millisecond, Jitter: 3 * time.Millisecond,
			Loss: 0.05, Duplicate: 0.05, Reorder: 0.05,
			Bandwidth: 500_000, QueueLimit: 5_000, MTU: 1200,
		})
		addrs := []struct{ a, b int }{{0, 1}, {1, 2}, {2, 0}, {0, 2}}
		hosts := []*Host{n.Host(addrA), n.Host(addrB), n.Host(addrC)}
		// C is read only at the end, so its queue overflows.
		hosts[2].SetRecvQueue(8)
		rs := []*recorder{record(t, hosts[0]), record(t, hosts[1])}
		var wg sync.WaitGroup
		for w, p := range addrs {
			from, to := hosts[p.a], hosts[p.b]
			wg.Go(func() {
				for i := range 500 {
					size := 100 + (i*37+w*101)%1300 // some above the MTU
					write(t, from, numbered(from.addrs[0], to.addrs[0], i, size))
					time.Sleep(time.Duration(i%3) * time.Millisecond)
				}
			})
		}
		time.Sleep(200 * time.Millisecond)
		n.Blackout(addrA.Addr(), addrB.Addr(), true)
		time.Sleep(200 * time.Millisecond)
		n.Blackout(addrA.Addr(), addrB.Addr(), false)
		wg.Wait()
		time.Sleep(time.Second)

		tot := n.Total()
		if tot.Sent != 2000 {
			t.Errorf("sent %d, want 2000", tot.Sent)
		}
		if tot.Sent+tot.Duplicated != tot.Delivered+tot.Lost+tot.Dropped() {
			t.Errorf("unaccounted packets: %+v", tot)
		}
		for _, c := range []struct {
			name string
			v    int
		}{{"Lost", tot.Lost}, {"Duplicated", tot.Duplicated}, {"Reordered", tot.Reordered},
			{"DroppedMTU", tot.DroppedMTU}, {"DroppedQueue", tot.DroppedQueue},
			{"DroppedBlackout", tot.DroppedBlackout}, {"DroppedOverflow", tot.DroppedOverflow}} {
			if c.v == 0 {
				t.Errorf("%s is 0: the scenario does not exercise it", c.name)
			}
		}
		for i, h := range hosts {
			delivered := 0
			for _, from := range hosts {
				delivered += n.Stats(from.addrs[0].Addr(), h.addrs[0].Addr()).Delivered
			}
			read := 0
			if i < len(rs) {
				read = len(rs[i].arrivals())
			} else {
				pkts := make([]lower.Packet, 16)
				for i := range pkts {
					pkts[i].Buf = make([]byte, 0, 2000)
				}
				for h.Stats().Queued > 0 {
					k, _ := h.ReadBatch(pkts)
					read += k
				}
			}
			if s := h.Stats(); s.Received != delivered || read != delivered {
				t.Errorf("host %d: stats %+v, %d read, links delivered %d", i, s, read, delivered)
			}
		}
		stop(n, rs...)
	})
}

func TestConfigNormalized(t *testing.T) {
	c := LinkConfig{
		Delay: -1, Jitter: -1, Loss: math.NaN(), Duplicate: 2, Reorder: -0.5,
		Bandwidth: -5, QueueLimit: -1, MTU: -1,
	}.normalized()
	want := LinkConfig{Duplicate: 1, ReorderDelay: time.Millisecond, QueueLimit: DefaultQueueLimit, MTU: DefaultMTU}
	if c != want {
		t.Errorf("normalized %+v, want %+v", c, want)
	}
	if c := (LinkConfig{Delay: 10 * time.Millisecond}).normalized(); c.ReorderDelay != 21*time.Millisecond {
		t.Errorf("default ReorderDelay %v, want 21ms", c.ReorderDelay)
	}
}
