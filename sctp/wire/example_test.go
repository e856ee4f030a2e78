package wire_test

import (
	"fmt"

	"github.com/rserpool/rserpool/sctp/wire"
)

func Example() {
	// Build a packet with one DATA chunk into a reusable buffer.
	var pb wire.Builder
	buf := make([]byte, 0, 1500)
	pb.Start(buf, wire.Header{SrcPort: 9899, DstPort: 9899, VTag: 0x01020304}, 1452)
	pb.Add(&wire.Data{
		DataFlags: wire.DataFlags{Beginning: true, Ending: true},
		TSN:       100, Stream: 1, SSN: 0, PPID: 51,
		UserData: []byte("hello"),
	})
	b := pb.Finish()

	// Parse it back.
	pkt, err := wire.ParsePacket(b)
	if err != nil || !pkt.VerifyChecksum() {
		fmt.Println("bad packet:", err)
		return
	}
	it := pkt.Chunks()
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		var d wire.Data
		if c.Type() == wire.ChunkData && d.Decode(c) == nil {
			fmt.Printf("%v TSN %d stream %d: %s\n", c.Type(), d.TSN, d.Stream, d.UserData)
		}
	}
	// Output: DATA TSN 100 stream 1: hello
}
