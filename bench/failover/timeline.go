package failover

import (
	"net/netip"
	"slices"
	"time"

	"github.com/rserpool/rserpool/sctp"
)

// Record is what happened to one message. Times are measured from the
// start of the stream.
type Record struct {
	Seq       uint64
	Sent      time.Duration // when Send was called
	Delivered time.Duration // when Receive first returned it; valid when Copies > 0
	Copies    int           // how many times Receive returned it
	Path      string        // PathPrimary, PathAlternate, or "" when no arrival was seen
}

// The names of the two paths, by the receiver's address the message
// arrived at.
const (
	PathPrimary   = "primary"
	PathAlternate = "alternate"
)

// PathEvent is a path or primary change the sender reported.
type PathEvent struct {
	At     time.Duration
	Kind   sctp.EventKind // sctp.EventPath or sctp.EventPrimary
	Addr   netip.AddrPort
	State  sctp.PathState // EventPath only
	Reason string
}

// Timeline is the record of one run.
type Timeline struct {
	Mode     string // "simnet" or "veth"
	Scenario Scenario
	Primary  netip.Addr    // the receiver's primary address, the one cut
	Cut      time.Duration // when the primary was cut
	CutTook  time.Duration // how long the cut took to make
	End      time.Duration // when the receiver stopped waiting
	Records  []Record      // one per message Send accepted, by sequence number
	Events   []PathEvent   // the sender's path events, in order
	Err      string        // why the association ended early, if it did
	Netem    bool          // veth mode: the links had netem delay and loss
	Load     string        // veth mode: the load average at the end
	// BeforeCut is the sender's view of the paths just before the cut.
	BeforeCut []sctp.PathStats
}

// Result sums a timeline up.
type Result struct {
	Sent, Delivered int
	// Detected reports whether the sender took the primary out of the
	// active state after the cut; Detection is how long that took.
	Detected  bool
	Detection time.Duration
	// Outage is the longest time without a new delivery, starting at
	// OutageFrom.
	Outage, OutageFrom time.Duration
	// AtCut is the longest time without a new delivery that overlaps
	// the failover: from the cut to its detection (to the end of the
	// run when it was not detected). Outage may lie elsewhere, after a
	// loss the alternate path recovered from.
	AtCut            time.Duration
	Lost, Duplicated int
	// FalseAlarms counts the times the sender took the primary out of
	// the active state before the cut: timeouts with nothing lost but
	// time.
	FalseAlarms int
	// SendGap is the longest time between two messages sent: more than
	// Interval when Send blocked or, in real time, when the sender was
	// not scheduled. A delivery gap no longer than it is not the
	// network's.
	SendGap time.Duration
}

// Result computes the figures of the run.
func (t *Timeline) Result() Result {
	var r Result
	r.Sent = len(t.Records)
	var times []time.Duration
	for _, rec := range t.Records {
		switch {
		case rec.Copies == 0:
			r.Lost++
		case rec.Copies > 1:
			r.Duplicated++
		}
		if rec.Copies > 0 {
			times = append(times, rec.Delivered)
		}
	}
	for i := 1; i < len(t.Records); i++ {
		r.SendGap = max(r.SendGap, t.Records[i].Sent-t.Records[i-1].Sent)
	}
	r.Delivered = len(times)
	slices.Sort(times)
	type gap struct{ from, to time.Duration }
	var gaps []gap
	for i := 1; i < len(times); i++ {
		gaps = append(gaps, gap{times[i-1], times[i]})
	}
	if r.Lost > 0 {
		// The stream never came back for the lost ones: the outage runs
		// to the end of the run, from the last delivery or the start.
		var last time.Duration
		if len(times) > 0 {
			last = times[len(times)-1]
		}
		gaps = append(gaps, gap{last, t.End})
	}
	for _, g := range gaps {
		if g.to-g.from > r.Outage {
			r.Outage, r.OutageFrom = g.to-g.from, g.from
		}
	}
	for _, ev := range t.Events {
		if ev.Kind != sctp.EventPath || ev.Addr.Addr().Unmap() != t.Primary || ev.State == sctp.PathActive {
			continue
		}
		if ev.At < t.Cut {
			r.FalseAlarms++
		} else if !r.Detected {
			r.Detected, r.Detection = true, ev.At-t.Cut
		}
	}
	until := t.End
	if r.Detected {
		until = t.Cut + r.Detection
	}
	for _, g := range gaps {
		if g.to > t.Cut && g.from <= until {
			r.AtCut = max(r.AtCut, g.to-g.from)
		}
	}
	return r
}
