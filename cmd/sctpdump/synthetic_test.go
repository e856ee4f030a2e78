package main

import (
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/internal/pcaptest"
	"github.com/rserpool/rserpool/ip"
	"github.com/rserpool/rserpool/sctp/wire"
)

// pcapFile builds a capture for a test, frame by frame (the first frame
// is number 1), a millisecond apart.
type pcapFile struct {
	t    *testing.T
	path string
	w    *ip.PcapWriter
	done func()
	ts   time.Time
}

func newPcap(t *testing.T) *pcapFile {
	path, w, done := pcaptest.TempPcap(t)
	return &pcapFile{t: t, path: path, w: w, done: done, ts: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

var (
	hostA = netip.MustParseAddrPort("10.0.0.1:3863")
	hostB = netip.MustParseAddrPort("10.0.0.2:5000")
)

// packet bundles chunks into an SCTP packet from a to b with a valid
// CRC32c and returns its bytes.
func packet(a, b netip.AddrPort, vtag uint32, chunks ...wire.Chunker) []byte {
	var pb wire.Builder
	pb.Start(nil, wire.Header{SrcPort: a.Port(), DstPort: b.Port(), VTag: wire.VTag(vtag)}, wire.MaxPacketLen)
	for _, c := range chunks {
		if !pb.Add(c) {
			panic("chunk does not fit")
		}
	}
	return pb.Finish()
}

// sctp writes an SCTP packet directly over IP.
func (f *pcapFile) sctp(a, b netip.AddrPort, pkt []byte) {
	f.t.Helper()
	if err := f.w.WriteSCTP(f.ts, a.Addr(), b.Addr(), pkt); err != nil {
		f.t.Fatal(err)
	}
	f.ts = f.ts.Add(time.Millisecond)
}

func (f *pcapFile) chunks(a, b netip.AddrPort, vtag uint32, chunks ...wire.Chunker) {
	f.t.Helper()
	f.sctp(a, b, packet(a, b, vtag, chunks...))
}

func (f *pcapFile) udp(a, b netip.AddrPort, payload []byte) {
	f.t.Helper()
	if err := f.w.WriteUDP(f.ts, a, b, payload); err != nil {
		f.t.Fatal(err)
	}
	f.ts = f.ts.Add(time.Millisecond)
}

func (f *pcapFile) close() string {
	f.done()
	return f.path
}

func data(tsn uint32, flags string, ppid uint32, user []byte) *wire.Data {
	return &wire.Data{
		DataFlags: wire.DataFlags{Beginning: strings.Contains(flags, "B"), Ending: strings.Contains(flags, "E")},
		TSN:       wire.TSN(tsn), PPID: wire.PPID(ppid), UserData: user,
	}
}

func pe(id msg.PEID, addr string, port uint16) msg.PoolElement {
	return msg.PoolElement{
		ID: id, HomeServer: 0x1234, RegistrationLife: 90000,
		UserTransport: msg.Transport{Kind: msg.ParamSCTPTransport, Port: port, Use: msg.DataPlusControl,
			Addrs: msg.MakeAddrs(netip.MustParseAddr(addr))},
		Policy: msg.Policy{Type: msg.PolicyWeightedRoundRobin, Weight: 3},
	}
}

func encode(t *testing.T, m msg.Message) []byte {
	t.Helper()
	b, err := msg.Encode(nil, m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A packet whose chunk framing is broken is printed with the chunks
// before the break and the ParseError's offset and rule; so is a chunk
// or a message that does not decode; and the tool goes on to the next
// packet.
func TestMalformedPacketReported(t *testing.T) {
	f := newPcap(t)
	// 1: a SACK, then a DATA chunk header whose length (100) runs past
	// the end of the packet. The length field is at offset 12+16+2.
	pkt := packet(hostA, hostB, 7, &wire.Sack{CumTSNAck: 1, ARwnd: 1500})
	pkt = append(pkt, 0, 3, 0, 100, 1, 2, 3, 4, 5, 6, 7, 8)
	wire.SetChecksum(pkt)
	f.sctp(hostA, hostB, pkt)
	// 2: an INIT with an a_rwnd below 1500, which RFC 9260 §3.3.2 forbids.
	f.chunks(hostA, hostB, 0, &wire.Init{InitiateTag: 9, ARwnd: 1000, OutStreams: 1, InStreams: 1, InitialTSN: 1})
	// 3: DATA with the ASAP PPID whose user data is no ASAP message.
	f.chunks(hostA, hostB, 7, data(5, "BE", 11, []byte{5, 0, 0, 3}))
	// 4: a CRC32c that does not verify.
	pkt = packet(hostA, hostB, 7, &wire.CookieAck{})
	pkt[8] ^= 0xff
	f.sctp(hostA, hostB, pkt)
	// 5: a good packet after them.
	f.chunks(hostB, hostA, 7, &wire.Shutdown{CumTSNAck: 5})
	path := f.close()

	out, errOut, status := runTool(t, options{files: []string{path}})
	if status != 0 || errOut != "" {
		t.Fatalf("malformed packets are not errors of the run: status %d, stderr %q", status, errOut)
	}
	blocks := frameBlocks(t, out)
	want := map[int]string{
		1: `1 03:04:05.000000 SCTP 10.0.0.1:3863 > 10.0.0.2:5000 vtag=0x00000007 crc=ok len=40
  SACK cum=1 a_rwnd=1500 gaps=[] dups=[]
  malformed offset=30 rule="chunk length runs past the packet end" in="DATA chunk"
`,
		2: `2 03:04:05.001000 SCTP 10.0.0.1:3863 > 10.0.0.2:5000 vtag=0x00000000 crc=ok len=32
  INIT len=20
    malformed offset=20 rule="INIT with a_rwnd below 1500" in="INIT chunk"
`,
		3: `3 03:04:05.002000 SCTP 10.0.0.1:3863 > 10.0.0.2:5000 vtag=0x00000007 crc=ok len=32
  DATA tsn=5 sid=0 ssn=0 ppid=11 flags=BE len=4
    ASAP_HANDLE_RESOLUTION len=4
      malformed offset=2 rule="message length below 4" in="ASAP message header"
`,
		4: `4 03:04:05.003000 SCTP 10.0.0.1:3863 > 10.0.0.2:5000 vtag=0x00000007 crc=BAD len=16
  COOKIE ACK
`,
		5: `5 03:04:05.004000 SCTP 10.0.0.2:5000 > 10.0.0.1:3863 vtag=0x00000007 crc=ok len=20
  SHUTDOWN cum=5
`,
	}
	for n, w := range want {
		if blocks[n] != w {
			t.Errorf("frame %d:\n got:\n%s\nwant:\n%s", n, blocks[n], w)
		}
	}
	if !strings.Contains(out, "\nproblems: 0 bad frames, 1 packets with broken framing, 1 with a bad CRC32c, 1 malformed chunks, 1 undecodable messages, 0 incomplete messages (0 reassembled)\n") {
		t.Errorf("summary does not count the problems:\n%s", out)
	}

	// The same in JSON.
	out, _, _ = runTool(t, options{files: []string{path}, json: true})
	var first struct {
		Chunks []map[string]any `json:"chunks"`
		Error  map[string]any   `json:"error"`
	}
	if err := json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &first); err != nil {
		t.Fatal(err)
	}
	if len(first.Chunks) != 1 || first.Chunks[0]["type"] != "SACK" ||
		first.Error["offset"] != 30.0 || first.Error["rule"] != "chunk length runs past the packet end" {
		t.Errorf("frame 1 in JSON: %+v", first)
	}
}

// One line per chunk, in the forms the usage text promises, for the
// chunk types the reference captures lack.
func TestChunkLines(t *testing.T) {
	f := newPcap(t)
	f.chunks(hostA, hostB, 1, &wire.Sack{
		CumTSNAck: 100, ARwnd: 65536,
		GapBlocks: wire.GapBlockListOf([]wire.GapBlock{{Start: 2, End: 3}, {Start: 5, End: 5}}),
		DupTSNs:   wire.TSNListOf([]wire.TSN{101, 98}),
	})
	f.chunks(hostA, hostB, 1, &wire.Abort{TBit: true, Causes: wire.MakeCauses(wire.AppendCauses(nil,
		&wire.UserInitiatedAbortCause{Reason: []byte("going away")},
		&wire.NoUserDataCause{TSN: 42},
	))})
	f.chunks(hostA, hostB, 1, &wire.ErrorChunk{Causes: wire.MakeCauses(wire.AppendCauses(nil,
		&wire.InvalidStreamIdentifierCause{Stream: 7},
		&wire.UnrecognizedChunkTypeCause{Chunk: (&wire.RawChunk{Type: 200}).Append(nil)},
	))})
	hr := encode(t, &msg.HandleResolution{PoolHandle: []byte("EchoPool")})
	f.chunks(hostA, hostB, 1,
		&wire.IData{DataFlags: wire.DataFlags{Beginning: true, Ending: true, Unordered: true}, TSN: 5, Stream: 1, MID: 2, PPID: 11, UserData: hr},
		&wire.ForwardTSN{NewCumulativeTSN: 9, Streams: wire.ForwardTSNStreamListOf([]wire.ForwardTSNStream{{Stream: 1, SSN: 2}})},
		&wire.RawChunk{Type: 200, Flags: 1, Value: []byte{1, 2, 3, 4}},
	)
	f.chunks(hostA, hostB, 0, &wire.Init{
		InitiateTag: 0xdeadbeef, ARwnd: 131072, OutStreams: 10, InStreams: 2048, InitialTSN: 77,
		Params: wire.MakeParams(wire.AppendParams(nil,
			&wire.IPv4AddressParam{Addr: netip.MustParseAddr("10.0.0.1")},
			&wire.IPv6AddressParam{Addr: netip.MustParseAddr("fd00::1")},
			&wire.SupportedExtensionsParam{Chunks: wire.MakeChunkTypes(wire.ChunkIData, wire.ChunkReconfig)},
			&wire.RawParam{Type: 0x4123, Value: []byte{1, 2}},
		)),
	})
	f.chunks(hostB, hostA, 1, &wire.ShutdownComplete{TBit: true}, &wire.Pad{Size: 8})
	path := f.close()

	out, _, status := runTool(t, options{files: []string{path}})
	if status != 0 {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{
		"\n  SACK cum=100 a_rwnd=65536 gaps=[2-3,5-5] dups=[101,98]\n",
		"\n  ABORT tbit\n    User-Initiated Abort reason=\"going away\"\n    No User Data tsn=42\n",
		"\n  ERROR\n    Invalid Stream Identifier sid=7\n    Unrecognized Chunk Type chunk=\"chunk type 200\"\n",
		"\n  I-DATA tsn=5 sid=1 mid=2 ppid=11 flags=UBE len=16\n    ASAP_HANDLE_RESOLUTION handle=\"EchoPool\"\n",
		"\n  FORWARD-TSN new_cum=9 streams=[1:2]\n",
		"\n  chunk type 200 action=skip+report flags=0x01 len=8\n",
		"\n  INIT tag=0xdeadbeef a_rwnd=131072 os=10 mis=2048 itsn=77\n" +
			"    IPv4 Address 10.0.0.1\n    IPv6 Address fd00::1\n    Supported Extensions [I-DATA,RE-CONFIG]\n" +
			"    parameter type 16675 value_len=2 action=stop+report\n",
		"\n  SHUTDOWN COMPLETE tbit\n  PAD size=8\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks\n%s\nin\n%s", want, out)
		}
	}
}

// Fragmented user messages are put together per association and
// stream, whatever the order the fragments come in, and a message left
// incomplete at the end of the file is reported.
func TestReassembly(t *testing.T) {
	resp := encode(t, &msg.HandleResolutionResponse{
		PoolHandle:   []byte("EchoPool"),
		PoolElements: msg.MakePoolElements(pe(1, "10.0.1.1", 4711), pe(2, "10.0.1.2", 4712), pe(3, "10.0.1.3", 4713)),
	})
	third := len(resp) / 3
	parts := [][]byte{resp[:third], resp[third : 2*third], resp[2*third:]}
	table := encode(t, &msg.HandleTableResponse{
		Servers: msg.Servers{Sender: 0x11, Receiver: 0x22},
		Entries: msg.MakePoolEntries(msg.AppendPoolEntry(nil, []byte("EchoPool"), pe(4, "10.0.1.4", 4714))),
	})
	other := []byte("not RSerPool, fragmented over I-DATA")

	f := newPcap(t)
	// Frames 1-3: in order on one association.
	f.chunks(hostA, hostB, 0xa, data(10, "B", 11, parts[0]))
	f.chunks(hostA, hostB, 0xa, data(11, "", 11, parts[1]))
	f.chunks(hostA, hostB, 0xa, data(12, "E", 11, parts[2]))
	// Frames 4-7: out of order on another, with a retransmission.
	f.chunks(hostA, hostB, 0xb, data(20, "E", 11, parts[2]))
	f.chunks(hostA, hostB, 0xb, data(18, "B", 11, parts[0]))
	f.chunks(hostA, hostB, 0xb, data(19, "", 11, parts[1]))
	f.chunks(hostA, hostB, 0xb, data(19, "", 11, parts[1]))
	// Frames 8-10: I-DATA, with a whole message of another stream
	// between the two fragments of an ENRP message, and a fragmented
	// message of another protocol, which is left alone.
	f.chunks(hostB, hostA, 0xc,
		&wire.IData{DataFlags: wire.DataFlags{Beginning: true}, TSN: 1, Stream: 2, MID: 3, PPID: 12, UserData: table[:20]},
		&wire.IData{DataFlags: wire.DataFlags{Beginning: true}, TSN: 2, Stream: 2, MID: 4, PPID: 51, UserData: other[:10]})
	f.chunks(hostB, hostA, 0xc,
		&wire.IData{DataFlags: wire.DataFlags{Beginning: true, Ending: true}, TSN: 3, Stream: 1, MID: 0, PPID: 11,
			UserData: encode(t, &msg.HandleResolution{PoolHandle: []byte("other")})})
	f.chunks(hostB, hostA, 0xc,
		&wire.IData{DataFlags: wire.DataFlags{Ending: true}, TSN: 4, Stream: 2, MID: 3, FSN: 1, UserData: table[20:]},
		&wire.IData{DataFlags: wire.DataFlags{Ending: true}, TSN: 5, Stream: 2, MID: 4, FSN: 1, UserData: other[10:]})
	// Frame 11: both I-DATA end fragments again.
	f.chunks(hostB, hostA, 0xc,
		&wire.IData{DataFlags: wire.DataFlags{Ending: true}, TSN: 4, Stream: 2, MID: 3, FSN: 1, UserData: table[20:]},
		&wire.IData{DataFlags: wire.DataFlags{Ending: true}, TSN: 5, Stream: 2, MID: 4, FSN: 1, UserData: other[10:]})
	// Frame 12: the first fragment of a message whose end never comes.
	f.chunks(hostA, hostB, 0xa, data(13, "B", 11, parts[0]))
	path := f.close()

	out, _, status := runTool(t, options{files: []string{path}})
	if status != 0 {
		t.Fatalf("status %d", status)
	}
	blocks := frameBlocks(t, out)
	respLines := `    ASAP_HANDLE_RESOLUTION_RESPONSE handle="EchoPool" pe_count=3
      PE pe_id=0x00000001 home=0x00001234 life=90000 transport=sctp:10.0.1.1:4711+control policy=weighted-round-robin(weight=3)
      PE pe_id=0x00000002 home=0x00001234 life=90000 transport=sctp:10.0.1.2:4712+control policy=weighted-round-robin(weight=3)
      PE pe_id=0x00000003 home=0x00001234 life=90000 transport=sctp:10.0.1.3:4713+control policy=weighted-round-robin(weight=3)
`
	n0, n1 := len(parts[0]), len(parts[1])
	for n, want := range map[int]string{
		1: "    fragment state=pending fragments=1 bytes=" + itoa(n0) + "\n",
		2: "    fragment state=pending fragments=2 bytes=" + itoa(n0+n1) + "\n",
		3: "    reassembled fragments=3 bytes=" + itoa(len(resp)) + " first_frame=1\n" + respLines,
		4: "    fragment state=pending fragments=1 bytes=" + itoa(len(parts[2])) + "\n",
		5: "    fragment state=pending fragments=1 bytes=" + itoa(n0) + "\n",
		6: "    reassembled fragments=3 bytes=" + itoa(len(resp)) + " first_frame=4\n" + respLines,
		7: "    fragment state=duplicate\n",
		9: "    ASAP_HANDLE_RESOLUTION handle=\"other\"\n",
		10: "    reassembled fragments=2 bytes=" + itoa(len(table)) + " first_frame=8\n" +
			"    ENRP_HANDLE_TABLE_RESPONSE sender=0x00000011 receiver=0x00000022 pool_count=1\n" +
			"      pool handle=\"EchoPool\" pe_count=1\n" +
			"        PE pe_id=0x00000004 home=0x00001234 life=90000 transport=sctp:10.0.1.4:4714+control policy=weighted-round-robin(weight=3)\n" +
			"  I-DATA tsn=5 sid=2 mid=4 fsn=1 flags=E len=" + itoa(len(other)-10) + "\n",
		11: "    fragment state=duplicate\n" +
			"  I-DATA tsn=5 sid=2 mid=4 fsn=1 flags=E len=" + itoa(len(other)-10) + "\n",
	} {
		if !strings.HasSuffix(blocks[n], want) {
			t.Errorf("frame %d:\n got:\n%s\nwant it to end with:\n%s", n, blocks[n], want)
		}
	}
	if strings.Count(blocks[8], "fragment state") != 1 {
		t.Errorf("frame 8: only the ENRP fragment is held:\n%s", blocks[8])
	}
	wantInc := "incomplete ASAP message at the end of " + path + ": 10.0.0.1:3863 > 10.0.0.2:5000 vtag=0x0000000a sid=0 DATA first_seq=13 fragments=1 bytes=" + itoa(n0) + " frames=12-12, missing its end\n"
	if !strings.Contains(out, wantInc) {
		t.Errorf("no report of the incomplete message:\n%s", out)
	}
	if !strings.Contains(out, " 0 undecodable messages, 1 incomplete messages (3 reassembled)\n") {
		t.Errorf("summary:\n%s", out)
	}

	out, _, _ = runTool(t, options{files: []string{path}, json: true})
	var inc map[string]any
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, `"kind":"incomplete"`) {
			if err := json.Unmarshal([]byte(line), &inc); err != nil {
				t.Fatal(err)
			}
		}
	}
	if inc["protocol"] != "ASAP" || inc["first_seq"] != 13.0 || inc["has_begin"] != true || inc["has_end"] != false {
		t.Errorf("incomplete message in JSON: %v", inc)
	}
}

// ASAP and ENRP datagrams over plain UDP are decoded among the SCTP
// packets, and other UDP traffic is left out.
func TestUDPDatagrams(t *testing.T) {
	f := newPcap(t)
	f.udp(netip.MustParseAddrPort("10.0.0.9:3863"), msg.ASAPAnnounceGroup, encode(t, &msg.ServerAnnounce{
		ServerID: 0x99,
		Transports: msg.MakeTransports(msg.Transport{Kind: msg.ParamSCTPTransport, Port: 3863,
			Addrs: msg.MakeAddrs(netip.MustParseAddr("10.0.0.9"), netip.MustParseAddr("fd00::9"))}),
	}))
	f.udp(netip.MustParseAddrPort("10.0.0.9:53"), netip.MustParseAddrPort("10.0.0.1:53"), []byte("dns"))
	f.udp(netip.MustParseAddrPort("10.0.0.9:9901"), msg.ENRPAnnounceGroup, []byte{1, 0, 0, 2})
	path := f.close()

	out, _, _ := runTool(t, options{files: []string{path}})
	blocks := frameBlocks(t, out)
	want := map[int]string{
		1: `1 03:04:05.000000 UDP 10.0.0.9:3863 > 239.0.0.50:3863 ASAP len=44
  ASAP_SERVER_ANNOUNCE server_id=0x00000099 transports=[sctp:{10.0.0.9,fd00::9}:3863]
`,
		3: `3 03:04:05.002000 UDP 10.0.0.9:9901 > 239.0.0.51:9901 ENRP len=4
  ENRP_PRESENCE len=4
    malformed offset=2 rule="message length below 4" in="ENRP message header"
`,
	}
	if len(blocks) != 2 {
		t.Errorf("%d frames shown, want 2:\n%s", len(blocks), out)
	}
	for n, w := range want {
		if blocks[n] != w {
			t.Errorf("frame %d:\n got:\n%s\nwant:\n%s", n, blocks[n], w)
		}
	}
}

// A file that cannot be opened or is not a pcap file is reported on
// stderr, the others are still decoded, and the status is 1.
func TestUnreadableFiles(t *testing.T) {
	good := capturePath(t, "kernel-client-to-usrsctp-echo_server-udpencap.pcap")
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.pcap")
	text := filepath.Join(dir, "notes.pcap")
	if err := os.WriteFile(text, []byte("these are not the packets you are looking for\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	out, errOut, status := runTool(t, options{files: []string{missing, good, text}})
	if status != 1 {
		t.Errorf("status %d, want 1", status)
	}
	wantErr := "sctpdump: " + missing + ": no such file or directory\n" +
		"sctpdump: " + text + ": not a pcap file (unknown magic number)\n"
	if errOut != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", errOut, wantErr)
	}
	if !strings.HasPrefix(out, "== "+good+": 13 SCTP packets") || !strings.Contains(out, "\n== summary: 1 file, 13 SCTP packets,") ||
		strings.Contains(out, text) || strings.Contains(out, missing) {
		t.Errorf("the readable file is not decoded, or the others are:\n%s", out)
	}

	out, errOut, status = runTool(t, options{files: []string{missing}, json: true})
	if status != 1 || out != "" || !strings.Contains(errOut, "no such file or directory") {
		t.Errorf("only a missing file: status %d, stdout %q, stderr %q", status, out, errOut)
	}
	out, errOut, status = runTool(t, options{files: []string{text}, json: true})
	if status != 1 || out != "" || errOut != "sctpdump: "+text+": not a pcap file (unknown magic number)\n" {
		t.Errorf("only a file that is not a pcap: status %d, stdout %q, stderr %q", status, out, errOut)
	}
}

// A frame that cannot be taken apart, here an IP fragment (the reader
// does not reassemble), is shown as a bad frame among the others, the
// rest of the file is decoded, and the status stays 0.
func TestBadFrameReported(t *testing.T) {
	f := newPcap(t)
	f.chunks(hostA, hostB, 1, &wire.CookieAck{})
	frag, err := ip.AppendUDPPacket(nil, hostA, hostB, []byte("first part"), ip.DefaultTTL)
	if err != nil {
		t.Fatal(err)
	}
	frag[6] |= 0x20 // More Fragments
	if err := f.w.WritePacket(f.ts, frag); err != nil {
		t.Fatal(err)
	}
	f.ts = f.ts.Add(time.Millisecond)
	f.chunks(hostB, hostA, 2, &wire.ShutdownComplete{})
	path := f.close()

	out, errOut, status := runTool(t, options{files: []string{path}})
	if status != 0 || errOut != "" {
		t.Errorf("status %d, stderr %q", status, errOut)
	}
	if !strings.HasPrefix(out, "== "+path+": 2 SCTP packets, 0 ASAP/ENRP datagrams over UDP, 1 bad frame, from 2026-01-02 03:04:05 UTC\n") {
		t.Errorf("file header: %q", strings.SplitN(out, "\n", 2)[0])
	}
	blocks := frameBlocks(t, out)
	want := map[int]string{
		1: "1 03:04:05.000000 SCTP 10.0.0.1:3863 > 10.0.0.2:5000 vtag=0x00000001 crc=ok len=16\n  COOKIE ACK\n",
		2: "2 03:04:05.001000 bad frame: fragment of an IP packet carrying UDP; reassembly is not supported\n",
		3: "3 03:04:05.002000 SCTP 10.0.0.2:5000 > 10.0.0.1:3863 vtag=0x00000002 crc=ok len=16\n  SHUTDOWN COMPLETE\n",
	}
	if len(blocks) != len(want) {
		t.Errorf("%d frames shown, want %d:\n%s", len(blocks), len(want), out)
	}
	for n, w := range want {
		if blocks[n] != w {
			t.Errorf("frame %d:\n got:\n%s\nwant:\n%s", n, blocks[n], w)
		}
	}
	if !strings.Contains(out, "\nproblems: 1 bad frames, 0 packets with broken framing,") {
		t.Errorf("summary does not count the bad frame:\n%s", out)
	}

	out, errOut, status = runTool(t, options{files: []string{path}, json: true})
	if status != 0 || errOut != "" {
		t.Errorf("JSON: status %d, stderr %q", status, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("JSON: %d lines, want 4:\n%s", len(lines), out)
	}
	wantLine := `{"kind":"frame-error","file":"` + path + `","frame":2,"time":"2026-01-02T03:04:05.001Z",` +
		`"rule":"fragment of an IP packet carrying UDP; reassembly is not supported"}`
	if lines[1] != wantLine {
		t.Errorf("JSON frame error:\n got %s\nwant %s", lines[1], wantLine)
	}
	var s summaryLine
	if err := json.Unmarshal([]byte(lines[3]), &s); err != nil || s.BadFrames != 1 || s.SCTPPackets != 2 {
		t.Errorf("JSON summary %+v, %v", s, err)
	}
}

// A file cut off in the middle of a record is decoded up to there; the
// cut is reported on stderr after the file's frames, with status 1.
func TestTruncatedFile(t *testing.T) {
	f := newPcap(t)
	f.chunks(hostA, hostB, 1, &wire.CookieAck{})
	f.chunks(hostB, hostA, 2, &wire.ShutdownComplete{})
	path := f.close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b[:len(b)-5], 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, status := runTool(t, options{files: []string{path}})
	if status != 1 || errOut != "sctpdump: "+path+": frame 2: unreadable record: unexpected EOF\n" {
		t.Errorf("status %d, stderr %q", status, errOut)
	}
	blocks := frameBlocks(t, out)
	if len(blocks) != 1 || !strings.HasPrefix(blocks[1], "1 03:04:05.000000 SCTP ") ||
		!strings.Contains(out, "\n== summary: 1 file, 1 SCTP packets,") {
		t.Errorf("the frames before the cut:\n%s", out)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
