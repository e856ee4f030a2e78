package recv

import (
	"bytes"
	"testing"

	"github.com/rserpool/rserpool/sctp/wire"
)

// fragments splits data into DATA chunks of at most size bytes with
// consecutive TSNs from tsn, B on the first and E on the last (RFC 9260
// §6.9 steps 1-3).
func fragments(tsn wire.TSN, stream wire.StreamID, ssn wire.SSN, unordered bool, data []byte, size int) []*wire.Data {
	var ds []*wire.Data
	for off := 0; off < len(data); off += size {
		end := min(off+size, len(data))
		flags := ""
		if off == 0 {
			flags += "B"
		}
		if end == len(data) {
			flags += "E"
		}
		if unordered {
			flags += "U"
		}
		d := chunk(tsn, stream, ssn, flags, data[off:end])
		ds = append(ds, d)
		tsn++
	}
	return ds
}

func TestRFC9260_6_9_ReassemblesFragmentsInOrder(t *testing.T) {
	r := New(Config{InStreams: 1}, 1)
	data := payload(77, 5000)
	frags := fragments(1, 0, 0, false, data, 1200)
	for i, d := range frags {
		feed(t, r, d, Accepted)
		if i < len(frags)-1 && r.Ready() != 0 {
			t.Fatalf("a message is ready after fragment %d of %d", i+1, len(frags))
		}
	}
	m, ok := r.Read()
	if !ok || !sameData(m, data) || m.PPID != 1000 || m.FirstTSN != 1 || m.LastTSN != 5 {
		t.Fatalf("message %v: %d bytes PPID %d TSNs %d-%d", ok, len(m.Data), m.PPID, m.FirstTSN, m.LastTSN)
	}
	if r.Rwnd() != DefaultWindow {
		t.Fatalf("rwnd %d after reading everything", r.Rwnd())
	}
}

// Every order of arrival of a four-fragment message gives the message.
func TestRFC9260_6_9_ReassemblesOutOfOrderFragments(t *testing.T) {
	data := payload(5, 1000)
	frags := fragments(50, 0, 0, false, data, 250)
	perm := []int{0, 1, 2, 3}
	var permute func(k int)
	permute = func(k int) {
		if k == len(perm) {
			r := New(Config{InStreams: 1}, 50)
			for _, i := range perm {
				feed(t, r, frags[i], Accepted)
			}
			ms := readAll(r)
			if len(ms) != 1 || !sameData(ms[0], data) {
				t.Fatalf("order %v: %d messages", perm, len(ms))
			}
			return
		}
		for i := k; i < len(perm); i++ {
			perm[k], perm[i] = perm[i], perm[k]
			permute(k + 1)
			perm[k], perm[i] = perm[i], perm[k]
		}
	}
	permute(0)
}

// Fragments of messages on different streams, arriving mixed up, are put
// back together each with its own.
func TestRFC9260_6_9_InterleavedStreams(t *testing.T) {
	r := New(Config{InStreams: 3}, 1)
	a, b, c := payload(1, 900), payload(2, 700), payload(3, 800)
	fa := fragments(1, 1, 0, false, a, 300) // TSN 1-3
	fb := fragments(4, 2, 0, false, b, 300) // TSN 4-6
	fc := fragments(7, 1, 1, true, c, 300)  // TSN 7-9, unordered
	for _, d := range []*wire.Data{fb[2], fa[1], fc[0], fb[0], fc[2], fa[2], fb[1], fc[1], fa[0]} {
		feed(t, r, d, Accepted)
	}
	got := map[wire.StreamID][]byte{}
	for _, m := range readAll(r) {
		got[m.Stream] = append(got[m.Stream], m.Data...)
	}
	if !bytes.Equal(got[1], append(append([]byte{}, c...), a...)) && !bytes.Equal(got[1], append(append([]byte{}, a...), c...)) {
		t.Fatalf("stream 1: %d bytes", len(got[1]))
	}
	if !bytes.Equal(got[2], b) {
		t.Fatalf("stream 2: %d bytes", len(got[2]))
	}
}

// §3.3.1: the receiver "MUST ignore" the SSN of unordered chunks, so
// unordered fragments join by TSN alone.
func TestRFC9260_3_3_1_UnorderedFragmentsJoinByTSN(t *testing.T) {
	r := New(Config{InStreams: 1}, 1)
	feed(t, r, chunk(2, 0, 9, "U", []byte("bb")), Accepted)
	feed(t, r, chunk(1, 0, 3, "BU", []byte("aa")), Accepted)
	feed(t, r, chunk(3, 0, 7, "EU", []byte("cc")), Accepted)
	m, ok := r.Read()
	if !ok || string(m.Data) != "aabbcc" || !m.Unordered || m.SSN != 0 {
		t.Fatalf("message %v %q unordered %v SSN %d", ok, m.Data, m.Unordered, m.SSN)
	}
}

// Consecutive TSNs make one message only when they are on the same
// stream, with the same ordering and, if ordered, the same SSN (§6.9).
func TestRFC9260_6_9_FragmentsOfDifferentMessagesDoNotJoin(t *testing.T) {
	cases := []struct {
		name string
		mid  *wire.Data
	}{
		{"other SSN", chunk(2, 0, 1, "", []byte("x"))},
		{"other stream", chunk(2, 1, 0, "", []byte("x"))},
		{"unordered", chunk(2, 0, 0, "U", []byte("x"))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := New(Config{InStreams: 2}, 1)
			feed(t, r, chunk(1, 0, 0, "B", []byte("a")), Accepted)
			feed(t, r, c.mid, Accepted)
			feed(t, r, chunk(3, 0, 0, "E", []byte("c")), Accepted)
			if ms := readAll(r); len(ms) != 0 {
				t.Fatalf("delivered %q", ms[0].Data)
			}
			// A message that can never complete does not keep its
			// window once the cumulative TSN has passed it.
			feed(t, r, msg(4, 1, 0, 10), Accepted)
			readAll(r)
			if r.Rwnd() != DefaultWindow {
				t.Fatalf("rwnd %d: broken fragments still held", r.Rwnd())
			}
		})
	}
}

func TestRFC9260_6_9_MessageOverMaxMessageIsTooBig(t *testing.T) {
	r := New(Config{InStreams: 1, MaxMessage: 1000}, 1)
	feed(t, r, chunk(1, 0, 0, "B", payload(1, 400)), Accepted)
	feed(t, r, chunk(2, 0, 0, "", payload(2, 400)), Accepted)
	// Caught as soon as the fragments pass the limit, not at the end.
	feed(t, r, chunk(3, 0, 0, "", payload(3, 400)), TooBig)
	// Fragments arriving before their neighbours count too.
	feed(t, r, chunk(20, 0, 1, "E", payload(20, 600)), Accepted)
	feed(t, r, chunk(19, 0, 1, "", payload(19, 500)), TooBig)
	feed(t, r, msg(30, 0, 2, 1001), TooBig)
	feed(t, r, msg(30, 0, 2, 1000), Accepted)
	if r.CumTSN() != 2 {
		t.Fatalf("cum %d: a TooBig chunk was acknowledged", r.CumTSN())
	}
	if st := r.Stats(); st.TooBig != 3 {
		t.Fatalf("TooBig counted %d, want 3", st.TooBig)
	}
}

// §6.2 C: "if the receiver is holding fragmented DATA chunks in a
// reassembly queue, it SHOULD NOT increment a_rwnd": fragments count
// against the window like everything else, and a message whose fragments
// could never fit is refused outright.
func TestRFC9260_6_2_ReassemblyCountsAgainstWindow(t *testing.T) {
	r := New(Config{InStreams: 1, Window: 2000}, 1)
	feed(t, r, chunk(1, 0, 0, "B", payload(1, 800)), Accepted)
	feed(t, r, chunk(2, 0, 0, "", payload(2, 800)), Accepted)
	if r.Rwnd() != 400 {
		t.Fatalf("rwnd %d, want 400", r.Rwnd())
	}
	feed(t, r, chunk(3, 0, 0, "E", payload(3, 401)), TooBig)
	feed(t, r, chunk(3, 0, 0, "E", payload(3, 400)), Accepted)
	if m, ok := r.Read(); !ok || len(m.Data) != 2000 {
		t.Fatal("message of the full window not delivered")
	}
	// 40 fragments of 10 bytes are charged MinCharge each: 2560 > 2000.
	r = New(Config{InStreams: 1, Window: 2000}, 1)
	for i := range 31 {
		flags := ""
		if i == 0 {
			flags = "B"
		}
		feed(t, r, chunk(1+tsnOf(i), 0, 0, flags, payload(1, 10)), Accepted)
	}
	feed(t, r, chunk(32, 0, 0, "", payload(1, 10)), TooBig)
}
