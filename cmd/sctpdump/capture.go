package main

import (
	"errors"
	"io/fs"
	"slices"
	"strconv"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/internal/pcaptest"
	"github.com/rserpool/rserpool/ip"
)

// frameOf is one frame of interest of a capture: an SCTP packet or an
// ASAP/ENRP datagram over plain UDP.
type frameOf struct {
	index int
	pkt   *pcaptest.Packet
	dgram *pcaptest.Datagram
}

// capture is what the tool takes from one pcap file.
type capture struct {
	frames    []frameOf // in frame order
	packets   int
	datagrams int
}

// readCapture reads the SCTP packets of a pcap file, plain or in UDP
// (RFC 6951), and the ASAP and ENRP messages sent over plain UDP to or
// from their ports (3863, 9901), merged in frame order.
func readCapture(path string) (capture, error) {
	pkts, err := pcaptest.ReadSCTP(path)
	if err != nil {
		return capture{}, err
	}
	var c capture
	isSCTP := map[int]bool{}
	for i := range pkts {
		c.frames = append(c.frames, frameOf{index: pkts[i].Index, pkt: &pkts[i]})
		isSCTP[pkts[i].Index] = true
	}
	c.packets = len(pkts)
	seen := map[int]bool{}
	for _, port := range []uint16{msg.PortASAP, msg.PortENRP} {
		ds, err := pcaptest.ReadUDP(path, port)
		if err != nil {
			return capture{}, err
		}
		for i := range ds {
			// A datagram from one of the ports to the other is found
			// twice, and one on the SCTP encapsulation port is SCTP.
			if seen[ds[i].Index] || isSCTP[ds[i].Index] {
				continue
			}
			seen[ds[i].Index] = true
			c.frames = append(c.frames, frameOf{index: ds[i].Index, dgram: &ds[i]})
			c.datagrams++
		}
	}
	slices.SortStableFunc(c.frames, func(a, b frameOf) int { return a.index - b.index })
	return c, nil
}

// describeReadError turns a failure to read a capture into a message for
// people: the reader's frame errors name the frame and the rule, and file
// system errors say what went wrong without repeating the path.
func describeReadError(path string, err error) string {
	var fe *ip.FrameError
	var pe *fs.PathError
	switch {
	case errors.As(err, &fe) && fe.Index > 0:
		return path + ": frame " + strconv.Itoa(fe.Index) + ": " + fe.Rule
	case errors.As(err, &fe):
		return path + ": " + fe.Rule
	case errors.As(err, &pe):
		return path + ": " + pe.Err.Error()
	}
	return path + ": " + err.Error()
}
