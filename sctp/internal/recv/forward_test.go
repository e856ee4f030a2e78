package recv

import (
	"testing"
)

// The example of RFC 3758 §3.6: cum 102, 104, 105 and 107 received;
// FORWARD TSN to 103 takes the cumulative TSN to 103 and on to 105.
func TestRFC3758_3_6_ForwardTSNAdvancesCumulativeTSN(t *testing.T) {
	r := New(Config{InStreams: 1}, 102)
	for _, tsn := range []int{102, 104, 105, 107} {
		feed(t, r, chunk(tsnOf(tsn), 0, 0, "BEU", []byte{1}), Accepted)
	}
	r.ForwardTSN(103, nil)
	if err := r.check(); err != nil {
		t.Fatal(err)
	}
	// "the data receiver MUST stop reporting any missing TSNs earlier
	// than or equal to the new cumulative TSN point"
	if got, want := sack(r, 1500), "cum=105 rwnd=261888 gaps=[2-2] dups=[]"; got != want {
		t.Fatalf("SACK %s, want %s", got, want)
	}
	feed(t, r, chunk(103, 0, 0, "BEU", []byte{1}), Duplicate)
}

// §3.6: a New Cumulative TSN "behind or at the current cumulative TSN
// point" is out of date and "MUST NOT update its Cumulative TSN".
func TestRFC3758_3_6_OutOfDateForwardTSNIgnored(t *testing.T) {
	r := New(Config{InStreams: 1}, 10)
	feed(t, r, msg(10, 0, 0, 10), Accepted)
	feed(t, r, msg(12, 0, 2, 10), Accepted)
	r.ForwardTSN(10, []StreamSSN{{0, 1}})
	r.ForwardTSN(5, []StreamSSN{{0, 1}})
	if r.CumTSN() != 10 {
		t.Fatalf("cum %d, want 10", r.CumTSN())
	}
	if got := ssns(readAll(r)); got != "0:0" {
		t.Fatalf("delivered %s: the stream entries of an old FORWARD TSN were applied", got)
	}
}

// Fragments at or below the new cumulative TSN belong to abandoned
// messages: they are dropped and their window freed, and so are fragments
// above it that lost their beginning.
func TestRFC3758_3_6_ForwardTSNDropsFragments(t *testing.T) {
	r := New(Config{InStreams: 2, Window: 10000}, 1)
	feed(t, r, chunk(1, 0, 0, "B", payload(1, 1000)), Accepted)
	feed(t, r, chunk(2, 0, 0, "", payload(2, 1000)), Accepted)
	// Abandoned: TSN 3, the end of stream 0 SSN 0, and TSN 4, the
	// beginning of an unordered message whose middle, TSN 5, arrived.
	feed(t, r, chunk(5, 1, 0, "U", payload(5, 1000)), Accepted)
	feed(t, r, chunk(7, 1, 0, "B", payload(7, 1000)), Accepted)
	if r.Rwnd() != 6000 {
		t.Fatalf("rwnd %d", r.Rwnd())
	}
	r.ForwardTSN(4, []StreamSSN{{0, 0}})
	if err := r.check(); err != nil {
		t.Fatal(err)
	}
	if r.CumTSN() != 5 || r.Rwnd() != 9000 {
		t.Fatalf("cum %d rwnd %d, want 5 and 9000 (only TSN 7 held)", r.CumTSN(), r.Rwnd())
	}
	feed(t, r, chunk(8, 1, 0, "E", payload(8, 1000)), Accepted)
	ms := readAll(r)
	if len(ms) != 1 || ms[0].Stream != 1 || ms[0].FirstTSN != 7 {
		t.Fatalf("delivered %s", ssns(ms))
	}
	if st := r.Stats(); st.Abandoned != 2 {
		t.Fatalf("abandoned %d, want 2", st.Abandoned)
	}
	// A message cut by the new cumulative TSN was abandoned whole (§3.5
	// A3), even if its fragments above it arrived.
	r = New(Config{InStreams: 1, Window: 10000}, 1)
	feed(t, r, chunk(2, 0, 1, "B", payload(2, 1000)), Accepted)
	feed(t, r, chunk(3, 0, 1, "", payload(3, 1000)), Accepted)
	r.ForwardTSN(2, nil)
	if err := r.check(); err != nil {
		t.Fatal(err)
	}
	if r.CumTSN() != 3 || r.Rwnd() != 10000 {
		t.Fatalf("cum %d rwnd %d, want 3 and 10000", r.CumTSN(), r.Rwnd())
	}
}

// §3.6: the receiver "MUST ... immediately make available for delivery
// stream sequence numbers earlier than or equal to the stream sequence
// number listed", and the stream then goes on after it.
func TestRFC3758_3_6_ForwardTSNUnblocksStreams(t *testing.T) {
	r := New(Config{InStreams: 3}, 1)
	// Stream 1: SSN 0 and 1 lost (TSN 1, 2), SSN 2 waits (TSN 3),
	// SSN 3 lost (TSN 4), SSN 4 waits (TSN 5).
	feed(t, r, msg(3, 1, 2, 10), Accepted)
	feed(t, r, msg(5, 1, 4, 10), Accepted)
	// Stream 2: SSN 1 waits for a lost SSN 0 that was not abandoned.
	feed(t, r, msg(6, 2, 1, 10), Accepted)
	r.ForwardTSN(2, []StreamSSN{{1, 1}, {9, 0}})
	if got := ssns(readAll(r)); got != "1:2" {
		t.Fatalf("delivered %s, want 1:2", got)
	}
	r.ForwardTSN(4, []StreamSSN{{1, 3}})
	if got := ssns(readAll(r)); got != "1:4" {
		t.Fatalf("delivered %s, want 1:4", got)
	}
	// SSNs at or below the listed one that did arrive are delivered too.
	r2 := New(Config{InStreams: 1}, 1)
	feed(t, r2, msg(2, 0, 1, 10), Accepted)
	feed(t, r2, msg(4, 0, 3, 10), Accepted)
	r2.ForwardTSN(3, []StreamSSN{{0, 2}})
	if got := ssns(readAll(r2)); got != "0:1 0:3" {
		t.Fatalf("delivered %s, want 0:1 0:3", got)
	}
	if r.CumTSN() != 6 || r.Ready() != 0 {
		t.Fatalf("cum %d, stream 2 released", r.CumTSN())
	}
}
