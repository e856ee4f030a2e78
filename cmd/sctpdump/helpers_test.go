package main

import (
	"bytes"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rserpool/rserpool/internal/pcaptest"
)

// runTool runs the tool as main would and returns what it wrote.
func runTool(t *testing.T, opts options) (stdout, stderr string, status int) {
	t.Helper()
	var out, errOut bytes.Buffer
	status = run(opts, &out, &errOut)
	return out.String(), errOut.String(), status
}

// capturePath returns the path of one of the reference captures.
func capturePath(t *testing.T, name string) string {
	t.Helper()
	for _, p := range pcaptest.Captures(t) {
		if filepath.Base(p) == name {
			return p
		}
	}
	t.Fatalf("no capture %s", name)
	return ""
}

// frameBlocks splits text output into the block of each frame: its
// header line, which starts with the frame number, and the indented
// lines under it.
func frameBlocks(t *testing.T, out string) map[int]string {
	t.Helper()
	blocks := map[int]string{}
	cur := -1
	for _, line := range strings.SplitAfter(out, "\n") {
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, " ") {
			if cur >= 0 {
				blocks[cur] += line
			}
			continue
		}
		cur = -1
		num, _, ok := strings.Cut(line, " ")
		if n, err := strconv.Atoi(num); ok && err == nil {
			if _, dup := blocks[n]; dup {
				t.Errorf("frame %d printed twice", n)
			}
			cur = n
			blocks[n] = line
		}
	}
	return blocks
}
