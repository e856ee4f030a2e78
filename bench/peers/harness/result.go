package harness

import (
	"encoding/json"
	"fmt"
	"time"
)

// Result is what a process prints when it is done, as one JSON line on
// stdout. A bulk server fills Bytes, Msgs and Seconds (first message
// to last); a ping-pong client fills the RTT fields.
type Result struct {
	Role    string  `json:"role"` // server or client
	Mode    string  `json:"mode"`
	Size    int     `json:"size"`
	Bytes   int64   `json:"bytes"`
	Msgs    int64   `json:"msgs"`
	Seconds float64 `json:"seconds"`

	RTTs     int     `json:"rtts,omitempty"`
	RTTP50us float64 `json:"rtt_p50_us,omitempty"`
	RTTP99us float64 `json:"rtt_p99_us,omitempty"`

	// Notes are what the program wants said about the run: socket
	// buffers granted, retransmissions, datagrams lost.
	Notes map[string]any `json:"notes,omitempty"`
}

// Emit prints r.
func (r *Result) Emit() {
	b, err := json.Marshal(r)
	if err != nil {
		Fatal("result", err)
	}
	fmt.Printf("%s\n", b)
}

// Ready tells the driver, on stdout, that the server listens.
func Ready() { fmt.Println("ready") }

// Counter measures a bulk receiver: the messages that arrive after the
// first, and the time from the first to the last. The first only starts
// the clock: counting it too would credit the interval with bytes that
// came before it.
type Counter struct {
	started     bool
	first, last time.Time
	bytes, msgs int64
}

// Add counts a message of n bytes that arrived now.
func (c *Counter) Add(n int) { c.AddMany(1, n) }

// AddMany counts k messages of n bytes in all that arrived together.
func (c *Counter) AddMany(k, n int) {
	if k <= 0 {
		return
	}
	now := time.Now()
	if !c.started {
		c.started, c.first, c.last = true, now, now
		return
	}
	c.last = now
	c.bytes += int64(n)
	c.msgs += int64(k)
}

// Result is the receiver's result.
func (c *Counter) Result(f *Flags) Result {
	return Result{Role: "server", Mode: f.Mode, Size: f.Size, Bytes: c.bytes, Msgs: c.msgs,
		Seconds: c.last.Sub(c.first).Seconds()}
}
