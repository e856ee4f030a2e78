package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

type report struct {
	Started   time.Time         `json:"started"`
	Finished  time.Time         `json:"finished"`
	Env       map[string]string `json:"environment"`
	Setup     []string          `json:"setup"`
	Skipped   []string          `json:"skipped,omitempty"`
	Summaries []summary         `json:"summaries"`
	Samples   []sample          `json:"samples"`
	Profiles  []profile         `json:"profiles,omitempty"`
}

func (r *report) addNote(p program) {
	n := p.name + ": " + p.note
	for _, s := range r.Setup {
		if s == n {
			return
		}
	}
	r.Setup = append(r.Setup, n)
}

func environment(o *options) map[string]string {
	env := map[string]string{
		"go":       runtime.Version(),
		"cpus":     strconv.Itoa(runtime.NumCPU()),
		"arch":     runtime.GOOS + "/" + runtime.GOARCH,
		"pion":     pionVersion(),
		"usrsctp":  usrsctpVersion(),
		"runs":     strconv.Itoa(o.runs),
		"duration": o.duration.String(),
		"rr":       o.rrDuration.String(),
		"mtu":      strconv.Itoa(o.mtu),
		"pin":      o.pin,
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		env["kernel"] = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				env["cpu"] = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		env["loadavg_at_start"] = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	return env
}

func usrsctpVersion() string {
	out, err := exec.Command("dpkg-query", "-W", "-f", "${Version}", "libusrsctp2").Output()
	if err != nil || len(out) == 0 {
		return "?"
	}
	return string(out)
}

func (r *report) write(o *options) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(o.out, "results.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	if err := r.writeCSV(filepath.Join(o.out, "results.csv")); err != nil {
		return err
	}
	for _, pr := range r.Profiles {
		for name, top := range map[string]string{pr.ServerFile: pr.ServerTop, pr.ClientFile: pr.ClientTop} {
			name = strings.TrimSuffix(name, ".pprof") + ".txt"
			if err := os.WriteFile(filepath.Join(o.out, name), []byte(top), 0o644); err != nil {
				return err
			}
		}
	}
	return r.writeREADME(o, filepath.Join(o.out, "README.md"))
}

func (r *report) writeCSV(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"program", "mode", "size", "run", "bytes", "msgs", "seconds", "mb_per_s", "msgs_per_s",
		"cpu_server_s", "cpu_client_s", "mb_per_cpu_s", "rtt_p50_us", "rtt_p99_us", "cpu_us_per_rtt", "error"})
	g := func(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }
	for _, s := range r.Samples {
		w.Write([]string{s.Program, s.Mode, strconv.Itoa(s.Size), strconv.Itoa(s.Run), strconv.FormatInt(s.Bytes, 10),
			strconv.FormatInt(s.Msgs, 10), g(s.Seconds), g(s.MBps), g(s.Msgps), g(s.CPUServer), g(s.CPUClient),
			g(s.MBperCPU), g(s.P50us), g(s.P99us), g(s.CPUperRT), s.Err})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Markers of the part of the README written by hand, which a new run
// keeps.
const (
	notesBegin = "<!-- notes: written by hand, kept by the driver -->"
	notesEnd   = "<!-- /notes -->"
)

func keptNotes(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	s := string(b)
	i, j := strings.Index(s, notesBegin), strings.Index(s, notesEnd)
	if i < 0 || j < i {
		return ""
	}
	return s[i : j+len(notesEnd)]
}

func (r *report) writeREADME(o *options, path string) error {
	notes := keptNotes(path)
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("# Peer benchmark: this stack, pion/sctp, usrsctp and raw UDP on loopback\n\n")
	p("Measured %s (%s), %s runs of every figure; each cell is the **median** with [min – max] of the runs.\n",
		r.Started.Format("2006-01-02 15:04 UTC"), r.Finished.Sub(r.Started).Round(time.Second), r.Env["runs"])
	p("MB is 10^6 bytes. Bulk figures are what the receiver got, from its first message to its last;\n")
	p("CPU is user + system time of both processes (all threads) over their whole life, from wait4(2)\n")
	p("or /proc/PID/stat; MB per CPU-second is the bytes received divided by that CPU time, which\n")
	p("moves less than MB/s when other work shares the machine.\n\n")
	p("Command (from the repository root):\n\n```sh\nmake bench-peers   # runs %s\n```\n\n", o.command)
	p("Machine: %s, %s CPUs, Linux %s, %s; load average at start %s.\n\n",
		r.Env["cpu"], r.Env["cpus"], r.Env["kernel"], r.Env["go"], r.Env["loadavg_at_start"])

	for _, size := range bulkSizes {
		p("## Bulk transfer, %s messages (%s per run)\n\n", sizeName(size), r.Env["duration"])
		p("| program | MB/s | msgs/s | CPU s (both) | MB per CPU-s |\n|---|---|---|---|---|\n")
		for _, s := range r.Summaries {
			if s.Mode != "bulk" || s.Size != size {
				continue
			}
			if s.MBps.N == 0 {
				p("| %s | failed: %s | | | |\n", s.Program, firstErr(s.Errors))
				continue
			}
			p("| %s | %s | %s | %s | %s |\n", s.Program, cell(s.MBps, 1), cell(s.Msgps, -3), cell(s.CPU, 2), cell(s.MBperCPU, 1))
		}
		if size > o.mtu {
			p("\nThe UDP rows carry the same bytes in datagrams of %d bytes, the packets an SCTP stack cuts such messages into; their msgs/s are message equivalents (bytes / %d).\n", o.mtu, size)
		}
		p("\n")
	}
	p("## Ping-pong, %d-byte messages (%s per run)\n\n", rrSize, r.Env["rr"])
	if o.pin != "" {
		p("Both processes pinned to CPU %s with taskset. ", o.pin)
	}
	p("One message out, its echo back, timed by the client after 1000 untimed round trips.\n\n")
	p("| program | RTT p50 µs | RTT p99 µs | round trips/s | CPU µs per round trip |\n|---|---|---|---|---|\n")
	for _, s := range r.Summaries {
		if s.Mode != "rr" {
			continue
		}
		if s.P50us.N == 0 {
			p("| %s | failed: %s | | | |\n", s.Program, firstErr(s.Errors))
			continue
		}
		p("| %s | %s | %s | %s | %s |\n", s.Program, cell(s.P50us, 1), cell(s.P99us, 1), cell(s.Msgps, -3), cell(s.CPUperRT, 1))
	}
	p("\n## Setup\n\n")
	for _, s := range r.Setup {
		p("- %s\n", s)
	}
	p("- Buffers: the Go programs ask for 4 MiB socket buffers (forced past net.core.rmem_max/wmem_max when running as root); the SCTP windows are 1 MiB; the UDP floor keeps at most 1 MiB unacknowledged by credits from its receiver, so it measures what gets through, not what the kernel drops.\n")
	for _, s := range r.Skipped {
		p("- Left out: %s\n", s)
	}
	if notes != "" {
		p("\n%s\n", notes)
	}
	for _, pr := range r.Profiles {
		p("\n## CPU profile of this stack, %s bulk, one run\n\n", sizeName(pr.Size))
		if pr.Sample.Err != "" {
			p("The profiled run failed: %s\n", pr.Sample.Err)
		} else {
			p("The run: %.1f MB/s, CPU %.2f s receiver + %.2f s sender. Profiles: %s, %s (`go tool pprof -top FILE`), their tops in the .txt files of the same names.\n\n",
				pr.Sample.MBps, pr.Sample.CPUServer, pr.Sample.CPUClient, pr.ServerFile, pr.ClientFile)
		}
		p("Receiver, top functions by own time:\n\n```\n%s```\n\nSender:\n\n```\n%s```\n", trimTop(pr.ServerTop, 15), trimTop(pr.ClientTop, 15))
	}
	p("\nRaw samples: results.json (with every program's own report), results.csv.\n")
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// trimTop keeps pprof's summary lines and the first n functions.
func trimTop(s string, n int) string {
	var out []string
	rows := -1 // counting once the column header is passed
	for _, l := range strings.Split(s, "\n") {
		switch {
		case strings.TrimSpace(l) == "":
			continue
		case strings.HasPrefix(l, "File:"), strings.HasPrefix(l, "Build ID:"), strings.HasPrefix(l, "Type:"), strings.HasPrefix(l, "Time:"):
			continue
		case rows < 0 && strings.HasPrefix(strings.TrimSpace(l), "flat"):
			rows = 0
		case rows >= 0:
			if rows == n {
				return strings.Join(out, "\n") + "\n"
			}
			rows++
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n") + "\n"
}

func firstErr(errs []string) string {
	if len(errs) == 0 {
		return "no result"
	}
	e := errs[0]
	if len(e) > 120 {
		e = e[:120] + "…"
	}
	return strings.ReplaceAll(e, "|", "/")
}

func sizeName(n int) string {
	if n%1024 == 0 {
		return strconv.Itoa(n/1024) + " KiB"
	}
	return strconv.Itoa(n) + "-byte"
}

// cell formats a spread; prec -3 writes thousands as "k".
func cell(s spread, prec int) string {
	f := func(v float64) string {
		if prec == -3 {
			if v >= 1000 {
				return strconv.FormatFloat(v/1000, 'f', 1, 64) + "k"
			}
			return strconv.FormatFloat(v, 'f', 0, 64)
		}
		return strconv.FormatFloat(v, 'f', prec, 64)
	}
	if s.N == 1 {
		return "**" + f(s.Median) + "**"
	}
	return "**" + f(s.Median) + "** [" + f(s.Min) + " – " + f(s.Max) + "]"
}
