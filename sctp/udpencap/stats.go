package udpencap

import "sync/atomic"

// Stats counts the traffic of a Conn since Listen.
type Stats struct {
	PacketsIn  uint64 // packets returned by ReadBatch
	BytesIn    uint64 // their bytes
	PacketsOut uint64 // packets the kernel accepted from WriteBatch
	BytesOut   uint64 // their bytes

	// TooLarge counts received packets dropped because they were larger
	// than the buffer lent to ReadBatch: a truncated SCTP packet would
	// only fail its checksum later.
	TooLarge uint64
	// SendDropped counts packets the kernel refused for a reason SCTP
	// treats as a loss: larger than the link, no route, filtered, no
	// buffer space.
	SendDropped uint64

	GSO          bool   // WriteBatch joins packets with UDP_SEGMENT now
	GRO          bool   // the sockets take coalesced datagrams (UDP_GRO)
	GSOSends     uint64 // datagrams sent with UDP_SEGMENT, each of 2 or more packets
	GROReceives  uint64 // coalesced datagrams received, each of 2 or more packets
	GSOFallbacks uint64 // sends with UDP_SEGMENT refused as unsupported, which turned GSO off

	// ReadBuffer and WriteBuffer are the socket buffer sizes the kernel
	// granted, the smallest over the sockets. Linux reports twice the
	// size it was asked for, the other half being for its bookkeeping.
	ReadBuffer, WriteBuffer int
}

// counters are the live Stats, updated once per batch.
type counters struct {
	pktsIn, bytesIn, pktsOut, bytesOut atomic.Uint64
	tooLarge, sendDropped              atomic.Uint64
	gsoSends, groReceives, gsoFallback atomic.Uint64
}
