package recv

import (
	"bytes"
	"fmt"
	"math/bits"
	"strings"
	"testing"

	"github.com/rserpool/rserpool/sctp/wire"
)

// chunk builds a DATA chunk. flags holds the letters B, E and U for the
// bits set.
func chunk(tsn wire.TSN, stream wire.StreamID, ssn wire.SSN, flags string, payload []byte) *wire.Data {
	return &wire.Data{
		DataFlags: wire.DataFlags{
			Beginning: strings.Contains(flags, "B"),
			Ending:    strings.Contains(flags, "E"),
			Unordered: strings.Contains(flags, "U"),
		},
		TSN:      tsn,
		Stream:   stream,
		SSN:      ssn,
		PPID:     wire.PPID(1000 + uint32(stream)),
		UserData: payload,
	}
}

// msg builds an unfragmented ordered message chunk with a payload of n
// bytes that names its TSN.
func msg(tsn wire.TSN, stream wire.StreamID, ssn wire.SSN, n int) *wire.Data {
	return chunk(tsn, stream, ssn, "BE", payload(tsn, n))
}

// payload returns n bytes derived from seed.
func payload(seed wire.TSN, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(uint32(seed)*7 + uint32(i))
	}
	return b
}

// feed passes d to r, checks the verdict and r's invariants.
func feed(t *testing.T, r *Receiver, d *wire.Data, want Verdict) {
	t.Helper()
	if got := r.Data(d); got != want {
		t.Fatalf("Data(TSN %d, stream %d, SSN %d): %v, want %v", d.TSN, d.Stream, d.SSN, got, want)
	}
	if err := r.check(); err != nil {
		t.Fatalf("after TSN %d: %v", d.TSN, err)
	}
}

// readAll returns every message ready.
func readAll(r *Receiver) []Message {
	var ms []Message
	for {
		m, ok := r.Read()
		if !ok {
			return ms
		}
		ms = append(ms, m)
	}
}

// ssns lists the stream:SSN of each message.
func ssns(ms []Message) string {
	var b strings.Builder
	for i, m := range ms {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%d:%d", m.Stream, m.SSN)
	}
	return b.String()
}

// sack returns r's SACK as a string: cum, rwnd, gap blocks, duplicates.
func sack(r *Receiver, maxLen int) string {
	var s wire.Sack
	r.AppendSack(&s, nil, nil, maxLen)
	var b strings.Builder
	fmt.Fprintf(&b, "cum=%d rwnd=%d gaps=[", s.CumTSNAck, s.ARwnd)
	for i := range s.GapBlocks.Len() {
		g := s.GapBlocks.At(i)
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%d-%d", g.Start, g.End)
	}
	b.WriteString("] dups=[")
	for i := range s.DupTSNs.Len() {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%d", s.DupTSNs.At(i))
	}
	b.WriteString("]")
	if s.Len() > max(maxLen, sackHeaderLen) {
		b.WriteString(" OVERSIZE")
	}
	return b.String()
}

// check verifies the receiver's invariants.
func (r *Receiver) check() error {
	if err := r.tsns.check(); err != nil {
		return err
	}
	s := &r.tsns
	held := 0
	for i, u := range r.runs {
		held += u.cost
		if u.hasB && u.hasE {
			return fmt.Errorf("run %d complete but held", i)
		}
		if u.last.Sub(u.first) < 0 || len(u.buf) > r.maxMessage || u.cost > r.window {
			return fmt.Errorf("run %d [%d,%d] %d bytes cost %d", i, u.first, u.last, len(u.buf), u.cost)
		}
		for t := u.first; ; t++ {
			if !s.has(t) {
				return fmt.Errorf("run %d holds TSN %d, not received", i, t)
			}
			if t == u.last {
				break
			}
		}
		if i > 0 && r.runs[i-1].last.Sub(u.first) >= 0 {
			return fmt.Errorf("runs %d and %d overlap or are out of order", i-1, i)
		}
		if u.first.Sub(s.cum) <= 0 && (!u.hasB || u.last != s.cum) {
			return fmt.Errorf("run %d [%d,%d] dead at cum %d", i, u.first, u.last, s.cum)
		}
	}
	for id, q := range r.streams.pending {
		if len(q.msgs) == 0 {
			return fmt.Errorf("stream %d: empty queue kept", id)
		}
		next := r.streams.nextSSN(id)
		last := uint16(0)
		for _, m := range q.msgs {
			a := ahead(m.SSN, next)
			if a <= last || a >= 1<<15 {
				return fmt.Errorf("stream %d: SSN %d queued with next %d", id, m.SSN, next)
			}
			last = a
			held += charge(len(m.Data))
		}
	}
	for _, m := range r.ready.msgs[r.ready.head:] {
		held += charge(len(m.Data))
	}
	if held != r.held || held > r.window {
		return fmt.Errorf("held %d, counted %d, window %d", r.held, held, r.window)
	}
	if len(r.dups) > r.maxDups {
		return fmt.Errorf("%d dups kept, max %d", len(r.dups), r.maxDups)
	}
	return nil
}

// sameData reports whether m carries want.
func sameData(m Message, want []byte) bool { return bytes.Equal(m.Data, want) }

func tsnOf(i int) wire.TSN { return wire.TSN(uint32(i)) }
func ssnOf(i int) wire.SSN { return wire.SSN(uint16(i)) }

// check verifies the TSN map's invariants.
func (s *tsnSet) check() error {
	oh := s.off(s.high)
	if oh > maxTSNAhead {
		return fmt.Errorf("highest %d is %d above cum %d", s.high, oh, s.cum)
	}
	if s.bits == nil {
		if oh != 0 || s.nranges != 0 {
			return fmt.Errorf("no map, highest %d, %d blocks, cum %d", s.high, s.nranges, s.cum)
		}
		return nil
	}
	gaps := s.appendGaps(nil, maxTSNAhead)
	n, inside := len(gaps), 0
	for i, g := range gaps {
		if g.Start < 2 || g.End < g.Start || (i > 0 && g.Start <= gaps[i-1].End+1) || uint32(g.End) > oh {
			return fmt.Errorf("gap blocks %v, cum %d highest %d", gaps, s.cum, s.high)
		}
		inside += int(g.End-g.Start) + 1
	}
	all := 0
	for _, w := range s.bits {
		all += bits.OnesCount64(w)
	}
	if all != inside {
		return fmt.Errorf("%d bits set above highest %d (cum %d)", all-inside, s.high, s.cum)
	}
	if oh > 0 && !s.bit(s.high) {
		return fmt.Errorf("highest %d not set", s.high)
	}
	if n != s.nranges {
		return fmt.Errorf("%d blocks counted as %d", n, s.nranges)
	}
	return nil
}

// dump describes what r holds, for the message of a failed test.
func (r *Receiver) dump() string {
	s := fmt.Sprintf("cum=%d held=%d high=%d gaps=%v\n", r.tsns.cum, r.held, r.tsns.high, r.tsns.appendGaps(nil, 1000))
	for _, u := range r.runs {
		s += fmt.Sprintf(" run [%d,%d] s%d ssn%d u%v B%v E%v cost%d len%d\n", u.first, u.last, u.stream, u.ssn, u.unordered, u.hasB, u.hasE, u.cost, len(u.buf))
	}
	for id, q := range r.streams.pending {
		for _, m := range q.msgs {
			s += fmt.Sprintf(" pending s%d ssn%d tsn[%d,%d] len%d (next %d)\n", id, m.SSN, m.FirstTSN, m.LastTSN, len(m.Data), r.streams.nextSSN(id))
		}
	}
	s += fmt.Sprintf(" ready %d\n", r.ready.len())
	return s
}
