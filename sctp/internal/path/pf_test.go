package path

import "testing"

// RFC 7829 §3.2 rules 1, 2 and 8: with PFMR 0 the first error makes an
// active address PotentiallyFailed, and PMR - PFMR more make it inactive.
func TestRFC7829_3_2_PFThreshold(t *testing.T) {
	p := newPath(t, &Params{PF: true})
	if !p.OnError() || p.State() != PotentiallyFailed || !p.Reachable() {
		t.Fatalf("first error: state %v reachable %v, want PotentiallyFailed", p.State(), p.Reachable())
	}
	for i := 2; i <= 5; i++ {
		if p.OnError() || p.State() != PotentiallyFailed {
			t.Fatalf("error %d: state %v, want PotentiallyFailed without a change", i, p.State())
		}
	}
	if !p.OnError() || p.State() != Inactive {
		t.Fatalf("6th error: state %v, want Inactive", p.State())
	}

	p = newPath(t, &Params{PF: true, PFMaxRetrans: 2})
	for i, want := range []State{Active, Active, PotentiallyFailed} {
		p.OnError()
		if p.State() != want {
			t.Fatalf("PFMR 2, error %d: %v, want %v", i+1, p.State(), want)
		}
	}

	// PFMR >= PMR: the address goes inactive without passing PF.
	p = newPath(t, &Params{PF: true, PFMaxRetrans: 5})
	for range 6 {
		p.OnError()
		if p.State() == PotentiallyFailed {
			t.Fatal("PF state with PFMR = PMR")
		}
	}
	if p.State() != Inactive {
		t.Fatalf("state %v", p.State())
	}

	// Without SCTP-PF there is no PF state.
	p = newPath(t, nil)
	p.OnError()
	if p.State() != Active {
		t.Fatalf("PF off: %v after one error", p.State())
	}
}

// RFC 7829 §3.2 rules 7 and 10: an acknowledgement (of a heartbeat, or of
// data sent only there) makes a PF address active again.
func TestRFC7829_3_2_PFBackToActive(t *testing.T) {
	p := newPath(t, &Params{PF: true})
	p.OnError()
	p.OnError()
	if !p.OnAckReceived() || p.State() != Active || p.ErrorCount() != 0 {
		t.Fatalf("after an ack: %v errors %d", p.State(), p.ErrorCount())
	}
	if p.OnAckReceived() {
		t.Fatal("a second ack reported a change")
	}
}

// RFC 7829 §4.1 rule 3: with SCTP-PF the error counter keeps counting past
// PMR + 1, up to ten times as far, so that the dormant state can prefer
// the inactive address with the fewest errors.
func TestRFC7829_4_1_CounterPastPMR(t *testing.T) {
	p := newPath(t, &Params{PF: true, PathMaxRetrans: 2})
	for range 100 {
		p.OnError()
	}
	wantInt(t, "errors", p.ErrorCount(), 30)
	q := newPath(t, &Params{PathMaxRetrans: 2})
	for range 100 {
		q.OnError()
	}
	wantInt(t, "errors without PF", q.ErrorCount(), 3)
}
