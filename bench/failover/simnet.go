package failover

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net/netip"

	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/simnet"
)

// The simulated hosts: A sends, B receives; B's first address is the
// primary. Each path is a pair of addresses in one subnet.
var (
	simA1 = netip.MustParseAddrPort("10.1.0.1:9899")
	simA2 = netip.MustParseAddrPort("10.2.0.1:9899")
	simB1 = netip.MustParseAddrPort("10.1.0.2:9899")
	simB2 = netip.MustParseAddrPort("10.2.0.2:9899")
)

// SCTP ports of the two endpoints.
const (
	portA = 5000
	portB = 5001
)

// RunSimnet runs sc over simnet: two paths of RTT 10 ms, with Jitter and
// Loss, the primary cut with Network.Down on the receiver's primary
// address at CutAt. Inside a testing/synctest bubble it runs in virtual
// time and, for one seed, gives the same timeline every time (a test
// holds it to that); outside it takes as long as the run. Every random
// draw, the network's and the endpoints', comes from seed.
func RunSimnet(sc Scenario, seed uint64) (*Timeline, error) {
	n := simnet.New(int64(seed))
	defer n.Close()
	n.SetDefault(simnet.LinkConfig{Delay: RTT / 2, Jitter: Jitter, Loss: Loss})
	paths := NewPathLog(simB1.Addr(), simB2.Addr())
	n.Tap(func(p lower.Packet, delivered bool) {
		if delivered {
			paths.Arrived(p.Buf, p.Dst.Addr())
		}
	})
	mk := func(port uint16, stream uint64, addrs ...netip.AddrPort) (*sctp.Endpoint, error) {
		cfg := sc.Config
		cfg.Rand = seeded(seed, stream)
		return sctp.NewEndpoint(n.Host(addrs...), port, &cfg)
	}
	ea, err := mk(portA, 1, simA1, simA2)
	if err != nil {
		return nil, err
	}
	defer ea.Close()
	eb, err := mk(portB, 2, simB1, simB2)
	if err != nil {
		return nil, err
	}
	defer eb.Close()
	p, err := connect(ea, eb, []netip.AddrPort{simB1, simB2})
	if err != nil {
		return nil, err
	}
	p.primary, p.alternate, p.paths = simB1.Addr(), simB2.Addr(), paths
	p.cut = func() error {
		n.Down(simB1.Addr(), true)
		return nil
	}
	return run("simnet", sc, p), nil
}

// connect establishes an association from a to b, which listens, at the
// addresses peers of b (the first the primary).
func connect(a, b *sctp.Endpoint, peers []netip.AddrPort) (pair, error) {
	if err := b.Listen(); err != nil {
		return pair{}, err
	}
	ctx := context.Background()
	snd, err := a.Dial(ctx, peers, b.Port())
	if err != nil {
		return pair{}, fmt.Errorf("dial: %w", err)
	}
	rcv, err := b.Accept(ctx)
	if err != nil {
		snd.Abort("")
		return pair{}, fmt.Errorf("accept: %w", err)
	}
	return pair{snd: snd, rcv: rcv}, nil
}

// seeded returns a random stream for an endpoint: verification tags,
// initial TSNs and nonces that repeat from run to run.
func seeded(seed, stream uint64) *rand.ChaCha8 {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	binary.LittleEndian.PutUint64(key[8:], stream)
	return rand.NewChaCha8(key)
}
