package rserpool

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// enrpBenchArgs runs the registrar's own benchmarks: registration of
// 10,000 elements into an empty registrar, re-registration, and
// resolution in 100 pools of 100 elements, by the handler and over SCTP
// on simnet.
func enrpBenchArgs(count int, benchtime string) []string {
	return []string{"test", "-run", "^$", "-bench", "^Benchmark(Register|Reregister|Resolve|ResolveSCTP)$",
		"-benchtime", benchtime, "-count", strconv.Itoa(count), "./enrp/"}
}

// runEnrpBenchmarks runs them in the module at root and returns, per
// benchmark and unit, the values of every run.
func runEnrpBenchmarks(ctx context.Context, root string, count int, benchtime string) (map[string]map[string][]float64, string, error) {
	args := enrpBenchArgs(count, benchtime)
	cmd := exec.CommandContext(ctx, goCommand(), args...)
	cmd.Dir = root
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	command := "go " + shellJoin(args)
	if err := cmd.Run(); err != nil {
		return nil, command, fmt.Errorf("%s: %v\n%s", command, err, out.String())
	}
	return parseBench(out.Bytes()), command, nil
}

// parseBench reads the result lines of go test -bench: the name with
// its -GOMAXPROCS suffix, the iterations, then value and unit pairs.
func parseBench(b []byte) map[string]map[string][]float64 {
	res := map[string]map[string][]float64{}
	s := bufio.NewScanner(bytes.NewReader(b))
	for s.Scan() {
		f := strings.Fields(s.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		name := strings.TrimPrefix(f[0], "Benchmark")
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		if res[name] == nil {
			res[name] = map[string][]float64{}
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			res[name][f[i+1]] = append(res[name][f[i+1]], v)
		}
	}
	return res
}

// shellJoin writes args as a shell command line, quoting those the
// shell would read otherwise.
func shellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " $^|()*?[]'\"\\&;<>") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}
