package ip_test

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rserpool/rserpool/internal/pcaptest"
	"github.com/rserpool/rserpool/ip"
	"github.com/rserpool/rserpool/sctp/wire"
)

// What each reference capture holds, as counted with tshark when the
// files were added. Kept here so that the reader is checked even where
// tshark is missing.
var wantCaptures = map[string]struct {
	frames int  // records in the file
	sctp   int  // SCTP packets
	encap  bool // all of them in UDP (otherwise none)
	asap   int  // ASAP datagrams on UDP port 3863
	enrp   int  // ENRP datagrams on UDP port 9901
}{
	"host-usrsctp-asap-handle-resolution-udpencap.pcap":  {70, 26, true, 20, 8},
	"kernel-client-to-usrsctp-echo_server-udpencap.pcap": {13, 13, true, 0, 0},
	"rsplib-asap-enrp-encap0.pcap":                       {281, 168, false, 57, 24},
	"rsplib-asap-enrp-encap9899.pcap":                    {279, 163, true, 58, 24},
	"usrsctp-client-to-kernel-echo-plain-ip.pcap":        {13, 13, false, 0, 0},
	"usrsctp-client-to-kernel-echo-udpencap.pcap":        {19, 15, true, 0, 0},
}

// rserpoolPorts are the UDP ports of ASAP and ENRP (RFC 5352 §3.6,
// RFC 5353 §3.1), asked for beside the SCTP packets.
var rserpoolPorts = []uint16{3863, 9901}

// readCapture reads a reference capture in one pass, SCTP packets and
// ASAP/ENRP datagrams together; every frame must be usable.
func readCapture(t *testing.T, path string) contents {
	t.Helper()
	c, err := readFile(t, path, func(r *ip.PcapReader) { r.SetUDPPorts(rserpoolPorts...) })
	if err != nil {
		t.Fatal(err)
	}
	if len(c.bad) != 0 {
		t.Fatalf("frame errors: %v", c.bad)
	}
	return c
}

// onPort returns the datagrams sent to or from port.
func onPort(ds []ip.UDPDatagram, port uint16) []ip.UDPDatagram {
	var out []ip.UDPDatagram
	for _, d := range ds {
		if d.Src.Port() == port || d.Dst.Port() == port {
			out = append(out, d)
		}
	}
	return out
}

func TestReadCaptures(t *testing.T) {
	for _, path := range pcaptest.Captures(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			want, ok := wantCaptures[name]
			if !ok {
				t.Fatal("unexpected capture")
			}
			c := readCapture(t, path)
			if len(c.frames) != want.frames {
				t.Errorf("%d frames, want %d", len(c.frames), want.frames)
			}
			pkts := c.pkts
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

			// The RSerPool multicast over plain UDP.
			for _, u := range []struct {
				port  uint16
				group string
				n     int
			}{{3863, "239.0.0.50", want.asap}, {9901, "239.0.0.51", want.enrp}} {
				ds := onPort(c.dgrams, u.port)
				if len(ds) != u.n {
					t.Errorf("port %d: %d datagrams, want %d", u.port, len(ds), u.n)
				}
				for _, d := range ds {
					if d.Dst.Addr().String() != u.group || d.Dst.Port() != u.port || len(d.Payload) < 4 || d.File != name {
						t.Errorf("frame %d: %v > %v, %d bytes", d.Index, d.Src, d.Dst, len(d.Payload))
					}
				}
			}
			if len(c.dgrams) != want.asap+want.enrp {
				t.Errorf("%d datagrams, want %d", len(c.dgrams), want.asap+want.enrp)
			}
		})
	}
}

// tsharkLines runs tshark over a capture with fields separated by "|".
func tsharkLines(t *testing.T, path, filter string, fields ...string) [][]string {
	args := []string{"-r", path, "-n", "-Y", filter, "-T", "fields", "-E", "separator=|"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out := strings.TrimSpace(pcaptest.Tshark(t, args...))
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
	for _, path := range pcaptest.Captures(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			rows := tsharkLines(t, path, "sctp", "frame.number", "ip.src", "ip.dst", "sctp.srcport", "sctp.dstport",
				"sctp.verification_tag", "udp.srcport", "udp.dstport", "ip.len", "ip.hdr_len")
			pkts := readCapture(t, path).pkts
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
	for _, path := range pcaptest.Captures(t) {
		name := filepath.Base(path)
		c := readCapture(t, path)
		for _, u := range []struct {
			port  uint16
			field string
		}{{3863, "asap.message_type"}, {9901, "enrp.message_type"}} {
			rows := tsharkLines(t, path, fmt.Sprintf("udp.port==%d", u.port), "frame.number", u.field, "udp.length")
			// tshark's filter includes the SCTP packets encapsulated on
			// the port, which the reader reports as SCTP.
			var ds []ip.UDPDatagram
			for _, f := range c.frames {
				switch {
				case f.Datagram != nil && (f.Datagram.Src.Port() == u.port || f.Datagram.Dst.Port() == u.port):
					ds = append(ds, *f.Datagram)
				case f.Packet != nil && f.Packet.Encap && (f.Packet.UDPSrcPort == u.port || f.Packet.UDPDstPort == u.port):
					ds = append(ds, ip.UDPDatagram{Index: f.Index, Payload: f.Packet.SCTP})
				}
			}
			if len(ds) != len(rows) {
				t.Fatalf("%s port %d: %d datagrams, tshark counts %d", name, u.port, len(ds), len(rows))
			}
			for i, d := range ds {
				got := []string{strconv.Itoa(d.Index), strconv.Itoa(int(d.Payload[0])), strconv.Itoa(len(d.Payload) + 8)}
				if strings.Join(got, "|") != strings.Join(rows[i], "|") {
					t.Errorf("%s port %d datagram %d: got %v, tshark %v", name, u.port, i, got, rows[i])
				}
			}
		}
	}
}
