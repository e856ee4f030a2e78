package main

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
)

// options are the settings of a run, taken from the command line.
type options struct {
	files   []string
	json    bool // one JSON object per line instead of text
	summary bool // only the counts at the end
}

// run decodes the files in turn and writes what they hold to stdout, then
// the summary. A file that cannot be read is reported on stderr and
// skipped; the status is then 1, as it is when the output cannot be
// written.
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
		for _, f := range c.frames {
			var r record
			if f.pkt != nil {
				r = d.sctp(f.pkt)
			} else {
				r = d.udp(f.dgram)
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
