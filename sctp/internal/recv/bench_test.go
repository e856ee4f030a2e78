package recv

import (
	"testing"

	"github.com/rserpool/rserpool/sctp/wire"
)

// The hot paths allocate nothing per chunk but the message payload: one
// allocation for each message delivered.

func TestAllocsSingleFragmentMessage(t *testing.T) {
	r := New(Config{InStreams: 1}, 1)
	d := chunk(1, 0, 0, "BE", make([]byte, 1024))
	allocs := testing.AllocsPerRun(1000, func() {
		if r.Data(d) != Accepted {
			t.Fatal("not accepted")
		}
		if _, ok := r.Read(); !ok {
			t.Fatal("no message")
		}
		d.TSN++
		d.SSN++
	})
	if allocs > 1 {
		t.Fatalf("%.1f allocations per single-fragment message, want at most 1", allocs)
	}
}

func TestAllocsFragmentedMessage(t *testing.T) {
	r := New(Config{InStreams: 1}, 1)
	frags := fragments(1, 0, 0, false, make([]byte, 4000), 1000)
	allocs := testing.AllocsPerRun(1000, func() {
		for _, d := range frags {
			if r.Data(d) != Accepted {
				t.Fatal("not accepted")
			}
			d.TSN += wire.TSN(len(frags))
			d.SSN++
		}
		if _, ok := r.Read(); !ok {
			t.Fatal("no message")
		}
	})
	if allocs > 1 {
		t.Fatalf("%.1f allocations per 4-fragment message, want at most 1", allocs)
	}
}

// Messages arriving two by two in reverse order wait for their SSN; that
// too costs nothing but the payloads once warm.
func TestAllocsReorderedMessages(t *testing.T) {
	r := New(Config{InStreams: 1}, 1)
	a, b := chunk(2, 0, 1, "BE", make([]byte, 100)), chunk(1, 0, 0, "BE", make([]byte, 100))
	allocs := testing.AllocsPerRun(1000, func() {
		if r.Data(a) != Accepted || r.Data(b) != Accepted || r.Ready() != 2 {
			t.Fatal("not delivered")
		}
		r.Read()
		r.Read()
		for _, d := range []*wire.Data{a, b} {
			d.TSN += 2
			d.SSN += 2
		}
	})
	if allocs > 2 {
		t.Fatalf("%.1f allocations per pair of messages, want at most 2", allocs)
	}
}

func TestAllocsAppendSack(t *testing.T) {
	r := sackReceiver(t, 20)
	gaps, dups := make([]wire.GapBlock, 0, 64), make([]wire.TSN, 0, 64)
	var s wire.Sack
	allocs := testing.AllocsPerRun(1000, func() {
		r.AppendSack(&s, gaps, dups, 1500)
	})
	if allocs != 0 || s.GapBlocks.Len() != 20 {
		t.Fatalf("%.1f allocations, %d gap blocks", allocs, s.GapBlocks.Len())
	}
}

// sackReceiver returns a receiver holding n Gap Ack Blocks.
func sackReceiver(tb testing.TB, n int) *Receiver {
	r := New(Config{InStreams: 1}, 1)
	for i := range n {
		if v := r.Data(chunk(wire.TSN(3+2*i), 0, 0, "BEU", []byte{1})); v != Accepted {
			tb.Fatalf("setup: %v", v)
		}
	}
	return r
}

func BenchmarkDataInOrder(b *testing.B) {
	r := New(Config{InStreams: 1}, 1)
	d := chunk(1, 0, 0, "BE", make([]byte, 1024))
	b.ReportAllocs()
	b.SetBytes(1024)
	for b.Loop() {
		if r.Data(d) != Accepted {
			b.Fatal("not accepted")
		}
		if _, ok := r.Read(); !ok {
			b.Fatal("no message")
		}
		d.TSN++
		d.SSN++
	}
}

func BenchmarkDataFragmented(b *testing.B) {
	r := New(Config{InStreams: 1}, 1)
	frags := fragments(1, 0, 0, false, make([]byte, 4*1200), 1200)
	b.ReportAllocs()
	b.SetBytes(4 * 1200)
	for b.Loop() {
		for _, d := range frags {
			if r.Data(d) != Accepted {
				b.Fatal("not accepted")
			}
			d.TSN += wire.TSN(len(frags))
			d.SSN++
		}
		if _, ok := r.Read(); !ok {
			b.Fatal("no message")
		}
	}
}

func BenchmarkAppendSack(b *testing.B) {
	r := sackReceiver(b, 20)
	gaps, dups := make([]wire.GapBlock, 0, 64), make([]wire.TSN, 0, 64)
	var s wire.Sack
	b.ReportAllocs()
	for b.Loop() {
		r.AppendSack(&s, gaps, dups, 1500)
	}
	if s.GapBlocks.Len() != 20 {
		b.Fatalf("%d gap blocks", s.GapBlocks.Len())
	}
}
