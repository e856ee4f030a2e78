package fuzz

import (
	"testing"

	"github.com/rserpool/rserpool/sctp/wire"
)

// sctpSeeds returns hand-built packets; the committed corpus adds every
// packet of the reference captures.
func sctpSeeds(tb testing.TB) [][]byte {
	var pb wire.Builder
	pb.Start(nil, wire.Header{SrcPort: 9899, DstPort: 9899, VTag: 7}, 1500)
	pb.Add(&wire.Data{DataFlags: wire.DataFlags{Beginning: true, Ending: true}, TSN: 1, Stream: 2, SSN: 3, PPID: 4, UserData: []byte("seed")})
	pb.Add(&wire.IData{DataFlags: wire.DataFlags{Beginning: true}, TSN: 2, MID: 1, PPID: 4, UserData: []byte("i")})
	pb.Add(&wire.RawChunk{Type: 0xff, Value: []byte{1, 2, 3}})
	return [][]byte{append([]byte(nil), pb.Finish()...)}
}

func paramSeeds() [][]byte {
	return [][]byte{
		wire.AppendParams(nil, &wire.RawParam{Type: wire.ParamIPv4Address, Value: []byte{127, 0, 0, 1}},
			&wire.RawParam{Type: wire.ParamHostNameAddress, Value: []byte("host\x00")}),
	}
}

func causeSeeds() [][]byte {
	return [][]byte{
		wire.AppendCauses(nil, &wire.RawCause{Code: wire.CauseNoUserData, Value: []byte{0, 0, 0, 1}},
			&wire.RawCause{Code: wire.CauseUserInitiatedAbort, Value: []byte("bye")}),
	}
}
