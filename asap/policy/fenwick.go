package policy

import "math/bits"

// fenwick is a Fenwick (binary indexed) tree of weights: a weight
// changes, a prefix sums, and a uniform number in [0, total) maps to the
// member whose share it falls in, each in O(log n). t[i] (1-based) holds
// the weights of positions (i-lowbit(i), i]. Arithmetic wraps modulo
// 2^64, which makes a negative change an addition; the sums themselves
// never exceed 2^32 weights of 2^32.
type fenwick struct {
	t     []uint64 // t[0] is unused
	total uint64
}

func (f *fenwick) len() int {
	if len(f.t) == 0 {
		return 0
	}
	return len(f.t) - 1
}

// add adds d (modulo 2^64) to the weight at 0-based position i.
func (f *fenwick) add(i int, d uint64) {
	f.total += d
	for j := i + 1; j < len(f.t); j += j & -j {
		f.t[j] += d
	}
}

// prefix returns the sum of the weights at positions [0, i).
func (f *fenwick) prefix(i int) uint64 {
	var s uint64
	for ; i > 0; i -= i & -i {
		s += f.t[i]
	}
	return s
}

// push appends a position of weight w.
func (f *fenwick) push(w uint64) {
	if len(f.t) == 0 {
		f.t = append(f.t, 0)
	}
	i := len(f.t) // its 1-based index
	f.t = append(f.t, w+f.prefix(i-1)-f.prefix(i-(i&-i)))
	f.total += w
}

// pop removes the last position, whose weight must be 0 by then. No
// other node covers the last position, so dropping its node is enough.
func (f *fenwick) pop() { f.t = f.t[:len(f.t)-1] }

// find returns the position whose share of [0, total) holds r: the
// smallest i with prefix(i+1) > r. r must be below total; a position of
// weight 0 is never found.
func (f *fenwick) find(r uint64) int {
	n := f.len()
	if n == 0 {
		return 0
	}
	pos := 0
	for step := 1 << (bits.Len(uint(n)) - 1); step > 0; step >>= 1 {
		if next := pos + step; next <= n && f.t[next] <= r {
			pos = next
			r -= f.t[next]
		}
	}
	return pos
}
