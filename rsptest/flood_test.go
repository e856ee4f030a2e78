package rsptest

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/enrp"
)

// A client floods the registrar with ASAP_ENDPOINT_UNREACHABLE reports,
// of a live element and of elements and pools that do not exist, then
// with messages that do not parse. The registrar takes the reports at
// its rate limit and drops the rest (RFC 5355 §2.9, §2.10), so the live
// element, which answers the checks the admitted reports cause, stays
// even with MAX-BAD-PE-REPORT within reach of the flood; it keeps
// answering on the same association; its handlespace stays consistent.
func TestUnreachableFlood(t *testing.T) {
	t.Parallel()
	s := netFlood
	r := startRegistrar(t, s, "-keepalive-interval", "1h", "-keepalive-timeout", "2s", "-max-bad-pe-reports", "50")
	const handle = "FloodPool"
	pe := startPE(t, r, s.host(hostPE), handle, 0x81)
	r.waitPEs(t, handle, pe.id)
	c := dialRaw(t, s.host(hostUser), r)

	const reports = 3000
	rng := rand.New(rand.NewPCG(5355, 2))
	start := time.Now()
	for i := range reports {
		switch i % 3 {
		case 0:
			c.send(&msg.EndpointUnreachable{PoolHandle: []byte(handle), ID: pe.id})
		case 1:
			c.send(&msg.EndpointUnreachable{PoolHandle: []byte(handle), ID: msg.PEID(rng.Uint32())})
		case 2:
			c.send(&msg.EndpointUnreachable{PoolHandle: []byte("NoPool"), ID: msg.PEID(rng.Uint32())})
		}
	}
	const garbage = 1000
	for i := range garbage {
		c.sendRaw([]byte{0x09, 0x00, 0x00, 0x0c, 0x00, 0x09, 0x00, byte(0x20 + i%200), 'p', 'o', 'o', 'l'})
	}
	// The answer to a resolution comes after all of the above was read.
	resp := c.resolve(handle)
	elapsed := time.Since(start)
	if !resp.Error.IsZero() || resp.PoolElements.Count() != 1 {
		t.Fatalf("resolution after the flood: causes %v, %d elements", causes(resp.Error), resp.PoolElements.Count())
	}

	d := r.mustDump(t)
	st := d.Stats
	t.Logf("%d reports and %d malformed messages in %v: %d reports taken, %d dropped", reports, garbage,
		elapsed.Round(time.Millisecond), st.UnreachableReports, st.UnreachableDropped)
	if st.UnreachableReports+st.UnreachableDropped != reports || st.Malformed != garbage {
		t.Errorf("counted %d reports taken, %d dropped, %d malformed; sent %d and %d", st.UnreachableReports,
			st.UnreachableDropped, st.Malformed, reports, garbage)
	}
	// A burst of 5, then one a second.
	if limit := 5 + uint64(elapsed.Seconds()) + 1; st.UnreachableReports > limit {
		t.Errorf("%d reports taken in %v, more than the rate limit's %d", st.UnreachableReports, elapsed, limit)
	}
	if st.UnreachableRemovals != 0 || st.Removals != 0 || st.Associations != 2 {
		t.Errorf("after the flood: %+v", st)
	}
	checkConsistent(t, d)

	// The checks the admitted reports caused are answered: the element
	// is not left waiting for an acknowledgement.
	d = r.waitFor(t, "the element to answer its check", func(d enrp.Dump) bool {
		e, ok := element(d, handle, pe.id)
		return ok && !e.AwaitingAck
	})
	if e, _ := element(d, handle, pe.id); d.Stats.KeepAlivesSent == 0 || e.UnreachableReports == 0 {
		t.Errorf("element %+v after %d keep-alives", e, d.Stats.KeepAlivesSent)
	}
	if !r.running() || !pe.running() {
		t.Fatal("a process ended")
	}
	checkConsistent(t, d)
}
