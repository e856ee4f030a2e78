// Package simnet is an in-memory network for tests and benchmarks of the
// SCTP stack: a lower layer (lower.Conn) whose links delay, lose,
// duplicate, reorder, rate-limit and cut packets.
//
// It keeps time with the ordinary time package, so inside a
// testing/synctest bubble every delay runs on the bubble's fake clock: a
// minute of simulated traffic passes in milliseconds and a test sees
// exact times. The only place simnet blocks is ReadBatch, on channels
// created with the Network, which synctest counts as durably blocking, so
// a bubble can always advance its clock past a waiting reader. Outside a
// bubble (benchmarks) the same code runs in real time.
//
// Every random choice comes from one generator seeded by New, guarded by
// the network's lock. The same seed and the same order of writes give the
// same losses, jitter, reordering and duplicates; under concurrent writers
// the interleaving of their WriteBatch calls decides which packet draws
// which number. For a packet the draws are made in this order, each only
// when its probability or range is not zero: loss, jitter, reorder,
// duplicate.
//
// A packet written at time t goes through its link (the one configured for
// its source and destination addresses, or the default) in this order:
// blackout (Blackout, Down), MTU, the bandwidth queue (drop tail), loss,
// then propagation: it reaches the receiving host at the end of its
// serialization plus Delay, plus jitter, plus ReorderDelay when it is held
// back. A cut or a failure applies to packets written while it lasts;
// packets already in flight still arrive, like bits already on the wire.
// Packets with the same arrival time arrive in the order they were written.
//
// A test of two hosts over a 30ms link, in virtual time:
//
//	func TestHello(t *testing.T) {
//		synctest.Test(t, func(t *testing.T) {
//			a := netip.MustParseAddrPort("10.0.0.1:9899")
//			b := netip.MustParseAddrPort("10.0.0.2:9899")
//			n := simnet.New(1)
//			defer n.Close()
//			n.Link(a.Addr(), b.Addr(), simnet.LinkConfig{Delay: 30 * time.Millisecond})
//			ha, hb := n.Host(a), n.Host(b)
//
//			start := time.Now()
//			ha.WriteBatch([]lower.Packet{{Buf: []byte("hello"), Src: a, Dst: b}})
//			in := []lower.Packet{{Buf: make([]byte, 0, simnet.DefaultMTU)}}
//			k, err := hb.ReadBatch(in) // the clock jumps to the arrival
//			if k != 1 || err != nil || string(in[0].Buf) != "hello" || time.Since(start) != 30*time.Millisecond {
//				t.Fatal(k, err, time.Since(start))
//			}
//		})
//	}
package simnet
