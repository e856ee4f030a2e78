package failover

import (
	"fmt"
	"net/netip"
	"os"
	"strings"

	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/udpencap"
)

// RunVeth runs sc over RFC 6951 UDP encapsulation between two network
// namespaces joined by two veth pairs (see newTestbed), in real time. The
// cut is `ip link set down` of the receiver's primary interface at
// CutAt. It needs root; otherwise it returns an *UnavailableError. The
// namespaces are deleted before it returns.
func RunVeth(sc Scenario) (*Timeline, error) {
	tb, err := newTestbed()
	if err != nil {
		return nil, err
	}
	defer tb.close()
	listen := func(ns string, addrs ...netip.Addr) (lower.Conn, error) {
		var c *udpencap.Conn
		err := inNetns(ns, func() error {
			var err error
			c, err = udpencap.Listen(udpencap.Config{Addrs: addrs})
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("udpencap in %s: %w", ns, err)
		}
		return c, nil
	}
	ca, err := listen(tb.a, vethA1, vethA2)
	if err != nil {
		return nil, err
	}
	cb, err := listen(tb.b, vethB1, vethB2)
	if err != nil {
		ca.Close()
		return nil, err
	}
	paths := NewPathLog(vethB1, vethB2)
	cfg := sc.Config
	ea, err := sctp.NewEndpoint(ca, portA, &cfg)
	if err != nil {
		ca.Close()
		cb.Close()
		return nil, err
	}
	defer ea.Close()
	eb, err := sctp.NewEndpoint(&recordConn{Conn: cb, log: paths}, portB, &cfg)
	if err != nil {
		cb.Close()
		return nil, err
	}
	defer eb.Close()
	port := uint16(udpencap.DefaultPort)
	p, err := connect(ea, eb, []netip.AddrPort{netip.AddrPortFrom(vethB1, port), netip.AddrPortFrom(vethB2, port)})
	if err != nil {
		return nil, err
	}
	p.primary, p.alternate, p.paths = vethB1, vethB2, paths
	p.cut = tb.cut
	tl := run("veth", sc, p)
	tl.Netem = tb.netem
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			tl.Load = strings.Join(f[:3], " ")
		}
	}
	return tl, nil
}
