package main

import (
	"bufio"
	"cmp"
	"fmt"
	"io"

	"github.com/rserpool/rserpool/ip"
)

// options are the settings of a run, taken from the command line.
type options struct {
	files   []string
	json    bool // one JSON object per line instead of text
	summary bool // only the counts at the end
}

// run decodes the files in turn and writes what they hold to stdout, then
// the summary. A frame that cannot be taken apart is shown as such among
// the others. A file that cannot be read is reported on stderr and
// skipped, and one that ends in the middle of a record is decoded up to
// there and then reported; the status is then 1, as it is when the
// output cannot be written.
func run(opts options, stdout, stderr io.Writer) int {
	out := bufio.NewWriter(stdout)
	var p printer
	if opts.json {
		p = newJSONPrinter(out)
	} else {
		p = &textPrinter{w: out}
	}
	st := newStats()
	status := 0
	for _, path := range opts.files {
		c, err := readCapture(path)
		if err != nil {
			// What came before goes out first, so that the message
			// shows where it belongs when both streams reach a terminal.
			out.Flush()
			fmt.Fprintf(stderr, "sctpdump: %s\n", describeReadError(path, err))
			status = 1
			continue
		}
		st.files++
		d := newDecoder(path, st)
		if !opts.summary {
			p.file(path, &c)
		}
		for i := range c.frames {
			f := &c.frames[i]
			var r record
			switch f.Kind {
			case ip.FrameSCTP:
				r = d.sctp(f.Packet)
			case ip.FrameUDP:
				r = d.udp(f.Datagram)
			default:
				r = d.badFrame(f)
			}
			if !opts.summary {
				p.record(&r)
			}
		}
		for _, inc := range d.asm.leftovers() {
			st.incomplete++
			if !opts.summary {
				p.incomplete(path, &inc)
			}
		}
		if c.err != nil {
			out.Flush()
			fmt.Fprintf(stderr, "sctpdump: %s\n", describeReadError(path, c.err))
			status = 1
		}
	}
	if st.files > 0 {
		p.summary(st)
	}
	if err := cmp.Or(p.err(), out.Flush()); err != nil {
		fmt.Fprintf(stderr, "sctpdump: writing the output: %v\n", err)
		return 1
	}
	return status
}
