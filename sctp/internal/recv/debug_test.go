package recv

import "fmt"

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
