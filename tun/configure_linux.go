package tun

import (
	"errors"
	"net"
	"net/netip"
	"syscall"

	"github.com/vishvananda/netlink"
)

// configure sets the device up through netlink (rtnetlink(7)), in the
// network namespace of the calling thread. Each step replaces rather than
// adds, so that configuring a persistent device again is not an error.
func configure(name string, cfg *Config, addrs []netip.Addr) error {
	fail := func(step string, err error) error {
		e := &OpenError{Device: name, Op: "configuring device " + name + ": " + step, Err: err}
		if errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EACCES) {
			e.Op, e.Hint = "configuring device "+name, needCap
		}
		return e
	}
	link, err := netlink.LinkByName(name)
	if err != nil {
		return fail("finding it", err)
	}
	if cfg.MTU > 0 {
		if err := netlink.LinkSetMTU(link, cfg.MTU); err != nil {
			return fail("setting the MTU", err)
		}
	}
	for _, p := range cfg.Prefixes {
		a := &netlink.Addr{IPNet: ipNet(p)}
		if p.Addr().Is6() {
			// Nothing else answers on a point-to-point TUN link, and
			// an address still tentative could not be used at once.
			a.Flags = syscall.IFA_F_NODAD
		}
		if err := netlink.AddrReplace(link, a); err != nil {
			return fail("adding address "+p.String(), err)
		}
	}
	if err := netlink.LinkSetUp(link); err != nil {
		return fail("setting it up", err)
	}
	for _, a := range addrs {
		if covered(a, cfg.Prefixes) {
			continue // the kernel's route for the prefix takes it there
		}
		r := &netlink.Route{LinkIndex: link.Attrs().Index, Dst: ipNet(netip.PrefixFrom(a, a.BitLen()))}
		if a.Is4() {
			r.Scope = netlink.SCOPE_LINK
		}
		if err := netlink.RouteReplace(r); err != nil {
			return fail("adding a route to "+a.String(), err)
		}
	}
	return nil
}

// covered reports whether one of the prefixes contains a.
func covered(a netip.Addr, prefixes []netip.Prefix) bool {
	for _, p := range prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ipNet converts a prefix, keeping its address (not masked: for a device
// address the host part is the address itself).
func ipNet(p netip.Prefix) *net.IPNet {
	a := p.Addr()
	return &net.IPNet{IP: net.IP(a.AsSlice()), Mask: net.CIDRMask(p.Bits(), a.BitLen())}
}
