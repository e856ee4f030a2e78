package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// printer writes what the run decodes, as text for people or as JSON
// lines for programs.
type printer interface {
	// file starts the output of a capture file.
	file(name string, c *capture)
	record(r *record)
	incomplete(file string, inc *incomplete)
	summary(s *stats)
	// err returns the first error writing the output, if any.
	err() error
}

// timeOfDay is how the text output shows a frame's time: UTC, to the
// microsecond, as `tshark -t ud` and tcpdump show it. The date is on the
// file's header line.
const timeOfDay = "15:04:05.000000"

type textPrinter struct {
	w    io.Writer
	buf  bytes.Buffer
	werr error
}

func (p *textPrinter) flush() {
	if p.werr == nil {
		_, p.werr = p.w.Write(p.buf.Bytes())
	}
	p.buf.Reset()
}

func (p *textPrinter) err() error { return p.werr }

func (p *textPrinter) file(name string, c *capture) {
	fmt.Fprintf(&p.buf, "== %s: %d SCTP packets, %d ASAP/ENRP datagrams over UDP", name, c.packets, c.datagrams)
	if c.bad > 0 {
		fmt.Fprintf(&p.buf, ", %d bad %s", c.bad, plural(c.bad, "frame", "frames"))
	}
	if len(c.frames) > 0 {
		fmt.Fprintf(&p.buf, ", from %s UTC", c.frames[0].Time.UTC().Format(time.DateTime))
	}
	p.buf.WriteByte('\n')
	p.flush()
}

func (p *textPrinter) record(r *record) {
	b := &p.buf
	fmt.Fprintf(b, "%d %s ", r.frame, r.time.UTC().Format(timeOfDay))
	switch r.kind {
	case "sctp":
		fmt.Fprintf(b, "SCTP %s > %s", r.src, r.dst)
		if r.encap {
			fmt.Fprintf(b, " udp=%d>%d", r.udpSrc, r.udpDst)
		}
		crc := "ok"
		if !r.checksumOK {
			crc = "BAD"
		}
		fmt.Fprintf(b, " vtag=0x%08x crc=%s len=%d\n", r.vtag, crc, r.length)
		for i := range r.chunks {
			r.chunks[i].writeText(b, 2)
		}
		if r.err != nil {
			r.err.writeText(b, 2)
		}
	case "udp":
		fmt.Fprintf(b, "UDP %s > %s %s len=%d\n", r.src, r.dst, r.protocol, r.length)
		r.message.writeText(b, 2)
	case "frame-error":
		fmt.Fprintf(b, "bad frame: %s\n", r.rule)
	}
	p.flush()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (p *textPrinter) incomplete(file string, inc *incomplete) {
	// A run of fragments with both ends would have made a message.
	missing := "its end"
	switch {
	case !inc.HasBegin && !inc.HasEnd:
		missing = "its beginning and its end"
	case !inc.HasBegin:
		missing = "its beginning"
	}
	fmt.Fprintf(&p.buf, "incomplete %s message at the end of %s: %s > %s vtag=0x%08x sid=%d %s first_seq=%d fragments=%d bytes=%d frames=%d-%d, missing %s\n",
		inc.Protocol, file, inc.Src, inc.Dst, inc.VTag, inc.SID, inc.Chunk, inc.First,
		inc.Fragments, inc.Bytes, inc.FirstFrame, inc.LastFrame, missing)
	p.flush()
}

func (p *textPrinter) summary(s *stats) {
	b := &p.buf
	fmt.Fprintf(b, "== summary: %d %s, %d SCTP packets, %d ASAP/ENRP datagrams over UDP\n", s.files, plural(s.files, "file", "files"), s.packets, s.datagrams)
	fmt.Fprintf(b, "%-36s %7s\n", "chunk type", "count")
	for _, c := range s.chunkRows() {
		fmt.Fprintf(b, "  %-34s %7d\n", c.Type, c.Count)
	}
	fmt.Fprintf(b, "%-36s %7s %8s\n", "message type", "count", "over UDP")
	for _, m := range s.messageRows() {
		fmt.Fprintf(b, "  %-34s %7d %8d\n", m.Type, m.Count, m.UDP)
	}
	fmt.Fprintf(b, "problems: %d bad frames, %d packets with broken framing, %d with a bad CRC32c, %d malformed chunks, %d undecodable messages, %d incomplete messages (%d reassembled)\n",
		s.badFrames, s.badPackets, s.badChecksum, s.badChunks, s.badMessages, s.incomplete, s.reassembled)
	p.flush()
}

// jsonPrinter writes one JSON object per line. Every object has a "kind":
// "sctp" (an SCTP packet), "udp" (an ASAP/ENRP datagram), "frame-error" (a
// frame that could not be taken apart, with the rule it breaks),
// "incomplete" (a message left incomplete at the end of a file) or
// "summary" (the counts, last).
type jsonPrinter struct {
	enc  *json.Encoder
	werr error
}

func newJSONPrinter(w io.Writer) *jsonPrinter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &jsonPrinter{enc: enc}
}

func (p *jsonPrinter) encode(v any) {
	if p.werr == nil {
		p.werr = p.enc.Encode(v)
	}
}

func (p *jsonPrinter) err() error { return p.werr }

type jsonSCTP struct {
	Kind       string `json:"kind"`
	File       string `json:"file"`
	Frame      int    `json:"frame"`
	Time       string `json:"time"`
	Src        string `json:"src"`
	Dst        string `json:"dst"`
	SrcPort    uint16 `json:"src_port"`
	DstPort    uint16 `json:"dst_port"`
	Encap      bool   `json:"encap"`
	UDPSrcPort uint16 `json:"udp_src_port,omitempty"`
	UDPDstPort uint16 `json:"udp_dst_port,omitempty"`
	VTag       uint32 `json:"vtag"`
	ChecksumOK bool   `json:"checksum_ok"`
	Length     int    `json:"length"`
	Chunks     []item `json:"chunks"`
	Error      *item  `json:"error,omitempty"`
}

type jsonUDP struct {
	Kind     string `json:"kind"`
	File     string `json:"file"`
	Frame    int    `json:"frame"`
	Time     string `json:"time"`
	Src      string `json:"src"`
	Dst      string `json:"dst"`
	SrcPort  uint16 `json:"src_port"`
	DstPort  uint16 `json:"dst_port"`
	Length   int    `json:"length"`
	Protocol string `json:"protocol"`
	Message  *item  `json:"message"`
}

type jsonFrameError struct {
	Kind  string `json:"kind"`
	File  string `json:"file"`
	Frame int    `json:"frame"`
	Time  string `json:"time"`
	Rule  string `json:"rule"`
}

func (p *jsonPrinter) file(string, *capture) {}

func (p *jsonPrinter) record(r *record) {
	ts := r.time.UTC().Format(time.RFC3339Nano)
	switch r.kind {
	case "sctp":
		chunks := r.chunks
		if chunks == nil {
			chunks = []item{}
		}
		p.encode(jsonSCTP{
			Kind: r.kind, File: r.file, Frame: r.frame, Time: ts,
			Src: r.src.Addr().String(), Dst: r.dst.Addr().String(), SrcPort: r.src.Port(), DstPort: r.dst.Port(),
			Encap: r.encap, UDPSrcPort: r.udpSrc, UDPDstPort: r.udpDst,
			VTag: r.vtag, ChecksumOK: r.checksumOK, Length: r.length, Chunks: chunks, Error: r.err,
		})
	case "udp":
		p.encode(jsonUDP{
			Kind: r.kind, File: r.file, Frame: r.frame, Time: ts,
			Src: r.src.Addr().String(), Dst: r.dst.Addr().String(), SrcPort: r.src.Port(), DstPort: r.dst.Port(),
			Length: r.length, Protocol: r.protocol, Message: r.message,
		})
	case "frame-error":
		p.encode(jsonFrameError{Kind: r.kind, File: r.file, Frame: r.frame, Time: ts, Rule: r.rule})
	}
}

func (p *jsonPrinter) incomplete(file string, inc *incomplete) {
	p.encode(struct {
		Kind string `json:"kind"`
		File string `json:"file"`
		*incomplete
	}{"incomplete", file, inc})
}

func (p *jsonPrinter) summary(s *stats) {
	chunks, messages := s.chunkRows(), s.messageRows()
	if chunks == nil {
		chunks = []chunkCount{}
	}
	if messages == nil {
		messages = []messageCount{}
	}
	p.encode(struct {
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
	}{
		"summary", s.files, s.packets, s.datagrams, s.badFrames, s.badPackets, s.badChecksum,
		s.badChunks, s.badMessages, s.reassembled, s.incomplete, chunks, messages,
	})
}
