// Package capture records every packet a lower layer reads and writes in
// a pcap file that Wireshark, tshark and tcpdump read, while passing the
// packets through unchanged.
//
// The file's link type is LINKTYPE_RAW: each record is an IPv4 or IPv6
// packet made by the ip package. A packet whose addresses carry ports is
// one sent over UDP (RFC 6951: the ports are the UDP encapsulation
// ports) and is recorded inside a UDP datagram between those ports, its
// checksum computed; a packet whose ports are zero travels directly over
// IP and is recorded as protocol 132 (RFC 9260 §1). The IP headers are
// the recorder's, not the ones that were on the wire: TTL 64, DF set,
// Identification zero.
//
// Cost on the data path: one lock and one clock reading per batch, and a
// copy of each packet into a buffer (64 KiB) that goes to the writer when
// it is full, FlushInterval after the first record it holds, on Flush and
// on Close. A file can therefore lag up to FlushInterval behind the
// traffic, and a process that ends without Close loses what is buffered.
package capture

import (
	"bufio"
	"errors"
	"io"
	"net/netip"
	"os"
	"sync"
	"time"

	"github.com/rserpool/rserpool/ip"
	"github.com/rserpool/rserpool/sctp/lower"
)

// FlushInterval is the longest a record waits in the buffer before it is
// written out.
const FlushInterval = time.Second

// bufferSize is the write buffer: some forty full-sized packets, so that
// a busy association costs a write system call per forty packets.
const bufferSize = 64 << 10

// Conn is a lower.Conn that records the packets of another.
type Conn struct {
	inner lower.Conn

	mu      sync.Mutex
	bw      *bufio.Writer
	pw      *ip.PcapWriter
	file    io.Closer // the file WrapFile created, closed by Close
	now     func() time.Time
	timer   *time.Timer // flushes the buffer; armed while it holds records
	pending bool        // timer armed
	err     error       // the first write error; recording stopped there
	closed  bool
	stats   Stats

	closeOnce sync.Once
	closeErr  error
}

// Stats counts the records.
type Stats struct {
	Recorded uint64 // packets written to the capture
	// Skipped counts packets the capture left out: their addresses
	// could not make an IP header (families that differ, no address), or
	// recording had stopped on a write error (see Conn.Err).
	Skipped uint64
}

var _ lower.Conn = (*Conn)(nil)

// Wrap returns a Conn that passes everything to c and records in w. It
// writes the pcap file header at once (into its buffer). Closing the Conn
// closes c but not w.
func Wrap(c lower.Conn, w io.Writer) (*Conn, error) {
	bw := bufio.NewWriterSize(w, bufferSize)
	pw, err := ip.NewPcapWriter(bw)
	if err != nil {
		return nil, err
	}
	return &Conn{inner: c, bw: bw, pw: pw, now: time.Now}, nil
}

// WrapFile is Wrap to a new file at path (an existing one is truncated),
// which Close closes.
func WrapFile(c lower.Conn, path string) (*Conn, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	cc, err := Wrap(c, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	cc.file = f
	return cc, nil
}

// SetClock sets where timestamps come from; the default is time.Now.
func (c *Conn) SetClock(now func() time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = now
}

// Unwrap returns the lower layer being recorded.
func (c *Conn) Unwrap() lower.Conn { return c.inner }

// Stats returns the counters.
func (c *Conn) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// Err returns the write error that stopped the recording, if any. The
// packets themselves still pass.
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// ReadBatch implements lower.Conn and records the packets read.
func (c *Conn) ReadBatch(pkts []lower.Packet) (int, error) {
	n, err := c.inner.ReadBatch(pkts)
	if n > 0 {
		c.record(pkts[:n], false)
	}
	return n, err
}

// WriteBatch implements lower.Conn and records the packets the lower
// layer took.
func (c *Conn) WriteBatch(pkts []lower.Packet) (int, error) {
	n, err := c.inner.WriteBatch(pkts)
	if n > 0 {
		c.record(pkts[:n], true)
	}
	return n, err
}

// LocalAddrs implements lower.Conn.
func (c *Conn) LocalAddrs() []netip.AddrPort { return c.inner.LocalAddrs() }

// MTU implements lower.Conn.
func (c *Conn) MTU() int { return c.inner.MTU() }

// Flush writes the buffered records out.
func (c *Conn) Flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.flushLocked()
}

// Close implements lower.Conn: it closes the lower layer, then writes the
// buffered records out and closes the file WrapFile created. It returns
// the first error of the three, the recording's included.
func (c *Conn) Close() error {
	c.closeOnce.Do(func() {
		err := c.inner.Close()
		c.mu.Lock()
		c.closed = true
		if c.timer != nil {
			c.timer.Stop()
		}
		ferr := c.flushLocked()
		c.mu.Unlock()
		var cerr error
		if c.file != nil {
			cerr = c.file.Close()
		}
		c.closeErr = errors.Join(err, ferr, cerr)
	})
	return c.closeErr
}

func (c *Conn) flushLocked() error {
	if c.err != nil {
		return c.err
	}
	if err := c.bw.Flush(); err != nil {
		c.err = err
	}
	return c.err
}

// record writes pkts with one timestamp: they were read or written by
// one call.
func (c *Conn) record(pkts []lower.Packet, sent bool) {
	var locals []netip.AddrPort
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.err != nil {
		c.stats.Skipped += uint64(len(pkts))
		return
	}
	ts := c.now()
	for i := range pkts {
		p := &pkts[i]
		src := p.Src
		if sent && (!src.Addr().IsValid() || src.Addr().IsUnspecified()) {
			// The lower layer chose the source; guess it as lower
			// layers do, from its first address of the family.
			if locals == nil {
				locals = c.inner.LocalAddrs()
			}
			src = source(locals, src, p.Dst)
		}
		var err error
		if src.Port() != 0 || p.Dst.Port() != 0 {
			err = c.pw.WriteSCTPOverUDP(ts, src, p.Dst, p.Buf)
		} else {
			err = c.pw.WriteSCTP(ts, src.Addr(), p.Dst.Addr(), p.Buf)
		}
		switch {
		case err == nil:
			c.stats.Recorded++
		case errors.Is(err, ip.ErrAddress), errors.Is(err, ip.ErrTooLong), errors.Is(err, ip.ErrNegativeLength):
			c.stats.Skipped++
		default:
			c.err = err
			c.stats.Skipped += uint64(len(pkts) - i)
			return
		}
	}
	if !c.pending && c.bw.Buffered() > 0 {
		c.pending = true
		if c.timer == nil {
			c.timer = time.AfterFunc(FlushInterval, c.timedFlush)
		} else {
			c.timer.Reset(FlushInterval)
		}
	}
}

func (c *Conn) timedFlush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending = false
	if !c.closed {
		c.flushLocked()
	}
}

// source picks the first local address of dst's family, keeping src's
// port when it has one.
func source(locals []netip.AddrPort, src, dst netip.AddrPort) netip.AddrPort {
	for _, l := range locals {
		if l.Addr().Unmap().Is4() == dst.Addr().Unmap().Is4() {
			if src.Port() != 0 {
				return netip.AddrPortFrom(l.Addr(), src.Port())
			}
			return l
		}
	}
	return src
}
