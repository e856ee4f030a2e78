package recv

import (
	"testing"
)

// §6.2 B and C: a_rwnd falls by the bytes received and buffered, rises by
// the bytes delivered, and not while fragments wait in reassembly.
func TestRFC9260_6_2_WindowClosesByBytesHeldAndOpensOnRead(t *testing.T) {
	r := New(Config{InStreams: 1, Window: 10000}, 1)
	want := func(rwnd uint32) {
		t.Helper()
		if got := r.Rwnd(); got != rwnd {
			t.Fatalf("rwnd %d, want %d", got, rwnd)
		}
		if st := r.Stats(); st.BytesHeld != 10000-int(rwnd) {
			t.Fatalf("BytesHeld %d with rwnd %d", st.BytesHeld, rwnd)
		}
	}
	want(10000)
	feed(t, r, msg(1, 0, 0, 1000), Accepted)
	want(9000)
	feed(t, r, chunk(2, 0, 1, "B", payload(2, 500)), Accepted)
	want(8500)
	if _, ok := r.Read(); !ok {
		t.Fatal("no message")
	}
	want(9500) // the fragment still holds its bytes
	feed(t, r, chunk(3, 0, 1, "E", payload(3, 700)), Accepted)
	want(8800)
	if m, ok := r.Read(); !ok || len(m.Data) != 1200 {
		t.Fatalf("read %v, %d bytes", ok, len(m.Data))
	}
	want(10000)
}

// §6.2: with no buffer space, "the receiver MUST drop any new incoming DATA
// chunk with a TSN larger than the largest TSN received so far", and the
// SACK shows "only DATA chunks received and accepted so far".
func TestRFC9260_6_2_NoRoomDropsTSNAboveHighest(t *testing.T) {
	r := New(Config{InStreams: 1, Window: 3000}, 1)
	for i := range 3 {
		feed(t, r, msg(1+tsnOf(i), 0, ssnOf(i), 1000), Accepted)
	}
	feed(t, r, msg(4, 0, 3, 1000), NoRoom)
	if got, want := sack(r, 1500), "cum=3 rwnd=0 gaps=[] dups=[]"; got != want {
		t.Fatalf("SACK %s, want %s", got, want)
	}
	r.Read()
	feed(t, r, msg(4, 0, 3, 1001), NoRoom) // rwnd 1000 is smaller than the chunk
	if r.HighestTSN() != 3 {
		t.Fatalf("highest %d, want 3", r.HighestTSN())
	}
	feed(t, r, msg(4, 0, 3, 1000), Accepted)
	if st := r.Stats(); st.NoRoom != 2 {
		t.Fatalf("NoRoom counted %d, want 2", st.NoRoom)
	}
}

// §6.2: "if the new incoming DATA chunk holds a TSN value less than the
// largest TSN received so far, then the receiver SHOULD drop the largest
// TSN held for reordering and accept the new incoming DATA chunk", and
// dropped chunks leave the Gap Ack Blocks "until they are received again
// via retransmission".
func TestRFC9260_6_2_FullWindowRevokesLargestHeldForLowerTSN(t *testing.T) {
	r := New(Config{InStreams: 1, Window: 4000}, 1)
	for i := range 4 { // TSN 2-5, SSN 1-4: all wait for SSN 0
		feed(t, r, msg(2+tsnOf(i), 0, 1+ssnOf(i), 1000), Accepted)
	}
	if r.Rwnd() != 0 || r.Ready() != 0 {
		t.Fatalf("rwnd %d ready %d", r.Rwnd(), r.Ready())
	}
	feed(t, r, msg(1, 0, 0, 1000), Accepted)
	if got, want := sack(r, 1500), "cum=4 rwnd=0 gaps=[] dups=[]"; got != want {
		t.Fatalf("SACK %s, want %s", got, want)
	}
	if got := ssns(readAll(r)); got != "0:0 0:1 0:2 0:3" {
		t.Fatalf("delivered %s", got)
	}
	if st := r.Stats(); st.Revoked != 1 {
		t.Fatalf("revoked %d, want 1", st.Revoked)
	}
	feed(t, r, msg(5, 0, 4, 1000), Accepted) // the retransmission
	if m, ok := r.Read(); !ok || m.SSN != 4 || !sameData(m, payload(5, 1000)) {
		t.Fatalf("retransmitted message: %v %+v", ok, m)
	}
}

// The largest TSN received may be a message the user has read already; the
// largest TSN held for reordering is below it, and is the one dropped.
func TestRFC9260_6_2_RevokesLargestHeldNotLargestReceived(t *testing.T) {
	r := New(Config{InStreams: 1, Window: 4000}, 1)
	feed(t, r, chunk(6, 0, 0, "BEU", payload(6, 1000)), Accepted)
	if m, ok := r.Read(); !ok || !m.Unordered {
		t.Fatal("unordered message not delivered")
	}
	for i := range 4 {
		feed(t, r, msg(2+tsnOf(i), 0, 1+ssnOf(i), 1000), Accepted)
	}
	feed(t, r, msg(1, 0, 0, 1000), Accepted)
	if got, want := sack(r, 1500), "cum=4 rwnd=0 gaps=[2-2] dups=[]"; got != want {
		t.Fatalf("SACK %s, want %s", got, want)
	}
}

// Dropping acknowledged data is for extreme cases (§6.2 "An endpoint
// SHOULD NOT revoke a SACK chunk and discard data"): nothing is dropped
// when dropping all it may would still not make room.
func TestRFC9260_6_2_NothingRevokedWhenItWouldNotMakeRoom(t *testing.T) {
	r := New(Config{InStreams: 2, Window: 3000}, 1)
	feed(t, r, msg(3, 1, 0, 2000), Accepted) // ready, not read
	feed(t, r, msg(2, 0, 1, 1000), Accepted) // waits for SSN 0
	feed(t, r, msg(1, 0, 0, 1500), NoRoom)   // 1000 could be freed, 1500 needed
	if got, want := sack(r, 1500), "cum=0 rwnd=0 gaps=[2-3] dups=[]"; got != want {
		t.Fatalf("SACK %s, want %s", got, want)
	}
	if st := r.Stats(); st.Revoked != 0 {
		t.Fatalf("revoked %d", st.Revoked)
	}
}

// Each message or fragment held costs at least MinCharge, so tiny
// messages cannot make the receiver keep Window of them.
func TestRFC9260_6_2_SmallMessagesChargedMinCharge(t *testing.T) {
	r := New(Config{InStreams: 1, Window: 640}, 1)
	for i := range 10 {
		feed(t, r, msg(1+tsnOf(i), 0, ssnOf(i), 1), Accepted)
	}
	if r.Rwnd() != 0 {
		t.Fatalf("rwnd %d after 10 one-byte messages, want 0", r.Rwnd())
	}
	feed(t, r, msg(11, 0, 10, 1), NoRoom)
	r.Read()
	if r.Rwnd() != 64 {
		t.Fatalf("rwnd %d after a read, want 64", r.Rwnd())
	}
}
