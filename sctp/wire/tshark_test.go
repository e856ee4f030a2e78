package wire_test

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rserpool/rserpool/internal/pcaptest"
	"github.com/rserpool/rserpool/sctp/wire"
)

// Wireshark 4.0's SCTP dissector does not know the Padding parameter of
// RFC 4820 §4 and shows it as "Unknown (0x8005)"; the test accepts that
// name for that type only. The deliberately unknown type 0xc00f (inside
// an Unrecognized Parameter) is unknown to both.
var wiresharkUnknownParams = map[uint16]bool{uint16(wire.ParamPadding): true, 0xc00f: true}

var (
	frameRE = regexp.MustCompile(`(?m)^Frame (\d+):`)
	chunkRE = regexp.MustCompile(`(?m)^( *)Chunk type: (\S+) \((\d+)\)`)
	paramRE = regexp.MustCompile(`(?m)^ *Parameter type: (.+) \(0x([0-9a-f]{4})\)`)
	causeRE = regexp.MustCompile(`(?m)^ *Cause code: (.+) \(0x([0-9a-f]{4})\)`)
)

// TestWiresharkDecodesEveryKind writes one packet of every chunk type,
// with every parameter and error cause among them, as raw IP and as
// UDP-encapsulated packets (RFC 6951), and checks that Wireshark's own
// dissectors name each as we meant, verify each CRC32c, and find nothing
// malformed.
func TestWiresharkDecodesEveryKind(t *testing.T) {
	kinds := allKinds()
	for _, encap := range []bool{false, true} {
		name := "raw IP"
		if encap {
			name = "UDP encapsulation"
		}
		t.Run(name, func(t *testing.T) {
			path, w, done := pcaptest.TempPcap(t)
			src, dst := netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1")
			for i, k := range kinds {
				var pb wire.Builder
				pb.Start(nil, wire.Header{SrcPort: 5000, DstPort: 5001, VTag: 0x11223344}, 65535)
				for _, c := range k.chunks {
					if !pb.Add(c) {
						t.Fatalf("packet %d: %v does not fit", i, c.ChunkType())
					}
				}
				pkt := pb.Finish()
				// Alternate IPv4 and IPv6 so both headers are checked.
				s, d := src, netip.MustParseAddr("127.0.0.2")
				if i%2 == 1 {
					s, d = dst, dst
				}
				ts := time.Unix(int64(i), 0)
				var err error
				if encap {
					err = w.WriteSCTPOverUDP(ts, netip.AddrPortFrom(s, 9899), netip.AddrPortFrom(d, 9899), pkt)
				} else {
					err = w.WriteSCTP(ts, s, d, pkt)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			done()
			out := pcaptest.Tshark(t, "-r", path, "-V",
				"-o", "sctp.checksum:CRC 32c",
				"-o", "udp.check_checksum:TRUE",
				"-o", "ip.check_checksum:TRUE")
			for _, bad := range []string{"Malformed", "Checksum Status: Bad", "Expert Info (Error", "Expert Info (Warning", "[incorrect"} {
				if strings.Contains(out, bad) {
					t.Fatalf("tshark reports %q:\n%s", bad, out)
				}
			}
			frames := splitFrames(t, out)
			if len(frames) != len(kinds) {
				t.Fatalf("tshark shows %d frames, want %d", len(frames), len(kinds))
			}
			for i, f := range frames {
				checkFrame(t, i+1, f, kinds[i])
			}
		})
	}
}

func splitFrames(t *testing.T, out string) []string {
	t.Helper()
	idx := frameRE.FindAllStringIndex(out, -1)
	var frames []string
	for i, loc := range idx {
		end := len(out)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		frames = append(frames, out[loc[0]:end])
	}
	return frames
}

// checkFrame compares one frame's decoding with what was encoded.
func checkFrame(t *testing.T, n int, f string, k kindsPacket) {
	t.Helper()
	if !strings.Contains(f, "[Checksum Status: Good]") {
		t.Errorf("frame %d: no good CRC32c reported", n)
	}
	// The chunks of the packet are the "Chunk type" lines at the smallest
	// indentation; deeper ones are chunk types named inside parameters.
	var top []string
	minIndent := -1
	for _, m := range chunkRE.FindAllStringSubmatch(f, -1) {
		if minIndent < 0 || len(m[1]) < minIndent {
			minIndent, top = len(m[1]), nil
		}
		if len(m[1]) == minIndent {
			top = append(top, m[2]+"/"+m[3])
		}
	}
	var want []string
	for _, c := range k.chunks {
		// Wireshark writes our names with underscores: "INIT ACK" is
		// INIT_ACK, "I-FORWARD-TSN" is I_FORWARD_TSN.
		ws := strings.NewReplacer(" ", "_", "-", "_").Replace(c.ChunkType().String())
		want = append(want, ws+"/"+strconv.Itoa(int(c.ChunkType())))
	}
	if strings.Join(top, " ") != strings.Join(want, " ") {
		t.Errorf("frame %d: Wireshark sees chunks %v, want %v", n, top, want)
	}
	named := map[uint16]string{}
	for _, m := range paramRE.FindAllStringSubmatch(f, -1) {
		code, _ := strconv.ParseUint(m[2], 16, 16)
		named[uint16(code)] = m[1]
	}
	for _, p := range k.params {
		name, ok := named[uint16(p)]
		switch {
		case !ok:
			t.Errorf("frame %d: Wireshark shows no %v parameter", n, p)
		case name == "Unknown" && !wiresharkUnknownParams[uint16(p)]:
			t.Errorf("frame %d: Wireshark does not recognize the %v parameter", n, p)
		}
	}
	causes := map[uint16]string{}
	for _, m := range causeRE.FindAllStringSubmatch(f, -1) {
		code, _ := strconv.ParseUint(m[2], 16, 16)
		causes[uint16(code)] = m[1]
	}
	for _, c := range k.causes {
		if name, ok := causes[uint16(c)]; !ok || strings.HasPrefix(name, "Unknown") {
			t.Errorf("frame %d: Wireshark shows the %v cause as %q", n, c, name)
		}
	}
}
