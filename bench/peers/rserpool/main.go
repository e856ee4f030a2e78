// Command rserpool is the benchmark program for this project's SCTP
// stack over UDP encapsulation (packages sctp and sctp/udpencap): run
// with -s it is the receiver of a bulk transfer or the echo side of a
// ping-pong, without it the sender or the side that times round trips.
// See package harness for the flags and the result it prints.
package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"net/netip"
	"os"
	"time"

	"github.com/rserpool/rserpool/bench/peers/harness"
	"github.com/rserpool/rserpool/sctp"
	"github.com/rserpool/rserpool/sctp/udpencap"
)

// maxBurst is Config.MaxBurst; 0 keeps the stack's default.
var maxBurst = flag.Int("maxburst", 0, "Config.MaxBurst: packets sent at once per SACK; 0: the default, negative: no limit")

func main() {
	f := harness.Flags{}
	if err := f.Parse(flag.CommandLine, os.Args[1:]); err != nil {
		harness.Fatal("rserpool", err)
	}
	stop, err := harness.StartProfile(f.CPUProfile)
	if err != nil {
		harness.Fatal("rserpool", err)
	}
	r, err := run(&f)
	stop()
	if err != nil {
		harness.Fatal("rserpool", err)
	}
	r.Emit()
}

func run(f *harness.Flags) (harness.Result, error) {
	conn, err := udpencap.Listen(udpencap.Config{
		Addrs: []netip.Addr{f.Local.Addr()}, Port: f.Local.Port(), MTU: f.MTU,
		ReadBuffer: f.Buffer, WriteBuffer: f.Buffer,
	})
	if err != nil {
		return harness.Result{}, err
	}
	cfg := &sctp.Config{ReceiveWindow: f.Window, SendBuffer: f.Window, MaxMessage: max(f.Window, f.Size), MaxBurst: *maxBurst}
	ep, err := sctp.NewEndpoint(conn, f.Port, cfg)
	if err != nil {
		conn.Close()
		return harness.Result{}, err
	}
	defer ep.Close()
	ctx := context.Background()
	var a *sctp.Association
	if f.Server {
		if err := ep.Listen(); err != nil {
			return harness.Result{}, err
		}
		harness.Ready()
		if a, err = ep.Accept(ctx); err != nil {
			return harness.Result{}, err
		}
	} else {
		dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		a, err = ep.Dial(dctx, []netip.AddrPort{f.Peer}, f.Port)
		cancel()
		if err != nil {
			return harness.Result{}, err
		}
	}
	var r harness.Result
	switch {
	case f.Server && f.Mode == harness.Bulk:
		r, err = receive(ctx, f, a)
	case f.Server:
		r, err = echo(ctx, f, a)
	case f.Mode == harness.Bulk:
		r, err = send(ctx, f, a)
	default:
		r, err = harness.RoundTrips(f, pinger(ctx, f, a))
		if err == nil {
			err = a.Shutdown(ctx)
		}
	}
	if err != nil {
		return r, err
	}
	<-a.Done()
	r.Notes = notes(a.Stats(), ep.Stats(), conn.Stats())
	return r, nil
}

// receive reads messages until the sender's shutdown.
func receive(ctx context.Context, f *harness.Flags, a *sctp.Association) (harness.Result, error) {
	var c harness.Counter
	for {
		m, err := a.Receive(ctx)
		if errors.Is(err, io.EOF) {
			return c.Result(f), nil
		}
		if err != nil {
			return harness.Result{}, err
		}
		c.Add(len(m.Data))
	}
}

// echo sends every message back on its stream until the peer's shutdown.
func echo(ctx context.Context, f *harness.Flags, a *sctp.Association) (harness.Result, error) {
	n := int64(0)
	for {
		m, err := a.Receive(ctx)
		if errors.Is(err, io.EOF) {
			return harness.Result{Role: "server", Mode: f.Mode, Size: f.Size, Msgs: n}, nil
		}
		if err != nil {
			return harness.Result{}, err
		}
		if err := a.Send(ctx, m); err != nil {
			return harness.Result{}, err
		}
		n++
	}
}

// send sends messages for f.Duration, then shuts down, which returns
// once the peer acknowledged everything.
func send(ctx context.Context, f *harness.Flags, a *sctp.Association) (harness.Result, error) {
	msg := sctp.Message{Data: make([]byte, f.Size)}
	start := time.Now()
	end := start.Add(f.Duration)
	n := int64(0)
	for {
		if err := a.Send(ctx, msg); err != nil {
			return harness.Result{}, err
		}
		n++
		if n%64 == 0 && time.Now().After(end) {
			break
		}
	}
	if err := a.Shutdown(ctx); err != nil {
		return harness.Result{}, err
	}
	return harness.Result{Role: "client", Mode: f.Mode, Size: f.Size, Msgs: n, Bytes: n * int64(f.Size),
		Seconds: time.Since(start).Seconds()}, nil
}

// pinger returns one round trip: a message out, its echo back.
func pinger(ctx context.Context, f *harness.Flags, a *sctp.Association) func() error {
	msg := sctp.Message{Data: make([]byte, f.Size)}
	return func() error {
		if err := a.Send(ctx, msg); err != nil {
			return err
		}
		m, err := a.Receive(ctx)
		if err != nil {
			return err
		}
		if len(m.Data) != f.Size {
			return errors.New("echo of the wrong size")
		}
		return nil
	}
}

// notes are the counters that explain a run: packets and SACKs per
// path, retransmissions, and how the lower layer batched.
func notes(s sctp.Stats, es sctp.EndpointStats, us udpencap.Stats) map[string]any {
	var sent, received uint64
	for _, p := range s.Paths {
		sent += p.PacketsSent
		received += p.PacketsReceived
	}
	return map[string]any{
		"packets_sent": sent, "packets_received": received,
		"retransmissions": s.Retransmissions, "fast_retransmits": s.FastRetransmits, "t3_expirations": s.T3Expirations,
		"sacks_sent": s.SACKsSent, "write_errors": es.WriteErrors,
		"gso": us.GSO, "gro": us.GRO, "gso_sends": us.GSOSends, "gro_receives": us.GROReceives,
		"read_buffer": us.ReadBuffer, "write_buffer": us.WriteBuffer, "send_dropped": us.SendDropped,
	}
}
