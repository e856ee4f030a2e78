package ip

import (
	"bytes"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"github.com/rserpool/rserpool/sctp/wire"
)

// testSCTP builds an SCTP packet with one DATA chunk and a correct CRC32c,
// so that dissectors checking it find nothing to complain about.
// Each call uses the next TSN, so that Wireshark's analysis sees no
// retransmission.
func testSCTP(t *testing.T, tsn wire.TSN, payload string) []byte {
	t.Helper()
	var pb wire.Builder
	pb.Start(nil, wire.Header{SrcPort: 5000, DstPort: 5001, VTag: 0x01020304}, 1400)
	if !pb.Add(&wire.Data{DataFlags: wire.DataFlags{Beginning: true, Ending: true}, TSN: tsn, PPID: 51, UserData: []byte(payload)}) {
		t.Fatal("chunk does not fit")
	}
	return pb.Finish()
}

type record struct {
	ts      time.Time
	want    []byte
	protos  string // frame.protocols as tshark shows them
	write   func(w *PcapWriter) error
	comment string
}

func testRecords(t *testing.T) []record {
	base := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
	s1, s2, s3, s4 := testSCTP(t, 1, "v4"), testSCTP(t, 2, "v6!"), testSCTP(t, 3, "udp4"), testSCTP(t, 4, "udp6.")
	u4a, u4b := netip.AddrPortFrom(v4a, SCTPOverUDPPort), netip.AddrPortFrom(v4b, SCTPOverUDPPort)
	u6a, u6b := netip.AddrPortFrom(v6a, 29900), netip.AddrPortFrom(v6b, SCTPOverUDPPort)
	must := func(b []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return []record{
		{base, must(AppendIPPacket(nil, v4a, v4b, ProtoSCTP, s1, DefaultTTL)), "raw:ip:sctp:data",
			func(w *PcapWriter) error { return w.WriteSCTP(base, v4a, v4b, s1) }, "SCTP over IPv4"},
		{base.Add(time.Microsecond), must(AppendIPPacket(nil, v6a, v6b, ProtoSCTP, s2, DefaultTTL)), "raw:ipv6:sctp:data",
			func(w *PcapWriter) error { return w.WriteSCTP(base.Add(time.Microsecond), v6a, v6b, s2) }, "SCTP over IPv6"},
		{base.Add(time.Second), must(AppendUDPPacket(nil, u4a, u4b, s3, DefaultTTL)), "raw:ip:udp:sctp:data",
			func(w *PcapWriter) error { return w.WriteSCTPOverUDP(base.Add(time.Second), u4a, u4b, s3) }, "SCTP over UDP over IPv4"},
		{base.Add(time.Hour), must(AppendUDPPacket(nil, u6a, u6b, s4, DefaultTTL)), "raw:ipv6:udp:sctp:data",
			func(w *PcapWriter) error { return w.WriteSCTPOverUDP(base.Add(time.Hour), u6a, u6b, s4) }, "SCTP over UDP over IPv6, one side on another port"},
	}
}

func writeTestPcap(t *testing.T) (string, []record) {
	recs := testRecords(t)
	path := filepath.Join(t.TempDir(), "test.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := NewPcapWriter(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := r.write(w); err != nil {
			t.Fatalf("%s: %v", r.comment, err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path, recs
}

func TestPcapReadBack(t *testing.T) {
	path, recs := writeTestPcap(t)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if r.LinkType() != layers.LinkTypeRaw || r.LinkType() != 101 {
		t.Fatalf("link type %v, want LINKTYPE_RAW (101)", r.LinkType())
	}
	for i, rec := range recs {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			t.Fatalf("record %d: %v", i+1, err)
		}
		if !bytes.Equal(data, rec.want) {
			t.Errorf("%s: got  % x\nwant % x", rec.comment, data, rec.want)
		}
		if !ci.Timestamp.Equal(rec.ts) || ci.Length != len(rec.want) || ci.CaptureLength != len(rec.want) {
			t.Errorf("%s: capture info %+v, want time %v length %d", rec.comment, ci, rec.ts, len(rec.want))
		}
	}
	if _, _, err := r.ReadPacketData(); err != io.EOF {
		t.Fatalf("after the last record: %v, want EOF", err)
	}
}

func TestPcapWriteRefusesBadAddresses(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewPcapWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	n := buf.Len()
	if err := w.WriteSCTP(time.Now(), v4a, v6b, testSCTP(t, 1, "x")); err == nil {
		t.Error("mixed families accepted")
	}
	if err := w.WriteSCTPOverUDP(time.Now(), netip.AddrPortFrom(v6a, 1), netip.AddrPortFrom(v4b, 1), nil); err == nil {
		t.Error("mixed families accepted over UDP")
	}
	if buf.Len() != n {
		t.Error("a refused packet left bytes in the file")
	}
}

// tsharkPath returns tshark's path or skips the test.
func tsharkPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed (apt-get install tshark); skipping Wireshark cross-check")
	}
	return p
}

// Wireshark is an independent decoder: it must take every record of the
// file as IPv4 or IPv6 (LINKTYPE_RAW), find SCTP in it directly or in UDP
// on port 9899, and find every checksum good.
func TestPcapTshark(t *testing.T) {
	tshark := tsharkPath(t)
	path, recs := writeTestPcap(t)
	args := []string{"-r", path, "-n",
		"-o", "ip.check_checksum:TRUE",
		"-o", "udp.check_checksum:TRUE",
		"-o", "sctp.checksum:CRC 32c",
		"-T", "fields", "-E", "separator=|",
		"-e", "frame.protocols", "-e", "ip.checksum.status", "-e", "udp.checksum.status", "-e", "sctp.checksum.status",
		"-e", "_ws.expert.message"}
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(recs) {
		t.Fatalf("tshark printed %d lines, want %d:\n%s", len(lines), len(recs), out)
	}
	for i, line := range lines {
		f := strings.Split(line, "|")
		rec := recs[i]
		if f[0] != rec.protos {
			t.Errorf("%s: protocols %q, want %q", rec.comment, f[0], rec.protos)
		}
		v4 := strings.Contains(rec.protos, ":ip:")
		udp := strings.Contains(rec.protos, ":udp:")
		// Checksum status 1 is "Good" (0 bad, 2 unverified).
		if v4 && f[1] != "1" || !v4 && f[1] != "" {
			t.Errorf("%s: IP checksum status %q", rec.comment, f[1])
		}
		if udp && f[2] != "1" || !udp && f[2] != "" {
			t.Errorf("%s: UDP checksum status %q", rec.comment, f[2])
		}
		if f[3] != "1" {
			t.Errorf("%s: SCTP checksum status %q", rec.comment, f[3])
		}
		if f[4] != "" {
			t.Errorf("%s: expert message %q", rec.comment, f[4])
		}
	}
	verbose, err := exec.Command(tshark, "-r", path, "-n", "-V",
		"-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "sctp.checksum:CRC 32c").Output()
	if err != nil {
		t.Fatalf("tshark -V: %v", err)
	}
	for _, bad := range []string{"[Malformed", "Bad checksum", "incorrect", "Unverified"} {
		if bytes.Contains(verbose, []byte(bad)) {
			t.Errorf("tshark reports %q:\n%s", bad, verbose)
		}
	}
}
