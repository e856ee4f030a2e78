package pcaptest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rserpool/rserpool/ip"
)

// ModuleRoot returns the directory holding go.mod, found by walking up
// from the working directory (go test runs in the package's directory).
func ModuleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("pcaptest: no go.mod above the working directory")
		}
		dir = up
	}
}

// Captures returns the paths of the project's copies of the reference
// captures (testdata/captures/*.pcap at the module root), sorted. It
// fails the test when there are none, since they are part of the
// repository.
func Captures(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(ModuleRoot(t), "testdata", "captures", "*.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("pcaptest: no testdata/captures/*.pcap at the module root")
	}
	return paths
}

// TsharkSkipMessage is the reason tests give when tshark is missing.
const TsharkSkipMessage = "tshark not installed (apt-get install tshark); skipping Wireshark cross-check"

// Tshark runs tshark with the given arguments and returns stdout; it
// calls t.Skip with a clear message when tshark is not installed, and
// fails the test when tshark exits with an error.
func Tshark(t testing.TB, args ...string) string {
	t.Helper()
	path, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip(TsharkSkipMessage)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("tshark %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// TempPcap creates a pcap file in t.TempDir() and returns its path and a
// writer. done closes the file; it is safe to call more than once and is
// also called when the test ends.
func TempPcap(t testing.TB) (path string, w *ip.PcapWriter, done func()) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "capture.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	done = func() {
		once.Do(func() {
			if err := f.Close(); err != nil {
				t.Errorf("pcaptest: closing %s: %v", path, err)
			}
		})
	}
	t.Cleanup(done)
	w, err = ip.NewPcapWriter(f)
	if err != nil {
		done()
		t.Fatal(err)
	}
	return path, w, done
}
