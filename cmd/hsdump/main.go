// Command hsdump prints the handlespace of a registrar: its pools and
// their pool elements (identifier, home registrar, transport addresses,
// policy, expiry), as a table or as JSON.
//
// Usage:
//
//	hsdump [-addr ADDR:PORT] [-json]
//
// It reads the JSON that rspregistrar serves at /handlespace on its
// -hsdump-addr (by default the registrar's first address, port 8863,
// when that is a loopback address): a read-only local HTTP endpoint
// rather than ASAP, which has no message to list a handlespace, and
// rather than ENRP's handle table request, which a registrar answers
// only to its peers.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/rserpool/rserpool/enrp"
	"github.com/rserpool/rserpool/internal/cli"
)

// maxDump bounds the answer read from the registrar: a handlespace of
// 65536 pool elements at well under 1 KiB each.
const maxDump = 64 << 20

type options struct {
	addr    string
	json    bool
	timeout time.Duration
}

func main() {
	opts, status, ok := parseArgs(os.Args[1:], os.Stderr)
	if !ok {
		os.Exit(status)
	}
	os.Exit(run(context.Background(), opts, os.Stdout, os.Stderr))
}

func parseArgs(args []string, stderr io.Writer) (opts options, status int, ok bool) {
	fs := flag.NewFlagSet("hsdump", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.addr, "addr", "127.0.0.1:8863", "the registrar's handlespace endpoint (rspregistrar -hsdump-addr): `ADDR:PORT` or a URL")
	fs.BoolVar(&opts.json, "json", false, "print the registrar's JSON as it is, indented, instead of a table")
	fs.DurationVar(&opts.timeout, "timeout", 5*time.Second, "give up on the registrar after this `time`")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: hsdump [flags]\n\n")
		fmt.Fprintf(stderr, "Prints a registrar's handlespace: pools, pool elements (identifier, home\n")
		fmt.Fprintf(stderr, "registrar, transport addresses, policy, expiry), from the JSON rspregistrar\n")
		fmt.Fprintf(stderr, "serves at /handlespace. Exit status: 0, 1 when the registrar cannot be read,\n")
		fmt.Fprintf(stderr, "2 for bad usage.\n\nflags:\n")
		cli.PrintFlags(stderr, fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return opts, 0, false
		}
		return opts, 2, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "hsdump: unexpected argument %q\n", fs.Arg(0))
		return opts, 2, false
	}
	return opts, 0, true
}

// url turns -addr into the URL of the handlespace.
func (o options) url() string {
	if strings.Contains(o.addr, "://") {
		return o.addr
	}
	return "http://" + o.addr + "/handlespace"
}

func run(ctx context.Context, opts options, stdout, stderr io.Writer) int {
	ctx, cancel := context.WithTimeout(ctx, opts.timeout)
	defer cancel()
	d, raw, err := fetch(ctx, opts.url())
	if err != nil {
		fmt.Fprintf(stderr, "hsdump: %v\n", err)
		return 1
	}
	if opts.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(raw); err != nil {
			fmt.Fprintf(stderr, "hsdump: %v\n", err)
			return 1
		}
		return 0
	}
	if err := writeTable(stdout, d); err != nil {
		fmt.Fprintf(stderr, "hsdump: %v\n", err)
		return 1
	}
	return 0
}

// fetch reads the registrar's dump, decoded and as raw JSON.
func fetch(ctx context.Context, url string) (enrp.Dump, json.RawMessage, error) {
	var d enrp.Dump
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return d, nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return d, nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return d, nil, fmt.Errorf("%s: %s", url, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxDump+1))
	if err != nil {
		return d, nil, err
	}
	if len(b) > maxDump {
		return d, nil, fmt.Errorf("%s: answer longer than %d bytes", url, maxDump)
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return d, nil, fmt.Errorf("%s: not a handlespace dump: %v", url, err)
	}
	return d, json.RawMessage(b), nil
}
