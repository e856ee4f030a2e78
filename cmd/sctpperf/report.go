package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rserpool/rserpool/internal/cli"
	"github.com/rserpool/rserpool/sctp"
)

// result is what a run measured: a client's run (mode "bulk" or "rr") or
// one association of the server (mode "server"). JSON names carry their
// unit; MB are 10^6 bytes.
type result struct {
	Mode      string `json:"mode"`
	Peer      string `json:"peer"`
	Size      int    `json:"size,omitempty"`
	Streams   int    `json:"streams,omitempty"`
	Unordered bool   `json:"unordered"`

	Messages uint64  `json:"messages"`
	Bytes    uint64  `json:"bytes"`
	Echoed   uint64  `json:"echoed,omitempty"` // server: messages sent back
	Seconds  float64 `json:"seconds"`
	MBps     float64 `json:"mb_per_s"`
	MsgsPerS float64 `json:"msgs_per_s"`

	Retransmissions uint64 `json:"retransmissions"`
	FastRetransmits uint64 `json:"fast_retransmits"`
	T3Expirations   uint64 `json:"t3_expirations"`
	PacketsSent     uint64 `json:"packets_sent"`
	PacketsReceived uint64 `json:"packets_received"`

	// Round trips of -rr, measured by the client from Send to Receive.
	RTTSamples uint64  `json:"rtt_samples,omitempty"`
	RTTp50us   float64 `json:"rtt_p50_us,omitempty"`
	RTTp99us   float64 `json:"rtt_p99_us,omitempty"`
	RTTMaxus   float64 `json:"rtt_max_us,omitempty"`
	// The primary path's smoothed RTT (RFC 9260 §6.3.1) at the end.
	SRTTus float64 `json:"srtt_us"`

	Graceful bool   `json:"graceful"`        // the association ended in a graceful shutdown
	Error    string `json:"error,omitempty"` // why it did not
}

// fill sets the rates and the association's counters.
func (r *result) fill(elapsed time.Duration, st sctp.Stats) {
	r.Seconds = elapsed.Seconds()
	if r.Seconds > 0 {
		r.MBps = float64(r.Bytes) / r.Seconds / 1e6
		r.MsgsPerS = float64(r.Messages) / r.Seconds
	}
	r.Retransmissions, r.FastRetransmits, r.T3Expirations = st.Retransmissions, st.FastRetransmits, st.T3Expirations
	for _, p := range st.Paths {
		r.PacketsSent += p.PacketsSent
		r.PacketsReceived += p.PacketsReceived
	}
	if len(st.Paths) > 0 {
		r.SRTTus = us(st.Paths[0].SRTT)
	}
}

func (r *result) fillLatency(l *cli.Latency) {
	r.RTTSamples = l.Count()
	r.RTTp50us, r.RTTp99us, r.RTTMaxus = us(l.Percentile(50)), us(l.Percentile(99)), us(l.Max())
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// write prints r as JSON or as a line of text.
func (r *result) write(w io.Writer, asJSON bool) {
	if asJSON {
		b, _ := json.Marshal(r)
		w.Write(append(b, '\n'))
		return
	}
	var b strings.Builder
	switch r.Mode {
	case "server":
		fmt.Fprintf(&b, "from %s: received %d messages, %d bytes", r.Peer, r.Messages, r.Bytes)
		if r.Echoed > 0 {
			fmt.Fprintf(&b, " (%d sent back)", r.Echoed)
		}
		fmt.Fprintf(&b, " in %.3f s: %.2f MB/s, %.0f msgs/s", r.Seconds, r.MBps, r.MsgsPerS)
	case "rr":
		fmt.Fprintf(&b, "rr to %s: %d round trips of %d bytes in %.3f s: %.0f per second, rtt p50 %.1f µs, p99 %.1f µs, max %.1f µs",
			r.Peer, r.Messages, r.Size, r.Seconds, r.MsgsPerS, r.RTTp50us, r.RTTp99us, r.RTTMaxus)
	default:
		fmt.Fprintf(&b, "bulk to %s: %d messages of %d bytes on %d stream", r.Peer, r.Messages, r.Size, r.Streams)
		if r.Streams != 1 {
			b.WriteByte('s')
		}
		if r.Unordered {
			b.WriteString(", unordered,")
		}
		fmt.Fprintf(&b, " in %.3f s: %.2f MB/s, %.0f msgs/s", r.Seconds, r.MBps, r.MsgsPerS)
	}
	fmt.Fprintf(&b, "; %d retransmissions, srtt %.1f µs", r.Retransmissions, r.SRTTus)
	if !r.Graceful {
		b.WriteString("; ended without a graceful shutdown")
		if r.Error != "" {
			b.WriteString(": " + r.Error)
		}
	}
	b.WriteByte('\n')
	io.WriteString(w, b.String())
}

// counter is what the progress lines read while a run goes on.
type counter struct {
	messages, bytes atomic.Uint64
}

func (c *counter) add(n int) {
	c.messages.Add(1)
	c.bytes.Add(uint64(n))
}

// progress prints a line every interval until stop is closed: the rate
// over the last interval.
func progress(w io.Writer, prefix string, c *counter, interval time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(interval)
	defer t.Stop()
	start := time.Now()
	from := time.Duration(0)
	var lastMsgs, lastBytes uint64
	for {
		select {
		case <-stop:
			return
		case now := <-t.C:
			to := now.Sub(start)
			m, b := c.messages.Load(), c.bytes.Load()
			secs := (to - from).Seconds()
			fmt.Fprintf(w, "%s[%6.1f-%6.1f s] %9.2f MB/s %9.0f msgs/s\n", prefix,
				from.Seconds(), to.Seconds(), float64(b-lastBytes)/secs/1e6, float64(m-lastMsgs)/secs)
			from, lastMsgs, lastBytes = to, m, b
		}
	}
}
