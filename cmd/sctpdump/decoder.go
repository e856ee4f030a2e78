package main

import (
	"net/netip"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/ip"
	"github.com/rserpool/rserpool/sctp/wire"
)

// record is one frame of a capture as the tool shows it: an SCTP packet
// or an ASAP/ENRP datagram over plain UDP, decoded, or a frame the reader
// could not take apart.
type record struct {
	kind     string // "sctp", "udp" or "frame-error"
	file     string
	frame    int
	time     time.Time
	src, dst netip.AddrPort // IP addresses with the SCTP ports, or the UDP ports of a datagram

	// SCTP only.
	encap          bool   // carried in UDP (RFC 6951)
	udpSrc, udpDst uint16 // the encapsulating UDP ports
	vtag           uint32
	checksumOK     bool
	chunks         []item
	// err is the framing problem that stopped the walk through the
	// chunks; the chunks before it are shown.
	err *item

	// UDP only.
	protocol string // "ASAP" or "ENRP"
	message  *item

	length int // bytes of SCTP packet, or of UDP payload

	// Frame errors only: the rule the frame breaks.
	rule string
}

// pktCtx is what a chunk's decoding needs to know of its packet.
type pktCtx struct {
	frame    int
	src, dst netip.AddrPort
	vtag     uint32
}

// decoder decodes the frames of one capture file, in frame order, and
// counts what it sees.
type decoder struct {
	file  string
	stats *stats
	asm   *reassembler
}

func newDecoder(file string, st *stats) *decoder {
	return &decoder{file: file, stats: st, asm: newReassembler()}
}

// sctp decodes one SCTP packet. The reader guarantees a whole common
// header; every chunk up to the first one whose framing is broken is
// decoded, and the break is reported with its offset.
func (d *decoder) sctp(p *ip.SCTPPacket) record {
	pkt := wire.Packet(p.SCTP)
	r := record{
		kind: "sctp", file: d.file, frame: p.Index, time: p.Time, src: p.Src, dst: p.Dst,
		encap: p.Encap, udpSrc: p.UDPSrcPort, udpDst: p.UDPDstPort,
		vtag: uint32(pkt.VTag()), checksumOK: pkt.VerifyChecksum(), length: len(p.SCTP),
	}
	d.stats.packets++
	if !r.checksumOK {
		d.stats.badChecksum++
	}
	pc := pktCtx{frame: p.Index, src: p.Src, dst: p.Dst, vtag: r.vtag}
	it := pkt.Chunks()
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		d.stats.chunks[c.Type()]++
		r.chunks = append(r.chunks, d.chunkItem(c, &pc))
	}
	if err := it.Err(); err != nil {
		d.stats.badPackets++
		e := problemItem(err)
		r.err = &e
	}
	return r
}

// udp decodes an ASAP or ENRP message sent over plain UDP, such as the
// registrars' multicast announcements (RFC 5352 §3.6, RFC 5353 §3.1).
// The well-known port tells the protocol; the destination's decides when
// both ends use one.
func (d *decoder) udp(g *ip.UDPDatagram) record {
	proto := udpProtocol(g.Src.Port(), g.Dst.Port())
	r := record{
		kind: "udp", file: d.file, frame: g.Index, time: g.Time, src: g.Src, dst: g.Dst,
		protocol: proto.String(), length: len(g.Payload),
	}
	d.stats.datagrams++
	m := d.messageItem(proto, g.Payload, true)
	r.message = &m
	return r
}

// badFrame reports a frame the reader could not take apart: an IP
// fragment (the reader does not reassemble), a packet cut short by the
// capture, a malformed link-layer, IP or UDP header.
func (d *decoder) badFrame(f *ip.Frame) record {
	d.stats.badFrames++
	return record{kind: "frame-error", file: d.file, frame: f.Index, time: f.Time, rule: f.Err.Rule}
}

func udpProtocol(src, dst uint16) msg.Protocol {
	switch {
	case dst == msg.PortASAP:
		return msg.ASAP
	case dst == msg.PortENRP:
		return msg.ENRP
	case src == msg.PortASAP:
		return msg.ASAP
	}
	return msg.ENRP
}

// userData decodes the user data of a DATA or I-DATA chunk whose PPID is
// ASAP's or ENRP's, reassembling fragmented messages first, and adds the
// message (or the state of its reassembly) to the chunk's item.
func (d *decoder) userData(it *item, pc *pktCtx, f fragment) {
	if f.flags.Beginning && f.flags.Ending {
		if isRSerPool(f.ppid) {
			it.add("message", d.messageItem(msg.Protocol(f.ppid), f.data, false))
		}
		return
	}
	// Every DATA fragment carries the PPID; an I-DATA fragment other than
	// the first does not, so its message is known only once the first is.
	if !f.idata && !isRSerPool(f.ppid) {
		return
	}
	o, ok := d.asm.add(pc, f)
	if !ok {
		return
	}
	switch {
	case o.duplicate:
		frag := item{name: "fragment"}
		frag.add("state", "duplicate")
		it.add("fragment", frag)
	case o.message == nil:
		frag := item{name: "fragment"}
		frag.add("state", "pending")
		frag.add("fragments", o.fragments)
		frag.add("bytes", o.bytes)
		it.add("fragment", frag)
	default:
		d.stats.reassembled++
		re := item{name: "reassembled"}
		re.add("fragments", o.fragments)
		re.add("bytes", o.bytes)
		re.add("first_frame", o.firstSeen)
		it.add("reassembled", re)
		it.add("message", d.messageItem(msg.Protocol(o.ppid), o.message, false))
	}
}
