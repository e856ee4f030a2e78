package tun

import (
	"errors"
	"net/netip"
	"strconv"
)

// ErrNoSource is the cause of a PacketError for a packet whose destination
// is of a family (IPv4 or IPv6) that none of Config.Addrs has.
var ErrNoSource = errors.New("tun: no endpoint address of the destination's family")

// PacketError is returned by WriteBatch for a packet it could not send;
// the packets before it in the batch were sent.
type PacketError struct {
	Index    int // position of the packet in the batch
	Src, Dst netip.AddrPort
	Err      error // ErrNoSource, an ip encoder error, or the device's write error
}

func (e *PacketError) Error() string {
	return "tun: packet " + strconv.Itoa(e.Index) + " of the batch, " + e.Src.Addr().String() + " to " + e.Dst.Addr().String() + ": " + e.Err.Error()
}

func (e *PacketError) Unwrap() error { return e.Err }

// OpenError is returned by Open when the device cannot be opened or set
// up. Its message is one line that says what to do about it when the
// cause is a common one (no privilege, no /dev/net/tun).
type OpenError struct {
	Device string // the device's name, possibly empty
	Op     string // what failed, such as "creating device tun0"
	Hint   string // what to do about it, or empty
	Err    error  // the system's error, or nil
}

func (e *OpenError) Error() string {
	s := "tun: " + e.Op
	if e.Hint != "" {
		s += " " + e.Hint
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *OpenError) Unwrap() error { return e.Err }
