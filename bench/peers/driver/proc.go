package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// result is what a program reported, the format of package harness.
type result struct {
	Role     string         `json:"role"`
	Mode     string         `json:"mode"`
	Size     int            `json:"size"`
	Bytes    int64          `json:"bytes"`
	Msgs     int64          `json:"msgs"`
	Seconds  float64        `json:"seconds"`
	RTTs     int            `json:"rtts,omitempty"`
	RTTP50us float64        `json:"rtt_p50_us,omitempty"`
	RTTP99us float64        `json:"rtt_p99_us,omitempty"`
	Notes    map[string]any `json:"notes,omitempty"`
}

// proc is a started process and the lines it prints.
type proc struct {
	cmd   *exec.Cmd
	lines chan string
	done  chan struct{} // closed when stdout ended
	err   strings.Builder
}

func start(argv, env []string, pin string) (*proc, error) {
	if pin != "" {
		argv = append([]string{"taskset", "-c", pin}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p := &proc{cmd: cmd, lines: make(chan string, 64), done: make(chan struct{})}
	cmd.Stderr = &limited{b: &p.err, n: 4096}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			select {
			case p.lines <- sc.Text():
			default: // a chatty program: drop what nobody waits for
			}
		}
		io.Copy(io.Discard, out)
	}()
	return p, nil
}

// limited keeps the first n bytes written to it.
type limited struct {
	b *strings.Builder
	n int
}

func (l *limited) Write(p []byte) (int, error) {
	if room := l.n - l.b.Len(); room > 0 {
		l.b.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// waitLine returns the next line that satisfies ok, or fails when the
// process ends or the deadline passes first.
func (p *proc) waitLine(deadline time.Time, ok func(string) bool) (string, error) {
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	for {
		select {
		case l := <-p.lines:
			if ok(l) {
				return l, nil
			}
		case <-p.done:
			// Lines still queued.
			for {
				select {
				case l := <-p.lines:
					if ok(l) {
						return l, nil
					}
				default:
					return "", fmt.Errorf("%s ended without the expected output: %s", p.cmd.Path, strings.TrimSpace(p.err.String()))
				}
			}
		case <-t.C:
			return "", fmt.Errorf("%s: no expected output in time: %s", p.cmd.Path, strings.TrimSpace(p.err.String()))
		}
	}
}

// wait waits for the process to exit, killing it at the deadline, and
// returns its CPU seconds (user + system, all its threads).
func (p *proc) wait(deadline time.Time) (float64, error) {
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	exited := make(chan error, 1)
	go func() { exited <- p.cmd.Wait() }()
	var err error
	select {
	case err = <-exited:
	case <-ctx.Done():
		p.cmd.Process.Kill()
		<-exited
		return 0, fmt.Errorf("%s: killed after the time limit: %s", p.cmd.Path, strings.TrimSpace(p.err.String()))
	}
	if err != nil {
		return 0, fmt.Errorf("%s: %v: %s", p.cmd.Path, err, strings.TrimSpace(p.err.String()))
	}
	return rusageCPU(p.cmd.ProcessState), nil
}

// stop reads the CPU time of a process that does not end by itself from
// /proc, then kills it.
func (p *proc) stop() (float64, error) {
	cpu, err := procCPU(p.cmd.Process.Pid)
	p.cmd.Process.Kill()
	p.cmd.Wait()
	return cpu, err
}

func rusageCPU(ps *os.ProcessState) float64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return ps.UserTime().Seconds() + ps.SystemTime().Seconds()
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

// procCPU is utime + stime of /proc/PID/stat, in clock ticks of 10 ms
// (USER_HZ is 100 on Linux).
func procCPU(pid int) (float64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')') // the command name may hold spaces
	if i < 0 {
		return 0, errors.New("/proc stat: no command name")
	}
	f := strings.Fields(s[i+1:])
	// Fields after the name start at field 3 (state): utime is 14, stime 15.
	if len(f) < 13 {
		return 0, errors.New("/proc stat: too few fields")
	}
	ut, err1 := strconv.ParseFloat(f[11], 64)
	st, err2 := strconv.ParseFloat(f[12], 64)
	if err1 != nil || err2 != nil {
		return 0, errors.New("/proc stat: bad utime or stime")
	}
	return (ut + st) / 100, nil
}

// waitUDPPort polls /proc/net/udp until a socket is bound to port.
func waitUDPPort(port int, deadline time.Time) error {
	want := fmt.Sprintf(":%04X ", port)
	for time.Now().Before(deadline) {
		for _, f := range []string{"/proc/net/udp", "/proc/net/udp6"} {
			b, _ := os.ReadFile(f)
			for _, l := range strings.Split(string(b), "\n") {
				fs := strings.Fields(l)
				if len(fs) > 1 && strings.HasSuffix(fs[1]+" ", want) {
					return nil
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("nothing bound UDP port %d in time", port)
}

// sample is one run of one program: the figure and the CPU of both
// processes.
type sample struct {
	Program   string  `json:"program"`
	Mode      string  `json:"mode"`
	Size      int     `json:"size"`
	Run       int     `json:"run"`
	Bytes     int64   `json:"bytes"`
	Msgs      int64   `json:"msgs"`
	Seconds   float64 `json:"seconds"`
	MBps      float64 `json:"mb_per_s"`
	Msgps     float64 `json:"msgs_per_s"`
	CPUServer float64 `json:"cpu_server_s"`
	CPUClient float64 `json:"cpu_client_s"`
	MBperCPU  float64 `json:"mb_per_cpu_s,omitempty"`
	CPUperRT  float64 `json:"cpu_us_per_rtt,omitempty"`
	P50us     float64 `json:"rtt_p50_us,omitempty"`
	P99us     float64 `json:"rtt_p99_us,omitempty"`
	Err       string  `json:"error,omitempty"`

	Server *result `json:"server,omitempty"`
	Client *result `json:"client,omitempty"`
}

// runPair runs one program once: the server, then the client, and
// gathers the figure and the CPU time.
func runPair(o *options, pg program, mode string, size, run int, pin string, extra []string) sample {
	s := sample{Program: pg.name, Mode: mode, Size: size, Run: run}
	fail := func(err error) sample { s.Err = err.Error(); return s }
	sargv, cargv := pg.argv(o, mode, size)
	if len(extra) > 0 {
		sargv = append(sargv, extra[0])
		cargv = append(cargv, extra[1])
	}
	limit := o.duration + 30*time.Second
	srv, err := start(sargv, pg.env, pin)
	if err != nil {
		return fail(err)
	}
	defer func() {
		if srv.cmd.ProcessState == nil {
			srv.cmd.Process.Kill()
			srv.cmd.Wait()
		}
	}()
	readyBy := time.Now().Add(10 * time.Second)
	if pg.tsctp {
		if err := waitUDPPort(serverUDP, readyBy); err != nil {
			return fail(err)
		}
		// tsctp binds the UDP port in usrsctp_init, then listens: give
		// it a moment, as it has no other sign of readiness.
		time.Sleep(200 * time.Millisecond)
	} else if _, err := srv.waitLine(readyBy, func(l string) bool { return l == "ready" }); err != nil {
		return fail(err)
	}
	cli, err := start(cargv, pg.env, pin)
	if err != nil {
		return fail(err)
	}
	isJSON := func(l string) bool { return strings.HasPrefix(l, "{") }
	var cres result
	if mode == "rr" || !pg.tsctp {
		l, err := cli.waitLine(time.Now().Add(limit), isJSON)
		if err != nil {
			cli.cmd.Process.Kill()
			cli.wait(time.Now())
			return fail(err)
		}
		if err := json.Unmarshal([]byte(l), &cres); err != nil {
			return fail(fmt.Errorf("client output %q: %v", l, err))
		}
		s.Client = &cres
	}
	s.CPUClient, err = cli.wait(time.Now().Add(limit))
	if err != nil {
		return fail(err)
	}
	var sres result
	if pg.tsctp {
		l, err := srv.waitLine(time.Now().Add(10*time.Second), func(l string) bool { return strings.Count(l, ",") >= 5 })
		if err != nil {
			return fail(err)
		}
		if sres, err = parseTsctp(l); err != nil {
			return fail(err)
		}
		if s.CPUServer, err = srv.stop(); err != nil {
			return fail(err)
		}
	} else {
		l, err := srv.waitLine(time.Now().Add(10*time.Second), isJSON)
		if err != nil {
			return fail(err)
		}
		if err := json.Unmarshal([]byte(l), &sres); err != nil {
			return fail(fmt.Errorf("server output %q: %v", l, err))
		}
		if s.CPUServer, err = srv.wait(time.Now().Add(10 * time.Second)); err != nil {
			return fail(err)
		}
	}
	s.Server = &sres
	fig := sres // bulk: what arrived
	if mode == "rr" {
		fig = cres
		s.P50us, s.P99us = cres.RTTP50us, cres.RTTP99us
	}
	s.Bytes, s.Msgs, s.Seconds = fig.Bytes, fig.Msgs, fig.Seconds
	if fig.Seconds <= 0 || fig.Msgs == 0 {
		return fail(errors.New("no messages measured"))
	}
	s.MBps = float64(fig.Bytes) / fig.Seconds / 1e6
	s.Msgps = float64(fig.Bytes) / float64(size) / fig.Seconds
	cpu := s.CPUServer + s.CPUClient
	if mode == "rr" {
		s.CPUperRT = cpu / float64(fig.Msgs) * 1e6
	} else if cpu > 0 {
		s.MBperCPU = float64(fig.Bytes) / 1e6 / cpu
	}
	return s
}

// parseTsctp reads the line tsctp's server prints per association:
// message length, messages, messages, bytes, seconds, bytes per second,
// and a last field.
func parseTsctp(l string) (result, error) {
	f := strings.Split(l, ",")
	if len(f) < 6 {
		return result{}, fmt.Errorf("tsctp output %q", l)
	}
	num := func(i int) float64 {
		v, _ := strconv.ParseFloat(strings.TrimSpace(f[i]), 64)
		return v
	}
	r := result{Role: "server", Mode: "bulk", Size: int(num(0)), Msgs: int64(num(1)), Bytes: int64(num(3)), Seconds: num(4)}
	if r.Seconds <= 0 || r.Bytes <= 0 {
		return result{}, fmt.Errorf("tsctp output %q", l)
	}
	return r, nil
}
