package failover

import "github.com/rserpool/rserpool/sctp/lower"

// recordConn is a lower layer that notes in a PathLog the destination of
// every packet it reads: over a real network the address a packet came in
// on is known only below the stack.
type recordConn struct {
	lower.Conn
	log *PathLog
}

var _ lower.Conn = (*recordConn)(nil)

func (c *recordConn) ReadBatch(pkts []lower.Packet) (int, error) {
	n, err := c.Conn.ReadBatch(pkts)
	for i := range pkts[:max(0, min(n, len(pkts)))] {
		c.log.Arrived(pkts[i].Buf, pkts[i].Dst.Addr().Unmap())
	}
	return n, err
}
