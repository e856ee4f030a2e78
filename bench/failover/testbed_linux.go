package failover

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// The veth testbed: two network namespaces joined by two veth pairs, one
// per path. Each address is the only one of its subnet on its side, so
// the kernel routes each path over its own pair.
var (
	vethA1 = netip.MustParseAddr("10.77.1.1")
	vethA2 = netip.MustParseAddr("10.77.2.1")
	vethB1 = netip.MustParseAddr("10.77.1.2") // the receiver's primary
	vethB2 = netip.MustParseAddr("10.77.2.2")
)

// Interface names inside the namespaces: fa1 and fb1 are the ends of the
// primary path's pair.
const (
	ifA1, ifA2 = "fa1", "fa2"
	ifB1, ifB2 = "fb1", "fb2"
)

// testbed is one set of namespaces, named after the process so that runs
// side by side do not meet.
type testbed struct {
	a, b  string // namespace names
	netem bool   // the veths delay, jitter and lose packets
	ip    string // path of the ip command

	// The cut is a netlink request ready to go, not a command to start:
	// it takes the link down within a system call of the time noted.
	nl      *netlink.Handle // in namespace b
	primary netlink.Link    // ifB1
}

// newTestbed creates the namespaces and the veth pairs, addressed and up.
// Where tc and the kernel's netem are there it adds 5 ms ± 1 ms of delay
// and 0.1 % of loss to every veth, as on the simulated paths. It returns an
// *UnavailableError when this machine cannot run it.
func newTestbed() (*testbed, error) {
	if os.Geteuid() != 0 {
		return nil, &UnavailableError{"it needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN) to create network namespaces"}
	}
	ip, err := exec.LookPath("ip")
	if err != nil {
		return nil, &UnavailableError{"the ip command (iproute2) is not installed"}
	}
	pid := os.Getpid()
	tb := &testbed{a: fmt.Sprintf("fobench-a-%d", pid), b: fmt.Sprintf("fobench-b-%d", pid), ip: ip}
	if err := tb.cmd("netns", "add", tb.a); err != nil {
		return nil, &UnavailableError{"cannot create a network namespace: " + err.Error()}
	}
	if err := tb.cmd("netns", "add", tb.b); err != nil {
		tb.close()
		return nil, &UnavailableError{"cannot create a network namespace: " + err.Error()}
	}
	steps := [][]string{
		{"link", "add", ifA1, "netns", tb.a, "type", "veth", "peer", "name", ifB1, "netns", tb.b},
		{"link", "add", ifA2, "netns", tb.a, "type", "veth", "peer", "name", ifB2, "netns", tb.b},
		{"-n", tb.a, "addr", "add", vethA1.String() + "/24", "dev", ifA1},
		{"-n", tb.a, "addr", "add", vethA2.String() + "/24", "dev", ifA2},
		{"-n", tb.b, "addr", "add", vethB1.String() + "/24", "dev", ifB1},
		{"-n", tb.b, "addr", "add", vethB2.String() + "/24", "dev", ifB2},
	}
	for _, ns := range []string{tb.a, tb.b} {
		steps = append(steps, []string{"-n", ns, "link", "set", "lo", "up"})
	}
	for _, l := range [][2]string{{tb.a, ifA1}, {tb.a, ifA2}, {tb.b, ifB1}, {tb.b, ifB2}} {
		steps = append(steps, []string{"-n", l[0], "link", "set", l[1], "up"})
	}
	for _, s := range steps {
		if err := tb.cmd(s...); err != nil {
			tb.close()
			return nil, &UnavailableError{"cannot set up the veth pairs: " + err.Error()}
		}
	}
	tb.netem = tb.addNetem()
	if err := tb.openNetlink(); err != nil {
		tb.close()
		return nil, err
	}
	return tb, nil
}

// openNetlink prepares the cut: a netlink socket in the receiver's
// namespace and the primary interface's index.
func (tb *testbed) openNetlink() error {
	ns, err := netns.GetFromName(tb.b)
	if err != nil {
		return fmt.Errorf("namespace %s: %w", tb.b, err)
	}
	defer ns.Close()
	if tb.nl, err = netlink.NewHandleAt(ns); err != nil {
		return fmt.Errorf("netlink in %s: %w", tb.b, err)
	}
	if tb.primary, err = tb.nl.LinkByName(ifB1); err != nil {
		return fmt.Errorf("link %s: %w", ifB1, err)
	}
	return nil
}

// addNetem puts netem on every veth, if tc and the kernel have it, and
// reports whether it did. Without it the paths are as fast as the veths.
func (tb *testbed) addNetem() bool {
	tc, err := exec.LookPath("tc")
	if err != nil {
		return false
	}
	for _, l := range [][2]string{{tb.a, ifA1}, {tb.a, ifA2}, {tb.b, ifB1}, {tb.b, ifB2}} {
		err := exec.Command(tc, "-n", l[0], "qdisc", "add", "dev", l[1], "root",
			"netem", "delay", "5ms", "1ms", "loss", "0.1%").Run()
		if err != nil {
			// All or none: the paths must stay alike.
			for _, l := range [][2]string{{tb.a, ifA1}, {tb.a, ifA2}, {tb.b, ifB1}, {tb.b, ifB2}} {
				exec.Command(tc, "-n", l[0], "qdisc", "del", "dev", l[1], "root").Run()
			}
			return false
		}
	}
	return true
}

// cmd runs the ip command with args.
func (tb *testbed) cmd(args ...string) error {
	out, err := exec.Command(tb.ip, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %v: %s", strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}

// cut takes the receiver's end of the primary path's pair down, as `ip
// -n B link set fb1 down` does, which drops the carrier of both ends.
func (tb *testbed) cut() error {
	return tb.nl.LinkSetDown(tb.primary)
}

// close deletes the namespaces, and the veths with them.
func (tb *testbed) close() {
	if tb.nl != nil {
		tb.nl.Close()
	}
	tb.cmd("netns", "del", tb.a)
	tb.cmd("netns", "del", tb.b)
}

// inNetns runs f on an OS thread moved into namespace ns. Sockets keep
// the namespace they were created in, so f opens them there and the rest
// of the program uses them from any thread. The thread stays locked to
// the goroutine, which ends after f: the runtime then discards the thread
// instead of handing it, still in ns, to other goroutines.
func inNetns(ns string, f func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		fd, err := unix.Open("/var/run/netns/"+ns, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			errc <- fmt.Errorf("open namespace %s: %w", ns, err)
			return
		}
		defer unix.Close(fd)
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("enter namespace %s: %w", ns, err)
			return
		}
		errc <- f()
	}()
	return <-errc
}
