package recv

import (
	"testing"

	"github.com/rserpool/rserpool/sctp/wire"
)

// §6.6: ordered messages are delivered by SSN, those arriving early held
// "until they are reordered".
func TestRFC9260_6_6_OrderedDeliveryBySSN(t *testing.T) {
	r := New(Config{InStreams: 1}, 1)
	feed(t, r, msg(3, 0, 2, 10), Accepted)
	feed(t, r, msg(2, 0, 1, 10), Accepted)
	if r.Ready() != 0 {
		t.Fatal("messages delivered ahead of SSN 0")
	}
	feed(t, r, msg(1, 0, 0, 10), Accepted)
	if got := ssns(readAll(r)); got != "0:0 0:1 0:2" {
		t.Fatalf("delivered %s", got)
	}
	// SSN order, not TSN order, decides.
	feed(t, r, msg(4, 0, 4, 10), Accepted)
	feed(t, r, msg(5, 0, 3, 10), Accepted)
	if got := ssns(readAll(r)); got != "0:3 0:4" {
		t.Fatalf("delivered %s", got)
	}
}

// A hole in one stream holds up that stream only.
func TestRFC9260_6_6_StreamsAreIndependent(t *testing.T) {
	r := New(Config{InStreams: 3}, 1)
	feed(t, r, msg(2, 1, 1, 10), Accepted) // stream 1 waits for SSN 0
	feed(t, r, msg(3, 2, 0, 10), Accepted)
	feed(t, r, msg(4, 2, 1, 10), Accepted)
	if got := ssns(readAll(r)); got != "2:0 2:1" {
		t.Fatalf("delivered %s", got)
	}
	feed(t, r, msg(1, 1, 0, 10), Accepted)
	if got := ssns(readAll(r)); got != "1:0 1:1" {
		t.Fatalf("delivered %s", got)
	}
}

// §6.6: an unordered chunk "bypasses the ordering mechanism", after
// reassembly, even on a stream waiting for an SSN and above a TSN hole.
func TestRFC9260_6_6_UnorderedDeliveredAtOnce(t *testing.T) {
	r := New(Config{InStreams: 1}, 1)
	feed(t, r, msg(3, 0, 1, 10), Accepted) // waits for SSN 0 (TSN 1)
	feed(t, r, chunk(4, 0, 0, "BEU", []byte("urgent")), Accepted)
	m, ok := r.Read()
	if !ok || string(m.Data) != "urgent" || !m.Unordered {
		t.Fatalf("unordered message: %v %q", ok, m.Data)
	}
	if r.Ready() != 0 {
		t.Fatal("ordered message delivered early")
	}
}

// §6.5: after SSN 65535 a stream goes on with 0.
func TestRFC9260_6_5_SSNWrapsAt65535(t *testing.T) {
	r := New(Config{InStreams: 1}, 1)
	tsn := wire.TSN(1)
	for i := range 65535 {
		if v := r.Data(msg(tsn, 0, ssnOf(i), 1)); v != Accepted {
			t.Fatalf("SSN %d: %v", i, v)
		}
		tsn++
		r.Read()
	}
	// SSN 0 of the next round arrives before SSN 65535.
	feed(t, r, msg(tsn+1, 0, 0, 1), Accepted)
	if r.Ready() != 0 {
		t.Fatal("SSN 0 delivered before 65535")
	}
	feed(t, r, msg(tsn, 0, 65535, 1), Accepted)
	if got := ssns(readAll(r)); got != "0:65535 0:0" {
		t.Fatalf("delivered %s", got)
	}
}

// §6.5: DATA on an invalid stream is acknowledged "following the normal
// procedure" and discarded.
func TestRFC9260_6_5_InvalidStreamAckedAndDiscarded(t *testing.T) {
	r := New(Config{InStreams: 2}, 1)
	feed(t, r, msg(1, 2, 0, 100), InvalidStream)
	feed(t, r, chunk(3, 7, 0, "B", []byte("x")), InvalidStream)
	if got, want := sack(r, 1500), "cum=1 rwnd=262144 gaps=[2-2] dups=[]"; got != want {
		t.Fatalf("SACK %s, want %s", got, want)
	}
	if r.Ready() != 0 {
		t.Fatal("data of an invalid stream delivered")
	}
	feed(t, r, msg(1, 2, 0, 100), Duplicate)
	feed(t, r, msg(2, 1, 0, 100), Accepted)
	if st := r.Stats(); st.InvalidStream != 2 || st.Accepted != 1 {
		t.Fatalf("stats %+v", st)
	}
}

// A message for an SSN already delivered or already waiting is not
// delivered a second time: that would break the order §6.6 requires.
func TestRFC9260_6_6_RepeatedSSNNotDelivered(t *testing.T) {
	r := New(Config{InStreams: 1}, 1)
	feed(t, r, msg(1, 0, 0, 10), Accepted)
	feed(t, r, msg(2, 0, 0, 10), Accepted) // SSN 0 again, new TSN
	feed(t, r, msg(4, 0, 2, 10), Accepted)
	feed(t, r, msg(5, 0, 2, 10), Accepted) // SSN 2 again, while waiting
	feed(t, r, msg(3, 0, 1, 10), Accepted)
	ms := readAll(r)
	if got := ssns(ms); got != "0:0 0:1 0:2" {
		t.Fatalf("delivered %s", got)
	}
	if ms[2].FirstTSN != 4 {
		t.Fatalf("SSN 2 from TSN %d, want the first one, 4", ms[2].FirstTSN)
	}
	if st := r.Stats(); st.Discarded != 2 || st.BytesHeld != 0 {
		t.Fatalf("stats %+v", st)
	}
}
