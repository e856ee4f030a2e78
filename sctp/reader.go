package sctp

import (
	"errors"
	"net"

	"github.com/rserpool/rserpool/sctp/lower"
)

// batch is a set of receive buffers lent to the lower layer's ReadBatch
// and then to the loop. Its buffers are one allocation, made once.
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

// read is the reader goroutine: it reads batches from the lower layer
// and hands them to the loop. When the loop is behind, the reader waits
// for it rather than dropping the batch: the lower layer's own queue (a
// socket buffer of megabytes) then absorbs the burst, where the few
// batches between the goroutines cannot, and dropping here turned every
// burst of a fast sender into retransmissions.
func (l *loop) read() {
	defer l.e.wg.Done()
	var b *batch
	select {
	case b = <-l.free:
	case <-l.e.done:
		return
	}
	fails := 0
	for {
		b.reset()
		n, err := l.e.conn.ReadBatch(b.pkts)
		if n > 0 {
			b.n = n
			select {
			case l.in <- b:
			case <-l.e.done:
				return
			}
			select {
			case b = <-l.free:
			case <-l.e.done:
				return
			}
		}
		if err == nil {
			fails = 0
			continue
		}
		fails++
		if errors.Is(err, lower.ErrClosed) || errors.Is(err, net.ErrClosed) || fails >= maxReadFailures {
			select {
			case l.died <- err:
			default:
			}
			return
		}
	}
}
