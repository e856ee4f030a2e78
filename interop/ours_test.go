package interop

import (
	"sync/atomic"
	"testing"
)

// addrSeq hands each process a loopback address of its own.
var addrSeq atomic.Int32

func nextAddr() int { return int(addrSeq.Add(1)) }

// listenCat starts sctpcat -l -v on a port the kernel picks and returns
// it with the UDP port it bound.
func listenCat(t *testing.T, args ...string) (*proc, string) {
	t.Helper()
	sctpcat, _ := commands(t)
	argv := append([]string{sctpcat, "-l", "-v", "-udp-port", "0"}, args...)
	p := start(t, "sctpcat -l", nil, argv...)
	m := p.waitErr(t, `listening on SCTP port \d+ at \S+:(\d+)`)
	return p, m[1]
}

// dialCat starts sctpcat connecting from local to target, whose UDP
// encapsulation port is peerPort.
func dialCat(t *testing.T, local, peerPort, target string, args ...string) *proc {
	t.Helper()
	sctpcat, _ := commands(t)
	argv := append([]string{sctpcat, "-v", "-udp-port", "0", "-local", local, "-peer-udp-port", peerPort}, args...)
	return start(t, "sctpcat", nil, append(argv, target)...)
}

// orderings are the two delivery modes every data test runs in.
var orderings = []struct {
	name string
	flag []string // of sctpcat and sctpperf
	tsc  []string // of tsctp
}{
	{"ordered", nil, nil},
	{"unordered", []string{"-unordered"}, []string{"-u"}},
}
