package asap

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/rserpool/rserpool/asap/msg"
)

// PoolElementInfo is a pool element as a handle resolution describes it
// (RFC 5354 §3.10): its identifier, home registrar, user transport and
// policy. It owns its bytes.
type PoolElementInfo struct {
	Handle    string
	ID        msg.PEID
	Home      msg.ServerID     // the PE's home registrar
	Transport msg.ParamType    // the user transport's kind: msg.ParamSCTPTransport, ...
	Use       msg.TransportUse // data only, or data plus control (RFC 5354 §3.4)
	Addrs     []netip.Addr     // the user transport's IP addresses
	Port      uint16           // the user transport's port (SCTP, TCP, ...)
	Policy    msg.Policy       // the PE's selection policy and its values
	Lifetime  int32            // the registration lifetime as the registrar reported it
}

// infoFrom copies a decoded Pool Element parameter. At most maxInfoAddrs
// addresses are kept: they are what a pool user dials, and a registrar
// should not make it hold more.
func infoFrom(handle []byte, pe *msg.PoolElement) PoolElementInfo {
	i := PoolElementInfo{
		Handle:    string(handle),
		ID:        pe.ID,
		Home:      pe.HomeServer,
		Transport: pe.UserTransport.Kind,
		Use:       pe.UserTransport.Use,
		Port:      pe.UserTransport.Port,
		Policy:    pe.Policy,
		Lifetime:  pe.RegistrationLife,
	}
	i.Policy.Data = append([]byte(nil), pe.Policy.Data...)
	it := pe.UserTransport.Addrs.Iter()
	for a, ok := it.Next(); ok && len(i.Addrs) < maxInfoAddrs; a, ok = it.Next() {
		i.Addrs = append(i.Addrs, a)
	}
	return i
}

const maxInfoAddrs = 16

// AddrPorts returns the PE's addresses on the lower layer: each IP
// address with the UDP encapsulation port encap, as sctp.Endpoint.Dial
// takes them. RFC 6951 has each stack listen on one port, and the
// handle resolution carries only IP addresses, so the port is the one
// the operational scope agrees on (Config.EncapPort).
func (i PoolElementInfo) AddrPorts(encap uint16) []netip.AddrPort {
	out := make([]netip.AddrPort, len(i.Addrs))
	for k, a := range i.Addrs {
		out[k] = netip.AddrPortFrom(a, encap)
	}
	return out
}

// String returns the identifier and the first address, as in
// "0x1234abcd at 127.0.0.3:5001".
func (i PoolElementInfo) String() string {
	var b strings.Builder
	b.WriteString(i.ID.String())
	if len(i.Addrs) > 0 {
		b.WriteString(" at ")
		b.WriteString(netip.AddrPortFrom(i.Addrs[0], i.Port).String())
	} else {
		b.WriteString(" port ")
		b.WriteString(strconv.Itoa(int(i.Port)))
	}
	return b.String()
}
