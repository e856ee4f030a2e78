package failover

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/rserpool/rserpool/sctp"
)

// Summary is what the results directory keeps of a run besides its
// timeline: the figures, the context needed to read them, and the
// sender's path events. Durations are in milliseconds.
type Summary struct {
	Mode        string  `json:"mode"`
	Scenario    string  `json:"scenario"`
	Title       string  `json:"title"`
	Settings    string  `json:"settings"`
	BoundMs     float64 `json:"bound_ms,omitempty"`
	Sent        int     `json:"sent"`
	Delivered   int     `json:"delivered"`
	Detected    bool    `json:"detected"`
	DetectionMs float64 `json:"detection_ms"`
	OutageMs    float64 `json:"outage_ms"`
	// OutageFromCutMs is when the longest gap began, from the cut.
	OutageFromCutMs float64       `json:"outage_from_cut_ms"`
	AtCutMs         float64       `json:"outage_at_cut_ms"`
	Lost            int           `json:"lost"`
	Duplicated      int           `json:"duplicated"`
	FalseAlarms     int           `json:"false_alarms"`
	SendGapMs       float64       `json:"send_gap_ms"`
	Err             string        `json:"error,omitempty"`
	Netem           bool          `json:"netem,omitempty"`
	CutTookMs       float64       `json:"cut_took_ms"`
	Load            string        `json:"load,omitempty"`
	SRTTMs          []float64     `json:"srtt_before_cut_ms"`
	RTOMs           []float64     `json:"rto_before_cut_ms"`
	Go              string        `json:"go"`
	Events          []eventRecord `json:"events"`
}

// eventRecord is a PathEvent as the summary stores it.
type eventRecord struct {
	AtMs   float64 `json:"at_ms"`
	Kind   string  `json:"kind"`
	Addr   string  `json:"addr"`
	State  string  `json:"state,omitempty"`
	Reason string  `json:"reason"`
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Summarize returns the summary of a run.
func (t *Timeline) Summarize() Summary {
	r := t.Result()
	s := Summary{
		Mode: t.Mode, Scenario: t.Scenario.Name, Title: t.Scenario.Title,
		Settings: settings(t.Scenario), BoundMs: ms(t.Scenario.Bound),
		Sent: r.Sent, Delivered: r.Delivered,
		Detected: r.Detected, DetectionMs: ms(r.Detection),
		OutageMs: ms(r.Outage), OutageFromCutMs: ms(r.OutageFrom - t.Cut), AtCutMs: ms(r.AtCut),
		Lost: r.Lost, Duplicated: r.Duplicated, FalseAlarms: r.FalseAlarms, SendGapMs: ms(r.SendGap),
		Err: t.Err, Netem: t.Netem, CutTookMs: ms(t.CutTook), Load: t.Load, Go: runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH,
	}
	for _, p := range t.BeforeCut {
		s.SRTTMs = append(s.SRTTMs, ms(p.SRTT))
		s.RTOMs = append(s.RTOMs, ms(p.RTO))
	}
	for _, ev := range t.Events {
		e := eventRecord{AtMs: ms(ev.At), Kind: ev.Kind.String(), Addr: ev.Addr.String(), Reason: ev.Reason}
		if ev.Kind == sctp.EventPath {
			e.State = ev.State.String()
		}
		s.Events = append(s.Events, e)
	}
	return s
}

// settings describes the protocol parameters a scenario changes.
func settings(sc Scenario) string {
	c := sc.Config
	s := ""
	add := func(f string, a ...any) {
		if s != "" {
			s += ", "
		}
		s += fmt.Sprintf(f, a...)
	}
	if c.RTOMin != 0 {
		add("RTO.min %v", c.RTOMin)
	}
	if c.RTOInitial != 0 {
		add("RTO.initial %v", c.RTOInitial)
	}
	if c.RTOMax != 0 {
		add("RTO.max %v", c.RTOMax)
	}
	if c.HeartbeatInterval != 0 {
		add("HB.interval %v", c.HeartbeatInterval)
	}
	if c.PotentiallyFailed {
		add("PF on, PFMR %d", c.PFMaxRetrans)
	}
	if s == "" {
		s = "RTO.min 1s, RTO.max 60s, Path.Max.Retrans 5, HB.interval 30s"
	}
	return s
}

// Save writes the run's timeline as CSV, its chart as SVG and its
// summary as JSON into dir, named after the mode and the scenario.
func Save(dir string, t *Timeline) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	base := filepath.Join(dir, t.Mode+"-"+t.Scenario.Name)
	write := func(name string, f func(*os.File) error) error {
		fh, err := os.Create(name)
		if err != nil {
			return err
		}
		if err := f(fh); err != nil {
			fh.Close()
			return fmt.Errorf("%s: %w", name, err)
		}
		return fh.Close()
	}
	if err := write(base+".csv", func(f *os.File) error { return WriteCSV(f, t) }); err != nil {
		return err
	}
	if err := write(base+".svg", func(f *os.File) error { return WriteChart(f, t) }); err != nil {
		return err
	}
	return write(base+".json", func(f *os.File) error {
		e := json.NewEncoder(f)
		e.SetIndent("", "  ")
		return e.Encode(t.Summarize())
	})
}
