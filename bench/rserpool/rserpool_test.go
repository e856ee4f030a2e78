package rserpool

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rserpool/rserpool/enrp"
)

var (
	outDir    = flag.String("rserpool.out", "", "run the benchmark and write README.md and results.json into this directory")
	runs      = flag.Int("rserpool.runs", 3, "repetitions of every measurement")
	benchtime = flag.String("rserpool.benchtime", "1s", "-benchtime of package enrp's benchmarks")
)

// The shape of the benchmark: RFC 5352 sets no size; 10,000 elements in
// 100 pools is a large deployment.
const (
	benchElements = 10000
	benchPools    = 100
)

// Loopback addresses: 127.78.0.0/24 for the in-process registrar (.1)
// and its clients (.10 on), 127.78.1.1 for the rspregistrar process,
// 127.78.2.0/24 for its clients, 127.78.3.0/24 for TestLoadGenerator.
var (
	inProcessAddr = addrs(0, 1, 1)[0]
	processAddr   = addrs(1, 1, 1)[0]
)

// inProcessShape: eight associations carry all registrations, which the
// raised limit allows.
func inProcessShape() wireConfig {
	return wireConfig{
		Elements: benchElements, Pools: benchPools, Clients: addrs(0, 10, 8), RegWindow: 64,
		Resolvers: 8, ResWindow: 16, ResDuration: 2 * time.Second, LatencySamples: 2000, Items: 3,
	}
}

// processShape: 160 associations of at most 63 registrations, under
// rspregistrar's 64 per association.
func processShape() wireConfig {
	c := inProcessShape()
	c.Clients = addrs(2, 1, 160)
	c.RegWindow = 16
	return c
}

func inProcessConfig() enrp.Config {
	return enrp.Config{
		MaxRegistrationsPerAssociation: benchElements,
		KeepAliveInterval:              time.Hour,
		DisableAnnounce:                true,
	}
}

// TestLoadGenerator runs the wire measurement on a small handlespace:
// every registration granted, every resolution answered with three
// elements, the latencies in order.
func TestLoadGenerator(t *testing.T) {
	cfg := inProcessConfig()
	reg, err := startInProcess(addrs(3, 1, 1)[0], cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer reg.close()
	shape := wireConfig{
		Elements: 400, Pools: 10, Clients: addrs(3, 10, 4), RegWindow: 16,
		Resolvers: 2, ResWindow: 4, ResDuration: 100 * time.Millisecond, LatencySamples: 50, Items: 3,
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := runWire(ctx, reg, shape)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := reg.elements(); n != 400 {
		t.Errorf("registrar holds %d elements", n)
	}
	s := reg.r.Stats()
	if s.Registrations != 400 || s.RegistrationsRejected != 0 || s.ResolutionsFailed != 0 || s.Resolutions == 0 || s.Pools != 10 {
		t.Errorf("registrar's counters: %+v", s)
	}
	if res.RegistrationsPerSec <= 0 || res.ResolutionsPerSec <= 0 || res.LatencyP50 <= 0 || res.LatencyP99 < res.LatencyP50 {
		t.Errorf("result %+v", res)
	}
	t.Logf("%+v", res)
}

// TestRserpoolBench is the benchmark: it runs with -rserpool.out.
func TestRserpoolBench(t *testing.T) {
	if *outDir == "" {
		t.Skip("the benchmark runs with -rserpool.out=DIR (about 2 minutes)")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(root, "go.mod")); err != nil || !strings.HasPrefix(string(b), "module github.com/rserpool/rserpool\n") {
		t.Fatalf("the main module is not at %s: %v", root, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	r := &Results{
		Command:  "cd bench && go test -count=1 -v -timeout 10m -run 'TestRserpoolBench$' ./rserpool/ -rserpool.out=../results/rserpool",
		Runs:     *runs,
		Elements: benchElements, Pools: benchPools,
		InProcessShape: inProcessShape(), ProcessShape: processShape(),
	}
	environment(r)

	start := time.Now()
	r.Enrp, r.EnrpCommand, err = runEnrpBenchmarks(ctx, root, *runs, *benchtime)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("package enrp's benchmarks: %v", time.Since(start).Round(time.Second))

	bin, err := buildRegistrar(root, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for i := range *runs {
		reg, err := startInProcess(inProcessAddr, inProcessConfig())
		if err != nil {
			t.Fatal(err)
		}
		res, err := runWire(ctx, reg, r.InProcessShape)
		reg.close()
		if err != nil {
			t.Fatalf("in-process registrar, run %d: %v", i+1, err)
		}
		t.Logf("in-process registrar, run %d: %+v", i+1, res)
		r.InProcess = append(r.InProcess, res)

		p, err := startProcess(bin, processAddr, "-keepalive-interval", "1h", "-log-level", "warn")
		if err != nil {
			t.Fatal(err)
		}
		res, err = runWire(ctx, p, r.ProcessShape)
		if cerr := p.close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatalf("rspregistrar process, run %d: %v\n%s", i+1, err, p.stderr.String())
		}
		t.Logf("rspregistrar process, run %d: %+v", i+1, res)
		r.Process = append(r.Process, res)
	}
	if err := writeResults(*outDir, r); err != nil {
		t.Fatal(err)
	}
	t.Logf("total %v", time.Since(start).Round(time.Second))
}
