// Package sctpsim compares SCTP stacks side by side on the same
// in-memory link (simnet, no loss, no delay, real time): one association,
// bulk transfer of equal messages on one stream, the receiver reading
// every message. Each op is one message; MB/s comes from b.SetBytes,
// msgs/s is reported, and allocs/op is allocations per message for both
// ends together.
package sctpsim

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	pion "github.com/pion/sctp"

	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/lower"
	"github.com/rserpool/rserpool/sctp/simnet"
)

var (
	addrA = netip.MustParseAddrPort("10.0.0.1:9899")
	addrB = netip.MustParseAddrPort("10.0.0.2:9899")
	sizes = []int{1 << 10, 64 << 10}
)

// Both stacks get a 1 MiB receive buffer (pion's default) and 1 MiB of
// unsent data before the writer waits.
const (
	recvBuffer = 1 << 20
	sendBuffer = 1 << 20
)

func sizeName(n int) string { return fmt.Sprintf("%dKiB", n>>10) }

func report(b *testing.B, start time.Time) {
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}

func BenchmarkRserpoolSCTP(b *testing.B) {
	for _, size := range sizes {
		b.Run(sizeName(size), func(b *testing.B) { benchRserpool(b, size) })
	}
}

func benchRserpool(b *testing.B, size int) {
	ctx := context.Background()
	n := simnet.New(1)
	defer n.Close()
	cfg := &sctp.Config{ReceiveWindow: recvBuffer, SendBuffer: sendBuffer, MaxMessage: 64 << 10}
	srv, err := sctp.NewEndpoint(n.Host(addrB), 5001, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	if err := srv.Listen(); err != nil {
		b.Fatal(err)
	}
	cli, err := sctp.NewEndpoint(n.Host(addrA), 5000, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer cli.Close()
	a, err := cli.Dial(ctx, []netip.AddrPort{addrB}, 5001)
	if err != nil {
		b.Fatal(err)
	}
	peer, err := srv.Accept(ctx)
	if err != nil {
		b.Fatal(err)
	}
	msg := make([]byte, size)
	done := make(chan error, 1)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	go func() {
		for range b.N {
			m, err := peer.Receive(ctx)
			if err != nil {
				done <- err
				return
			}
			if len(m.Data) != size {
				done <- fmt.Errorf("got %d bytes", len(m.Data))
				return
			}
		}
		done <- nil
	}()
	for range b.N {
		if err := a.Send(ctx, sctp.Message{PPID: 53, Data: msg}); err != nil {
			b.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	report(b, start)
	a.Abort("")
}

func BenchmarkPionSCTP(b *testing.B) {
	for _, size := range sizes {
		b.Run(sizeName(size), func(b *testing.B) { benchPion(b, size) })
	}
}

func benchPion(b *testing.B, size int) {
	n := simnet.New(1)
	defer n.Close()
	ca := &hostConn{h: n.Host(addrA), local: addrA, remote: addrB}
	cb := &hostConn{h: n.Host(addrB), local: addrB, remote: addrA}
	type result struct {
		a   *pion.Association
		err error
	}
	srvc := make(chan result, 1)
	go func() {
		a, err := pion.ServerWithOptions(pion.WithNetConn(cb), pion.WithMaxReceiveBufferSize(recvBuffer))
		srvc <- result{a, err}
	}()
	cli, err := pion.ClientWithOptions(pion.WithNetConn(ca), pion.WithMaxReceiveBufferSize(recvBuffer))
	if err != nil {
		b.Fatal(err)
	}
	defer cli.Close()
	r := <-srvc
	if r.err != nil {
		b.Fatal(r.err)
	}
	srv := r.a
	defer srv.Close()
	st, err := cli.OpenStream(0, pion.PayloadTypeWebRTCBinary)
	if err != nil {
		b.Fatal(err)
	}
	// Flow control as a WebRTC data channel does it: wait while more
	// than the send buffer is queued, until it drains to half.
	low := make(chan struct{}, 1)
	st.SetBufferedAmountLowThreshold(sendBuffer / 2)
	st.OnBufferedAmountLow(func() {
		select {
		case low <- struct{}{}:
		default:
		}
	})
	msg := make([]byte, size)
	done := make(chan error, 1)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	go func() {
		ss, err := srv.AcceptStream()
		if err != nil {
			done <- err
			return
		}
		buf := make([]byte, 64<<10)
		for range b.N {
			k, err := ss.Read(buf)
			if err != nil {
				done <- err
				return
			}
			if k != size {
				done <- fmt.Errorf("got %d bytes", k)
				return
			}
		}
		done <- nil
	}()
	for range b.N {
		for st.BufferedAmount() > sendBuffer {
			<-low
		}
		if _, err := st.Write(msg); err != nil {
			b.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	report(b, start)
}

// hostConn gives a simnet Host to pion as the packet-oriented net.Conn it
// expects: each Read returns one SCTP packet, each Write sends one, to a
// fixed peer address.
type hostConn struct {
	h             *simnet.Host
	local, remote netip.AddrPort

	rmu sync.Mutex
	rp  [1]lower.Packet
	wmu sync.Mutex
	wp  [1]lower.Packet
}

func (c *hostConn) Read(b []byte) (int, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	c.rp[0] = lower.Packet{Buf: b[:0]}
	if _, err := c.h.ReadBatch(c.rp[:]); err != nil {
		if errors.Is(err, lower.ErrClosed) {
			return 0, net.ErrClosed
		}
		return 0, err
	}
	return len(c.rp[0].Buf), nil
}

func (c *hostConn) Write(b []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.wp[0] = lower.Packet{Buf: b, Src: c.local, Dst: c.remote}
	_, err := c.h.WriteBatch(c.wp[:])
	c.wp[0] = lower.Packet{}
	if errors.Is(err, lower.ErrClosed) {
		return 0, net.ErrClosed
	}
	return len(b), err
}

func (c *hostConn) Close() error                     { return c.h.Close() }
func (c *hostConn) LocalAddr() net.Addr              { return net.UDPAddrFromAddrPort(c.local) }
func (c *hostConn) RemoteAddr() net.Addr             { return net.UDPAddrFromAddrPort(c.remote) }
func (c *hostConn) SetDeadline(time.Time) error      { return nil }
func (c *hostConn) SetReadDeadline(time.Time) error  { return nil }
func (c *hostConn) SetWriteDeadline(time.Time) error { return nil }
