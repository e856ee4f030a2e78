package ip

import (
	"io"
	"net/netip"
	"sync"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
)

// pcapSnapLen is the snapshot length written to the file header: large
// enough for the biggest IPv6 packet with a full 16-bit payload, so no
// reader ever thinks a record was cut short.
const pcapSnapLen = IPv6HeaderLen + MaxIPv6Payload

// PcapWriter records packets in the classic pcap format with link type
// LINKTYPE_RAW (101): each record is a bare IPv4 or IPv6 packet, told
// apart by its version nibble. Raw IP needs no invented link-layer
// addresses, and Wireshark, tshark and tcpdump decode it directly. The
// writer is safe for concurrent use, so every goroutine of a stack under
// test can record into one file.
type PcapWriter struct {
	mu  sync.Mutex
	w   *pcapgo.Writer
	buf []byte
}

// NewPcapWriter writes a pcap file header (LINKTYPE_RAW: each record is an
// IPv4 or IPv6 packet) to w and returns a writer for the records.
func NewPcapWriter(w io.Writer) (*PcapWriter, error) {
	pw := pcapgo.NewWriterNanos(w)
	if err := pw.WriteFileHeader(pcapSnapLen, layers.LinkTypeRaw); err != nil {
		return nil, err
	}
	return &PcapWriter{w: pw}, nil
}

// WritePacket writes one complete IPv4 or IPv6 packet as it is.
func (w *PcapWriter) WritePacket(ts time.Time, pkt []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.write(ts, pkt)
}

func (w *PcapWriter) write(ts time.Time, pkt []byte) error {
	ci := gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(pkt), Length: len(pkt)}
	return w.w.WritePacket(ci, pkt)
}

// WriteSCTP writes one SCTP packet as raw IP (protocol 132, RFC 9260 §1)
// from src to dst. src and dst must be of the same family.
func (w *PcapWriter) WriteSCTP(ts time.Time, src, dst netip.Addr, sctp []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	b, err := AppendIPPacket(w.buf[:0], src, dst, ProtoSCTP, sctp, DefaultTTL)
	if err != nil {
		return err
	}
	w.buf = b
	return w.write(ts, b)
}

// WriteSCTPOverUDP writes one SCTP packet encapsulated in UDP (RFC 6951
// §5): src and dst carry the IP addresses and the UDP ports, normally
// SCTPOverUDPPort on both sides (RFC 6951 §7); the SCTP ports are in the
// SCTP common header. The UDP checksum is computed (RFC 6951 §5.3).
func (w *PcapWriter) WriteSCTPOverUDP(ts time.Time, src, dst netip.AddrPort, sctp []byte) error {
	return w.WriteUDP(ts, src, dst, sctp)
}

// WriteUDP writes one UDP datagram from src to dst, with its checksum.
func (w *PcapWriter) WriteUDP(ts time.Time, src, dst netip.AddrPort, payload []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	b, err := AppendUDPPacket(w.buf[:0], src, dst, payload, DefaultTTL)
	if err != nil {
		return err
	}
	w.buf = b
	return w.write(ts, b)
}
