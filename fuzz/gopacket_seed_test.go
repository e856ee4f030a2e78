package fuzz

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/gopacket/layers"

	"github.com/rserpool/rserpool/internal/pcaptest"
	"github.com/rserpool/rserpool/sctp/wire"
)

var gpUpdateCorpus = flag.Bool("update-gopacket-corpus", false,
	"rewrite testdata/fuzz/FuzzGopacketSCTP/seed-* from the reference captures and the hand-built packets")

const gpCorpusDir = "testdata/fuzz/FuzzGopacketSCTP"

// gpBuild bundles chunks into a packet with a correct checksum.
func gpBuild(cs ...wire.Chunker) []byte {
	var pb wire.Builder
	pb.Start(nil, wire.Header{SrcPort: 5000, DstPort: 9899, VTag: 0xdeadbeef}, 1<<16)
	for _, c := range cs {
		pb.Add(c)
	}
	return append([]byte(nil), pb.Finish()...)
}

func gpParams(ps ...wire.Parameter) wire.Params {
	return wire.MakeParams(wire.AppendParams(nil, ps...))
}

func gpCauses(cs ...wire.ErrorCause) wire.Causes {
	return wire.MakeCauses(wire.AppendCauses(nil, cs...))
}

// gpHandSeeds are packets that reach each comparison and each divergence
// of FuzzGopacketSCTP: bundles, odd lengths, gap blocks, causes, chunk
// types gopacket does not know.
func gpHandSeeds() map[string][]byte {
	be := wire.DataFlags{Beginning: true, Ending: true}
	return map[string][]byte{
		"hand-header-only":   gpBuild(),
		"hand-data-last-pad": gpBuild(&wire.Data{DataFlags: be, TSN: 1, Stream: 2, SSN: 3, PPID: 51, UserData: []byte("abc")}),
		"hand-data-bundle": gpBuild(
			&wire.Data{DataFlags: wire.DataFlags{Beginning: true, Unordered: true}, TSN: 7, UserData: []byte("first")},
			&wire.Data{DataFlags: wire.DataFlags{Ending: true, Immediate: true}, TSN: 8, UserData: []byte("second!")},
			&wire.Sack{CumTSNAck: 6, ARwnd: 1000}),
		"hand-sack-gaps-dups": gpBuild(&wire.Sack{CumTSNAck: 100, ARwnd: 65535,
			GapBlocks: wire.GapBlockListOf([]wire.GapBlock{{Start: 2, End: 3}, {Start: 5, End: 9}}),
			DupTSNs:   wire.TSNListOf([]wire.TSN{99, 98})}),
		"hand-sack-dups-only": gpBuild(&wire.Sack{CumTSNAck: 1, ARwnd: 2, DupTSNs: wire.TSNListOf([]wire.TSN{1, 0xffffffff})}),
		"hand-init-params": gpBuild(&wire.Init{InitiateTag: 0x01020304, ARwnd: 131072, OutStreams: 10, InStreams: 65535, InitialTSN: 42,
			Params: gpParams(
				&wire.RawParam{Type: wire.ParamIPv4Address, Value: []byte{127, 0, 0, 1}},
				&wire.RawParam{Type: wire.ParamForwardTSNSupported},
				&wire.RawParam{Type: wire.ParamSupportedAddressTypes, Value: []byte{0, 5}})}),
		"hand-initack-cookie": gpBuild(&wire.InitAck{InitiateTag: 9, ARwnd: 1500, OutStreams: 1, InStreams: 1, InitialTSN: 1,
			Params: gpParams(&wire.RawParam{Type: wire.ParamStateCookie, Value: []byte("cookie!")})}),
		"hand-heartbeat-odd":   gpBuild(&wire.Heartbeat{Info: []byte("odd")}),
		"hand-heartbeat-ack":   gpBuild(&wire.HeartbeatAck{Info: []byte("12345678")}, &wire.CookieAck{}),
		"hand-abort-odd-cause": gpBuild(&wire.Abort{TBit: true, Causes: gpCauses(&wire.RawCause{Code: wire.CauseUserInitiatedAbort, Value: []byte("bye")})}),
		"hand-abort-causes": gpBuild(&wire.Abort{Causes: gpCauses(
			&wire.RawCause{Code: wire.CauseInvalidStreamIdentifier, Value: []byte{0, 7, 0, 0}},
			&wire.RawCause{Code: wire.CauseOutOfResource})}),
		"hand-error-unrecognized": gpBuild(&wire.ErrorChunk{Causes: gpCauses(
			&wire.RawCause{Code: wire.CauseUnrecognizedChunkType, Value: []byte{0xc1, 0, 0, 4}})}, &wire.Shutdown{CumTSNAck: 5}),
		"hand-shutdown-sequence":   gpBuild(&wire.Shutdown{CumTSNAck: 77}, &wire.ShutdownAck{}, &wire.ShutdownComplete{TBit: true}),
		"hand-cookie-echo-data":    gpBuild(&wire.CookieEcho{Cookie: []byte("state cookie")}, &wire.Data{DataFlags: be, TSN: 1, UserData: []byte("x")}),
		"hand-idata-unknown":       gpBuild(&wire.CookieAck{}, &wire.IData{DataFlags: be, TSN: 3, MID: 4, PPID: 5, UserData: []byte("i-data")}),
		"hand-unknown-skip-report": gpBuild(&wire.RawChunk{Type: 0xcf, Flags: 0x80, Value: []byte{1, 2, 3, 4, 5}}, &wire.Sack{CumTSNAck: 1, ARwnd: 1}),
	}
}

// gpCaptureSeeds takes from each reference capture the first packet of
// every distinct sequence of chunk types.
func gpCaptureSeeds(t *testing.T) map[string][]byte {
	seeds := map[string][]byte{}
	for _, path := range pcaptest.Captures(t) {
		pkts, err := pcaptest.ReadSCTP(path)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, p := range pkts {
			pkt, err := wire.ParsePacket(p.SCTP)
			if err != nil {
				t.Fatalf("%s frame %d: %v", p.File, p.Index, err)
			}
			var sig []string
			it := pkt.Chunks()
			for c, ok := it.Next(); ok; c, ok = it.Next() {
				sig = append(sig, strings.ReplaceAll(strings.ToLower(c.Type().String()), " ", "_"))
			}
			key := strings.Join(sig, "+")
			if seen[key] {
				continue
			}
			seen[key] = true
			name := fmt.Sprintf("capture-%s-frame%d-%s", strings.TrimSuffix(p.File, ".pcap"), p.Index, key)
			seeds[name] = p.SCTP
		}
	}
	return seeds
}

// gpCorpusFile encodes one input in the format of Go's fuzzing corpus.
func gpCorpusFile(b []byte) []byte {
	return fmt.Appendf(nil, "go test fuzz v1\n[]byte(%+q)\n", b)
}

// TestGopacketSeedCorpus keeps the committed seed corpus in step with the
// captures and the hand-built packets, and runs the comparison on each.
func TestGopacketSeedCorpus(t *testing.T) {
	seeds := gpHandSeeds()
	for k, v := range gpCaptureSeeds(t) {
		seeds[k] = v
	}
	if *gpUpdateCorpus {
		if err := os.MkdirAll(gpCorpusDir, 0o755); err != nil {
			t.Fatal(err)
		}
		old, _ := filepath.Glob(filepath.Join(gpCorpusDir, "seed-*"))
		for _, f := range old {
			os.Remove(f)
		}
	}
	for name, b := range seeds {
		t.Run(name, func(t *testing.T) { gpCompare(t, b) })
		path := filepath.Join(gpCorpusDir, "seed-"+name)
		want := gpCorpusFile(b)
		if *gpUpdateCorpus {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s missing or stale (%v); run go test ./fuzz/ -run TestGopacketSeedCorpus -update-gopacket-corpus", path, err)
		}
	}
}

// TestGopacketDivergences pins down each way gopacket departs from RFC
// 9260 that FuzzGopacketSCTP documents: if gopacket changes, this says
// which exception in the comparison has become unnecessary. Each packet
// must also pass the comparison.
func TestGopacketDivergences(t *testing.T) {
	be := wire.DataFlags{Beginning: true, Ending: true}
	decode := func(b []byte) gpDecoded {
		t.Helper()
		gpCompare(t, b)
		return gpDecode(b)
	}

	t.Run("1 checksum byte order", func(t *testing.T) {
		b := gpBuild(&wire.CookieAck{})
		g := decode(b)
		if g.sctp.Checksum != uint32(b[8])<<24|uint32(b[9])<<16|uint32(b[10])<<8|uint32(b[11]) {
			t.Fatalf("gopacket checksum %#x from bytes % x", g.sctp.Checksum, b[8:12])
		}
		if g.sctp.Checksum == wire.Packet(b).Header().Checksum {
			t.Fatal("gopacket now reads the checksum as RFC 9260 Appendix A sends it")
		}
	})

	t.Run("2 DATA swallows the chunks after it", func(t *testing.T) {
		b := gpBuild(&wire.Data{DataFlags: be, TSN: 1, UserData: []byte("abcde")}, &wire.Sack{CumTSNAck: 1})
		g := decode(b)
		if len(g.chunks) != 1 || !bytes.HasPrefix(g.payload, []byte("abcde")) || len(g.payload) != len(b)-12-16-3 { // less the DATA chunk's 3 bytes of padding
			t.Fatalf("gopacket chunks %d, payload % x", len(g.chunks), g.payload)
		}
	})

	t.Run("3 DATA length ignored", func(t *testing.T) {
		b := gpBuild(&wire.Data{DataFlags: be, TSN: 1, UserData: []byte("abcdefgh")})
		b[12+3] += 4 // the length now runs 4 bytes past the packet
		if _, err := wire.ParsePacket(b); err == nil {
			t.Fatal("wire accepts a chunk longer than the packet")
		}
		g := decode(b)
		d, ok := g.chunks[0].(*layers.SCTPData)
		if !ok || g.failed || d.ActualLength != 16 {
			t.Fatalf("gopacket %+v, failed %v", g.chunks, g.failed)
		}
	})

	t.Run("4 SACK gap blocks counted as words", func(t *testing.T) {
		b := gpBuild(&wire.Sack{CumTSNAck: 10, GapBlocks: wire.GapBlockListOf([]wire.GapBlock{{Start: 2, End: 3}, {Start: 5, End: 6}}),
			DupTSNs: wire.TSNListOf([]wire.TSN{8})})
		g := decode(b)
		s := g.chunks[0].(*layers.SCTPSack)
		if fmt.Sprint(s.GapACKs) != "[2 3]" || len(s.DuplicateTSNs) != 1 || s.DuplicateTSNs[0] != 5<<16|6 {
			t.Fatalf("gopacket gaps %v dups %v", s.GapACKs, s.DuplicateTSNs)
		}
	})

	t.Run("5 unknown chunk types stop gopacket", func(t *testing.T) {
		b := gpBuild(&wire.RawChunk{Type: 0xc0, Value: []byte{0, 0, 0, 1}}, &wire.CookieAck{})
		g := decode(b)
		if len(g.chunks) != 0 || !g.failed {
			t.Fatalf("gopacket chunks %d, failed %v", len(g.chunks), g.failed)
		}
	})

	t.Run("6 unpadded last item", func(t *testing.T) {
		for _, c := range []wire.Chunker{
			&wire.Heartbeat{Info: []byte("odd")},
			&wire.Abort{Causes: gpCauses(&wire.RawCause{Code: wire.CauseUserInitiatedAbort, Value: []byte("bye")})},
			&wire.ErrorChunk{Causes: gpCauses(&wire.RawCause{Code: wire.CauseProtocolViolation, Value: []byte("x")})},
		} {
			b := gpBuild(c)
			it := wire.Packet(b).Chunks()
			first, _ := it.Next()
			if _, err := gpWireDecode(first); err != nil {
				t.Fatalf("%v: wire refuses: %v", c.ChunkType(), err)
			}
			if g := decode(b); len(g.chunks) != 0 || !g.failed {
				t.Fatalf("%v: gopacket decodes it now", c.ChunkType())
			}
		}
	})

	t.Run("7 unchecked lengths", func(t *testing.T) {
		b := gpBuild(&wire.RawChunk{Type: wire.ChunkShutdown},
			&wire.RawChunk{Type: wire.ChunkShutdown, Value: []byte{0, 9}})
		g := decode(b)
		if len(g.chunks) != 2 || g.failed {
			t.Fatalf("gopacket chunks %d, failed %v", len(g.chunks), g.failed)
		}
		for it, i := wire.Packet(b).Chunks(), 0; ; i++ {
			c, ok := it.Next()
			if !ok {
				break
			}
			if _, err := gpWireDecode(c); err == nil {
				t.Errorf("chunk %d: wire accepts %v of length %d", i, c.Type(), c.Len())
			}
		}
	})
}
