package rsptest

import (
	"net/netip"
	"strconv"
	"testing"

	"github.com/rserpool/rserpool/asap/msg"
)

// subnet is one test's own 127.77.N.0/24: the registrar at .1, pool
// elements from .2, pool users and raw clients from .100. Every test
// takes a different N, listed here, so that tests run side by side;
// every process binds UDP port 9899 (RFC 6951) of its own address.
type subnet byte

const (
	netRegistration subnet = iota + 1
	netExpiry
	netPolicies
	netKeepAlive
	netReportsOne
	netReportsThree
	netReportProbe
	netRestartKill
	netRestartTerm
	netBadInput
	netFlood
)

// Host numbers within a subnet.
const (
	hostRegistrar = 1
	hostPE        = 2   // the first pool element
	hostUser      = 100 // the first pool user or raw client
)

// encapPort is the UDP encapsulation port every process uses on its own
// address (RFC 6951 §5.1 assigns 9899).
const encapPort = 9899

func (s subnet) host(i int) netip.Addr {
	return netip.AddrFrom4([4]byte{127, 77, byte(s), byte(i)})
}

// poolElement is an rspserver process.
type poolElement struct {
	*proc
	addr   netip.Addr
	handle string
	id     msg.PEID
}

// startPE runs rspserver at addr in pool handle with identifier id,
// registering with r; args come after the others and may add to them.
func startPE(t *testing.T, r *registrar, addr netip.Addr, handle string, id msg.PEID, args ...string) *poolElement {
	t.Helper()
	all := append([]string{
		"-poolhandle", handle, "-local", addr.String(), "-registrar", r.addr.String(),
		"-id", "0x" + strconv.FormatUint(uint64(id), 16),
	}, args...)
	p := startProc(t, "rspserver "+addr.String(), "rspserver", all...)
	return &poolElement{proc: p, addr: addr, handle: handle, id: id}
}
