package handlespace

import (
	"strings"

	"github.com/rserpool/rserpool/asap/msg"
)

// tree is an AVL tree of elements ordered by (pool handle, PE
// identifier). Its links live in the elements themselves, one set per
// tree an element can be in (the whole handlespace, its owner's), so a
// tree costs no allocation. Depth stays below 1.45 log2(N+2), so the
// recursion is shallow.
type tree struct {
	root  *Element
	which int // index of the links in Element.links
	n     int
}

type links struct {
	left, right *Element
	height      int32
}

func (t *tree) l(e *Element) *links { return &e.links[t.which] }

func (t *tree) height(e *Element) int32 {
	if e == nil {
		return 0
	}
	return t.l(e).height
}

// compare orders an element against the key (handle, id).
func compare(e *Element, handle string, id msg.PEID) int {
	if c := strings.Compare(e.pool.handle, handle); c != 0 {
		return c
	}
	switch {
	case e.id < id:
		return -1
	case e.id > id:
		return 1
	}
	return 0
}

// insert adds e, whose key must not be in the tree yet.
func (t *tree) insert(e *Element) {
	t.root = t.ins(t.root, e)
	t.n++
}

func (t *tree) ins(n, e *Element) *Element {
	if n == nil {
		*t.l(e) = links{height: 1}
		return e
	}
	ln := t.l(n)
	if compare(e, n.pool.handle, n.id) < 0 {
		ln.left = t.ins(ln.left, e)
	} else {
		ln.right = t.ins(ln.right, e)
	}
	return t.balance(n)
}

// remove takes e, which must be in the tree, out of it.
func (t *tree) remove(e *Element) {
	t.root = t.del(t.root, e)
	t.n--
}

func (t *tree) del(n, e *Element) *Element {
	if n == nil {
		return nil
	}
	ln := t.l(n)
	switch c := compare(e, n.pool.handle, n.id); {
	case c < 0:
		ln.left = t.del(ln.left, e)
	case c > 0:
		ln.right = t.del(ln.right, e)
	default:
		left, right := ln.left, ln.right
		*ln = links{}
		if left == nil {
			return right
		}
		if right == nil {
			return left
		}
		var m *Element
		right = t.delMin(right, &m)
		lm := t.l(m)
		lm.left, lm.right = left, right
		return t.balance(m)
	}
	return t.balance(n)
}

// delMin takes the smallest element out of the subtree n, into *m.
func (t *tree) delMin(n *Element, m **Element) *Element {
	ln := t.l(n)
	if ln.left == nil {
		*m = n
		r := ln.right
		ln.right = nil
		return r
	}
	ln.left = t.delMin(ln.left, m)
	return t.balance(n)
}

func (t *tree) fixHeight(n *Element) {
	ln := t.l(n)
	ln.height = 1 + max(t.height(ln.left), t.height(ln.right))
}

func (t *tree) rotateRight(n *Element) *Element {
	ln := t.l(n)
	x := ln.left
	lx := t.l(x)
	ln.left, lx.right = lx.right, n
	t.fixHeight(n)
	t.fixHeight(x)
	return x
}

func (t *tree) rotateLeft(n *Element) *Element {
	ln := t.l(n)
	x := ln.right
	lx := t.l(x)
	ln.right, lx.left = lx.left, n
	t.fixHeight(n)
	t.fixHeight(x)
	return x
}

func (t *tree) balance(n *Element) *Element {
	t.fixHeight(n)
	ln := t.l(n)
	switch bf := t.height(ln.left) - t.height(ln.right); {
	case bf > 1:
		if ll := t.l(ln.left); t.height(ll.left) < t.height(ll.right) {
			ln.left = t.rotateLeft(ln.left)
		}
		return t.rotateRight(n)
	case bf < -1:
		if lr := t.l(ln.right); t.height(lr.right) < t.height(lr.left) {
			ln.right = t.rotateRight(ln.right)
		}
		return t.rotateLeft(n)
	}
	return n
}

// first returns the smallest element, or nil.
func (t *tree) first() *Element {
	n := t.root
	if n == nil {
		return nil
	}
	for l := t.l(n).left; l != nil; l = t.l(n).left {
		n = l
	}
	return n
}

// ceil returns the smallest element with key >= (handle, id), or with key
// > (handle, id) when strict; nil if there is none.
func (t *tree) ceil(handle string, id msg.PEID, strict bool) *Element {
	var best *Element
	for n := t.root; n != nil; {
		c := compare(n, handle, id)
		if c > 0 || c == 0 && !strict {
			best = n
			if c == 0 {
				return n
			}
			n = t.l(n).left
		} else {
			n = t.l(n).right
		}
	}
	return best
}
