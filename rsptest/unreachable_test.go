package rsptest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rserpool/rserpool/asap"
	"github.com/rserpool/rserpool/asap/msg"
	"github.com/rserpool/rserpool/enrp"
)

// A pool user that cannot reach a pool element reports it with
// ASAP_ENDPOINT_UNREACHABLE (RFC 5352 §3.5); the registrar removes it
// after MAX-BAD-PE-REPORT reports, or at once when the keep-alive it
// sends to check fails. The unreachable element is a process stopped
// with SIGSTOP: its sockets stay open, nothing answers. Keep-alives are
// an hour apart, so that only the reports start them.
func TestUnreachableReports(t *testing.T) {
	t.Parallel()
	t.Run("OneReport", testOneReport)
	t.Run("ThreeReports", testThreeReports)
	t.Run("ProbeFails", testReportProbeFails)
}

// With MAX-BAD-PE-REPORT 1, the report of the pool user process
// (rspterminal) removes the element at once. Priorities make the
// stopped element the user's first choice; it fails to answer the
// association's INIT within -dial-timeout, and the user reports it
// and goes on with the other.
func testOneReport(t *testing.T) {
	t.Parallel()
	s := netReportsOne
	r := startRegistrar(t, s, "-max-bad-pe-reports", "1", "-keepalive-interval", "1h", "-keepalive-timeout", "1h")
	const handle = "PriorityPool"
	a := startPE(t, r, s.host(hostPE), handle, 0xd1, "-policy", "priority:10")
	b := startPE(t, r, s.host(hostPE+1), handle, 0xd2, "-policy", "priority:1")
	r.waitPEs(t, handle, a.id, b.id)

	a.stop(t)
	term := startProc(t, "rspterminal", "rspterminal", "-poolhandle", handle, "-registrar", r.addr.String(),
		"-local", s.host(hostUser).String(), "-count", "2", "-interval", "100ms", "-dial-timeout", "1s")
	if st := term.exitStatus(t); st != 0 {
		t.Fatalf("rspterminal exited with %d", st)
	}
	if got := term.out.String(); got != "message 1\nmessage 2\n" {
		t.Errorf("rspterminal printed %q", got)
	}
	if want := "connected to pool element " + b.id.String(); !strings.Contains(term.err.String(), want) {
		t.Errorf("rspterminal did not say %q", want)
	}
	d := r.waitPEs(t, handle, b.id)
	if s := d.Stats; s.UnreachableReports != 1 || s.UnreachableRemovals != 1 || s.KeepAliveFailures != 0 || s.Removals != 1 {
		t.Errorf("after the report: %+v", s)
	}
	checkConsistent(t, d)
}

// With MAX-BAD-PE-REPORT 3: a live element reported once is checked by
// a keep-alive, answers, and stays; the stopped one stays after two
// reports (its keep-alive unanswered but within the hour's timeout) and
// leaves at the third.
func testThreeReports(t *testing.T) {
	t.Parallel()
	s := netReportsThree
	r := startRegistrar(t, s, "-max-bad-pe-reports", "3", "-keepalive-interval", "1h", "-keepalive-timeout", "1h")
	const handle = "ReportPool"
	a := startPE(t, r, s.host(hostPE), handle, 0xd3)
	b := startPE(t, r, s.host(hostPE+1), handle, 0xd4)
	r.waitPEs(t, handle, a.id, b.id)
	pu := poolUser(t, s.host(hostUser), r, 0)

	report(t, pu, handle, b.id)
	d := r.waitFor(t, "the live element to answer the check", func(d enrp.Dump) bool {
		e, ok := element(d, handle, b.id)
		return ok && e.UnreachableReports == 1 && !e.AwaitingAck && d.Stats.KeepAlivesSent == 1
	})
	if got := poolIDs(d, handle); len(got) != 2 {
		t.Fatalf("after one report of a live element the pool holds %v", got)
	}

	a.stop(t)
	for n := 1; n <= 2; n++ {
		report(t, pu, handle, a.id)
		d = r.waitFor(t, fmt.Sprintf("report %d of the stopped element", n), func(d enrp.Dump) bool {
			e, ok := element(d, handle, a.id)
			return ok && e.UnreachableReports == n && e.AwaitingAck
		})
	}
	if s := d.Stats; s.UnreachableReports != 3 || s.KeepAlivesSent != 2 || s.Removals != 0 {
		t.Errorf("after two reports of the stopped element: %+v", s)
	}
	checkConsistent(t, d)

	report(t, pu, handle, a.id)
	d = r.waitPEs(t, handle, b.id)
	if s := d.Stats; s.UnreachableReports != 4 || s.UnreachableRemovals != 1 || s.KeepAliveFailures != 0 || s.Removals != 1 {
		t.Errorf("after the third report: %+v", s)
	}
	if e, _ := element(d, handle, b.id); e.UnreachableReports != 1 {
		t.Errorf("live element: %+v", e)
	}
	checkConsistent(t, d)
}

// One report of a stopped element: the registrar's check goes
// unanswered for the keep-alive timeout, and the element is removed
// before MAX-BAD-PE-REPORT is reached (RFC 5352 §3.5).
func testReportProbeFails(t *testing.T) {
	t.Parallel()
	s := netReportProbe
	r := startRegistrar(t, s, "-max-bad-pe-reports", "3", "-keepalive-interval", "1h", "-keepalive-timeout", "1s")
	const handle = "ProbePool"
	a := startPE(t, r, s.host(hostPE), handle, 0xd5)
	b := startPE(t, r, s.host(hostPE+1), handle, 0xd6)
	r.waitPEs(t, handle, a.id, b.id)
	pu := poolUser(t, s.host(hostUser), r, 0)

	a.stop(t)
	report(t, pu, handle, a.id)
	d := r.waitPEs(t, handle, b.id)
	if s := d.Stats; s.UnreachableReports != 1 || s.UnreachableRemovals != 0 || s.KeepAliveFailures != 1 || s.Removals != 1 {
		t.Errorf("after the failed check: %+v", s)
	}
	checkConsistent(t, d)
}

func report(t *testing.T, pu *asap.PoolUser, handle string, id msg.PEID) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), replyTimeout)
	defer cancel()
	if err := pu.ReportUnreachable(ctx, handle, id); err != nil {
		t.Fatalf("reporting %v: %v", id, err)
	}
}
