package main

import (
	"errors"
	"io"
	"io/fs"
	"strconv"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/ip"
)

// capture is what the tool takes from one pcap file.
type capture struct {
	// frames are the frames of interest in frame order: SCTP packets,
	// ASAP and ENRP datagrams over plain UDP, and the frames the reader
	// could not use.
	frames    []ip.Frame
	packets   int
	datagrams int
	bad       int
	// err is what ended the file before its end: a record cut off or an
	// I/O error. The frames before it are in frames.
	err error
}

// readCapture reads a pcap file in one pass: the SCTP packets, plain or
// in UDP (RFC 6951), the ASAP and ENRP messages sent over plain UDP to or
// from their ports (3863, 9901), and the frames that could not be taken
// apart, which are shown as such rather than ending the file. It returns
// an error only when the file cannot be opened or is not a pcap file it
// can read.
func readCapture(path string) (capture, error) {
	r, err := ip.OpenPcap(path)
	if err != nil {
		return capture{}, err
	}
	defer r.Close()
	r.SetUDPPorts(msg.PortASAP, msg.PortENRP)
	var c capture
	for {
		f, err := r.Next()
		if err != nil {
			if err != io.EOF {
				c.err = err
			}
			return c, nil
		}
		switch f.Kind {
		case ip.FrameSCTP:
			c.packets++
		case ip.FrameUDP:
			c.datagrams++
		case ip.FrameBad:
			c.bad++
		default:
			continue
		}
		c.frames = append(c.frames, f)
	}
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
