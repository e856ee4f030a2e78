package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestParseArgs(t *testing.T) {
	for _, c := range []struct {
		args   []string
		ok     bool
		status int
		opts   options
	}{
		{args: nil, status: 2},               // no file: usage
		{args: []string{"-json"}, status: 2}, // still no file
		{args: []string{"-h"}, status: 0},
		{args: []string{"-nosuchflag", "a.pcap"}, status: 2},
		{args: []string{"a.pcap"}, ok: true, opts: options{files: []string{"a.pcap"}}},
		{args: []string{"-json", "-summary", "a.pcap", "b.pcap"}, ok: true,
			opts: options{files: []string{"a.pcap", "b.pcap"}, json: true, summary: true}},
	} {
		var stderr bytes.Buffer
		opts, status, ok := parseArgs(c.args, &stderr)
		if ok != c.ok || status != c.status {
			t.Errorf("%q: ok %v status %d, want %v %d", c.args, ok, status, c.ok, c.status)
		}
		if ok {
			if !slices.Equal(opts.files, c.opts.files) || opts.json != c.opts.json || opts.summary != c.opts.summary {
				t.Errorf("%q: options %+v, want %+v", c.args, opts, c.opts)
			}
			if stderr.Len() != 0 {
				t.Errorf("%q: wrote %q", c.args, stderr.String())
			}
			continue
		}
		// Every way of not running shows the usage, with each flag and
		// its default.
		help := stderr.String()
		for _, want := range []string{"usage: sctpdump [flags] FILE.pcap...", "\n  -json\n", "\n  -summary\n", "(default false)"} {
			if !strings.Contains(help, want) {
				t.Errorf("%q: usage lacks %q:\n%s", c.args, want, help)
			}
		}
	}
}
