package interop

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rserpool/rserpool/internal/pcaptest"
	"github.com/rserpool/rserpool/tun/tuntest"
)

// Two sctpcat processes talk real SCTP over IPv4 and IPv6 (protocol
// 132) through TUN devices in a network namespace the test creates,
// which routes between the devices; each endpoint has an address of
// each family, so the association has two paths. The listener's capture
// decodes cleanly in tshark. Needs root (tuntest skips otherwise).
func TestSctpcatOverTUN(t *testing.T) {
	t.Parallel()
	n := tuntest.NewNetns(t)
	for _, s := range []string{"net/ipv4/ip_forward", "net/ipv6/conf/all/forwarding"} {
		if err := n.Sysctl(s, "1"); err != nil {
			t.Fatalf("enabling forwarding: %v", err)
		}
	}
	sctpcat, _ := commands(t)
	pcap := filepath.Join(t.TempDir(), "listener.pcap")
	// Processes started from inside the namespace live in it.
	run := func(name string, argv ...string) *proc {
		t.Helper()
		p := prepare(name, nil, argv...)
		if err := n.Do(p.start); err != nil {
			t.Fatalf("starting %s in the namespace: %v", name, err)
		}
		p.watch(t, argv)
		return p
	}
	l := run("sctpcat -l", sctpcat, "-l", "-v", "-pcap", pcap, "-tun", "tunB",
		"-tun-prefix", "10.201.2.1/24,fd00:201:2::1/64", "10.201.2.2,[fd00:201:2::2]:5000")
	l.waitErr(t, regexp.QuoteMeta("listening on SCTP port 5000 at 10.201.2.2, fd00:201:2::2"))
	c := run("sctpcat", sctpcat, "-v", "-tun", "tunA", "-tun-prefix", "10.201.1.1/24,fd00:201:1::1/64",
		"-local", "10.201.1.2,fd00:201:1::2", "10.201.2.2,[fd00:201:2::2]:5000")
	c.waitErr(t, regexp.QuoteMeta("association up with SCTP port 5000, 2 paths: 10.201.2.2 (primary), fd00:201:2::2"))
	l.waitErr(t, `association up with SCTP port \d+, 2 paths: 10\.201\.1\.2 \(primary\), fd00:201:1::2`)

	c.send(t, "over IP\n")
	l.waitOut(t, `^over IP\n$`)
	l.send(t, "and back\n")
	c.waitOut(t, `^and back\n$`)
	l.waitErr(t, regexp.QuoteMeta("path fd00:201:1::2 active (confirmed by heartbeat)"))

	c.closeStdin()
	c.exits(t, 0)
	l.exits(t, 0)
	l.waitErr(t, `peer started a graceful shutdown`)

	pkts, err := pcaptest.ReadSCTP(pcap)
	if err != nil {
		t.Fatalf("reading the capture: %v", err)
	}
	var v4, v6 int
	for _, p := range pkts {
		if p.Src.Addr().Is4() {
			v4++
		} else {
			v6++
		}
	}
	if v4 == 0 || v6 == 0 {
		t.Errorf("capture holds %d IPv4 and %d IPv6 SCTP packets, want both", v4, v6)
	}
	if out := pcaptest.Tshark(t, "-r", pcap, "-Y", "_ws.malformed || _ws.expert.severity >= error"); strings.TrimSpace(out) != "" {
		t.Errorf("tshark finds malformed packets:\n%s", out)
	}
	if out := pcaptest.Tshark(t, "-r", pcap, "-Y", "sctp.chunk_type == 0"); !strings.Contains(out, "DATA") {
		t.Errorf("tshark finds no DATA chunk:\n%s", out)
	}
}
