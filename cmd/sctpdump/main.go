// Command sctpdump prints the SCTP packets of pcap files, decoded chunk by
// chunk, with the ASAP and ENRP messages (RSerPool) they carry and those
// sent over plain UDP.
//
// Usage:
//
//	sctpdump [-json] [-summary] FILE.pcap...
//
// Each SCTP packet, directly over IP or in UDP (RFC 6951), is shown with
// its frame number, time, addresses and ports, Verification Tag and
// whether its CRC32c verifies, then one line per chunk. The user data of
// DATA and I-DATA chunks with PPID 11 (ASAP) or 12 (ENRP) is decoded,
// after reassembly when fragmented, as are the ASAP and ENRP datagrams
// sent over UDP to or from ports 3863 and 9901. A summary of the chunk
// and message types ends the output.
//
// Each file is read once, frame by frame. A frame that cannot be taken
// apart (an IP fragment, since IP packets are not reassembled; a packet
// cut short by the capture's snapshot length; a malformed link-layer, IP
// or UDP header) is shown as a bad frame with the rule it breaks, and the
// rest of the file is decoded. The exit status is 1 when a file cannot be
// opened, is not a pcap file, or ends in the middle of a record.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/rserpool/rserpool/internal/cli"
)

func main() {
	opts, status, ok := parseArgs(os.Args[1:], os.Stderr)
	if !ok {
		os.Exit(status)
	}
	os.Exit(run(opts, os.Stdout, os.Stderr))
}

// parseArgs reads the command line into options. When there is nothing
// to run (help asked for, a bad flag, no file) it has written why to
// stderr and returns ok false with the exit status: 0 for -h, 2 for bad
// usage.
func parseArgs(args []string, stderr io.Writer) (opts options, status int, ok bool) {
	fs := flag.NewFlagSet("sctpdump", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&opts.json, "json", false, "print one JSON object per line (kind sctp, udp, frame-error, incomplete or summary) instead of text")
	fs.BoolVar(&opts.summary, "summary", false, "print only the summary: counts per chunk type and per ASAP/ENRP message type")
	fs.Usage = func() { usage(fs, stderr) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return opts, 0, false
		}
		return opts, 2, false
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return opts, 2, false
	}
	opts.files = fs.Args()
	return opts, 0, true
}

// usage writes the help, with every flag's default (package flag leaves
// out the defaults of false booleans).
func usage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "usage: sctpdump [flags] FILE.pcap...\n\n")
	fmt.Fprintf(w, "Prints the SCTP packets of pcap files (over IP or in UDP, RFC 6951) with\n")
	fmt.Fprintf(w, "their chunks decoded, the ASAP/ENRP messages they carry (PPID 11, 12) and\n")
	fmt.Fprintf(w, "those sent over plain UDP (ports 3863, 9901), then a summary.\n")
	fmt.Fprintf(w, "len= counts the bytes of the SCTP packet or UDP payload on a frame's line,\n")
	fmt.Fprintf(w, "of the user data on a DATA or I-DATA line, of the chunk or value elsewhere.\n")
	fmt.Fprintf(w, "Offsets of malformed bytes count from the start of the SCTP packet, or of\n")
	fmt.Fprintf(w, "the ASAP/ENRP message.\n")
	fmt.Fprintf(w, "A frame that cannot be taken apart (an IP fragment, a packet cut short, a\n")
	fmt.Fprintf(w, "malformed header) is shown as a bad frame; the rest of the file is decoded.\n")
	fmt.Fprintf(w, "Exit status: 0, 1 when a file cannot be read to its end, 2 for bad usage.\n\nflags:\n")
	cli.PrintFlagNames(w, fs)
}
