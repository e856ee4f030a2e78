package failover

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Command is the command that makes the results directory, from the
// repository's root.
const Command = "cd bench && go test -count=1 -v -run 'TestFailover(Simnet|Veth)$' ./failover/ " +
	"-failover.out=../results/failover -failover.veth"

// WriteReadme writes README.md in dir: a table of every run whose
// summary (*.json) is there, with how the runs were made.
func WriteReadme(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	var runs []Summary
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var s Summary
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		runs = append(runs, s)
	}
	order := map[string]int{}
	for i, sc := range Scenarios() {
		order[sc.Name] = i
	}
	slices.SortFunc(runs, func(a, b Summary) int {
		return cmp.Or(cmp.Compare(modeOrder(a.Mode), modeOrder(b.Mode)), cmp.Compare(order[a.Scenario], order[b.Scenario]))
	})
	return os.WriteFile(filepath.Join(dir, "README.md"), readme(runs), 0o644)
}

func modeOrder(m string) int {
	if m == "simnet" {
		return 0
	}
	return 1
}

func readme(runs []Summary) []byte {
	var b bytes.Buffer
	p := func(f string, a ...any) { fmt.Fprintf(&b, f, a...) }
	p("# Failover benchmark results\n\n")
	p("Made by `bench/failover` (package doc and bench/README.md, section Failover) with:\n\n")
	p("```sh\n%s\n```\n\n", Command)
	p("A sender streams one %d-byte message every %v, ordered, on one stream, to a receiver\n", MessageSize, Interval)
	p("with two addresses; at %v the receiver's primary address is cut. The stream lasts", CutAt)
	for i, sc := range Scenarios() {
		sep := ","
		if i == 0 {
			sep = ""
		}
		p("%s %v for %s", sep, sc.Duration, sc.Name)
	}
	p(";\nthen the receiver waits up to %v for the messages still on their way.\n\n", Drain)
	p("- **simnet**: package sctp/simnet in a testing/synctest bubble (virtual time), two paths of\n")
	p("  RTT %v (%v each way) plus up to %v of uniform jitter per packet, %.1f%% loss on every\n", RTT, RTT/2, Jitter, Loss*100)
	p("  packet; the cut is `Network.Down` of the primary address.\n")
	p("- **veth**: RFC 6951 UDP encapsulation (sctp/udpencap) between two network namespaces\n")
	p("  joined by two veth pairs (10.77.1.0/24 primary, 10.77.2.0/24 alternate), real time; the\n")
	p("  cut takes the receiver's primary interface down (`ip link set fb1 down`, made as one netlink\n")
	p("  request). netem (5 ms ± 1 ms, 0.1%% loss) is added where the kernel has it; the notes under\n")
	p("  the table say whether it was. The two endpoints share the machine with whatever else runs on\n")
	p("  it, so these figures include its scheduling delays; the notes give its load.\n\n")
	p("Detection: from the cut to the sender's path event that takes the primary out of active\n")
	p("(potentially failed or inactive). Outage: the longest gap between two consecutive messages\n")
	p("reaching the receiver's application over the whole run (when messages are lost, also from the\n")
	p("last delivery to the end); *starts* is where that gap began, from the cut; *at the cut* is\n")
	p("the longest gap overlapping the time from the cut to its detection, the failover's own, when\n")
	p("the outage is a loss recovered elsewhere in the run. False alarms: the\n")
	p("times the primary left active before the cut. Bound: the outage the configuration must keep\n")
	p("to in simnet, RTO.min + 2 RTT.\n\n")
	p("| mode | configuration | detection | outage | starts | at the cut | bound | lost | duplicated | false alarms | messages | SRTT before cut |\n")
	p("|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, s := range runs {
		det := "none"
		if s.Detected {
			det = fmtMs(s.DetectionMs)
		}
		bound := "–"
		if s.BoundMs > 0 {
			bound = fmtMs(s.BoundMs)
		}
		var srtt []string
		for _, v := range s.SRTTMs {
			srtt = append(srtt, fmt.Sprintf("%.2f ms", v))
		}
		p("| %s | %s (%s) | %s | %s | cut%+.3f s | %s | %s | %d | %d | %d | %d | %s |\n",
			s.Mode, s.Title, s.Settings, det, fmtMs(s.OutageMs), s.OutageFromCutMs/1000, fmtMs(s.AtCutMs), bound,
			s.Lost, s.Duplicated, s.FalseAlarms, s.Sent, strings.Join(srtt, " / "))
	}
	p("\n")
	for _, s := range runs {
		if s.Err != "" {
			p("- %s, %s: the run ended early: %s\n", s.Mode, s.Title, s.Err)
		}
		if s.Mode != "simnet" {
			netem := map[bool]string{true: "with", false: "without"}[s.Netem]
			load := cmp.Or(s.Load, "unknown")
			p("- %s, %s: %s netem; the cut took %s; the sender's longest pause between two messages was %s; load average %s at the end of the run.\n",
				s.Mode, s.Title, netem, fmtMs(s.CutTookMs), fmtMs(s.SendGapMs), load)
		}
	}
	p("\n")
	p("Per run, `MODE-CONFIG.csv` is the timeline (seq, sent_s, delivered_s, path: the receiver's\n")
	p("address the message's DATA chunk first arrived at), `MODE-CONFIG.svg` its chart (delivery\n")
	p("time of each message coloured by path, the cut and the detection as dashed lines; the right\n")
	p("panel zooms on the cut) and `MODE-CONFIG.json` the figures with the sender's path events.\n\n")
	for _, s := range runs {
		name := s.Mode + "-" + s.Scenario
		p("### %s, %s\n\n![%s](%s.svg)\n\n", s.Mode, s.Title, name, name)
	}
	if len(runs) > 0 {
		p("Go: %s.\n", runs[0].Go)
	}
	return b.Bytes()
}

// fmtMs prints milliseconds with two decimals below 10 ms, one below
// 10 s, and as seconds above.
func fmtMs(v float64) string {
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f ms", v)
	case v < 10000:
		return fmt.Sprintf("%.1f ms", v)
	}
	return fmt.Sprintf("%.2f s", v/1000)
}
