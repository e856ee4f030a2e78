package cli

import (
	"flag"
	"strings"
	"testing"
)

func TestPrintFlags(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.Int("count", 3, "how many `N`")
	fs.String("name", "", "a name")
	var b strings.Builder
	PrintFlags(&b, fs)
	want := "  -count N\n    \thow many N (default 3)\n  -name string\n    \ta name (default \"\")\n"
	if b.String() != want {
		t.Fatalf("PrintFlags:\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	PrintFlagNames(&b, fs)
	want = "  -count\n    \thow many N (default 3)\n  -name\n    \ta name (default \"\")\n"
	if b.String() != want {
		t.Fatalf("PrintFlagNames:\n%s\nwant\n%s", b.String(), want)
	}
}
