package recv_test

import (
	"fmt"

	"github.com/rserpool/rserpool/sctp/internal/recv"
	"github.com/rserpool/rserpool/sctp/wire"
)

// An association feeds each DATA chunk to the receiver, answers the
// verdict, builds its SACK from the receiver's state and hands the user
// what Read returns.
func Example() {
	r := recv.New(recv.Config{InStreams: 2}, 1000)
	gaps, dups := make([]wire.GapBlock, 0, 64), make([]wire.TSN, 0, 64)

	chunks := []*wire.Data{
		{DataFlags: wire.DataFlags{Beginning: true, Ending: true}, TSN: 1001, Stream: 0, SSN: 1, UserData: []byte("second")},
		{DataFlags: wire.DataFlags{Beginning: true, Ending: true}, TSN: 1000, Stream: 0, SSN: 0, UserData: []byte("first")},
		{DataFlags: wire.DataFlags{Beginning: true, Ending: true}, TSN: 1003, Stream: 5, SSN: 0, UserData: []byte("?")},
	}
	for _, d := range chunks {
		switch v := r.Data(d); v {
		case recv.InvalidStream:
			fmt.Println("TSN", d.TSN, "-> ERROR: Invalid Stream Identifier", d.Stream)
		case recv.TooBig:
			fmt.Println("TSN", d.TSN, "-> ABORT")
		default:
			fmt.Println("TSN", d.TSN, "->", v)
		}
	}

	var s wire.Sack
	r.AppendSack(&s, gaps, dups, 1500)
	fmt.Printf("SACK cum %d, a_rwnd %d, %d gap block(s): %+v\n", s.CumTSNAck, s.ARwnd, s.GapBlocks.Len(), s.GapBlocks.At(0))

	for m, ok := r.Read(); ok; m, ok = r.Read() {
		fmt.Printf("stream %d SSN %d: %s\n", m.Stream, m.SSN, m.Data)
	}
	// Output:
	// TSN 1001 -> accepted
	// TSN 1000 -> accepted
	// TSN 1003 -> ERROR: Invalid Stream Identifier 5
	// SACK cum 1001, a_rwnd 262016, 1 gap block(s): {Start:2 End:2}
	// stream 0 SSN 0: first
	// stream 0 SSN 1: second
}
