package simnet_test

import (
	"fmt"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/simnet"
)

// Two hosts exchange a packet over a 30ms link. An example runs outside a
// bubble, in real time; in a test, the same code inside synctest.Test
// runs in virtual time (see TestDocExample).
func Example() {
	a := netip.MustParseAddrPort("10.0.0.1:9899")
	b := netip.MustParseAddrPort("10.0.0.2:9899")
	n := simnet.New(1)
	defer n.Close()
	n.Link(a.Addr(), b.Addr(), simnet.LinkConfig{Delay: 30 * time.Millisecond})
	ha, hb := n.Host(a), n.Host(b)

	start := time.Now()
	ha.WriteBatch([]lower.Packet{{Buf: []byte("hello"), Src: a, Dst: b}})
	in := []lower.Packet{{Buf: make([]byte, 0, hb.MTU())}}
	k, err := hb.ReadBatch(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d packet %q from %v to %v after 30ms or more: %v\n",
		k, in[0].Buf, in[0].Src, in[0].Dst, time.Since(start) >= 30*time.Millisecond)
	st := n.Stats(a.Addr(), b.Addr())
	fmt.Printf("sent %d, delivered %d\n", st.Sent, st.Delivered)
	// Output:
	// 1 packet "hello" from 10.0.0.1:9899 to 10.0.0.2:9899 after 30ms or more: true
	// sent 1, delivered 1
}

// TestDocExample is the example of the package documentation: in a bubble
// the packet takes exactly the link's delay.
func TestDocExample(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := netip.MustParseAddrPort("10.0.0.1:9899")
		b := netip.MustParseAddrPort("10.0.0.2:9899")
		n := simnet.New(1)
		defer n.Close()
		n.Link(a.Addr(), b.Addr(), simnet.LinkConfig{Delay: 30 * time.Millisecond})
		ha, hb := n.Host(a), n.Host(b)

		start := time.Now()
		ha.WriteBatch([]lower.Packet{{Buf: []byte("hello"), Src: a, Dst: b}})
		in := []lower.Packet{{Buf: make([]byte, 0, simnet.DefaultMTU)}}
		k, err := hb.ReadBatch(in) // the clock jumps to the arrival
		if k != 1 || err != nil || string(in[0].Buf) != "hello" || time.Since(start) != 30*time.Millisecond {
			t.Fatal(k, err, time.Since(start))
		}
	})
}
