package rserpool

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Results is everything one benchmark run measured, each figure over
// every repetition.
type Results struct {
	Date        time.Time `json:"date"`
	Go          string    `json:"go"`
	Platform    string    `json:"platform"`
	CPU         string    `json:"cpu"`
	CPUs        int       `json:"cpus"`
	Command     string    `json:"command"`
	EnrpCommand string    `json:"enrp_command"`
	Runs        int       `json:"runs"`

	Elements int `json:"elements"`
	Pools    int `json:"pools"`

	// Enrp holds the registrar's own benchmarks: benchmark name, then
	// unit, then one value per run.
	Enrp map[string]map[string][]float64 `json:"enrp"`

	InProcess      []wireResult `json:"in_process"`
	InProcessShape wireConfig   `json:"in_process_shape"`
	Process        []wireResult `json:"process"`
	ProcessShape   wireConfig   `json:"process_shape"`
}

func environment(r *Results) {
	r.Date = time.Now().UTC()
	r.Go = runtime.Version()
	r.Platform = runtime.GOOS + "/" + runtime.GOARCH
	r.CPUs = runtime.NumCPU()
	r.CPU = "unknown"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		defer f.Close()
		s := bufio.NewScanner(f)
		for s.Scan() {
			if k, v, ok := strings.Cut(s.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				r.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
}

// writeResults writes results.json and README.md into dir.
func writeResults(dir string, r *Results) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "README.md"))
	if err != nil {
		return err
	}
	writeReadme(f, r)
	return f.Close()
}

// row writes one table row: the median of the samples with their
// range, scaled and formatted.
func row(w io.Writer, name string, samples []float64, scale float64, format, unit string) {
	if len(samples) == 0 {
		fmt.Fprintf(w, "| %s | - | - | - | |\n", name)
		return
	}
	s := summarize(samples)
	fmt.Fprintf(w, "| %s | "+format+" | "+format+" | "+format+" | %s |\n", name, s.Median*scale, s.Min*scale, s.Max*scale, unit)
}

func wire(rs []wireResult, f func(wireResult) float64) []float64 {
	out := make([]float64, len(rs))
	for i, r := range rs {
		out[i] = f(r)
	}
	return out
}

func writeReadme(w io.Writer, r *Results) {
	fmt.Fprintf(w, "# Registrar benchmark: %s pool elements in %d pools\n\n", thousands(r.Elements), r.Pools)
	fmt.Fprintf(w, "Made by `make bench-rserpool`, that is:\n\n```sh\n%s\n```\n\n", r.Command)
	fmt.Fprintf(w, "which also runs the registrar's own benchmarks from the repository's root:\n\n```sh\n%s\n```\n\n", r.EnrpCommand)
	fmt.Fprintf(w, "%s, %s, %s, %d CPUs (shared with other work), %s. Every figure is the median of %d runs, "+
		"with the smallest and the largest; results.json holds every run.\n\n",
		r.Go, r.Platform, r.CPU, r.CPUs, r.Date.Format("2006-01-02"), r.Runs)

	fmt.Fprintf(w, "## In process, without SCTP (package enrp's benchmarks)\n\n")
	fmt.Fprintf(w, "The registrar's handling of one request, from the decoded message to the encoded answer "+
		"queued for the association; the last row adds both SCTP stacks on simnet, one request at a time.\n\n")
	fmt.Fprintf(w, "| measure | median | min | max | unit |\n|---|---:|---:|---:|---|\n")
	e := r.Enrp
	row(w, "registration of a new element (10,000 into an empty registrar)", e["Register"]["registrations/s"], 1e-3, "%.0f", "k/s")
	row(w, "re-registration", e["Reregister"]["registrations/s"], 1e-3, "%.0f", "k/s")
	for _, p := range []string{"RoundRobin", "WeightedRandom", "LeastUsed"} {
		row(w, "handle resolution, 3 of 100, "+p, e["Resolve/"+p]["resolutions/s"], 1e-3, "%.0f", "k/s")
	}
	row(w, "handle resolution over SCTP on simnet, one at a time", e["ResolveSCTP"]["resolutions/s"], 1e-3, "%.1f", "k/s")
	fmt.Fprintln(w)

	fmt.Fprintf(w, "## Over the wire: SCTP over UDP on loopback\n\n")
	fmt.Fprintf(w, "A load generator in the benchmark's process speaks raw ASAP, one association per loopback "+
		"address. It registers the %s elements (element i in pool i mod %d, round robin), several "+
		"registrations outstanding per association; then resolves the pools in turn from %d associations "+
		"with %d requests outstanding each for %v (3 elements per answer, the registrar's default); then "+
		"resolves %d times one request at a time for the latency. Keep-alives are an hour apart, so that "+
		"the runs measure registration and resolution alone.\n\n",
		thousands(r.Elements), r.Pools, r.InProcessShape.Resolvers, r.InProcessShape.ResWindow, r.InProcessShape.ResDuration,
		r.InProcessShape.LatencySamples)
	fmt.Fprintf(w, "- **in-process registrar**: enrp.Registrar served on a udpencap endpoint in the benchmark's "+
		"process, its registrations per association raised to 10,000 in enrp.Config; %d associations, "+
		"%d registrations outstanding each. Memory: the Go heap (HeapAlloc after two collections) "+
		"before and after the registrations, per element: handlespace, policy state, keep-alive "+
		"schedule and expiry heap.\n", len(r.InProcessShape.Clients), r.InProcessShape.RegWindow)
	fmt.Fprintf(w, "- **rspregistrar process**: the command as deployed (-keepalive-interval 1h, "+
		"-log-level warn); its limit of 64 registrations per association has no flag, so %d associations "+
		"carry the elements, %d registrations outstanding each. Memory: the process's resident set "+
		"(VmRSS) before and after the registrations, per element; the Go runtime keeps what it took, so "+
		"this is the footprint as the system sees it.\n\n", len(r.ProcessShape.Clients), r.ProcessShape.RegWindow)
	fmt.Fprintf(w, "| measure | registrar | median | min | max | unit |\n|---|---|---:|---:|---:|---|\n")
	for _, v := range []struct {
		who string
		rs  []wireResult
	}{{"in-process", r.InProcess}, {"rspregistrar", r.Process}} {
		tag := func(s string) string { return s + " | " + v.who }
		row(w, tag("registrations"), wire(v.rs, func(x wireResult) float64 { return x.RegistrationsPerSec }), 1e-3, "%.1f", "k/s")
		row(w, tag("handle resolutions"), wire(v.rs, func(x wireResult) float64 { return x.ResolutionsPerSec }), 1e-3, "%.1f", "k/s")
		row(w, tag("resolution latency p50"), wire(v.rs, func(x wireResult) float64 { return float64(x.LatencyP50) }), 1e-3, "%.0f", "µs")
		row(w, tag("resolution latency p99"), wire(v.rs, func(x wireResult) float64 { return float64(x.LatencyP99) }), 1e-3, "%.0f", "µs")
		row(w, tag("memory per element"), wire(v.rs, func(x wireResult) float64 { return x.BytesPerElement }), 1, "%.0f", "bytes")
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Notes:\n\n")
	fmt.Fprintf(w, "- The load generator and the registrar share the machine's CPUs, so the wire figures are "+
		"those of both SCTP stacks and the registrar together; the in-process registrar also shares its Go "+
		"runtime with the load generator, and the process's requests cross a process boundary, which shows in "+
		"the latency.\n")
	fmt.Fprintf(w, "- A registration run is short (the %s registrations take a fraction of a second), so its "+
		"figure moves more from run to run than the others.\n", thousands(r.Elements))
	fmt.Fprintf(w, "- The heap figure counts live objects only. The resident set is larger: the Go runtime lets "+
		"the heap grow to about twice what is live before it collects (GOGC=100) and keeps the memory it "+
		"took from the system.\n")
}

// thousands writes n with a comma between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
