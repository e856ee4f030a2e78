package sctp

import (
	"errors"
	"net"
	"time"

	"github.com/rserpool/rserpool/sctp/lower"
)

// batch is the reader's set of receive buffers, lent to the lower layer's
// ReadBatch and then to the engine. Its buffers are one allocation, made
// once.
type batch struct {
	pkts []lower.Packet
	n    int // packets filled by the last ReadBatch
}

func newBatch(bufLen, count int) *batch {
	slab := make([]byte, bufLen*count)
	b := &batch{pkts: make([]lower.Packet, count)}
	for i := range b.pkts {
		b.pkts[i].Buf = slab[i*bufLen : i*bufLen : (i+1)*bufLen]
	}
	return b
}

// reset readies the batch for the next ReadBatch. Only the packets the
// last one filled need it: ReadBatch writes nothing beyond n.
func (b *batch) reset() {
	for i := range b.pkts[:b.n] {
		b.pkts[i] = lower.Packet{Buf: b.pkts[i].Buf[:0]}
	}
	b.n = 0
}

// maxReadFailures is how many errors in a row, other than closed, the
// reader tolerates before it declares the lower layer dead.
const maxReadFailures = 100

// read is the reader goroutine: it reads a batch from the lower layer and
// runs the step that hands it to the engine, then reads the next. While
// it is in a step the lower layer's own queue (a socket buffer of
// megabytes) holds what arrives, as it would for a kernel stack.
func (l *loop) read(bufLen, batchLen int) {
	defer l.e.wg.Done()
	b := newBatch(bufLen, batchLen)
	fails := 0
	for {
		b.reset()
		n, err := l.e.conn.ReadBatch(b.pkts)
		if n > 0 {
			b.n = n
			if !l.receiveStep(b) {
				return
			}
		}
		if err == nil {
			fails = 0
			continue
		}
		fails++
		if errors.Is(err, lower.ErrClosed) || errors.Is(err, net.ErrClosed) || fails >= maxReadFailures {
			l.step(func(now time.Time) { l.lowerFailed(now, err) })
			return
		}
	}
}

// receiveStep is the step of a received batch, written out rather than
// through step so that the hot path makes no closure. It returns false
// once the loop has ended.
func (l *loop) receiveStep(b *batch) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ended {
		return false
	}
	now := time.Now()
	l.receive(now, b)
	l.settle(now)
	return true
}
