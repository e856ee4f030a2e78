package session

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// report measures a run: each kill's outage ends with the first answer
// after a failover, from another pool element or from the killed one
// started again; a pong whose counter is not its sequence
// number lost state. It fails the test on lost requests, lost state or
// a kill not recovered from, and with -update writes mode-pings.csv,
// mode-kills.csv, mode-summary.txt and mode-timeline.svg.
func report(t *testing.T, mode, header string, pings []ping, ks []kill, lost int) {
	t.Helper()
	var outages []time.Duration
	for i := range ks {
		for _, p := range pings {
			if p.at > ks[i].at && p.failovers > ks[i].failovers {
				ks[i].recovered = p.at
				outages = append(outages, p.at-ks[i].at)
				break
			}
		}
	}
	stateLost := 0
	for _, p := range pings {
		if p.count != p.seq {
			stateLost++
		}
	}
	slices.Sort(outages)
	pct := func(q float64) time.Duration {
		if len(outages) == 0 {
			return 0
		}
		return outages[min(len(outages)-1, int(q*float64(len(outages))))]
	}
	sum := fmt.Sprintf("%s\nkills %d, recovered %d\nkill to first answer from the new PE: p50 %v, p99 %v, max %v\n"+
		"pings answered %d, requests lost %d, state lost %d\n",
		header, len(ks), len(outages), pct(0.5), pct(0.99), pct(1), len(pings), lost, stateLost)
	t.Log(sum)
	if lost != 0 || stateLost != 0 {
		t.Errorf("requests lost %d, state lost %d", lost, stateLost)
	}
	if len(outages) != len(ks) {
		t.Errorf("%d of %d kills recovered", len(outages), len(ks))
	}
	if !*update {
		return
	}
	dir := filepath.Join("..", "results", "session")
	var b strings.Builder
	b.WriteString("at_ms,seq,counter,pe,rtt_ms\n")
	for _, p := range pings {
		fmt.Fprintf(&b, "%.3f,%d,%d,%d,%.3f\n", ms(p.at), p.seq, p.count, p.pe, ms(p.rtt))
	}
	write(t, filepath.Join(dir, mode+"-pings.csv"), b.String())
	b.Reset()
	b.WriteString("kill_ms,pe,recovered_ms,outage_ms\n")
	for _, k := range ks {
		fmt.Fprintf(&b, "%.3f,%d,%.3f,%.3f\n", ms(k.at), k.pe, ms(k.recovered), ms(k.recovered-k.at))
	}
	write(t, filepath.Join(dir, mode+"-kills.csv"), b.String())
	write(t, filepath.Join(dir, mode+"-summary.txt"), sum)
	f, err := os.Create(filepath.Join(dir, mode+"-timeline.svg"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := writeChart(f, mode, pings, ks); err != nil {
		t.Fatal(err)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func write(t *testing.T, path, s string) {
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
