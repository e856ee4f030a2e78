package policy

import "github.com/rserpool/rserpool/asap/msg"

// keyed is the structure behind the policies that order their members by
// a key (Priority, the Least Used family, Weighted Round Robin): a binary
// min-heap over members kept in stable slots, so that the heap can move
// members about without touching the id index. A member's key is (hi,
// lo): hi is what the policy orders by, lo a sequence number that breaks
// ties, which the selectors renew to rotate among equals.
type keyed struct {
	ents  []entry
	free  []int32 // released slots of ents
	slots map[msg.PEID]int32
	heap  []int32 // slots in heap order
	front []int32 // scratch: heap positions of the smallest-k search
	out   []int32 // scratch: the slots it found
}

// entry is one member. a and b hold its policy values (load and load
// degradation, priority, or weight), deg its degradation counter.
type entry struct {
	hi, lo uint64
	id     msg.PEID
	a, b   uint32
	deg    uint32
	pos    int32 // index in heap; -1 when not in it
}

func (k *keyed) len() int { return len(k.slots) }

func (k *keyed) lookup(id msg.PEID) (int32, bool) {
	s, ok := k.slots[id]
	return s, ok
}

// alloc gives id a slot, not yet in the heap.
func (k *keyed) alloc(id msg.PEID) int32 {
	if k.slots == nil {
		k.slots = make(map[msg.PEID]int32)
	}
	var s int32
	if n := len(k.free); n > 0 {
		s = k.free[n-1]
		k.free = k.free[:n-1]
	} else {
		s = int32(len(k.ents))
		k.ents = append(k.ents, entry{})
	}
	k.ents[s] = entry{id: id, pos: -1}
	k.slots[id] = s
	return s
}

// release takes a member out of the heap and frees its slot.
func (k *keyed) release(s int32) {
	k.unheap(s)
	delete(k.slots, k.ents[s].id)
	k.ents[s] = entry{pos: -1}
	k.free = append(k.free, s)
}

func (k *keyed) less(x, y int32) bool {
	a, b := &k.ents[x], &k.ents[y]
	return a.hi < b.hi || a.hi == b.hi && a.lo < b.lo
}

// push puts slot s, with its key set, into the heap.
func (k *keyed) push(s int32) {
	k.ents[s].pos = int32(len(k.heap))
	k.heap = append(k.heap, s)
	k.up(len(k.heap) - 1)
}

// unheap takes slot s out of the heap, if it is in.
func (k *keyed) unheap(s int32) {
	i := int(k.ents[s].pos)
	if i < 0 {
		return
	}
	last := len(k.heap) - 1
	if i != last {
		k.swap(i, last)
	}
	k.heap = k.heap[:last]
	k.ents[s].pos = -1
	if i != last {
		k.fix(k.heap[i])
	}
}

// fix restores the heap after slot s's key changed.
func (k *keyed) fix(s int32) {
	i := int(k.ents[s].pos)
	if i < 0 {
		return
	}
	if !k.down(i) {
		k.up(i)
	}
}

func (k *keyed) swap(i, j int) {
	h := k.heap
	h[i], h[j] = h[j], h[i]
	k.ents[h[i]].pos = int32(i)
	k.ents[h[j]].pos = int32(j)
}

func (k *keyed) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !k.less(k.heap[i], k.heap[p]) {
			return
		}
		k.swap(i, p)
		i = p
	}
}

// down sifts position i down and reports whether it moved.
func (k *keyed) down(i int) bool {
	start, n := i, len(k.heap)
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && k.less(k.heap[r], k.heap[c]) {
			c = r
		}
		if !k.less(k.heap[c], k.heap[i]) {
			break
		}
		k.swap(i, c)
		i = c
	}
	return i != start
}

// smallest returns the slots of the n smallest members of the heap in
// ascending order, in k.out, without changing the heap: a best-first walk
// of the heap whose frontier holds at most n+1 positions, so it costs
// O(n log n) whatever the heap's size.
func (k *keyed) smallest(n int) []int32 {
	out := k.out[:0]
	if n > len(k.heap) {
		n = len(k.heap)
	}
	if n <= 0 {
		k.out = out
		return out
	}
	f := append(k.front[:0], 0)
	for len(out) < n {
		// Pop the frontier's smallest position.
		p := f[0]
		last := len(f) - 1
		f[0] = f[last]
		f = f[:last]
		k.frontDown(f, 0)
		out = append(out, k.heap[p])
		for c := 2*p + 1; c <= 2*p+2 && int(c) < len(k.heap); c++ {
			f = append(f, c)
			k.frontUp(f, len(f)-1)
		}
	}
	k.front, k.out = f, out
	return out
}

func (k *keyed) frontLess(f []int32, i, j int) bool { return k.less(k.heap[f[i]], k.heap[f[j]]) }

func (k *keyed) frontUp(f []int32, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !k.frontLess(f, i, p) {
			return
		}
		f[i], f[p] = f[p], f[i]
		i = p
	}
}

func (k *keyed) frontDown(f []int32, i int) {
	n := len(f)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if r := c + 1; r < n && k.frontLess(f, r, c) {
			c = r
		}
		if !k.frontLess(f, c, i) {
			return
		}
		f[i], f[c] = f[c], f[i]
		i = c
	}
}
