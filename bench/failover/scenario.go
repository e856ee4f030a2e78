package failover

import (
	"time"

	"github.com/rserpool/rserpool/sctp"
)

// Scenario is one configuration of the endpoints and the length of its
// run.
type Scenario struct {
	Name  string // short, used in file names
	Title string // for tables and charts
	// Config is given to both endpoints.
	Config sctp.Config
	// Duration is how long the sender streams, from the first message.
	Duration time.Duration
	// Bound is the outage the configuration promises, 0 when it promises
	// none.
	Bound time.Duration
}

// The stream and the network every scenario shares.
const (
	// Interval is the time between two messages.
	Interval = 10 * time.Millisecond
	// MessageSize is the size of every message: one DATA chunk each.
	MessageSize = 1 << 10
	// CutAt is when the primary is cut, from the first message: 5 s and
	// half an interval, so that no message is sent at the instant of the
	// cut. In virtual time the two would happen at once, and which came
	// first would be up to the goroutine scheduler.
	CutAt = 5*time.Second + Interval/2
	// Drain is how long the receiver waits, after the last message was
	// sent, for the ones still on their way.
	Drain = 30 * time.Second
	// RTT is the round trip time of each path: 5 ms each way.
	RTT = 10 * time.Millisecond
	// Jitter is added to each packet's one-way delay, uniformly.
	Jitter = time.Millisecond
	// Loss is the probability that a packet is lost, on either path.
	Loss = 0.001
)

// Scenarios returns the configurations the benchmark compares:
//
//   - rfc: every protocol parameter at its RFC 9260 §16 default (RTO.Min
//     1 s, Path.Max.Retrans 5, HB.interval 30 s). New data keeps going
//     to the primary until it is marked inactive, after
//     Path.Max.Retrans + 1 timeouts with back-off (about a minute);
//     retransmissions already go to the alternate path (§6.4.1).
//   - rfc-pf: the same timers with SCTP-PF at its recommended
//     PotentiallyFailed.Max.Retrans of 0 (RFC 7829 §3.2): the first
//     timeout moves the data, so the outage is about one RTO.Min.
//   - lan-pf: timers for a LAN, RTO.Min and HB.interval in tens of
//     milliseconds, with SCTP-PF. RTO.Min is 40 ms, not lower, because
//     a stream of one message every 10 ms has each odd packet
//     acknowledged only when the next one arrives (RFC 9260 §6.2 asks
//     for a SACK every second packet), so its acknowledgements come up
//     to RTT + Interval = 20 ms after it was sent, and SRTT + 4 RTTVAR
//     settles at about 35 ms.
//   - lan-pf-rto20: the same with RTO.Min 20 ms, to show what a timer
//     shorter than that delay does: timeouts with nothing lost, each of
//     which SCTP-PF answers by moving the data.
//
// The outage bounds are RTO.Min + 2 RTT: a message lost with the primary
// is sent again to the alternate path when the retransmission timer
// expires, RTO.Min after it was sent when the timer sits at its floor,
// and arrives half a round trip later, while the message before it was
// delivered half a round trip after it was sent, at most one Interval
// (one RTT here) earlier. The second RTT leaves room for jitter and for
// the timer having been restarted by a late acknowledgement.
func Scenarios() []Scenario {
	return []Scenario{
		{
			Name:     "rfc",
			Title:    "RFC 9260 defaults",
			Duration: 90 * time.Second,
		},
		{
			Name:     "rfc-pf",
			Title:    "RFC defaults + PF (PFMR=0)",
			Config:   sctp.Config{PotentiallyFailed: true},
			Duration: 20 * time.Second,
			Bound:    time.Second + 2*RTT,
		},
		lan("lan-pf", "LAN timers + PF", 40*time.Millisecond, true),
		lan("lan-pf-rto20", "LAN timers + PF, RTO.min 20 ms", 20*time.Millisecond, false),
	}
}

// lan returns the LAN configuration with RTO.Min rtoMin; bounded says
// whether it promises the outage bound.
func lan(name, title string, rtoMin time.Duration, bounded bool) Scenario {
	sc := Scenario{
		Name:  name,
		Title: title,
		Config: sctp.Config{
			PotentiallyFailed: true,
			RTOMin:            rtoMin,
			RTOInitial:        100 * time.Millisecond,
			RTOMax:            400 * time.Millisecond,
			HeartbeatInterval: 50 * time.Millisecond,
		},
		Duration: 20 * time.Second,
	}
	if bounded {
		sc.Bound = rtoMin + 2*RTT
	}
	return sc
}
