// Command driver runs the peer benchmark of bench/peers: this project's
// SCTP stack, pion/sctp and usrsctp over loopback UDP, with raw UDP as
// the floor, in bulk transfers of 1000-byte and 64 KiB messages and in a
// 100-byte ping-pong. Every figure is measured several times; the
// results directory gets the raw samples (results.json, results.csv), a
// CPU profile of this project's sender and receiver, and a README with
// the medians, minimums and maximums. bench/peers/run.sh builds the
// programs and calls it; see that script for the command.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

type options struct {
	bin, out    string
	runs        int
	duration    time.Duration
	rrDuration  time.Duration
	mtu         int
	tsctp, shim string
	pin         string
	profile     bool
	only        string
	modes       string
	command     string
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "", "directory of the built programs (rserpool, pion, udp, pingpong)")
	flag.StringVar(&o.out, "out", "results/peers", "results directory")
	flag.IntVar(&o.runs, "runs", 3, "runs of every figure")
	flag.DurationVar(&o.duration, "duration", 4*time.Second, "length of a bulk transfer (whole seconds: tsctp takes seconds)")
	flag.DurationVar(&o.rrDuration, "rr-duration", 2*time.Second, "length of a ping-pong")
	flag.IntVar(&o.mtu, "mtu", 1472, "largest SCTP packet (UDP payload) of the SCTP stacks that take one; the size of the floor's datagrams")
	flag.StringVar(&o.tsctp, "tsctp", "/usr/lib/usrsctp/tsctp", "usrsctp's tsctp; empty to leave usrsctp's bulk figures out")
	flag.StringVar(&o.shim, "shim", "", "LD_PRELOAD library that silences tsctp's debug output")
	flag.StringVar(&o.pin, "pin", "auto", "CPU both processes of a ping-pong are pinned to with taskset; auto: the last CPU; empty: none")
	flag.BoolVar(&o.profile, "profile", true, "profile this project's sender and receiver once (1000-byte bulk)")
	flag.StringVar(&o.only, "only", "", "measure only programs whose name contains this (for trying the driver out)")
	flag.StringVar(&o.modes, "modes", "bulk,rr", "what to measure: bulk, rr or both, comma-separated")
	flag.StringVar(&o.command, "command", "bench/peers/run.sh", "the command to name in the README")
	flag.Parse()
	if o.bin == "" || o.runs < 1 || o.duration < time.Second {
		fmt.Fprintln(os.Stderr, "driver: -bin is required, -runs at least 1, -duration at least 1s")
		os.Exit(2)
	}
	if o.tsctp != "" {
		if _, err := os.Stat(o.tsctp); err != nil {
			o.tsctp = ""
		}
	}
	if o.pin == "auto" {
		o.pin = ""
		if _, err := exec.LookPath("taskset"); err == nil {
			o.pin = fmt.Sprint(runtime.NumCPU() - 1)
		}
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "driver:", err)
		os.Exit(1)
	}
	rep := measure(&o)
	if err := rep.write(&o); err != nil {
		fmt.Fprintln(os.Stderr, "driver:", err)
		os.Exit(1)
	}
	fmt.Printf("results in %s\n", o.out)
}

// Sizes of the bulk transfers and of the ping-pong.
var (
	bulkSizes = []int{1000, 65536}
	rrSize    = 100
)

func measure(o *options) *report {
	bulk, rr, skipped := programs(o)
	bulk, rr = filter(bulk, o.only), filter(rr, o.only)
	if !strings.Contains(o.modes, "bulk") {
		bulk = nil
	}
	if !strings.Contains(o.modes, "rr") {
		rr = nil
	}
	if o.pin == "" {
		skipped = append(skipped, "ping-pong pinning: taskset not found, the processes ran on any CPU")
	}
	rep := &report{Started: time.Now().UTC(), Env: environment(o), Skipped: skipped}
	for _, p := range append(append([]program(nil), bulk...), rr...) {
		rep.addNote(p)
	}
	// Run by run, every program in turn, so that a change in the load of
	// a shared machine spreads over all of them instead of one.
	for run := 1; run <= o.runs; run++ {
		for _, size := range bulkSizes {
			for _, p := range bulk {
				s := runPair(o, p, "bulk", size, run, "", nil)
				logSample(s)
				rep.Samples = append(rep.Samples, s)
			}
		}
		for _, p := range rr {
			s := runPair(o, p, "rr", rrSize, run, o.pin, nil)
			logSample(s)
			rep.Samples = append(rep.Samples, s)
		}
	}
	for _, size := range bulkSizes {
		for _, p := range bulk {
			rep.Summaries = append(rep.Summaries, summarize(rep.Samples, p.name, "bulk", size))
		}
	}
	for _, p := range rr {
		rep.Summaries = append(rep.Summaries, summarize(rep.Samples, p.name, "rr", rrSize))
	}
	if o.profile && len(bulk) > 0 && bulk[0].stack == "rserpool" {
		rep.Profiles = profileOurs(o, bulk[0])
	}
	rep.Finished = time.Now().UTC()
	return rep
}

func filter(ps []program, only string) []program {
	if only == "" {
		return ps
	}
	var out []program
	for _, p := range ps {
		if strings.Contains(p.name, only) {
			out = append(out, p)
		}
	}
	return out
}

func logSample(s sample) {
	if s.Err != "" {
		fmt.Fprintf(os.Stderr, "%-26s %-4s %6d run %d: FAILED: %s\n", s.Program, s.Mode, s.Size, s.Run, s.Err)
		return
	}
	if s.Mode == "rr" {
		fmt.Fprintf(os.Stderr, "%-26s %-4s %6d run %d: p50 %7.1f µs  p99 %7.1f µs  cpu %.2f+%.2f s\n",
			s.Program, s.Mode, s.Size, s.Run, s.P50us, s.P99us, s.CPUServer, s.CPUClient)
		return
	}
	fmt.Fprintf(os.Stderr, "%-26s %-4s %6d run %d: %8.1f MB/s  %9.0f msgs/s  cpu %.2f+%.2f s  %6.1f MB/cpu-s\n",
		s.Program, s.Mode, s.Size, s.Run, s.MBps, s.Msgps, s.CPUServer, s.CPUClient, s.MBperCPU)
}

// profileOurs runs this project's bulk transfers once more with a CPU
// profile of each process, and returns the top functions.
func profileOurs(o *options, p program) []profile {
	dir, err := filepath.Abs(o.out)
	if err != nil {
		return nil
	}
	bin := filepath.Join(o.bin, "rserpool")
	var out []profile
	for _, size := range bulkSizes {
		tag := strconv.Itoa(size)
		sp := filepath.Join(dir, "profile-server-"+tag+".pprof")
		cp := filepath.Join(dir, "profile-client-"+tag+".pprof")
		s := runPair(o, p, "bulk", size, 0, "", []string{"-cpuprofile=" + sp, "-cpuprofile=" + cp})
		logSample(s)
		pr := profile{Size: size, Sample: s, ServerFile: filepath.Base(sp), ClientFile: filepath.Base(cp)}
		for _, x := range []struct {
			path string
			dst  *string
		}{{sp, &pr.ServerTop}, {cp, &pr.ClientTop}} {
			top, err := exec.Command("go", "tool", "pprof", "-top", "-nodecount=25", bin, x.path).CombinedOutput()
			if err != nil {
				*x.dst = "pprof failed: " + err.Error() + "\n" + string(top)
				continue
			}
			*x.dst = string(top)
		}
		out = append(out, pr)
	}
	return out
}

// profile is one profiled run.
type profile struct {
	Size                   int    `json:"size"`
	Sample                 sample `json:"sample"`
	ServerFile, ClientFile string `json:"-"`
	ServerTop, ClientTop   string `json:"-"`
}
