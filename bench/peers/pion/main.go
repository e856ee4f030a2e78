// Command pion is the benchmark program for github.com/pion/sctp over a
// UDP socket: run with -s it is the receiver of a bulk transfer or the
// echo side of a ping-pong, without it the sender or the side that times
// round trips. See package harness for the flags and the result it
// prints.
//
// pion/sctp takes a packet-oriented net.Conn; each side gives it a UDP
// socket bound to its own address and connected to the other's, with
// buffers sized as every program of the benchmark gets them.
package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"net"
	"os"
	"time"

	"github.com/pion/sctp"
	"github.com/rserpool/rserpool/bench/peers/harness"
)

func main() {
	f := harness.Flags{}
	if err := f.Parse(flag.CommandLine, os.Args[1:]); err != nil {
		harness.Fatal("pion", err)
	}
	stop, err := harness.StartProfile(f.CPUProfile)
	if err != nil {
		harness.Fatal("pion", err)
	}
	r, err := run(&f)
	stop()
	if err != nil {
		harness.Fatal("pion", err)
	}
	r.Emit()
}

func run(f *harness.Flags) (harness.Result, error) {
	conn, err := net.DialUDP("udp", net.UDPAddrFromAddrPort(f.Local), net.UDPAddrFromAddrPort(f.Peer))
	if err != nil {
		return harness.Result{}, err
	}
	defer conn.Close()
	rc, err := conn.SyscallConn()
	if err != nil {
		return harness.Result{}, err
	}
	rcv, snd := harness.SizeBuffers(rc, f.Buffer)
	opts := []sctp.AssociationOption{sctp.WithNetConn(conn), sctp.WithMaxReceiveBufferSize(uint32(f.Window)),
		sctp.WithMaxMessageSize(uint32(max(f.Size, 65536)))}
	if f.MTU > 0 {
		opts = append(opts, sctp.WithMTU(uint32(f.MTU)))
	}
	var a *sctp.Association
	var st *sctp.Stream
	if f.Server {
		harness.Ready()
		var so []sctp.ServerOption
		for _, o := range opts {
			so = append(so, o)
		}
		if a, err = sctp.ServerWithOptions(so...); err != nil {
			return harness.Result{}, err
		}
		if st, err = a.AcceptStream(); err != nil {
			return harness.Result{}, err
		}
	} else {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		var co []sctp.ClientOption
		for _, o := range opts {
			co = append(co, o)
		}
		a, err = sctp.ClientContext(ctx, co...)
		cancel()
		if err != nil {
			return harness.Result{}, err
		}
		if st, err = a.OpenStream(0, sctp.PayloadTypeWebRTCBinary); err != nil {
			return harness.Result{}, err
		}
	}
	defer a.Close()
	var r harness.Result
	switch {
	case f.Server && f.Mode == harness.Bulk:
		r, err = receive(f, st)
	case f.Server:
		r, err = echo(f, st)
	case f.Mode == harness.Bulk:
		r, err = send(f, a, st)
	default:
		r, err = harness.RoundTrips(f, pinger(f, st))
		if err == nil {
			err = shutdown(a)
		}
	}
	r.Notes = map[string]any{"read_buffer": rcv, "write_buffer": snd}
	return r, err
}

// receive reads messages until the association ends.
func receive(f *harness.Flags, st *sctp.Stream) (harness.Result, error) {
	var c harness.Counter
	buf := make([]byte, max(f.Size, 65536))
	for {
		n, err := st.Read(buf)
		if err != nil {
			if ended(err) {
				return c.Result(f), nil
			}
			return harness.Result{}, err
		}
		c.Add(n)
	}
}

// echo writes every message back until the association ends.
func echo(f *harness.Flags, st *sctp.Stream) (harness.Result, error) {
	buf := make([]byte, max(f.Size, 65536))
	n := int64(0)
	for {
		k, err := st.Read(buf)
		if err != nil {
			if ended(err) {
				return harness.Result{Role: "server", Mode: f.Mode, Size: f.Size, Msgs: n}, nil
			}
			return harness.Result{}, err
		}
		if _, err := st.Write(buf[:k]); err != nil {
			return harness.Result{}, err
		}
		n++
	}
}

// ended tells the end of the association from a failure.
func ended(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed)
}

// send writes messages for f.Duration with the flow control of a WebRTC
// data channel: it waits while more than the window is queued, until
// half of it drained. Then it shuts down, which returns once everything
// was acknowledged.
func send(f *harness.Flags, a *sctp.Association, st *sctp.Stream) (harness.Result, error) {
	low := make(chan struct{}, 1)
	st.SetBufferedAmountLowThreshold(uint64(f.Window / 2))
	st.OnBufferedAmountLow(func() {
		select {
		case low <- struct{}{}:
		default:
		}
	})
	msg := make([]byte, f.Size)
	start := time.Now()
	end := start.Add(f.Duration)
	n := int64(0)
	for {
		for st.BufferedAmount() > uint64(f.Window) {
			<-low
		}
		if _, err := st.Write(msg); err != nil {
			return harness.Result{}, err
		}
		n++
		if n%64 == 0 && time.Now().After(end) {
			break
		}
	}
	if err := shutdown(a); err != nil {
		return harness.Result{}, err
	}
	return harness.Result{Role: "client", Mode: f.Mode, Size: f.Size, Msgs: n, Bytes: n * int64(f.Size),
		Seconds: time.Since(start).Seconds()}, nil
}

func shutdown(a *sctp.Association) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return a.Shutdown(ctx)
}

// pinger returns one round trip: a message out, its echo back.
func pinger(f *harness.Flags, st *sctp.Stream) func() error {
	msg := make([]byte, f.Size)
	buf := make([]byte, f.Size+1)
	return func() error {
		if _, err := st.Write(msg); err != nil {
			return err
		}
		n, err := st.Read(buf)
		if err != nil {
			return err
		}
		if n != f.Size {
			return errors.New("echo of the wrong size")
		}
		return nil
	}
}
