package rserpool

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/enrp"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/udpencap"
)

// target is a registrar under measurement.
type target interface {
	// lower is its address on the lower layer, SCTP port 3863.
	lower() netip.AddrPort
	// memory is what the measurement counts as its memory, in bytes.
	memory() (uint64, error)
	// elements is the number of pool elements it holds.
	elements() (int, error)
	close() error
}

// inProcess is a registrar in this process, over UDP encapsulation.
type inProcess struct {
	addr   netip.Addr
	r      *enrp.Registrar
	ep     *sctp.Endpoint
	cancel context.CancelFunc
	done   chan error
}

func startInProcess(addr netip.Addr, cfg enrp.Config) (*inProcess, error) {
	conn, err := udpencap.Listen(udpencap.Config{Addrs: []netip.Addr{addr}, Port: EncapPort})
	if err != nil {
		return nil, err
	}
	ep, err := sctp.NewEndpoint(conn, msg.PortASAP, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if err := ep.Listen(); err != nil {
		ep.Close()
		return nil, err
	}
	r, err := enrp.New(cfg)
	if err != nil {
		ep.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &inProcess{addr: addr, r: r, ep: ep, cancel: cancel, done: make(chan error, 1)}
	go func() { p.done <- r.Serve(ctx, ep) }()
	return p, nil
}

func (p *inProcess) lower() netip.AddrPort { return netip.AddrPortFrom(p.addr, EncapPort) }

// memory is the live Go heap after a collection: the registrar's, plus
// the load generator's, which does not grow while it registers.
func (p *inProcess) memory() (uint64, error) {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc, nil
}

func (p *inProcess) elements() (int, error) { return p.r.Stats().PoolElements, nil }

func (p *inProcess) close() error {
	p.cancel()
	err := <-p.done
	p.r.Close()
	p.ep.Close()
	return err
}

// process is an rspregistrar process.
type process struct {
	addr    netip.Addr
	metrics string // URL of its metrics
	cmd     *exec.Cmd
	stderr  *bytes.Buffer
	done    chan struct{}
}

// httpClient reads the metrics, straight to the loopback address.
var httpClient = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{Proxy: nil}}

// buildRegistrar builds cmd/rspregistrar of the module at root into dir.
func buildRegistrar(root, dir string) (string, error) {
	out := filepath.Join(dir, "rspregistrar")
	cmd := exec.Command(goCommand(), "build", "-o", out, "./cmd/rspregistrar")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/rspregistrar: %v\n%s", err, b)
	}
	return out, nil
}

// goCommand is the go command of the running toolchain, else the one on
// PATH.
func goCommand() string {
	if root := os.Getenv("GOROOT"); root != "" {
		p := filepath.Join(root, "bin", "go")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "go"
}

// startProcess runs the registrar binary at addr with args added, and
// waits until it serves its metrics.
func startProcess(bin string, addr netip.Addr, args ...string) (*process, error) {
	metrics := netip.AddrPortFrom(addr, 8864).String()
	all := append([]string{"-asap", addr.String() + ":3863", "-no-announce", "-hsdump-addr", "off", "-metrics", metrics}, args...)
	p := &process{addr: addr, metrics: "http://" + metrics + "/metrics", cmd: exec.Command(bin, all...),
		stderr: &bytes.Buffer{}, done: make(chan struct{})}
	p.cmd.Stderr = &lockedWriter{w: p.stderr}
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		p.cmd.Wait()
		close(p.done)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := p.elements(); err == nil {
			return p, nil
		} else if time.Now().After(deadline) {
			p.close()
			return nil, fmt.Errorf("rspregistrar does not serve its metrics: %v", err)
		}
		select {
		case <-p.done:
			return nil, errors.New("rspregistrar ended at start")
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (p *process) lower() netip.AddrPort { return netip.AddrPortFrom(p.addr, EncapPort) }

// memory is the process's resident set (VmRSS of /proc/PID/status).
func (p *process) memory() (uint64, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmRSS in /proc/PID/status")
}

// elements reads the pool_elements gauge of the metrics.
func (p *process) elements() (int, error) {
	resp, err := httpClient.Get(p.metrics)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "rserpool_registrar_pool_elements "); ok {
			f, err := strconv.ParseFloat(v, 64)
			return int(f), err
		}
	}
	return 0, errors.New("no pool_elements in the metrics")
}

// close stops the process with SIGTERM, by its PID, and kills it if it
// does not end.
func (p *process) close() error {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
		return errors.New("rspregistrar did not end on SIGTERM")
	}
	return nil
}
