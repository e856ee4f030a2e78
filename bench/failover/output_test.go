package failover

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rserpool/rserpool/sctp"
)

// sample is a small run: three messages, one lost, over both paths.
func sample() *Timeline {
	tl := &Timeline{
		Mode: "simnet", Scenario: Scenarios()[2], Primary: simB1.Addr(),
		Cut: 15 * ms1, End: 2 * time.Second,
		Records: []Record{
			{Seq: 0, Sent: 0, Delivered: 5*ms1 + 250*time.Microsecond, Copies: 1, Path: PathPrimary},
			{Seq: 1, Sent: 10 * ms1, Copies: 0},
			{Seq: 2, Sent: 20 * ms1, Delivered: 61 * ms1, Copies: 1, Path: PathAlternate},
		},
		Events: []PathEvent{pathEvent(40*ms1, simB1, sctp.PathPotentiallyFailed)},
	}
	return tl
}

// The CSV has one row per message, seconds to the microsecond, and an
// empty delivery time and path for a lost message.
func TestWriteCSV(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, sample()); err != nil {
		t.Fatal(err)
	}
	want := "seq,sent_s,delivered_s,path\n" +
		"0,0.000000,0.005250,primary\n" +
		"1,0.010000,,\n" +
		"2,0.020000,0.061000,alternate\n"
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// The chart is an SVG document with both paths, the lost message and
// the two marks in its legend.
func TestWriteChart(t *testing.T) {
	var b bytes.Buffer
	if err := WriteChart(&b, sample()); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	if !strings.HasPrefix(s, "<?xml") || !strings.Contains(s, "<svg") {
		t.Fatalf("not an SVG document: %.80q", s)
	}
	for _, want := range []string{"via primary", "via alternate", "lost (at send time)", "cut", "primary out of active", "outage 1939.0 ms"} {
		if !strings.Contains(s, want) {
			t.Errorf("the chart lacks %q", want)
		}
	}
}

// The zoom shows half its span before the cut and eight RTO.min after,
// within the run; RTO.min 0 stands for the RFC's 1 s.
func TestZoomWindow(t *testing.T) {
	tl := sample()
	tl.Cut = 5 * time.Second
	tl.End = 20 * time.Second
	if from, to := zoomWindow(tl); from != 5*time.Second-160*ms1 || to != 5*time.Second+320*ms1 {
		t.Fatalf("LAN: %v..%v", from, to)
	}
	tl.Scenario = Scenarios()[0]
	if from, to := zoomWindow(tl); from != time.Second || to != 13*time.Second {
		t.Fatalf("RFC: %v..%v", from, to)
	}
}

// Save writes the three files of a run, and the README tabulates every
// summary in the directory, simnet first, in the scenarios' order.
func TestSaveAndReadme(t *testing.T) {
	dir := t.TempDir()
	a := sample()
	b := sample()
	b.Mode = "veth"
	c := sample()
	c.Scenario = Scenarios()[0]
	for _, tl := range []*Timeline{b, a, c} {
		if err := Save(dir, tl); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"simnet-lan-pf.csv", "simnet-lan-pf.svg", "simnet-lan-pf.json", "veth-lan-pf.json", "simnet-rfc.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteReadme(dir); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	if !strings.Contains(s, Command) {
		t.Error("the README lacks the command")
	}
	if !strings.Contains(s, "- veth, LAN timers + PF: without netem; the cut took 0.00 ms; the sender's longest pause between two messages was 10.0 ms; load average unknown") {
		t.Errorf("the README lacks the veth run's note:\n%s", s)
	}
	if strings.Contains(s, "- simnet, LAN timers + PF: without netem") {
		t.Error("the README has a veth note for a simnet run")
	}
	rows := []string{
		"| simnet | RFC 9260 defaults (RTO.min 1s, RTO.max 60s, Path.Max.Retrans 5, HB.interval 30s) |",
		"| simnet | LAN timers + PF (RTO.min 40ms, RTO.initial 100ms, RTO.max 400ms, HB.interval 50ms, PF on, PFMR 0) | 25.0 ms | 1939.0 ms | cut+0.046 s | 55.8 ms | 60.0 ms | 1 | 0 | 0 | 3 |",
		"| veth | LAN timers + PF",
	}
	last := -1
	for _, row := range rows {
		i := strings.Index(s, row)
		if i < 0 {
			t.Fatalf("the README lacks %q:\n%s", row, s)
		}
		if i < last {
			t.Fatalf("%q out of order", row)
		}
		last = i
	}
}

// The whole-run panel thins a steady stream but keeps the first message
// after a gap, so the outage shows as it is, to within the thinning.
func TestChartThinning(t *testing.T) {
	tl := &Timeline{Mode: "simnet", Scenario: Scenarios()[2], Cut: 10 * time.Second, End: 20 * time.Second}
	for i := range 2000 {
		d := time.Duration(i) * Interval
		if i >= 1000 {
			d += 500 * ms1 // the outage: 990 ms to 1500 ms
		}
		tl.Records = append(tl.Records, Record{Seq: uint64(i), Sent: d, Delivered: d, Copies: 1, Path: PathPrimary})
	}
	xys := panelPoints(tl, 0, tl.End, 500).primary
	if len(xys) < 100 || len(xys) > 1000 {
		t.Fatalf("%d points drawn of 2000", len(xys))
	}
	seen := map[float64]bool{}
	for _, xy := range xys {
		seen[xy.Y] = true
	}
	if !seen[0] || !seen[1000] {
		t.Fatalf("the first message or the first after the gap is missing")
	}
	var gap bool
	for i := 1; i < len(xys); i++ {
		if xys[i].X-xys[i-1].X > 0.5 {
			gap = xys[i-1].X <= 9.99+1e-9 && xys[i].X >= 10.5-1e-9
		}
	}
	if !gap {
		t.Fatal("the gap is not drawn from 9.99 s to 10.5 s")
	}
}
