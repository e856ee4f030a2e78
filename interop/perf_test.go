package interop

import (
	"encoding/json"
	"regexp"
	"strconv"
	"testing"
)

// perfResult holds the fields of sctpperf's JSON result the tests check.
type perfResult struct {
	Mode       string  `json:"mode"`
	Messages   uint64  `json:"messages"`
	Bytes      uint64  `json:"bytes"`
	MBps       float64 `json:"mb_per_s"`
	RTTSamples uint64  `json:"rtt_samples"`
	RTTp50us   float64 `json:"rtt_p50_us"`
	RTTp99us   float64 `json:"rtt_p99_us"`
	Graceful   bool    `json:"graceful"`
}

func parseResult(t *testing.T, line string) perfResult {
	t.Helper()
	var r perfResult
	if err := json.Unmarshal([]byte(line), &r); err != nil {
		t.Fatalf("sctpperf's result %q: %v", line, err)
	}
	return r
}

var perfCases = []struct {
	name           string
	size, count    int
	streams        int
	sctpperfFlags  []string
	tsctpFlags     []string
	unorderedFlags bool
}{
	{name: "1000", size: 1000, count: 20000, streams: 1},
	{name: "1000x4streams", size: 1000, count: 20000, streams: 4},
	{name: "64K", size: 65536, count: 300, streams: 1},
	{name: "1000/unordered", size: 1000, count: 20000, streams: 1, unorderedFlags: true},
	{name: "64K/unordered", size: 65536, count: 300, streams: 1, unorderedFlags: true},
}

// sctpperf's bulk client to tsctp's server, which counts what arrives.
func TestSctpperfToTsctp(t *testing.T) {
	for _, tc := range perfCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			peer := usrsctp(t)
			_, sctpperf := commands(t)
			port := freeUDPPort(t)
			ts := peer.startServer(t, "127.0.0.1", "tsctp", "-L", "127.0.0.1", "-E", port, "-p", "5001")
			local, _ := family{usrsctp: "127.0.0.1"}.ours(nextAddr())
			args := []string{sctpperf, "-json", "-udp-port", "0", "-local", local, "-peer-udp-port", port,
				"-size", strconv.Itoa(tc.size), "-count", strconv.Itoa(tc.count), "-streams", strconv.Itoa(tc.streams)}
			if tc.unorderedFlags {
				args = append(args, "-unordered")
			}
			c := start(t, "sctpperf", nil, append(args, "127.0.0.1:5001")...)
			c.exits(t, 0)
			r := parseResult(t, c.out.String())
			if r.Mode != "bulk" || r.Messages != uint64(tc.count) || r.Bytes != uint64(tc.count*tc.size) || !r.Graceful || r.MBps <= 0 {
				t.Fatalf("sctpperf's result: %+v", r)
			}
			total := strconv.Itoa(tc.count * tc.size)
			ts.waitOut(t, `(?m)^`+strconv.Itoa(tc.size)+`, `+strconv.Itoa(tc.count)+`, \d+, `+total+`, `)
			t.Logf("sctpperf to tsctp: %.1f MB/s", r.MBps)
		})
	}
}

// tsctp's client to sctpperf's server, which reports what arrived.
func TestTsctpToSctpperf(t *testing.T) {
	for _, tc := range perfCases {
		if tc.streams != 1 {
			continue // tsctp sends on stream 0 only
		}
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			peer := usrsctp(t)
			_, sctpperf := commands(t)
			local, _ := family{usrsctp: "127.0.0.1"}.ours(nextAddr())
			s := start(t, "sctpperf -s", nil, sctpperf, "-s", "-once", "-json", "-v", "-udp-port", "0", local+":5001")
			udpPort := s.waitErr(t, `listening on SCTP port \d+ at \S+:(\d+)`)[1]
			args := []string{"-L", "127.0.0.1", "-E", freeUDPPort(t), "-U", udpPort, "-p", "5001",
				"-l", strconv.Itoa(tc.size), "-n", strconv.Itoa(tc.count)}
			if tc.unorderedFlags {
				args = append(args, "-u")
			}
			ts := peer.start(t, "127.0.0.1", "tsctp", append(args, local)...)
			s.exits(t, 0)
			ts.exits(t, 0)
			r := parseResult(t, s.out.String())
			if r.Mode != "server" || r.Messages != uint64(tc.count) || r.Bytes != uint64(tc.count*tc.size) || !r.Graceful {
				t.Fatalf("sctpperf's result: %+v", r)
			}
			m := regexp.MustCompile(`Throughput was ([0-9.]+) Byte/sec`).FindStringSubmatch(ts.out.String())
			if m == nil {
				t.Fatalf("tsctp reported no throughput")
			}
			t.Logf("tsctp to sctpperf: %.1f MB/s received, tsctp says %s B/s sent", r.MBps, m[1])
		})
	}
}

// sctpperf's request/response mode works against any echo server:
// usrsctp's, over IPv4 and IPv6. Few round trips: echo_server leaves
// Nagle's algorithm on, so each reply waits for the acknowledgement of
// the one before, which this stack delays (RFC 9260 §6.2, 200 ms)
// rather than bundling it with the next request.
func TestSctpperfRequestResponseToEchoServer(t *testing.T) {
	fams, _ := loopbacks()
	for _, fam := range fams {
		t.Run(fam.name, func(t *testing.T) {
			t.Parallel()
			peer := usrsctp(t)
			peer.wildcard(t, "echo_server")
			_, sctpperf := commands(t)
			port := freeUDPPort(t)
			peer.startServer(t, fam.usrsctp, "echo_server", port)
			local, _ := fam.ours(nextAddr())
			c := start(t, "sctpperf -rr", nil, sctpperf, "-rr", "-v", "-json", "-count", "20", "-size", "100",
				"-udp-port", "0", "-local", local, "-peer-udp-port", port, fam.sctpURL+":7")
			c.exits(t, 0)
			r := parseResult(t, c.out.String())
			if r.Mode != "rr" || r.Messages != 20 || r.RTTSamples != 20 || !r.Graceful || r.RTTp50us <= 0 || r.RTTp99us < r.RTTp50us {
				t.Fatalf("sctpperf's result: %+v", r)
			}
			t.Logf("rr with echo_server: p50 %.0f µs, p99 %.0f µs", r.RTTp50us, r.RTTp99us)
		})
	}
}
