package sctp

import (
	"container/heap"
	"time"
)

// deadlines orders the associations of a loop by their engine's next
// timer (Assoc.Deadline), so the loop arms one time.Timer for the earliest
// and finds the expired ones without scanning. It is a binary min-heap
// indexed from each Association (hidx), so that a deadline that moved is
// fixed in O(log n) after every step that touched its association, and
// an association without a running timer is not in it. Guarded by the
// loop's mu.
type deadlines []*Association

func (h deadlines) Len() int           { return len(h) }
func (h deadlines) Less(i, j int) bool { return h[i].deadline.Before(h[j].deadline) }
func (h deadlines) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].hidx, h[j].hidx = i, j
}

func (h *deadlines) Push(x any) {
	a := x.(*Association)
	a.hidx = len(*h)
	*h = append(*h, a)
}

func (h *deadlines) Pop() any {
	old := *h
	a := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	a.hidx = -1
	return a
}

// set records a's deadline: zero takes it out of the heap.
func (h *deadlines) set(a *Association, d time.Time) {
	a.deadline = d
	switch {
	case d.IsZero() && a.hidx >= 0:
		heap.Remove(h, a.hidx)
	case d.IsZero():
	case a.hidx >= 0:
		heap.Fix(h, a.hidx)
	default:
		heap.Push(h, a)
	}
}

// next returns the earliest deadline, zero when no timer runs.
func (h deadlines) next() time.Time {
	if len(h) == 0 {
		return time.Time{}
	}
	return h[0].deadline
}

// popExpired removes and returns the association whose deadline is the
// earliest if it is not after now.
func (h *deadlines) popExpired(now time.Time) *Association {
	if len(*h) == 0 || (*h)[0].deadline.After(now) {
		return nil
	}
	a := heap.Pop(h).(*Association)
	a.deadline = time.Time{}
	return a
}
