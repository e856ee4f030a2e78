package ip

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/google/gopacket/pcapgo"
)

// PcapReader reads a classic pcap file frame by frame and takes out of
// each frame what an SCTP and RSerPool tool wants: an SCTP packet, sent
// directly over IP as protocol 132 (RFC 9260 §1) or inside UDP
// (RFC 6951), or a UDP datagram on a port the caller names, such as the
// ASAP and ENRP multicast announcements of RSerPool (RFC 5352 §3.6,
// RFC 5353 §3.1).
//
// Link types: Ethernet (with 802.1Q and 802.1ad VLAN tags), Linux cooked
// capture v1 and v2, raw IP (IPv4 or IPv6) and BSD and OpenBSD loopback.
// IPv6 extension headers are walked to the upper layer (RFC 8200 §4).
//
// The reader is strict, and small enough to be read, so that a test
// knows which bytes it checks: it takes apart only the layers it needs,
// does not reassemble IP fragments and does not guess. A frame it cannot
// use is reported, with the rule it breaks, as a frame of kind FrameBad,
// and the reader goes on with the next frame; only a file header it
// cannot read, or a record it cannot read (an I/O error, a file cut off
// in the middle of a record), ends the file. Neither the SCTP checksum
// nor the UDP checksum is checked: captures taken on the sending host
// hold UDP checksums the NIC was left to complete, and tests want the
// SCTP packets with a broken CRC32c too.
//
// A PcapReader is not safe for concurrent use.
type PcapReader struct {
	name      string
	link      linkType
	pr        *pcapgo.Reader
	closer    io.Closer // the file OpenPcap opened, if any
	index     int       // number of the last record read
	sctpPorts []uint16
	udpPorts  []uint16
	err       error // what ended the file: io.EOF or the error Next returned
}

// FrameKind says what a frame of a capture held.
type FrameKind uint8

const (
	// FrameOther: something the caller did not ask for, such as ARP,
	// TCP, or UDP on other ports. Callers skip it.
	FrameOther FrameKind = iota
	// FrameSCTP: an SCTP packet, in Frame.Packet.
	FrameSCTP
	// FrameUDP: a UDP datagram on one of the ports given to SetUDPPorts,
	// in Frame.Datagram.
	FrameUDP
	// FrameBad: a frame of IP carrying SCTP or UDP that the reader could
	// not take apart, or that breaks a rule of a layer carrying the
	// packet; Frame.Err says which. The file goes on.
	FrameBad
)

var frameKindNames = [...]string{FrameOther: "other", FrameSCTP: "sctp", FrameUDP: "udp", FrameBad: "bad"}

func (k FrameKind) String() string {
	if int(k) < len(frameKindNames) {
		return frameKindNames[k]
	}
	return fmt.Sprintf("FrameKind(%d)", uint8(k))
}

// Frame is one record of a capture, as Next returns it. Exactly one of
// Packet, Datagram and Err is set, according to Kind; none is for
// FrameOther.
type Frame struct {
	Kind     FrameKind
	Index    int       // 1-based frame number, as tshark counts
	Time     time.Time // capture timestamp
	Packet   *SCTPPacket
	Datagram *UDPDatagram
	Err      *FrameError
}

// SCTPPacket is one SCTP packet found in a capture.
type SCTPPacket struct {
	File  string    // name of the capture (the base name for OpenPcap)
	Index int       // 1-based frame number, as tshark counts
	Time  time.Time // capture timestamp
	Encap bool      // true when the SCTP packet came inside UDP (RFC 6951)
	// Src and Dst are the IP addresses with the SCTP ports of the common
	// header (RFC 9260 §3.1), for plain and encapsulated packets alike.
	Src, Dst netip.AddrPort
	// UDPSrcPort and UDPDstPort are the ports of the encapsulating UDP
	// header; zero when Encap is false.
	UDPSrcPort, UDPDstPort uint16
	// SCTP is the SCTP packet: common header and chunks. The reader
	// guarantees the whole 12-byte common header, nothing more.
	SCTP []byte
}

// UDPDatagram is the payload of one UDP datagram found in a capture.
type UDPDatagram struct {
	File     string    // name of the capture (the base name for OpenPcap)
	Index    int       // 1-based frame number, as tshark counts
	Time     time.Time // capture timestamp
	Src, Dst netip.AddrPort
	Payload  []byte // the bytes after the UDP header, as many as its Length says
}

// FrameError reports a frame the reader cannot take apart, or one whose
// contents break a rule of a layer carrying the packet; with Index 0, a
// file that is not a pcap file the reader can use.
type FrameError struct {
	File  string // name of the capture
	Index int    // 1-based frame number, as tshark counts; 0 for the file itself
	Rule  string // the rule broken
	Err   error  // a sentinel such as ErrFragment, an I/O error, or nil
}

func (e *FrameError) Error() string {
	if e.Index == 0 {
		return "ip: " + e.File + ": " + e.Rule
	}
	return fmt.Sprintf("ip: %s frame %d: %s", e.File, e.Index, e.Rule)
}

// Unwrap returns the sentinel or the I/O error, if any.
func (e *FrameError) Unwrap() error { return e.Err }

// Sentinels of the pcap reader's frame errors.
var (
	// ErrFragment marks an IP fragment of an SCTP or UDP packet
	// (RFC 791 §3.1, RFC 8200 §4.5). The reader does not reassemble: a
	// caller that meets one should know, rather than silently miss the
	// packet.
	ErrFragment = errors.New("ip: IP fragment")
	// ErrSnapLen marks an SCTP or UDP packet cut short by the capture's
	// snapshot length: the frame on the wire was longer than the record.
	ErrSnapLen = errors.New("ip: packet cut short by the snapshot length")
)

// pcapHeaderLen is the length of a classic pcap file header.
const pcapHeaderLen = 24

// pcapngMagic starts a pcapng file (its Section Header Block type).
var pcapngMagic = []byte{0x0a, 0x0d, 0x0d, 0x0a}

// pcapLinkType reads the link type from a classic pcap file header: 24
// bytes whose magic number (microsecond or nanosecond timestamps) gives
// the byte order, with the link type in the low 16 bits of the last word
// (the upper bits hold FCS information).
func pcapLinkType(h []byte) (linkType, bool) {
	switch binary.BigEndian.Uint32(h) {
	case 0xa1b2c3d4, 0xa1b23c4d:
		return linkType(binary.BigEndian.Uint32(h[20:])), true
	case 0xd4c3b2a1, 0x4d3cb2a1:
		return linkType(binary.LittleEndian.Uint32(h[20:])), true
	}
	return 0, false
}

// OpenPcap opens the pcap file at path and reads its header; see
// NewPcapReader. Frame errors name the file by its base name. The caller
// closes the reader.
func OpenPcap(path string) (*PcapReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r, err := NewPcapReader(f, filepath.Base(path))
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return r, nil
}

// NewPcapReader reads the header of a classic pcap file from rd and
// returns a reader for its frames; name is the capture's name in the
// packets and errors. A file that is not a classic pcap file (pcapng
// included: convert it with editcap -F pcap) or has a link type the
// reader does not know is refused with a *FrameError of Index 0; an I/O
// error is returned as it is.
//
// The reader takes SCTP from IP protocol 132 and from UDP datagrams to or
// from port 9899, the registered SCTP-over-UDP port (RFC 6951 §7), and
// reports no other UDP datagram; SetSCTPPorts and SetUDPPorts change that.
func NewPcapReader(rd io.Reader, name string) (*PcapReader, error) {
	fail := func(rule string) error { return &FrameError{File: name, Rule: rule} }
	br := bufio.NewReader(rd)
	hdr, err := br.Peek(pcapHeaderLen)
	if errors.Is(err, io.EOF) {
		return nil, fail("too short for a pcap file header")
	}
	if err != nil {
		return nil, err
	}
	if bytes.Equal(hdr[:4], pcapngMagic) {
		return nil, fail("pcapng files are not supported; convert with editcap -F pcap")
	}
	link, ok := pcapLinkType(hdr)
	if !ok {
		return nil, fail("not a pcap file (unknown magic number)")
	}
	if !link.supported() {
		return nil, fail(link.unsupportedRule())
	}
	pr, err := pcapgo.NewReader(br)
	if err != nil {
		return nil, fail("not a pcap file: " + err.Error())
	}
	return &PcapReader{name: name, link: link, pr: pr, sctpPorts: []uint16{SCTPOverUDPPort}}, nil
}

// SetSCTPPorts makes the reader take UDP datagrams to or from any of
// ports as SCTP packets (RFC 6951 §5), in place of port 9899; RFC 6951
// §5.1 lets an implementation use other ports. With no ports, only SCTP
// directly over IP is reported.
func (r *PcapReader) SetSCTPPorts(ports ...uint16) { r.sctpPorts = slices.Clone(ports) }

// SetUDPPorts makes the reader report UDP datagrams to or from any of
// ports, for instance msg.PortASAP and msg.PortENRP (3863 and 9901). A
// datagram on a port given to SetSCTPPorts as well is an SCTP packet.
func (r *PcapReader) SetUDPPorts(ports ...uint16) { r.udpPorts = slices.Clone(ports) }

// Close closes the file OpenPcap opened. For a reader made by
// NewPcapReader it does nothing: the caller owns the io.Reader.
func (r *PcapReader) Close() error {
	if r.closer == nil {
		return nil
	}
	c := r.closer
	r.closer = nil
	return c.Close()
}

// Next returns the next frame of the file. A frame that cannot be used is
// returned, not an error: its Kind is FrameBad and its Err says why. The
// error is io.EOF after the last frame; any other error (a *FrameError
// for a record that cannot be read, wrapping the I/O error) ends the
// file, and Next returns it again on every later call.
//
// The byte slices of a frame are its own: they stay valid after later
// calls.
func (r *PcapReader) Next() (Frame, error) {
	if r.err != nil {
		return Frame{}, r.err
	}
	data, ci, err := r.pr.ReadPacketData()
	if err == io.EOF {
		r.err = io.EOF
		return Frame{}, r.err
	}
	r.index++
	if err != nil {
		r.err = &FrameError{File: r.name, Index: r.index, Rule: "unreadable record: " + err.Error(), Err: err}
		return Frame{}, r.err
	}
	f := Frame{Index: r.index, Time: ci.Timestamp}
	r.decode(&f, data, ci.CaptureLength < ci.Length)
	return f, nil
}

// decode fills in what the frame holds.
func (r *PcapReader) decode(f *Frame, data []byte, truncated bool) {
	fail := func(rule string, err error) {
		f.Kind, f.Err = FrameBad, &FrameError{File: r.name, Index: f.Index, Rule: rule, Err: err}
	}
	nb, rule := network(r.link, data)
	if rule != "" {
		fail(rule, nil)
		return
	}
	if nb == nil {
		return // not IP
	}
	p, rule := parseIP(nb)
	if rule != "" {
		fail(rule, nil)
		return
	}
	// Other protocols are skipped whatever state they are in.
	if p.proto != ProtoSCTP && p.proto != ProtoUDP {
		return
	}
	if p.fragment {
		fail("fragment of an IP packet carrying "+protoName(p.proto)+"; reassembly is not supported", ErrFragment)
		return
	}
	if p.short != "" {
		if truncated {
			fail(protoName(p.proto)+" packet cut short by the capture's snapshot length", ErrSnapLen)
		} else {
			fail(p.short, nil)
		}
		return
	}
	if p.proto == ProtoSCTP {
		r.sctp(f, p, p.payload, nil)
		return
	}
	u, rule := parseUDP(p.payload)
	if rule != "" {
		fail(rule, nil)
		return
	}
	on := func(ports []uint16) bool { return slices.Contains(ports, u.src) || slices.Contains(ports, u.dst) }
	switch {
	case on(r.sctpPorts):
		r.sctp(f, p, u.payload, &u)
	case on(r.udpPorts):
		f.Kind = FrameUDP
		f.Datagram = &UDPDatagram{
			File: r.name, Index: f.Index, Time: f.Time,
			Src:     netip.AddrPortFrom(p.src, u.src),
			Dst:     netip.AddrPortFrom(p.dst, u.dst),
			Payload: u.payload,
		}
	}
}

// sctpHeaderLen is the size of the SCTP common header (RFC 9260 §3.1).
const sctpHeaderLen = 12

// sctp reports the SCTP packet b, carried in the UDP datagram u when u is
// not nil.
func (r *PcapReader) sctp(f *Frame, p ipPacket, b []byte, u *udpDatagram) {
	if len(b) < sctpHeaderLen {
		f.Kind = FrameBad
		f.Err = &FrameError{File: r.name, Index: f.Index, Rule: "SCTP packet shorter than its 12-byte common header"}
		return
	}
	pkt := &SCTPPacket{
		File: r.name, Index: f.Index, Time: f.Time,
		Src:  netip.AddrPortFrom(p.src, binary.BigEndian.Uint16(b[0:])),
		Dst:  netip.AddrPortFrom(p.dst, binary.BigEndian.Uint16(b[2:])),
		SCTP: b,
	}
	if u != nil {
		pkt.Encap, pkt.UDPSrcPort, pkt.UDPDstPort = true, u.src, u.dst
	}
	f.Kind, f.Packet = FrameSCTP, pkt
}

func protoName(p uint8) string {
	if p == ProtoSCTP {
		return "SCTP"
	}
	return "UDP"
}
