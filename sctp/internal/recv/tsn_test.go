package recv

import (
	"testing"

	"github.com/rserpool/rserpool/sctp/wire"
)

func TestRFC9260_3_3_4_CumulativeTSNAdvancesOverContiguousTSNs(t *testing.T) {
	r := New(Config{InStreams: 1}, 100)
	if r.CumTSN() != 99 || r.HighestTSN() != 99 {
		t.Fatalf("start: cum %d highest %d, want the initial TSN minus one", r.CumTSN(), r.HighestTSN())
	}
	feed(t, r, msg(100, 0, 0, 100), Accepted)
	feed(t, r, msg(101, 0, 1, 100), Accepted)
	if r.CumTSN() != 101 || r.HasGaps() {
		t.Fatalf("cum %d gaps %v, want 101 without gaps", r.CumTSN(), r.HasGaps())
	}
	feed(t, r, msg(103, 0, 3, 100), Accepted)
	feed(t, r, msg(104, 0, 4, 100), Accepted)
	if r.CumTSN() != 101 || r.HighestTSN() != 104 || !r.HasGaps() {
		t.Fatalf("cum %d highest %d, want 101 and 104", r.CumTSN(), r.HighestTSN())
	}
	feed(t, r, msg(102, 0, 2, 100), Accepted)
	if r.CumTSN() != 104 || r.HasGaps() {
		t.Fatalf("cum %d after the hole filled, want 104", r.CumTSN())
	}
}

// The example of RFC 9260 §3.3.4: TSNs 10, 11, 12, 14, 15 and 17 received
// give Cumulative TSN Ack 12 and blocks 2-3 and 5-5.
func TestRFC9260_3_3_4_GapBlocksAreOffsetsFromCumTSN(t *testing.T) {
	r := New(Config{InStreams: 1, Window: 4660 + 6*MinCharge}, 10)
	for _, tsn := range []wire.TSN{17, 15, 10, 12, 14, 11} {
		feed(t, r, chunk(tsn, 0, 0, "BEU", []byte{1}), Accepted)
	}
	if got, want := sack(r, 1500), "cum=12 rwnd=4660 gaps=[2-3 5-5] dups=[]"; got != want {
		t.Fatalf("SACK %s, want %s", got, want)
	}
}

func TestRFC9260_3_3_4_GapBlocksMergeWhenHolesFill(t *testing.T) {
	r := New(Config{InStreams: 1}, 1)
	steps := []struct {
		tsn  wire.TSN
		want string
	}{
		{3, "gaps=[3-3]"},
		{5, "gaps=[3-3 5-5]"},
		{7, "gaps=[3-3 5-5 7-7]"},
		{6, "gaps=[3-3 5-7]"}, // joins two blocks
		{4, "gaps=[3-7]"},
		{9, "gaps=[3-7 9-9]"},
		{8, "gaps=[3-9]"}, // extends the block
		{1, "gaps=[2-8]"}, // cum moves: offsets shift
		{2, "gaps=[]"},    // cum absorbs the block
	}
	for _, s := range steps {
		feed(t, r, chunk(s.tsn, 0, 0, "BEU", []byte{1}), Accepted)
		var sk wire.Sack
		r.AppendSack(&sk, nil, nil, 1500)
		got := "gaps=["
		for i := range sk.GapBlocks.Len() {
			g := sk.GapBlocks.At(i)
			if i > 0 {
				got += " "
			}
			got += itoa(int(g.Start)) + "-" + itoa(int(g.End))
		}
		got += "]"
		if got != s.want {
			t.Fatalf("after TSN %d: %s, want %s (cum %d)", s.tsn, got, s.want, sk.CumTSNAck)
		}
	}
	if r.CumTSN() != 9 {
		t.Fatalf("cum %d, want 9", r.CumTSN())
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// §6.2: duplicates "SHOULD be reported in the SACK chunk as duplicate";
// §3.3.4: a TSN received three times is listed twice, and the list starts
// afresh after each SACK.
func TestRFC9260_6_2_DuplicateTSNsReportedOnce(t *testing.T) {
	r := New(Config{InStreams: 1}, 10)
	feed(t, r, msg(10, 0, 0, 200), Accepted)
	feed(t, r, msg(12, 0, 2, 200), Accepted)
	feed(t, r, msg(10, 0, 0, 200), Duplicate) // at or below cum
	feed(t, r, msg(12, 0, 2, 200), Duplicate) // in a gap block
	feed(t, r, msg(12, 0, 2, 200), Duplicate)
	feed(t, r, msg(9, 0, 0, 200), Duplicate) // below the initial TSN
	if got, want := sack(r, 1500), "cum=10 rwnd=261744 gaps=[2-2] dups=[10 12 12 9]"; got != want {
		t.Fatalf("first SACK %s, want %s", got, want)
	}
	if got, want := sack(r, 1500), "cum=10 rwnd=261744 gaps=[2-2] dups=[]"; got != want {
		t.Fatalf("second SACK %s, want %s", got, want)
	}
	if st := r.Stats(); st.Duplicates != 4 || st.Accepted != 2 {
		t.Fatalf("stats %+v", st)
	}
	if ms := readAll(r); len(ms) != 1 {
		t.Fatalf("%d messages, want 1: a duplicate is not delivered", len(ms))
	}
}

func TestRFC9260_6_2_DuplicatesBoundedByMaxDups(t *testing.T) {
	r := New(Config{InStreams: 1, MaxDups: 3}, 1)
	feed(t, r, msg(1, 0, 0, 100), Accepted)
	for range 10 {
		feed(t, r, msg(1, 0, 0, 100), Duplicate)
	}
	if got, want := sack(r, 1500), "cum=1 rwnd=262044 gaps=[] dups=[1 1 1]"; got != want {
		t.Fatalf("SACK %s, want %s", got, want)
	}
	if st := r.Stats(); st.Duplicates != 10 {
		t.Fatalf("%d duplicates counted, want 10", st.Duplicates)
	}
}

// §6.2: "The SCTP endpoint MUST report as many Gap Ack Blocks as can fit in
// a single SACK chunk"; duplicates take what room is left.
func TestRFC9260_6_2_SackFitsMaxLenGapBlocksFirst(t *testing.T) {
	r := New(Config{InStreams: 1}, 1)
	for i := range 5 {
		feed(t, r, chunk(wire.TSN(3+2*i), 0, 0, "BEU", []byte{1}), Accepted)
	}
	feed(t, r, chunk(3, 0, 0, "BEU", []byte{1}), Duplicate)
	feed(t, r, chunk(5, 0, 0, "BEU", []byte{1}), Duplicate)
	// Header 16 + 6 entries of 4 bytes: 5 blocks and one duplicate.
	if got, want := sack(r, 16+6*4+3), "cum=0 rwnd=261824 gaps=[3-3 5-5 7-7 9-9 11-11] dups=[3]"; got != want {
		t.Fatalf("SACK %s, want %s", got, want)
	}
	feed(t, r, chunk(3, 0, 0, "BEU", []byte{1}), Duplicate)
	if got, want := sack(r, 16+3*4), "cum=0 rwnd=261824 gaps=[3-3 5-5 7-7] dups=[]"; got != want {
		t.Fatalf("short SACK %s, want %s", got, want)
	}
	if got, want := sack(r, 10), "cum=0 rwnd=261824 gaps=[] dups=[]"; got != want {
		t.Fatalf("header-only SACK %s, want %s", got, want)
	}
}

// RFC 9260 §1.6: TSNs are compared in serial number arithmetic, so nothing
// changes where they wrap from 2^32-1 to 0.
func TestRFC9260_1_6_SerialArithmeticAcrossWrap(t *testing.T) {
	const init = 0xFFFFFFF0
	r := New(Config{InStreams: 1}, init)
	// 0xFFFFFFF0 .. 0x0000000F, every other one first.
	var order []wire.TSN
	for i := 0; i < 32; i += 2 {
		order = append(order, wire.TSN(init+uint32(i)))
	}
	feed(t, r, msg(order[0], 0, 0, 100), Accepted)
	for _, tsn := range order[1:] {
		feed(t, r, msg(tsn, 0, wire.SSN(uint32(tsn-init)), 100), Accepted)
	}
	if r.CumTSN() != init || r.HighestTSN() != 0x0000000E {
		t.Fatalf("cum %#x highest %#x", r.CumTSN(), r.HighestTSN())
	}
	if got, want := sack(r, 1500), "cum=4294967280 rwnd=260544 gaps=[2-2 4-4 6-6 8-8 10-10 12-12 14-14 16-16 18-18 20-20 22-22 24-24 26-26 28-28 30-30] dups=[]"; got != want {
		t.Fatalf("SACK %s\nwant %s", got, want)
	}
	feed(t, r, msg(0xFFFFFFF2, 0, 2, 100), Duplicate)
	feed(t, r, msg(0x00000002, 0, 18, 100), Duplicate)
	for i := 1; i < 32; i += 2 {
		tsn := wire.TSN(init + uint32(i))
		feed(t, r, msg(tsn, 0, wire.SSN(i), 100), Accepted)
	}
	if r.CumTSN() != 0x0000000F || r.HasGaps() {
		t.Fatalf("cum %#x, want 0xF", r.CumTSN())
	}
	ms := readAll(r)
	if len(ms) != 32 {
		t.Fatalf("%d messages, want 32", len(ms))
	}
	for i, m := range ms {
		if m.SSN != wire.SSN(i) || m.FirstTSN != wire.TSN(init+uint32(i)) {
			t.Fatalf("message %d: SSN %d TSN %#x", i, m.SSN, m.FirstTSN)
		}
	}
	feed(t, r, msg(0xFFFFFFFF, 0, 0, 100), Duplicate)
}

// A Gap Ack Block names TSNs by 16-bit offsets from the Cumulative TSN Ack
// (§3.3.4): a TSN further ahead could never be acknowledged.
func TestRFC9260_3_3_4_TSNTooFarAheadIsOutOfWindow(t *testing.T) {
	r := New(Config{InStreams: 1}, 1000)
	feed(t, r, chunk(1000+65535, 0, 0, "BEU", []byte{1}), OutOfWindow)
	feed(t, r, chunk(999+1<<31-1, 0, 0, "BEU", []byte{1}), OutOfWindow)
	if r.HasGaps() || r.HighestTSN() != 999 {
		t.Fatal("a TSN out of window was recorded")
	}
	feed(t, r, chunk(999+65535, 0, 0, "BEU", []byte{1}), Accepted)
	if got, want := sack(r, 1500), "cum=999 rwnd=262080 gaps=[65535-65535] dups=[]"; got != want {
		t.Fatalf("SACK %s, want %s", got, want)
	}
	if st := r.Stats(); st.OutOfWindow != 2 {
		t.Fatalf("OutOfWindow counted %d, want 2", st.OutOfWindow)
	}
}

func TestRFC9260_6_2_GapBlocksBoundedByMaxGaps(t *testing.T) {
	r := New(Config{InStreams: 1, MaxGaps: 2}, 1)
	feed(t, r, chunk(3, 0, 0, "BEU", []byte{1}), Accepted)
	feed(t, r, chunk(5, 0, 0, "BEU", []byte{1}), Accepted)
	feed(t, r, chunk(7, 0, 0, "BEU", []byte{1}), OutOfWindow) // a third block
	feed(t, r, chunk(6, 0, 0, "BEU", []byte{1}), Accepted)    // extends one
	feed(t, r, chunk(4, 0, 0, "BEU", []byte{1}), Accepted)    // joins two
	feed(t, r, chunk(8, 0, 0, "BEU", []byte{1}), Accepted)
	feed(t, r, chunk(10, 0, 0, "BEU", []byte{1}), OutOfWindow)
	feed(t, r, chunk(1, 0, 0, "BEU", []byte{1}), Accepted) // cum+1 never needs one
	if got, want := sack(r, 1500), "cum=1 rwnd=261760 gaps=[2-5 7-7] dups=[]"; got != want {
		t.Fatalf("SACK %s, want %s", got, want)
	}
}
