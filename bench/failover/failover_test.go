package failover

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"testing/synctest"
)

var (
	outDir = flag.String("failover.out", "", "write each run's CSV, SVG and JSON and the README into this directory")
	veth   = flag.Bool("failover.veth", false, "run the veth mode too (needs root: it creates network namespaces)")
	seeds  = flag.Int("failover.seeds", 12, "seeds TestFailoverSimnetSeeds runs per bounded configuration")
)

// checkRun asserts what every run of sc must show: it ran to its end,
// nothing was lost or handed over twice, the cut was detected, and, in
// simnet, the outage kept to the configuration's bound.
func checkRun(t *testing.T, tl *Timeline, bounded bool) {
	t.Helper()
	r := tl.Result()
	t.Logf("%s %s: detection %s, outage %s at cut%+.3fs, at the cut %s, lost %d, duplicated %d, false alarms %d, %d messages",
		tl.Mode, tl.Scenario.Name, fmtDetection(r), fmtDur(r.Outage), (r.OutageFrom - tl.Cut).Seconds(), fmtDur(r.AtCut),
		r.Lost, r.Duplicated, r.FalseAlarms, r.Sent)
	if tl.Err != "" {
		t.Errorf("%s: %s", tl.Scenario.Name, tl.Err)
	}
	if r.Sent < int(tl.Scenario.Duration/Interval)/4 {
		t.Errorf("%s: only %d messages sent", tl.Scenario.Name, r.Sent)
	}
	if r.Lost != 0 || r.Duplicated != 0 {
		t.Errorf("%s: %d messages lost, %d duplicated; want none", tl.Scenario.Name, r.Lost, r.Duplicated)
	}
	if !r.Detected {
		t.Errorf("%s: the sender never took the primary out of active", tl.Scenario.Name)
	}
	if bounded && tl.Scenario.Bound > 0 && r.Outage > tl.Scenario.Bound {
		t.Errorf("%s: outage %v beyond the bound RTO.min + 2 RTT = %v", tl.Scenario.Name, r.Outage, tl.Scenario.Bound)
	}
}

// Each configuration over simnet in virtual time: the figures the
// results directory holds, and the bounds the configurations promise.
func TestFailoverSimnet(t *testing.T) {
	for _, sc := range Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			var tl *Timeline
			synctest.Test(t, func(t *testing.T) {
				var err error
				if tl, err = RunSimnet(sc, 1); err != nil {
					t.Fatal(err)
				}
			})
			checkRun(t, tl, true)
			save(t, tl)
		})
	}
}

// The bounds hold for other seeds too: other losses, other jitter.
func TestFailoverSimnetSeeds(t *testing.T) {
	n := *seeds
	if testing.Short() {
		n = min(n, 3)
	}
	for _, sc := range Scenarios() {
		if sc.Bound == 0 {
			continue
		}
		t.Run(sc.Name, func(t *testing.T) {
			for seed := uint64(2); seed < uint64(2+n); seed++ {
				synctest.Test(t, func(t *testing.T) {
					tl, err := RunSimnet(sc, seed)
					if err != nil {
						t.Fatal(err)
					}
					checkRun(t, tl, true)
				})
			}
		})
	}
}

// A seed gives one timeline: every message's times and path and every
// path event are the same from run to run, so the committed results can
// be made again exactly.
func TestFailoverSimnetRepeatable(t *testing.T) {
	for _, sc := range Scenarios() {
		for seed := uint64(1); seed <= 3; seed++ {
			var runs [2]*Timeline
			for i := range runs {
				synctest.Test(t, func(t *testing.T) {
					var err error
					if runs[i], err = RunSimnet(sc, seed); err != nil {
						t.Fatal(err)
					}
				})
			}
			a, b := runs[0], runs[1]
			if !slices.Equal(a.Records, b.Records) || !slices.Equal(a.Events, b.Events) || a.Cut != b.Cut || a.End != b.End {
				t.Fatalf("%s, seed %d: two runs differ: %+v, then %+v", sc.Name, seed, a.Result(), b.Result())
			}
		}
	}
}

// Each configuration over UDP encapsulation between two network
// namespaces, in real time. The outage bounds are simnet's promise and
// are only reported here.
func TestFailoverVeth(t *testing.T) {
	if !*veth {
		t.Skip("the veth mode runs with -failover.veth (root: it creates network namespaces and veth pairs; about 3 minutes)")
	}
	for _, sc := range Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			tl, err := RunVeth(sc)
			if ue := (*UnavailableError)(nil); errors.As(err, &ue) {
				t.Skip(ue.Error())
			}
			if err != nil {
				t.Fatal(err)
			}
			checkRun(t, tl, false)
			save(t, tl)
		})
	}
}

// save writes the run into -failover.out, if given, and rewrites the
// README there.
func save(t *testing.T, tl *Timeline) {
	t.Helper()
	if *outDir == "" {
		return
	}
	if err := Save(*outDir, tl); err != nil {
		t.Fatal(err)
	}
	if err := WriteReadme(*outDir); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkFailover reports the figures of each configuration as custom
// metrics: outage_ms, detection_ms, lost, duplicated, false_alarms. A
// synctest bubble needs a *testing.T, so each op runs TestFailoverSimnet
// for one configuration in a child process of the test binary and reads
// the summary it writes; ns/op is what simulating the run costs. With
// -failover.veth the veth mode is measured the same way.
func BenchmarkFailover(b *testing.B) {
	modes := []string{"simnet"}
	if *veth {
		modes = append(modes, "veth")
	}
	for _, mode := range modes {
		test := map[string]string{"simnet": "TestFailoverSimnet", "veth": "TestFailoverVeth"}[mode]
		for _, sc := range Scenarios() {
			b.Run(mode+"/"+sc.Name, func(b *testing.B) {
				var s Summary
				for b.Loop() {
					s = child(b, test, mode, sc.Name)
				}
				b.ReportMetric(s.OutageMs, "outage_ms")
				b.ReportMetric(s.DetectionMs, "detection_ms")
				b.ReportMetric(float64(s.Lost), "lost")
				b.ReportMetric(float64(s.Duplicated), "duplicated")
				b.ReportMetric(float64(s.FalseAlarms), "false_alarms")
			})
		}
	}
}

// child runs one configuration's test in a child process and returns
// its summary.
func child(b *testing.B, test, mode, name string) Summary {
	dir := b.TempDir()
	args := []string{"-test.run=^" + test + "$/^" + name + "$", "-test.count=1", "-failover.out=" + dir}
	if mode == "veth" {
		args = append(args, "-failover.veth")
	}
	cmd := exec.Command(os.Args[0], args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("%s/%s: %v\n%s", mode, name, err, out)
	}
	raw, err := os.ReadFile(filepath.Join(dir, mode+"-"+name+".json"))
	if err != nil {
		b.Fatalf("%s/%s: no summary (skipped?): %v\n%s", mode, name, err, out)
	}
	var s Summary
	if err := json.Unmarshal(raw, &s); err != nil {
		b.Fatal(err)
	}
	return s
}
