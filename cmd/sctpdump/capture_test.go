package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/internal/pcaptest"
	"github.com/rserpool/rserpool/sctp/wire"
)

const rsplib9899 = "rsplib-asap-enrp-encap9899.pcap"

// The blocks of a few frames of the rsplib capture over UDP port 9899,
// checked field by field against `tshark -r FILE -t ud -V`: times (UTC),
// addresses and ports, tags, TSNs and SSNs, and the ASAP/ENRP fields
// (server and PE identifiers, pool handle, lifetime, transports,
// policies, update action).
var wantFrames = map[int]string{
	// The first INIT of the file: registrar 1 opens its ENRP association
	// with registrar 2.
	8: `8 03:52:54.229889 SCTP 10.99.200.1:9901 > 10.99.200.2:9901 udp=9899>9899 vtag=0x00000000 crc=ok len=48
  INIT tag=0x1cd95179 a_rwnd=106496 os=10 mis=65535 itsn=3730509793
    Supported Address Types [IPv6,IPv4]
    ECN Capable
    Forward-TSN-Supported
`,
	// Two chunks bundled.
	11: `11 03:52:54.419704 SCTP 10.99.200.2:9901 > 10.99.200.1:9901 udp=9899>9899 vtag=0x1cd95179 crc=ok len=32
  COOKIE ACK
  SACK cum=3730509793 a_rwnd=106452 gaps=[] dups=[]
`,
	// Multicast over plain UDP, in frame order among the SCTP packets.
	5: `5 03:52:53.854334 UDP 10.99.200.1:9901 > 239.0.0.51:9901 ENRP len=44
  ENRP_PRESENCE sender=0xfcffc723 receiver=0x00000000 checksum=0xffff
    server server_id=0xfcffc723 transport=sctp:10.99.200.1:9901
`,
	12: `12 03:52:54.425657 UDP 10.99.200.1:3863 > 239.0.0.50:3863 ASAP len=8
  ASAP_SERVER_ANNOUNCE server_id=0xfcffc723 transports=[]
`,
	40: `40 03:52:55.485735 SCTP 10.99.200.11:38597 > 10.99.200.1:3863 udp=9899>9899 vtag=0xfd069d1f crc=ok len=84
  DATA tsn=2776705262 sid=0 ssn=0 ppid=11 flags=BE len=56
    ASAP_REGISTRATION handle="EchoPool"
      PE pe_id=0x50d62a7d home=0x00000000 life=90000 transport=sctp:10.99.200.11:43282+control policy=round-robin
`,
	44: `44 03:52:55.744641 SCTP 10.99.200.1:3863 > 10.99.200.11:38597 udp=9899>9899 vtag=0x094c2257 crc=ok len=52
  DATA tsn=2963473110 sid=0 ssn=0 ppid=11 flags=BE len=24
    ASAP_REGISTRATION_RESPONSE handle="EchoPool" pe_id=0x50d62a7d
`,
	119: `119 03:53:05.543368 SCTP 10.99.200.21:55925 > 10.99.200.1:3863 udp=9899>9899 vtag=0x84eb0e22 crc=ok len=52
  DATA tsn=2152288014 sid=0 ssn=0 ppid=11 flags=BE len=24
    ASAP_HANDLE_RESOLUTION handle="EchoPool" items=1
`,
	121: `121 03:53:05.549723 SCTP 10.99.200.1:3863 > 10.99.200.21:55925 udp=9899>9899 vtag=0xea395f9f crc=ok len=92
  DATA tsn=3335004759 sid=0 ssn=0 ppid=11 flags=BE len=64
    ASAP_HANDLE_RESOLUTION_RESPONSE handle="EchoPool" policy=round-robin pe_count=1
      PE pe_id=0x50d62a7d home=0xfcffc723 life=90000 transport=sctp:10.99.200.11:43282+control policy=round-robin
`,
	236: `236 03:53:20.547727 SCTP 10.99.200.2:9901 > 10.99.200.1:9901 udp=9899>9899 vtag=0x1cd95179 crc=ok len=112
  DATA tsn=2096307116 sid=0 ssn=17 ppid=12 flags=BE len=84
    ENRP_HANDLE_UPDATE sender=0x6eda81f6 receiver=0xfcffc723 action=DEL_PE handle="EchoPool"
      PE pe_id=0x375095f6 home=0x6eda81f6 life=90000 transport=sctp:10.99.200.12:37645+control policy=round-robin asap_transport=sctp:10.99.200.12:36248
`,
	241: `241 03:53:20.564125 SCTP 10.99.200.12:36248 > 10.99.200.2:3863 udp=9899>9899 vtag=0x2ff14de6 crc=ok len=16
  SHUTDOWN COMPLETE
`,
}

func TestKnownFrames(t *testing.T) {
	path := capturePath(t, rsplib9899)
	out, errOut, status := runTool(t, options{files: []string{path}})
	if status != 0 || errOut != "" {
		t.Fatalf("status %d, stderr %q", status, errOut)
	}
	blocks := frameBlocks(t, out)
	for n, want := range wantFrames {
		if got := blocks[n]; got != want {
			t.Errorf("frame %d:\n got:\n%s\nwant:\n%s", n, got, want)
		}
	}
	// 163 SCTP packets and 58 + 24 datagrams, each once, in frame order.
	if len(blocks) != 163+82 {
		t.Errorf("%d frames printed, want %d", len(blocks), 163+82)
	}
	var order []int
	for _, line := range strings.Split(out, "\n") {
		if n, err := strconv.Atoi(strings.SplitN(line, " ", 2)[0]); err == nil {
			order = append(order, n)
		}
	}
	if !slices.IsSorted(order) {
		t.Errorf("frames out of order: %v", order)
	}
	if !strings.HasPrefix(out, "== "+path+": 163 SCTP packets, 82 ASAP/ENRP datagrams over UDP, from 2026-11-24 03:52:53 UTC\n") {
		t.Errorf("file header: %q", strings.SplitN(out, "\n", 2)[0])
	}
	// The summary closes the normal output too.
	if !strings.Contains(out, "\n== summary: 1 file, 163 SCTP packets, 82 ASAP/ENRP datagrams over UDP\n") {
		t.Error("no summary at the end of the output")
	}
}

// The counts of the reference captures, as tshark counts them
// (sctp.chunk_type, asap.message_type, enrp.message_type): the SCTP
// packets and UDP datagrams per file are those of internal/pcaptest's
// tests.
var wantCounts = map[string]struct {
	sctp, udp int
}{
	"host-usrsctp-asap-handle-resolution-udpencap.pcap":  {26, 20 + 8},
	"kernel-client-to-usrsctp-echo_server-udpencap.pcap": {13, 0},
	"rsplib-asap-enrp-encap0.pcap":                       {168, 57 + 24},
	"rsplib-asap-enrp-encap9899.pcap":                    {163, 58 + 24},
	"usrsctp-client-to-kernel-echo-plain-ip.pcap":        {13, 0},
	"usrsctp-client-to-kernel-echo-udpencap.pcap":        {15, 0},
}

var wantChunkTotals = map[string]int{
	"DATA": 150, "INIT": 16, "INIT ACK": 16, "SACK": 142, "HEARTBEAT": 6, "HEARTBEAT ACK": 6,
	"SHUTDOWN": 15, "SHUTDOWN ACK": 15, "COOKIE ECHO": 16, "COOKIE ACK": 16, "SHUTDOWN COMPLETE": 15,
}

// Message totals of all the captures, with those over plain UDP.
var wantMessageTotals = map[string][2]int{
	"ASAP_REGISTRATION": {4, 0}, "ASAP_DEREGISTRATION": {4, 0},
	"ASAP_REGISTRATION_RESPONSE": {4, 0}, "ASAP_DEREGISTRATION_RESPONSE": {4, 0},
	"ASAP_HANDLE_RESOLUTION": {3, 0}, "ASAP_HANDLE_RESOLUTION_RESPONSE": {3, 0},
	"ASAP_ENDPOINT_KEEP_ALIVE": {18, 0}, "ASAP_ENDPOINT_KEEP_ALIVE_ACK": {18, 0},
	"ASAP_SERVER_ANNOUNCE": {135, 135}, "ENRP_PRESENCE": {112, 56},
	"ENRP_HANDLE_TABLE_REQUEST": {2, 0}, "ENRP_HANDLE_TABLE_RESPONSE": {2, 0},
	"ENRP_HANDLE_UPDATE": {8, 0}, "ENRP_LIST_REQUEST": {4, 0}, "ENRP_LIST_RESPONSE": {4, 0},
}

type summaryLine struct {
	Kind         string         `json:"kind"`
	Files        int            `json:"files"`
	SCTPPackets  int            `json:"sctp_packets"`
	UDPDatagrams int            `json:"udp_datagrams"`
	BadFrames    int            `json:"bad_frames"`
	BadFraming   int            `json:"bad_framing"`
	BadChecksum  int            `json:"bad_checksum"`
	BadChunks    int            `json:"bad_chunks"`
	BadMessages  int            `json:"bad_messages"`
	Reassembled  int            `json:"reassembled"`
	Incomplete   int            `json:"incomplete"`
	Chunks       []chunkCount   `json:"chunks"`
	Messages     []messageCount `json:"messages"`
}

func jsonSummary(t *testing.T, files ...string) summaryLine {
	t.Helper()
	out, errOut, status := runTool(t, options{files: files, json: true, summary: true})
	if status != 0 || errOut != "" {
		t.Fatalf("status %d, stderr %q", status, errOut)
	}
	if strings.Count(out, "\n") != 1 {
		t.Fatalf("-json -summary printed more than the summary:\n%s", out)
	}
	var s summaryLine
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	if s.Kind != "summary" {
		t.Fatalf("kind %q", s.Kind)
	}
	return s
}

func TestSummaryCounts(t *testing.T) {
	paths := pcaptest.Captures(t)
	for _, path := range paths {
		name := filepath.Base(path)
		s := jsonSummary(t, path)
		want := wantCounts[name]
		if s.SCTPPackets != want.sctp || s.UDPDatagrams != want.udp {
			t.Errorf("%s: %d SCTP packets, %d datagrams; want %d, %d", name, s.SCTPPackets, s.UDPDatagrams, want.sctp, want.udp)
		}
	}

	s := jsonSummary(t, paths...)
	if s.Files != len(paths) || s.SCTPPackets != 398 || s.UDPDatagrams != 191 {
		t.Errorf("all captures: %d files, %d SCTP packets, %d datagrams; want %d, 398, 191", s.Files, s.SCTPPackets, s.UDPDatagrams, len(paths))
	}
	// Every packet of the reference captures is well-formed: the wire
	// package's tests say so.
	if s.BadFrames+s.BadFraming+s.BadChecksum+s.BadChunks+s.BadMessages+s.Reassembled+s.Incomplete != 0 {
		t.Errorf("problems counted in the reference captures: %+v", s)
	}
	chunks := map[string]int{}
	for _, c := range s.Chunks {
		chunks[c.Type] = c.Count
		if wire.ChunkType(c.Code).String() != c.Type {
			t.Errorf("chunk row %+v: code and name disagree", c)
		}
	}
	if fmt.Sprint(chunks) != fmt.Sprint(wantChunkTotals) {
		t.Errorf("chunk counts\n got %v\nwant %v", chunks, wantChunkTotals)
	}
	msgs := map[string][2]int{}
	for _, m := range s.Messages {
		msgs[m.Type] = [2]int{m.Count, m.UDP}
	}
	if fmt.Sprint(msgs) != fmt.Sprint(wantMessageTotals) {
		t.Errorf("message counts\n got %v\nwant %v", msgs, wantMessageTotals)
	}

	// The text form of -summary prints the same counts and nothing else.
	out, _, _ := runTool(t, options{files: paths, summary: true})
	if !strings.HasPrefix(out, fmt.Sprintf("== summary: %d files, 398 SCTP packets, 191 ASAP/ENRP datagrams over UDP\n", len(paths))) {
		t.Errorf("text summary starts %q", strings.SplitN(out, "\n", 2)[0])
	}
	for _, want := range []string{
		"\n  DATA                                   150\n",
		"\n  SHUTDOWN COMPLETE                       15\n",
		"\n  ASAP_SERVER_ANNOUNCE                   135      135\n",
		"\n  ENRP_PRESENCE                          112       56\n",
		"\nproblems: 0 bad frames, 0 packets with broken framing, 0 with a bad CRC32c, 0 malformed chunks, 0 undecodable messages, 0 incomplete messages (0 reassembled)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text summary lacks %q:\n%s", want, out)
		}
	}
}

func TestJSONLines(t *testing.T) {
	paths := pcaptest.Captures(t)
	out, errOut, status := runTool(t, options{files: paths, json: true})
	if status != 0 || errOut != "" {
		t.Fatalf("status %d, stderr %q", status, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	kinds := map[string]int{}
	var first map[string]any // the first INIT of the rsplib capture
	for i, line := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("line %d does not parse: %v\n%s", i+1, err, line)
		}
		kind, _ := v["kind"].(string)
		kinds[kind]++
		if kind == "summary" && i != len(lines)-1 {
			t.Errorf("summary on line %d of %d", i+1, len(lines))
		}
		if kind == "sctp" && filepath.Base(v["file"].(string)) == rsplib9899 && v["frame"] == 8.0 {
			first = v
		}
	}
	if kinds["sctp"] != 398 || kinds["udp"] != 191 || kinds["summary"] != 1 || len(kinds) != 3 {
		t.Errorf("kinds of lines: %v", kinds)
	}

	// The same fields as the text, by stable names, with numbers as
	// numbers.
	if first == nil {
		t.Fatal("no line for frame 8 of " + rsplib9899)
	}
	want := `{"checksum_ok":true,"chunks":[{"a_rwnd":106496,"itsn":3730509793,"mis":65535,"os":10,` +
		`"params":[{"type":"Supported Address Types","types":["IPv6","IPv4"]},{"type":"ECN Capable"},{"type":"Forward-TSN-Supported"}],` +
		`"tag":484004217,"type":"INIT"}],"dst":"10.99.200.2","dst_port":9901,"encap":true,"file":"` + capturePath(t, rsplib9899) + `",` +
		`"frame":8,"kind":"sctp","length":48,"src":"10.99.200.1","src_port":9901,"time":"2026-11-24T03:52:54.229889Z",` +
		`"udp_dst_port":9899,"udp_src_port":9899,"vtag":0}`
	got, _ := json.Marshal(first) // sorted keys
	if string(got) != want {
		t.Errorf("frame 8:\n got %s\nwant %s", got, want)
	}
}

// Wireshark's dissectors read the same frames independently: every SCTP
// packet must have the same chunk types, and every ASAP and ENRP message
// the same type, in the same order.
func TestAgreesWithTshark(t *testing.T) {
	for _, path := range pcaptest.Captures(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			rows := pcaptest.Tshark(t, "-r", path, "-n", "-Y", "sctp || asap || enrp", "-T", "fields",
				"-E", "separator=|", "-e", "frame.number", "-e", "sctp.chunk_type", "-e", "asap.message_type", "-e", "enrp.message_type")
			want := map[int]string{}
			for _, row := range strings.Split(strings.TrimSpace(rows), "\n") {
				f := strings.Split(row, "|")
				n, _ := strconv.Atoi(f[0])
				want[n] = strings.Join(f[1:], "|")
			}

			out, _, status := runTool(t, options{files: []string{path}, json: true})
			if status != 0 {
				t.Fatalf("status %d", status)
			}
			got := map[int]string{}
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				var v struct {
					Kind     string `json:"kind"`
					Frame    int    `json:"frame"`
					Protocol string `json:"protocol"`
					Chunks   []struct {
						Type    string `json:"type"`
						Message *struct {
							Type string `json:"type"`
						} `json:"message"`
					} `json:"chunks"`
					Message *struct {
						Type string `json:"type"`
					} `json:"message"`
				}
				if err := json.Unmarshal([]byte(line), &v); err != nil {
					t.Fatal(err)
				}
				var chunks, asap, enrp []string
				addMsg := func(name string) {
					code := strconv.Itoa(messageCodes[name])
					if strings.HasPrefix(name, "ASAP") {
						asap = append(asap, code)
					} else {
						enrp = append(enrp, code)
					}
				}
				switch v.Kind {
				case "sctp":
					for _, c := range v.Chunks {
						chunks = append(chunks, strconv.Itoa(chunkCodes[c.Type]))
						if c.Message != nil {
							addMsg(c.Message.Type)
						}
					}
				case "udp":
					addMsg(v.Message.Type)
				default:
					continue
				}
				got[v.Frame] = strings.Join(chunks, ",") + "|" + strings.Join(asap, ",") + "|" + strings.Join(enrp, ",")
			}
			if len(got) != len(want) {
				t.Errorf("%d frames, tshark shows %d", len(got), len(want))
			}
			for n, w := range want {
				if got[n] != w {
					t.Errorf("frame %d: chunk|asap|enrp types %q, tshark %q", n, got[n], w)
				}
			}
		})
	}
}

// chunkCodes and messageCodes map the names the tool prints back to the
// type codes tshark prints.
var chunkCodes, messageCodes = func() (map[string]int, map[string]int) {
	cs, ms := map[string]int{}, map[string]int{}
	for i := range 256 {
		cs[wire.ChunkType(i).String()] = i
	}
	for _, t := range []uint16{11, 12} {
		for code := range 256 {
			ms[msg.MessageType(t<<8|uint16(code)).String()] = code
		}
	}
	return cs, ms
}()
