package session

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/internal/services"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/udpencap"
)

var loopback = flag.Bool("loopback", false, "run the benchmark over real processes on loopback (builds rspregistrar and rspserver, about 80 s)")

// Addresses of the loopback run: 127.83.0.1 the registrar, .2 to .4 the
// pool elements, .10 the pool user, each with UDP port 9899.
var (
	lbRegistrar = netip.MustParseAddr("127.83.0.1")
	lbUser      = netip.MustParseAddr("127.83.0.10")
)

func lbPE(i int) netip.Addr { return netip.AddrFrom4([4]byte{127, 83, 0, byte(i + 2)}) }

// The registrar's keep-alive timers, as in the simnet run.
const (
	lbKeepAliveInterval = time.Second
	lbKeepAliveTimeout  = time.Second
)

// proc is a command of the run.
type proc struct {
	cmd    *exec.Cmd
	stderr *lockedBuffer
	done   chan struct{}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func start(t *testing.T, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), stderr: &lockedBuffer{}, done: make(chan struct{})}
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.cmd.Wait()
		close(p.done)
	}()
	return p
}

// kill ends the process at once, as a crash does: no de-registration, no
// SCTP ABORT or SHUTDOWN, its UDP socket simply gone.
func (p *proc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop ends the process gracefully, or kills it after a while.
func (p *proc) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		p.kill()
	}
}

func build(t *testing.T, dir, pkg string) string {
	t.Helper()
	out := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.Command(goCommand(), "build", "-o", out, pkg)
	cmd.Dir = filepath.Join("..", "..")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
	return out
}

func goCommand() string {
	if root := os.Getenv("GOROOT"); root != "" {
		if p := filepath.Join(root, "bin", "go"); fileExists(p) {
			return p
		}
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestLoopbackFailover is TestSimnetFailover over real processes: an
// rspregistrar, three rspserver -pingpong processes, and the pool user
// in this process, all SCTP over UDP on loopback in real time. The pool
// element in use is killed with SIGKILL every 2 to 4 s and started again
// 3 s later, on the same address and SCTP port as a deployed service
// would be: its registration, the registrar's answers and the business
// cards name the same transport before and after.
func TestLoopbackFailover(t *testing.T) {
	if !*loopback {
		t.Skip("needs -loopback")
	}
	dir := t.TempDir()
	regBin := build(t, dir, "./cmd/rspregistrar")
	srvBin := build(t, dir, "./cmd/rspserver")
	reg := start(t, regBin, "-asap", lbRegistrar.String()+":3863", "-no-announce", "-hsdump-addr", "off",
		"-keepalive-interval", lbKeepAliveInterval.String(), "-keepalive-timeout", lbKeepAliveTimeout.String())
	defer func() {
		reg.stop()
		if t.Failed() {
			t.Logf("rspregistrar:\n%s", reg.stderr.String())
		}
	}()
	key := "benchmark pool key, 32 bytes..."
	peArgs := func(i int) []string {
		return []string{"-pingpong", "-poolhandle", "PingPongPool", "-registrar", lbRegistrar.String(),
			"-local", lbPE(i).String() + ":5000", "-id", strconv.Itoa(i + 1), "-cookie-key", key, "-lifetime", "30s"}
	}
	var mu sync.Mutex
	running := make([]*proc, pes)
	startPE := func(i int) {
		p := start(t, srvBin, peArgs(i)...)
		mu.Lock()
		running[i] = p
		mu.Unlock()
	}
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for i, p := range running {
			if p != nil {
				p.stop()
			}
			if t.Failed() && p != nil {
				t.Logf("rspserver %d:\n%s", i+1, p.stderr.String())
			}
		}
	}()
	for i := range pes {
		startPE(i)
	}

	conn, err := udpencap.Listen(udpencap.Config{Addrs: []netip.Addr{lbUser}})
	if err != nil {
		t.Fatal(err)
	}
	ep, err := sctp.NewEndpoint(conn, 7000, &sctp.Config{})
	if err != nil {
		conn.Close()
		t.Fatal(err)
	}
	defer ep.Close()
	pu, err := asap.NewPoolUser(context.Background(), ep, asap.PUConfig{
		Config:      asap.Config{Registrars: []netip.AddrPort{netip.AddrPortFrom(lbRegistrar, 9899)}},
		DialTimeout: time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer pu.Close()
	// Wait for the three registrations.
	deadline := time.Now().Add(30 * time.Second)
	for {
		pu.Purge("PingPongPool")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		infos, err := pu.Resolve(ctx, "PingPongPool")
		cancel()
		if err == nil && len(infos) == pes {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("pool not complete after 30 s: %d elements, %v", len(infos), err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Two card refreshes: every PE's business card names the others.
	time.Sleep(6 * time.Second)
	s, err := pu.OpenSession(context.Background(), "PingPongPool", asap.SessionConfig{ReplyTimeout: replyTimeout, RetryInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	begin := time.Now()
	var evs []string
	evDone := make(chan struct{})
	go func() {
		defer close(evDone)
		for {
			select {
			case ev := <-s.Events():
				if ev.Kind == asap.SessionCookie {
					continue
				}
				line := fmt.Sprintf("%9.3f ms %v from %v to %v took %v err %v", ms(time.Since(begin)), ev.Kind, ev.From.ID, ev.To.ID, ev.Took, ev.Err)
				if ev.Kind == asap.SessionBusinessCard {
					line = fmt.Sprintf("%9.3f ms business card of %v:", ms(time.Since(begin)), ev.From.ID)
					for _, o := range ev.Order {
						line += " " + o.ID.String()
					}
				}
				mu.Lock()
				evs = append(evs, line)
				mu.Unlock()
			case <-s.Done():
				return
			}
		}
	}()
	cl := &services.PingPongClient{S: s}
	var pings []ping
	var ks []kill
	lost := 0
	rnd := rand.New(rand.NewPCG(1, 2))
	done := make(chan struct{})
	var wg sync.WaitGroup
	go func() {
		defer close(done)
		for k := 0; k < kills; k++ {
			time.Sleep(2*time.Second + time.Duration(rnd.Int64N(int64(2*time.Second))))
			cur, ok := s.PoolElement()
			if !ok {
				continue
			}
			i := int(cur.ID) - 1
			mu.Lock()
			p := running[i]
			running[i] = nil
			mu.Unlock()
			if p == nil {
				continue
			}
			p.kill()
			mu.Lock()
			ks = append(ks, kill{at: time.Since(begin), pe: cur.ID, failovers: s.Failovers()})
			mu.Unlock()
			wg.Add(1)
			time.AfterFunc(reviveAfter, func() {
				defer wg.Done()
				startPE(i)
			})
		}
		// Time for the last failover, however long it takes.
		time.Sleep(reviveAfter + 10*time.Second)
	}()
	for running := true; running; {
		select {
		case <-done:
			running = false
			continue
		default:
		}
		t0 := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		p, err := cl.Ping(ctx)
		cancel()
		if err != nil {
			t.Logf("ping lost: %v", err)
			lost++
			continue
		}
		pe, _ := s.PoolElement()
		mu.Lock()
		pings = append(pings, ping{at: time.Since(begin), seq: p.Seq, count: p.Count, pe: pe.ID, rtt: time.Since(t0), failovers: s.Failovers()})
		mu.Unlock()
		time.Sleep(pingInterval)
	}
	wg.Wait()
	s.Close()
	<-evDone
	mu.Lock()
	defer mu.Unlock()
	if *update {
		write(t, filepath.Join("..", "results", "session", "loopback-events.txt"), strings.Join(evs, "\n")+"\n")
	}
	header := fmt.Sprintf("loopback, real time, real processes (rspregistrar, 3 rspserver -pingpong with business cards, killed with SIGKILL): "+
		"ping every %v, ReplyTimeout %v, DialTimeout 1s, registrar keep-alive %v/%v, PE restarted %v after its kill",
		pingInterval, replyTimeout, lbKeepAliveInterval, lbKeepAliveTimeout, reviveAfter)
	report(t, "loopback", header, pings, ks, lost)
}
