package pcaptest

import (
	"io"

	"github.com/rserpool/rserpool/ip"
)

// Packet and Datagram are what ReadSCTP and ReadUDP return, the
// ip package's types.
type (
	Packet   = ip.SCTPPacket
	Datagram = ip.UDPDatagram
)

// ReadSCTP returns every SCTP packet of a pcap file, in frame order: those
// directly over IP and those in UDP datagrams to or from port 9899
// (RFC 6951 §7), as ip.PcapReader finds them. Other UDP traffic, such as
// the ASAP and ENRP multicast announcements of RSerPool, is left alone
// (see ReadUDP).
//
// Tests want every packet of a file or none: the first frame the reader
// cannot use (a fragment, a packet cut short, a malformed header) fails
// the whole file with its *ip.FrameError.
func ReadSCTP(path string) ([]Packet, error) {
	var out []Packet
	err := readAll(path, nil, func(f *ip.Frame) {
		if f.Packet != nil {
			out = append(out, *f.Packet)
		}
	})
	return out, err
}

// ReadUDP returns the payload of every UDP datagram of a capture sent to
// or from port, in frame order, whether or not it carries SCTP: for
// instance the ASAP Server Announce messages (port 3863) and ENRP presence
// messages (port 9901) that RSerPool servers multicast over plain UDP.
// Like ReadSCTP, it fails on the first frame the reader cannot use.
func ReadUDP(path string, port uint16) ([]Datagram, error) {
	var out []Datagram
	err := readAll(path, func(r *ip.PcapReader) {
		r.SetSCTPPorts()
		r.SetUDPPorts(port)
	}, func(f *ip.Frame) {
		if f.Datagram != nil {
			out = append(out, *f.Datagram)
		}
	})
	return out, err
}

// readAll reads the capture at path, with the reader set up by setup when
// it is not nil, and calls fn for each frame until the end of the file or
// the first frame error, which it returns.
func readAll(path string, setup func(*ip.PcapReader), fn func(*ip.Frame)) error {
	r, err := ip.OpenPcap(path)
	if err != nil {
		return err
	}
	defer r.Close()
	if setup != nil {
		setup(r)
	}
	for {
		f, err := r.Next()
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		if f.Err != nil {
			return f.Err
		}
		fn(&f)
	}
}
