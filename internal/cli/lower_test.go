package cli

import (
	"errors"
	"flag"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/rserpool/rserpool/internal/pcaptest"
	"github.com/rserpool/rserpool/sctp/capture"
)

// parseLower registers the flags on a new set and parses args.
func parseLower(t *testing.T, args ...string) *Lower {
	t.Helper()
	var l Lower
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	l.Register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("parse %v: %v", args, err)
	}
	return &l
}

func TestLowerDefaults(t *testing.T) {
	l := parseLower(t)
	if l.UDPPort != 9899 || l.PeerUDPPort != 9899 || l.TUN != "" || !l.TUNConfig || l.MTU != 0 {
		t.Errorf("defaults %+v: want the well-known port 9899 both ways (RFC 6951 §5.1), UDP", *l)
	}
	if err := l.Check(); err != nil {
		t.Errorf("defaults refused: %v", err)
	}
}

func TestLowerCheck(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-udp-port", "65536"}, "-udp-port 65536: must lie in 0..65535"},
		{[]string{"-udp-port", "-1"}, "-udp-port -1: must lie in 0..65535"},
		{[]string{"-peer-udp-port", "0"}, "-peer-udp-port 0: must lie in 1..65535"},
		{[]string{"-mtu", "-5"}, "-mtu -5: must not be negative"},
		{[]string{"-tun-prefix", "10.0.0.1/24"}, "-tun-prefix needs -tun"},
		{[]string{"-tun", "t0", "-tun-prefix", "10.0.0.1"}, `-tun-prefix: "10.0.0.1" at byte 0: not a prefix ADDR/BITS: "10.0.0.1"`},
		{[]string{"-local", "127.0.0.1,x"}, `-local: "127.0.0.1,x" at byte 10: not an IP address: "x"`},
	}
	for _, tt := range tests {
		err := parseLower(t, tt.args...).Check()
		if err == nil || err.Error() != tt.want {
			t.Errorf("%v: error %v, want %q", tt.args, err, tt.want)
		}
	}
}

func TestPeers(t *testing.T) {
	a := []netip.Addr{netip.MustParseAddr("127.0.0.2"), netip.MustParseAddr("::1")}
	got := parseLower(t, "-peer-udp-port", "4000").Peers(a)
	want := []netip.AddrPort{netip.MustParseAddrPort("127.0.0.2:4000"), netip.MustParseAddrPort("[::1]:4000")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("UDP peers %v, want %v", got, want)
	}
	// Over IP the lower layer's addresses have no port.
	got = parseLower(t, "-tun", "t0", "-peer-udp-port", "4000").Peers(a)
	want = []netip.AddrPort{netip.MustParseAddrPort("127.0.0.2:0"), netip.MustParseAddrPort("[::1]:0")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("TUN peers %v, want %v", got, want)
	}
}

func TestLocalAddrs(t *testing.T) {
	peer := netip.MustParseAddr("127.0.0.9")
	got, err := parseLower(t, "-local", "127.0.0.3,127.0.0.13").LocalAddrs(peer)
	if err != nil || !reflect.DeepEqual(got, addrs("127.0.0.3", "127.0.0.13")) {
		t.Errorf("-local: %v, %v", got, err)
	}
	// Towards a loopback peer the kernel picks 127.0.0.1.
	got, err = parseLower(t).LocalAddrs(peer)
	if err != nil || !reflect.DeepEqual(got, addrs("127.0.0.1")) {
		t.Errorf("route lookup: %v, %v", got, err)
	}
	_, err = parseLower(t, "-tun", "t0").LocalAddrs(peer)
	if err == nil || !strings.Contains(err.Error(), "-tun needs -local") {
		t.Errorf("-tun without -local: %v", err)
	}
}

func TestHostAddrs(t *testing.T) {
	got, err := HostAddrs()
	if err != nil {
		t.Fatal(err)
	}
	has := false
	for _, a := range got {
		if a.IsLinkLocalUnicast() || a.IsUnspecified() {
			t.Errorf("HostAddrs lists %v", a)
		}
		has = has || a == netip.MustParseAddr("127.0.0.1")
	}
	if !has {
		t.Errorf("HostAddrs %v lacks 127.0.0.1", got)
	}
}

func TestOpenUDP(t *testing.T) {
	l := parseLower(t, "-udp-port", "0", "-mtu", "1200")
	c, err := l.Open(addrs("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	la := c.LocalAddrs()
	if len(la) != 1 || la[0].Addr() != netip.MustParseAddr("127.0.0.1") || la[0].Port() == 0 {
		t.Errorf("local addresses %v: want 127.0.0.1 with the port the kernel chose", la)
	}
	if c.MTU() != 1200 {
		t.Errorf("MTU %d, want -mtu's 1200", c.MTU())
	}
}

func TestOpenInUse(t *testing.T) {
	u, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	port := u.LocalAddr().(*net.UDPAddr).Port
	_, err = parseLower(t, "-udp-port", strconv.Itoa(port)).Open(addrs("127.0.0.1"))
	if !errors.Is(err, syscall.EADDRINUSE) || !strings.Contains(err.Error(), "choose another address with -local or another port with -udp-port") {
		t.Errorf("binding a port in use: %v", err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error spans lines: %q", err)
	}
}

func TestOpenPcap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.pcap")
	c, err := parseLower(t, "-udp-port", "0", "-pcap", path).Open(addrs("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.(*capture.Conn); !ok {
		t.Errorf("-pcap gave a %T, want a capture", c)
	}
	c.Close()
	if _, err := pcaptest.ReadSCTP(path); err != nil {
		t.Errorf("capture file: %v", err)
	}
	_, err = parseLower(t, "-udp-port", "0", "-pcap", filepath.Join(t.TempDir(), "no", "dir")).Open(addrs("127.0.0.1"))
	if err == nil || !strings.HasPrefix(err.Error(), "-pcap: ") {
		t.Errorf("unwritable -pcap: %v", err)
	}
}

// Without CAP_NET_ADMIN, -tun fails with one line that says so.
func TestOpenTUNUnprivileged(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: the process has CAP_NET_ADMIN (the interop tests run the commands without it)")
	}
	_, err := parseLower(t, "-tun", "sctptest0").Open(addrs("10.99.0.2"))
	if err == nil {
		t.Fatal("opened a TUN device without privilege")
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "CAP_NET_ADMIN") && !strings.Contains(msg, "/dev/net/tun") {
		t.Errorf("error %q: want one line naming CAP_NET_ADMIN or /dev/net/tun", msg)
	}
}
