package udpencap

import (
	"net/netip"
	"strconv"
)

// AddrError is returned by WriteBatch for a packet whose addresses no
// socket of the Conn can serve; the packets before it were sent. It is
// the caller's mistake, not a loss on the way, so it is not hidden.
type AddrError struct {
	Index int            // position of the packet in the batch
	Src   netip.AddrPort // its source
	Dst   netip.AddrPort // its destination
	Rule  string         // the rule it breaks
}

func (e *AddrError) Error() string {
	return "udpencap: packet " + strconv.Itoa(e.Index) + " of the batch (" +
		e.Src.String() + " to " + e.Dst.String() + "): " + e.Rule
}

// The rules of AddrError.
const (
	ruleBadDst     = "the destination address is invalid or unspecified"
	ruleDstPort0   = "the destination port is 0"
	ruleNotLocal   = "the source is not an address of the Conn"
	ruleNoFamily   = "the Conn has no address of the destination's family"
	ruleFamilyDiff = "the source and destination are of different address families"
)
