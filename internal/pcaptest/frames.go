package pcaptest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/google/gopacket/pcapgo"
)

// FrameError reports a frame the reader cannot take apart, or one whose
// contents break a rule of the layer carrying the packet.
type FrameError struct {
	File  string // base name of the capture
	Index int    // 1-based frame number, as tshark counts; 0 for the file itself
	Rule  string // the rule broken
	Err   error  // a sentinel such as ErrFragment, or nil
}

func (e *FrameError) Error() string {
	if e.Index == 0 {
		return "pcaptest: " + e.File + ": " + e.Rule
	}
	return fmt.Sprintf("pcaptest: %s frame %d: %s", e.File, e.Index, e.Rule)
}

// Unwrap returns the sentinel, if any.
func (e *FrameError) Unwrap() error { return e.Err }

// ErrFragment marks an IP fragment of an SCTP or UDP packet. The reader
// does not reassemble: a test that meets one should know, rather than
// silently miss the packet.
var ErrFragment = errors.New("IP fragment")

// linkType is a pcap link-layer header type. gopacket's LinkType has
// only 8 bits, which cannot hold LINKTYPE_LINUX_SLL2 (276), so the reader
// takes the value from the file header itself.
type linkType uint16

// frame is one record of a capture.
type frame struct {
	index int
	ts    time.Time
	link  linkType
	data  []byte
	trunc bool // captured fewer bytes than were on the wire
}

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

// readFrames calls fn for every record of the pcap file at path.
func readFrames(path string, fn func(f frame) error) error {
	name := filepath.Base(path)
	fail := func(rule string) error { return &FrameError{File: name, Rule: rule} }
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	br := bufio.NewReader(fh)
	hdr, err := br.Peek(24)
	if err != nil {
		return fail("too short for a pcap file header")
	}
	if bytes.Equal(hdr[:4], pcapngMagic) {
		return fail("pcapng files are not supported; convert with editcap -F pcap")
	}
	link, ok := pcapLinkType(hdr)
	if !ok {
		return fail("not a pcap file (unknown magic number)")
	}
	pr, err := pcapgo.NewReader(br)
	if err != nil {
		return fail("not a pcap file: " + err.Error())
	}
	for i := 1; ; i++ {
		data, ci, err := pr.ReadPacketData()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return &FrameError{File: name, Index: i, Rule: "unreadable record: " + err.Error()}
		}
		f := frame{index: i, ts: ci.Timestamp, link: link, data: data, trunc: ci.CaptureLength < ci.Length}
		if err := fn(f); err != nil {
			return err
		}
	}
}
