package harness

import (
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"time"
)

// Modes of a run.
const (
	Bulk = "bulk" // the client sends messages of Size bytes for Duration
	RR   = "rr"   // the client sends one message and waits for its echo, for Duration
)

// Flags is the command line every benchmark program takes.
type Flags struct {
	Server   bool
	Mode     string
	Size     int
	Duration time.Duration
	Warmup   int // ping-pong round trips before timing starts

	Local, Peer netip.AddrPort // UDP addresses of this process and the other
	Port        uint16         // SCTP port (both sides use it)
	MTU         int            // largest UDP payload; 0 keeps the stack's own choice
	Buffer      int            // socket receive and send buffers, bytes
	Window      int            // receive window and send buffer of an SCTP association, bytes

	CPUProfile string
}

// Parse reads the command line into f, on top of what the program set
// as defaults, and checks it.
func (f *Flags) Parse(fs *flag.FlagSet, args []string) error {
	local, peer := f.Local.String(), f.Peer.String()
	fs.BoolVar(&f.Server, "s", f.Server, "run as the server (receiver or echo)")
	fs.StringVar(&f.Mode, "mode", Bulk, "bulk or rr")
	fs.IntVar(&f.Size, "size", 1000, "message size in bytes")
	fs.DurationVar(&f.Duration, "duration", 5*time.Second, "how long the client sends")
	fs.IntVar(&f.Warmup, "warmup", 1000, "round trips before timing starts (rr)")
	fs.StringVar(&local, "local", "127.0.0.1:29900", "local UDP address")
	fs.StringVar(&peer, "peer", "127.0.0.1:29901", "the other process's UDP address")
	port := fs.Uint("port", 5001, "SCTP port")
	fs.IntVar(&f.MTU, "mtu", 1472, "largest UDP payload (SCTP packet); 0: the stack's own choice")
	fs.IntVar(&f.Buffer, "sockbuf", 4<<20, "socket buffer size in bytes, receive and send")
	fs.IntVar(&f.Window, "window", 1<<20, "SCTP receive window and send buffer in bytes")
	fs.StringVar(&f.CPUProfile, "cpuprofile", "", "write a CPU profile to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var err error
	if f.Local, err = netip.ParseAddrPort(local); err != nil {
		return fmt.Errorf("-local: %w", err)
	}
	if f.Peer, err = netip.ParseAddrPort(peer); err != nil {
		return fmt.Errorf("-peer: %w", err)
	}
	if *port == 0 || *port > 65535 {
		return errors.New("-port: out of range")
	}
	f.Port = uint16(*port)
	switch {
	case f.Mode != Bulk && f.Mode != RR:
		return fmt.Errorf("-mode %q: want bulk or rr", f.Mode)
	case f.Size < 1 || f.Size > 1<<20:
		return fmt.Errorf("-size %d: want 1 to 1 MiB", f.Size)
	case f.Duration <= 0:
		return errors.New("-duration: must be positive")
	case f.Warmup < 0:
		return errors.New("-warmup: must not be negative")
	case f.Buffer < 0 || f.Window < 0 || f.MTU < 0:
		return errors.New("-sockbuf, -window, -mtu: must not be negative")
	}
	return nil
}

// Fatal prints err and exits: a benchmark that cannot run has nothing
// to report.
func Fatal(name string, err error) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
	os.Exit(1)
}
