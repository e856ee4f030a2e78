package rsptest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// commands are the programs the tests run, built once per run of the
// test binary into binDir.
var commands = []string{"rspregistrar", "rspserver", "rspterminal", "hsdump"}

// binDir holds the built commands.
var binDir string

// binary returns the path of a built command.
func binary(name string) string { return filepath.Join(binDir, name) }

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "rsptest-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "rsptest:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binDir = dir
	if err := build(dir); err != nil {
		fmt.Fprintln(os.Stderr, "rsptest: building the commands:", err)
		return 1
	}
	return m.Run()
}

// build compiles the commands with the go command that runs the tests
// (GOROOT's, else the one on PATH), so that they are the working tree's.
func build(dir string) error {
	goCmd := "go"
	if root := os.Getenv("GOROOT"); root != "" {
		if p := filepath.Join(root, "bin", "go"); fileExists(p) {
			goCmd = p
		}
	}
	args := []string{"build", "-o", dir}
	for _, c := range commands {
		args = append(args, "github.com/rserpool/rserpool/cmd/"+c)
	}
	cmd := exec.Command(goCmd, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd.Run()
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
