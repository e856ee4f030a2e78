package interop

import (
	"bytes"
	"fmt"
	"go/build"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// usrsctpDir is where Debian installs usrsctp's example programs.
const usrsctpDir = "/usr/lib/usrsctp"

const skipNoUsrsctp = "usrsctp's example programs are not installed (" + usrsctpDir +
	"): run interop/install.sh as root, or apt-get install libusrsctp-examples"

// toolDir holds the commands and the shim, built once for all tests and
// removed by TestMain.
var toolDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "interop-tools-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "interop:", err)
		os.Exit(1)
	}
	toolDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var built struct {
	once sync.Once
	err  error
}

// commands builds sctpcat and sctpperf and returns their paths.
func commands(t *testing.T) (sctpcat, sctpperf string) {
	t.Helper()
	built.once.Do(func() {
		goCmd, err := exec.LookPath("go")
		if err != nil {
			goCmd = filepath.Join(build.Default.GOROOT, "bin", "go")
		}
		for _, name := range []string{"sctpcat", "sctpperf"} {
			var out bytes.Buffer
			cmd := exec.Command(goCmd, "build", "-o", filepath.Join(toolDir, name), "github.com/rserpool/rserpool/cmd/"+name)
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Run(); err != nil {
				built.err = fmt.Errorf("go build %s: %v\n%s", name, err, out.String())
				return
			}
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return filepath.Join(toolDir, "sctpcat"), filepath.Join(toolDir, "sctpperf")
}

var shim struct {
	once sync.Once
	path string // empty without a C compiler
	why  string // why there is none
	err  error
}

// usrsctp skips t when usrsctp's programs are missing and returns how to
// run them: the environment (the shim preloaded) and a command prefix
// (stdbuf, when there is no shim to make stdout line buffered).
func usrsctp(t *testing.T) *peerStack {
	t.Helper()
	if _, err := os.Stat(filepath.Join(usrsctpDir, "tsctp")); err != nil {
		t.Skip(skipNoUsrsctp)
	}
	shim.once.Do(func() {
		cc, err := exec.LookPath("cc")
		if err != nil {
			cc, err = exec.LookPath("gcc")
		}
		if err != nil {
			shim.why = "no C compiler (cc, gcc) to build usrsctp_shim.c: usrsctp's debug output is not silenced, only ignored"
			return
		}
		out := filepath.Join(toolDir, "usrsctp_shim.so")
		var msg bytes.Buffer
		cmd := exec.Command(cc, "-shared", "-fPIC", "-O2", "-Wall", "-o", out, filepath.Join("testdata", "usrsctp_shim.c"), "-ldl")
		cmd.Stdout, cmd.Stderr = &msg, &msg
		if err := cmd.Run(); err != nil {
			shim.err = fmt.Errorf("building usrsctp_shim.c: %v\n%s", err, msg.String())
			return
		}
		shim.path = out
	})
	if shim.err != nil {
		t.Fatal(shim.err)
	}
	p := &peerStack{shim: shim.path}
	if shim.path == "" {
		t.Log(shim.why)
		if sb, err := exec.LookPath("stdbuf"); err == nil {
			p.prefix = []string{sb, "-oL"}
		}
	}
	return p
}

// peerStack runs usrsctp's programs.
type peerStack struct {
	shim   string
	prefix []string
}

// wildcard skips t when the program binds the wildcard address and no
// shim can bind it to loopback: it would advertise every address of the
// host, and the tests keep their traffic on loopback addresses.
func (p *peerStack) wildcard(t *testing.T, program string) {
	t.Helper()
	if p.shim == "" {
		t.Skipf("%s binds the wildcard address and there is no shim to bind it to loopback (%s)", program, shim.why)
	}
}

// start runs a usrsctp program bound, through the shim, to bind (an
// address of loopback) where it would bind the wildcard.
func (p *peerStack) start(t *testing.T, bind string, program string, args ...string) *proc {
	t.Helper()
	argv := append(append([]string(nil), p.prefix...), filepath.Join(usrsctpDir, program))
	argv = append(argv, args...)
	var env []string
	if p.shim != "" {
		env = []string{"LD_PRELOAD=" + p.shim, "USRSCTP_SHIM_BIND=" + bind}
	}
	return start(t, program, env, argv...)
}

// startServer is start for a server program: it returns once the
// program listens, which only the shim can tell; without it t is
// skipped, as an INIT that comes too early gets an ABORT.
func (p *peerStack) startServer(t *testing.T, bind string, program string, args ...string) *proc {
	t.Helper()
	if p.shim == "" {
		t.Skipf("cannot tell when %s listens without the shim (%s)", program, shim.why)
	}
	s := p.start(t, bind, program, args...)
	s.waitErr(t, `usrsctp_shim: listening`)
	return s
}

// freeUDPPort returns a UDP port free on the wildcard addresses, for a
// usrsctp process, which binds its encapsulation port there. It lies
// below the kernel's ephemeral range, from which this project's
// processes take theirs (-udp-port 0): otherwise one of them could take
// it between this check and the usrsctp process's bind.
func freeUDPPort(t *testing.T) string {
	t.Helper()
	low := 32768
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if n, err := strconv.Atoi(f[0]); err == nil {
				low = n
			}
		}
	}
	base := max(1024, low-12000)
	portsMu.Lock()
	defer portsMu.Unlock()
	for range 1000 {
		p := base + rand.IntN(low-base)
		if portsUsed[p] {
			continue
		}
		c, err := net.ListenUDP("udp", &net.UDPAddr{Port: p})
		if err != nil {
			continue
		}
		c.Close()
		portsUsed[p] = true
		return strconv.Itoa(p)
	}
	t.Fatalf("no free UDP port in %d..%d", base, low-1)
	return ""
}

// portsUsed are the ports freeUDPPort handed out: each goes to one test.
var (
	portsMu   sync.Mutex
	portsUsed = map[int]bool{}
)

// loopbacks returns the loopback families to test: IPv4 always, IPv6
// when ::1 can be bound. skip6 is why IPv6 is left out, if it is.
func loopbacks() (fams []family, skip6 string) {
	fams = []family{{name: "IPv4", usrsctp: "127.0.0.1", sctpURL: "127.0.0.1"}}
	c, err := net.ListenUDP("udp6", &net.UDPAddr{IP: net.IPv6loopback})
	if err != nil {
		return fams, "IPv6 loopback ::1 unavailable: " + err.Error()
	}
	c.Close()
	return append(fams, family{name: "IPv6", usrsctp: "::1", sctpURL: "[::1]"}), ""
}

// family is an address family of the loopback tests.
type family struct {
	name    string
	usrsctp string // the address usrsctp binds
	sctpURL string // the same as this project's commands write it
}

// ours returns the address this project's process binds: in IPv4 one of
// 127.0.0.0/8 of its own (n distinguishes the tests), in IPv6 ::1, the
// only loopback address.
func (f family) ours(n int) (addr, url string) {
	if f.usrsctp == "::1" {
		return "::1", "[::1]"
	}
	a := fmt.Sprintf("127.0.%d.%d", 100+n/200, 1+n%200)
	return a, a
}
