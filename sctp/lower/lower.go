// Package lower is the boundary between the SCTP engine and the layers
// that move its packets: UDP encapsulation (RFC 6951), a TUN device, or
// the in-memory network of tests. It holds only standard types, so a lower
// layer never imports the engine and each can be tested alone.
package lower

import (
	"errors"
	"net/netip"
)

// Packet is one SCTP packet, from its common header to its last chunk,
// with the addresses it travels between. The port of Src and Dst is the
// UDP encapsulation port over UDP (RFC 6951 §5.1) and 0 over raw IP: the
// SCTP ports are in the packet itself.
type Packet struct {
	Buf []byte
	Src netip.AddrPort
	Dst netip.AddrPort
}

// Conn is a lower layer. ReadBatch and WriteBatch may be called from
// different goroutines at the same time; each is called by one goroutine
// at a time.
type Conn interface {
	// ReadBatch fills pkts[:n] with received packets and returns n ≥ 1,
	// blocking until at least one arrives. The caller lends each
	// pkts[i].Buf with its capacity; ReadBatch reslices it to the
	// packet's length. A packet larger than the capacity is dropped.
	// After Close it returns ErrClosed.
	ReadBatch(pkts []Packet) (n int, err error)
	// WriteBatch sends pkts and returns how many were sent. A packet
	// lost on the way is not an error: SCTP retransmits.
	WriteBatch(pkts []Packet) (n int, err error)
	// LocalAddrs lists the addresses packets can be sent from and are
	// received on, the port being the local encapsulation port (0 over
	// raw IP).
	LocalAddrs() []netip.AddrPort
	// MTU is the largest SCTP packet that fits in one datagram of the
	// layer: the link MTU less the IP (and UDP) headers.
	MTU() int
	// Close makes blocked and future calls return ErrClosed.
	Close() error
}

// ErrClosed is returned by a closed lower layer.
var ErrClosed = errors.New("lower layer closed")
