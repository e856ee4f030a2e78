// Command udp is the floor of the benchmark: plain UDP datagrams on
// loopback, with no protocol above them but a window of credits, moved
// by the system calls and offloads an SCTP stack over UDP can use:
//
//	-batch plain: one datagram per write(2) and read(2);
//	-batch mmsg:  64 datagrams per sendmmsg(2), up to 64 per recvmmsg(2);
//	-batch gso:   64 datagrams per send with UDP_SEGMENT (UDP GSO), read
//	              with recvmmsg(2);
//	-batch gro:   UDP GSO on send and UDP_GRO on receive: the kernel
//	              hands the receiver up to 64 KiB of datagrams at once.
//
// A datagram carries min(-size, -mtu) bytes: the size of the messages
// when they fit one packet, full packets when an SCTP stack would cut
// them into fragments. So that the sender cannot outrun the receiver
// and measure the kernel dropping datagrams, the receiver returns a
// credit (its byte count) every quarter window and the sender keeps at
// most -window bytes unacknowledged, as SCTP's receive window would.
//
// A ping-pong (-mode rr) is one write(2) and one read(2) each way.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/rserpool/rserpool/bench/peers/harness"
)

func main() {
	fs := flag.CommandLine
	batch := fs.String("batch", "plain", "plain, mmsg, gso or gro")
	f := harness.Flags{}
	if err := f.Parse(fs, os.Args[1:]); err != nil {
		harness.Fatal("udp", err)
	}
	switch *batch {
	case "plain", "mmsg", "gso", "gro":
	default:
		harness.Fatal("udp", fmt.Errorf("-batch %q: want plain, mmsg, gso or gro", *batch))
	}
	r, err := run(&f, *batch)
	if err != nil {
		harness.Fatal("udp", err)
	}
	r.Emit()
}

func run(f *harness.Flags, batch string) (harness.Result, error) {
	s, err := open(f, batch == "gro" && f.Server && f.Mode == harness.Bulk)
	if err != nil {
		return harness.Result{}, err
	}
	defer s.close()
	var r harness.Result
	switch {
	case f.Server && f.Mode == harness.Bulk:
		harness.Ready()
		r, err = receive(f, s, batch)
	case f.Server:
		harness.Ready()
		r, err = echo(f, s)
	case f.Mode == harness.Bulk:
		r, err = send(f, s, batch)
	default:
		r, err = pingpong(f, s)
	}
	if r.Notes == nil {
		r.Notes = map[string]any{}
	}
	r.Notes["batch"] = batch
	r.Notes["datagram"] = datagramSize(f)
	r.Notes["read_buffer"], r.Notes["write_buffer"] = s.rcvbuf, s.sndbuf
	return r, err
}

// datagramSize is the payload of each datagram of a bulk transfer.
func datagramSize(f *harness.Flags) int {
	if f.MTU > 0 {
		return min(f.Size, f.MTU)
	}
	return min(f.Size, 65507)
}
