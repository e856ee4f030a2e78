package tun

import (
	"errors"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestConfigCheck(t *testing.T) {
	a := []netip.Addr{local4}
	p := []netip.Prefix{netip.MustParsePrefix("192.0.2.254/24")}
	for _, tc := range []struct {
		name  string
		cfg   Config
		field string
	}{
		{"long name", Config{Name: "a-name-of-16-byt", Addrs: a}, "Name"},
		{"no address", Config{}, "Addrs"},
		{"invalid address", Config{Addrs: []netip.Addr{{}}}, "Addrs[0]"},
		{"unspecified", Config{Addrs: []netip.Addr{local4, netip.IPv6Unspecified()}}, "Addrs[1]"},
		{"multicast", Config{Addrs: []netip.Addr{netip.MustParseAddr("224.0.0.1")}}, "Addrs[0]"},
		{"broadcast", Config{Addrs: []netip.Addr{netip.MustParseAddr("255.255.255.255")}}, "Addrs[0]"},
		{"device's own", Config{Addrs: []netip.Addr{netip.MustParseAddr("192.0.2.254")}, Prefixes: p, Configure: true}, "Addrs[0]"},
		{"prefixes unused", Config{Addrs: a, Prefixes: p}, "Prefixes[0]"},
		{"invalid prefix", Config{Addrs: a, Prefixes: []netip.Prefix{{}}, Configure: true}, "Prefixes[0]"},
		{"negative MTU", Config{Addrs: a, MTU: -1}, "MTU"},
		{"huge MTU", Config{Addrs: a, MTU: 65536}, "MTU"},
		{"MTU below IPv4's", Config{Addrs: a, MTU: 67}, "MTU"},
		{"MTU below IPv6's", Config{Addrs: []netip.Addr{local6}, MTU: 1279}, "MTU"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(tc.cfg) // refused before any device is touched
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Field != tc.field {
				t.Fatalf("Open: %v; want a ConfigError for %s", err, tc.field)
			}
		})
	}
}

func TestConfigCheckNormalizes(t *testing.T) {
	cfg := Config{Addrs: []netip.Addr{netip.AddrFrom16(local4.As16()), local4, local6.WithZone("eth0"), local4b}, MTU: 1280}
	got, err := cfg.check()
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Addr{local4, local6, local4b}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("addresses %v, want %v", got, want)
	}
}

func TestOpenErrorMessages(t *testing.T) {
	for _, tc := range []struct {
		name string
		op   string
		err  error
		want string
	}{
		{"open refused", "creating device t0", syscall.EACCES,
			"tun: opening /dev/net/tun needs CAP_NET_ADMIN (run as root): permission denied"},
		{"no module", "creating device t0", syscall.ENODEV,
			"tun: /dev/net/tun is not usable (load the tun kernel module): no such device"},
		{"ioctl refused", "creating device t0", os.NewSyscallError("ioctl", syscall.EPERM),
			"tun: creating device t0 needs CAP_NET_ADMIN (run as root): ioctl: operation not permitted"},
		{"busy", "attaching to device t0", os.NewSyscallError("ioctl", syscall.EBUSY),
			"tun: attaching to device t0 failed: another process has it open: ioctl: device or resource busy"},
		{"not a TUN", "attaching to device t0", os.NewSyscallError("ioctl", syscall.EINVAL),
			"tun: attaching to device t0 failed: a device of that name exists and is not a TUN device: ioctl: invalid argument"},
		{"other", "creating device t0", os.NewSyscallError("ioctl", syscall.ENOMEM),
			"tun: creating device t0: ioctl: cannot allocate memory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := openError("t0", tc.op, tc.err)
			if err.Error() != tc.want {
				t.Fatalf("got  %q\nwant %q", err, tc.want)
			}
			if !errors.Is(err, tc.err) {
				t.Fatal("the system's error is not wrapped")
			}
		})
	}
}

// envUnprivileged marks the copy of the test binary that
// TestOpenWithoutPrivilege runs as an unprivileged user.
const envUnprivileged = "TUN_TEST_UNPRIVILEGED"

// Without CAP_NET_ADMIN, Open says so in one line. Run as root, the test
// runs a copy of itself as user nobody to see it.
func TestOpenWithoutPrivilege(t *testing.T) {
	if os.Getenv(envUnprivileged) == "1" || !hasCapNetAdmin() {
		for _, cfg := range []Config{
			{Name: "tunq0", Addrs: []netip.Addr{local4}},
			{Addrs: []netip.Addr{local4}, Configure: true},
		} {
			_, err := Open(cfg)
			var oe *OpenError
			if !errors.As(err, &oe) {
				t.Fatalf("Open: %v, want an OpenError", err)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "tun: ") || !strings.Contains(msg, "needs CAP_NET_ADMIN (run as root)") {
				t.Fatalf("message %q: want one line saying CAP_NET_ADMIN is needed", msg)
			}
			t.Log(msg)
		}
		return
	}
	if os.Geteuid() != 0 {
		t.Skip("has CAP_NET_ADMIN without being root: cannot run as another user")
	}
	exe := unprivilegedCopy(t)
	cmd := exec.Command(exe, "-test.run=^TestOpenWithoutPrivilege$", "-test.v")
	cmd.Env = append(os.Environ(), envUnprivileged+"=1")
	cmd.Dir = filepath.Dir(exe)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestOpenWithoutPrivilege") {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
	t.Logf("as nobody:\n%s", out)
}

// unprivilegedCopy copies the test binary where another user can run it.
func unprivilegedCopy(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for d := dir; d != os.TempDir() && d != "/"; d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	src, err := os.Open(self)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	path := filepath.Join(dir, "tun.test")
	dst, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
