package tun

import "sync/atomic"

// Stats counts the packets of a Conn. Every packet read from the device is
// counted once: in Received or in exactly one of the drop counters.
type Stats struct {
	Received uint64 // SCTP packets returned by ReadBatch
	Sent     uint64 // packets written to the device

	Malformed   uint64 // broken IP header, or not IPv4 or IPv6
	BadChecksum uint64 // IPv4 header checksum wrong
	NotSCTP     uint64 // another protocol (ICMPv6 neighbour discovery, for instance)
	Fragments   uint64 // IPv4 or IPv6 fragments of SCTP packets
	NotLocal    uint64 // addressed to none of Config.Addrs
	TooLarge    uint64 // larger than the buffer ReadBatch was lent

	// SourceReplaced counts packets written with a source address that
	// is not one of Config.Addrs of the destination's family, sent from
	// the first one that is instead.
	SourceReplaced uint64
	WriteErrors    uint64 // writes the device refused
}

// Dropped is the number of packets read from the device and not returned.
func (s Stats) Dropped() uint64 {
	return s.Malformed + s.BadChecksum + s.NotSCTP + s.Fragments + s.NotLocal + s.TooLarge
}

// counters are updated by the reading and the writing goroutine and read
// by anyone.
type counters struct {
	received, sent                                                 atomic.Uint64
	malformed, badChecksum, notSCTP, fragments, notLocal, tooLarge atomic.Uint64
	sourceReplaced, writeErrors                                    atomic.Uint64
}

func (c *counters) snapshot() Stats {
	return Stats{
		Received:       c.received.Load(),
		Sent:           c.sent.Load(),
		Malformed:      c.malformed.Load(),
		BadChecksum:    c.badChecksum.Load(),
		NotSCTP:        c.notSCTP.Load(),
		Fragments:      c.fragments.Load(),
		NotLocal:       c.notLocal.Load(),
		TooLarge:       c.tooLarge.Load(),
		SourceReplaced: c.sourceReplaced.Load(),
		WriteErrors:    c.writeErrors.Load(),
	}
}
