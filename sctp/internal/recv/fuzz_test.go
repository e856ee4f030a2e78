package recv

import (
	"testing"

	"github.com/rserpool/rserpool/sctp/wire"
)

// FuzzReceiver drives a receiver with any sequence of DATA chunks, reads,
// SACKs and FORWARD TSNs near its cumulative TSN, with small limits so
// that they are hit. It must never panic, keep its invariants, and never
// deliver the data of one TSN twice.
func FuzzReceiver(f *testing.F) {
	f.Add([]byte{0, 1, 0, 3, 0, 2, 0, 3, 5, 0, 0, 0, 6, 40, 0, 0})
	f.Add([]byte{0, 3, 4, 2, 0, 1, 4, 1, 1, 2, 4, 0, 2, 9, 0, 3, 7, 2, 1, 0, 5, 0, 0, 0})
	f.Add([]byte{0, 200, 0, 255, 1, 100, 1, 250, 2, 1, 2, 3, 7, 5, 1, 0, 3, 1, 0, 7})
	f.Fuzz(fuzzOps)
}

func fuzzOps(t *testing.T, b []byte) {
	if len(b) > 4*maxFuzzOps {
		b = b[:4*maxFuzzOps] // longer inputs find nothing more, only slower
	}
	r := New(Config{InStreams: 3, Window: 4096, MaxGaps: 3, MaxDups: 3, MaxMessage: 3000}, 0xFFFFFFF0)
	seen := map[wire.TSN]bool{}
	var gaps []wire.GapBlock
	var dups []wire.TSN
	for ; len(b) >= 4; b = b[4:] {
		op, x, y, z := b[0], b[1], b[2], b[3]
		switch op % 8 {
		case 5:
			for {
				m, ok := r.Read()
				if !ok {
					break
				}
				for tsn := m.FirstTSN; ; tsn++ {
					if seen[tsn] {
						t.Fatalf("TSN %d delivered twice", tsn)
					}
					seen[tsn] = true
					if tsn == m.LastTSN {
						break
					}
				}
			}
		case 6:
			var s wire.Sack
			maxLen := int(x) * 2
			r.AppendSack(&s, gaps, dups, maxLen)
			if s.Len() > max(maxLen, sackHeaderLen) {
				t.Fatalf("SACK of %d bytes for %d", s.Len(), maxLen)
			}
			for i := range s.GapBlocks.Len() {
				if !s.GapBlocks.At(i).Valid() {
					t.Fatalf("gap block %+v", s.GapBlocks.At(i))
				}
			}
		case 7:
			id := wire.StreamID(y % 4)
			delta := int32(int8(x))
			if op&0x80 != 0 {
				delta <<= y % 25 // far ahead, or behind
			}
			r.ForwardTSN(r.CumTSN()+wire.TSN(delta), []StreamSSN{{id, r.streams.nextSSN(id) + wire.SSN(z%8) - 2}})
		default:
			id := wire.StreamID(y % 4)
			d := &wire.Data{
				DataFlags: wire.DataFlags{Beginning: z&1 != 0, Ending: z&2 != 0, Unordered: z&4 != 0},
				TSN:       r.CumTSN() + wire.TSN(int32(int8(x))),
				Stream:    id,
				SSN:       r.streams.nextSSN(id) + wire.SSN(y>>2%8) - 1,
				UserData:  make([]byte, 1+int(z>>3)*50),
			}
			if op&0x80 != 0 {
				d.TSN += 0x10000 // out of window
			}
			v := r.Data(d)
			if v < 0 || v >= numVerdicts {
				t.Fatalf("verdict %d", v)
			}
		}
		if err := r.check(); err != nil {
			t.Fatal(err)
		}
	}
}

const maxFuzzOps = 128
