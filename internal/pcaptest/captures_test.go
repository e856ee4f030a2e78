package pcaptest

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rserpool/rserpool/sctp/wire"
)

// What each reference capture holds, as counted with tshark when the
// files were added. Kept here so that the reader is checked even where
// tshark is missing.
var wantCaptures = map[string]struct {
	sctp  int  // SCTP packets
	encap bool // all of them in UDP (otherwise none)
	asap  int  // ASAP datagrams on UDP port 3863
	enrp  int  // ENRP datagrams on UDP port 9901
}{
	"host-usrsctp-asap-handle-resolution-udpencap.pcap":  {26, true, 20, 8},
	"kernel-client-to-usrsctp-echo_server-udpencap.pcap": {13, true, 0, 0},
	"rsplib-asap-enrp-encap0.pcap":                       {168, false, 57, 24},
	"rsplib-asap-enrp-encap9899.pcap":                    {163, true, 58, 24},
	"usrsctp-client-to-kernel-echo-plain-ip.pcap":        {13, false, 0, 0},
	"usrsctp-client-to-kernel-echo-udpencap.pcap":        {15, true, 0, 0},
}

func TestCapturesAllPresent(t *testing.T) {
	paths := Captures(t)
	if len(paths) != len(wantCaptures) {
		t.Errorf("found %d captures, want %d: %v", len(paths), len(wantCaptures), paths)
	}
	for _, p := range paths {
		if _, ok := wantCaptures[filepath.Base(p)]; !ok {
			t.Errorf("unexpected capture %s", p)
		}
	}
}

func TestReadSCTPCaptures(t *testing.T) {
	for _, path := range Captures(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			want := wantCaptures[name]
			pkts, err := ReadSCTP(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(pkts) == 0 || len(pkts) != want.sctp {
				t.Fatalf("%d SCTP packets, want %d", len(pkts), want.sctp)
			}
			last := 0
			for _, p := range pkts {
				if p.File != name || p.Index <= last {
					t.Errorf("packet %+v: bad file name or frame order", p)
				}
				last = p.Index
				if p.Encap != want.encap {
					t.Errorf("frame %d: Encap %v, want %v", p.Index, p.Encap, want.encap)
				}
				if p.Encap && p.UDPSrcPort != 9899 && p.UDPDstPort != 9899 {
					t.Errorf("frame %d: encapsulated on UDP ports %d>%d", p.Index, p.UDPSrcPort, p.UDPDstPort)
				}
				if !p.Encap && (p.UDPSrcPort != 0 || p.UDPDstPort != 0) {
					t.Errorf("frame %d: UDP ports on a plain packet", p.Index)
				}
				// The reference implementations all compute CRC32c, so a
				// packet that does not verify was cut out at the wrong place.
				if !wire.VerifyChecksum(p.SCTP) {
					t.Errorf("frame %d: SCTP checksum does not verify", p.Index)
				}
				if p.Dst.Addr().IsMulticast() {
					t.Errorf("frame %d: multicast UDP taken for SCTP", p.Index)
				}
				if p.Time.IsZero() {
					t.Errorf("frame %d: no timestamp", p.Index)
				}
			}
		})
	}
}

func TestReadUDPRSerPoolMulticast(t *testing.T) {
	for _, path := range Captures(t) {
		name := filepath.Base(path)
		want := wantCaptures[name]
		for _, c := range []struct {
			port  uint16
			group string
			n     int
		}{{3863, "239.0.0.50", want.asap}, {9901, "239.0.0.51", want.enrp}} {
			ds, err := ReadUDP(path, c.port)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if len(ds) != c.n {
				t.Errorf("%s port %d: %d datagrams, want %d", name, c.port, len(ds), c.n)
			}
			for _, d := range ds {
				if d.Dst.Addr().String() != c.group || d.Dst.Port() != c.port || len(d.Payload) < 4 {
					t.Errorf("%s frame %d: %v > %v, %d bytes", name, d.Index, d.Src, d.Dst, len(d.Payload))
				}
			}
		}
	}
}

// tsharkLines runs tshark over a capture with fields separated by "|".
func tsharkLines(t *testing.T, path, filter string, fields ...string) [][]string {
	args := []string{"-r", path, "-n", "-Y", filter, "-T", "fields", "-E", "separator=|"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out := strings.TrimSpace(Tshark(t, args...))
	var rows [][]string
	if out == "" {
		return rows
	}
	for _, l := range strings.Split(out, "\n") {
		rows = append(rows, strings.Split(l, "|"))
	}
	return rows
}

// Wireshark's SCTP dissector is an independent reading of the same files:
// the same frames must hold SCTP, with the same addresses, ports,
// verification tags and lengths.
func TestReadSCTPAgreesWithTshark(t *testing.T) {
	for _, path := range Captures(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			rows := tsharkLines(t, path, "sctp", "frame.number", "ip.src", "ip.dst", "sctp.srcport", "sctp.dstport",
				"sctp.verification_tag", "udp.srcport", "udp.dstport", "ip.len", "ip.hdr_len")
			pkts, err := ReadSCTP(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(pkts) != len(rows) {
				t.Fatalf("%d SCTP packets, tshark counts %d", len(pkts), len(rows))
			}
			for i, p := range pkts {
				r := rows[i]
				atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
				sctpLen := atoi(r[8]) - atoi(r[9])
				udpSrc, udpDst := "", ""
				if p.Encap {
					sctpLen -= 8
					udpSrc, udpDst = strconv.Itoa(int(p.UDPSrcPort)), strconv.Itoa(int(p.UDPDstPort))
				}
				got := []string{strconv.Itoa(p.Index), p.Src.Addr().String(), p.Dst.Addr().String(),
					strconv.Itoa(int(p.Src.Port())), strconv.Itoa(int(p.Dst.Port())),
					fmt.Sprintf("0x%08x", uint32(wire.Packet(p.SCTP).VTag())), udpSrc, udpDst}
				if strings.Join(got, "|") != strings.Join(r[:8], "|") {
					t.Errorf("packet %d:\n got %v\nwant %v", i, got, r[:8])
				}
				if len(p.SCTP) != sctpLen {
					t.Errorf("frame %d: %d bytes of SCTP, tshark says %d", p.Index, len(p.SCTP), sctpLen)
				}
			}
		})
	}
}

func TestReadUDPAgreesWithTshark(t *testing.T) {
	for _, path := range Captures(t) {
		name := filepath.Base(path)
		for _, c := range []struct {
			port  uint16
			field string
		}{{3863, "asap.message_type"}, {9901, "enrp.message_type"}} {
			rows := tsharkLines(t, path, fmt.Sprintf("udp.port==%d", c.port), "frame.number", c.field, "udp.length")
			ds, err := ReadUDP(path, c.port)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != len(rows) {
				t.Fatalf("%s port %d: %d datagrams, tshark counts %d", name, c.port, len(ds), len(rows))
			}
			for i, d := range ds {
				got := []string{strconv.Itoa(d.Index), strconv.Itoa(int(d.Payload[0])), strconv.Itoa(len(d.Payload) + 8)}
				if strings.Join(got, "|") != strings.Join(rows[i], "|") {
					t.Errorf("%s port %d datagram %d: got %v, tshark %v", name, c.port, i, got, rows[i])
				}
			}
		}
	}
}
