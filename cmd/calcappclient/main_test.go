package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rserpool/rserpool/internal/services"
	"github.com/rserpool/rserpool/internal/services/servicetest"
)

func fixedJobs(ids ...uint64) func() uint64 {
	return func() uint64 {
		id := ids[0]
		ids = ids[1:]
		return id
	}
}

func runClient(pool *servicetest.Pool, jobs func() uint64, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	args = append([]string{"-poolhandle", "CalcAppPool", "-registrar", "10.0.0.1", "-local", "10.0.2.1", "-reply-timeout", "2s"}, args...)
	status := run(context.Background(), args, &stdout, &stderr, pool.Lower, jobs)
	return status, stdout.String(), stderr.String()
}

// The pool element computing a 200-step job crashes after 5 s (50
// steps of 100 ms): the other one finishes it from the last checkpoint
// cookie, the result is the one computed in one go, and the second job
// runs on the new pool element from the start.
func TestCalcAppFailoverResumes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pool := servicetest.New(t, "CalcAppPool")
		pool.AddPE(servicetest.PEConfig{ID: 1, Service: servicetest.Calc, StepTime: 100 * time.Millisecond, CrashAt: 5 * time.Second})
		pe2 := pool.AddPE(servicetest.PEConfig{ID: 2, Service: servicetest.Calc, StepTime: 100 * time.Millisecond})
		status, out, stderr := runClient(pool, fixedJobs(77, 78), "-jobs", "2", "-steps", "200")
		if status != 0 {
			t.Fatalf("exit status %d:\n%s", status, stderr)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(lines) != 2 {
			t.Fatalf("output %q", out)
		}
		var job, value uint64
		var steps, from, resent int
		var pe string
		var took time.Duration
		if _, err := fmt.Sscanf(lines[0], "job=%x steps=%d result=%x pe=%s resumed-from=%d resent=%d took=%v",
			&job, &steps, &value, &pe, &from, &resent, &took); err != nil {
			t.Fatalf("%q: %v", lines[0], err)
		}
		if job != 77 || steps != 200 || value != services.Expected(77, 200) {
			t.Errorf("first job: %q", lines[0])
		}
		if from == 0 || from%servicetest.Checkpoint != 0 || resent != 1 || pe == "" {
			t.Errorf("first job not resumed from a checkpoint: %q", lines[0])
		}
		if !strings.Contains(lines[1], fmt.Sprintf("job=%016x steps=200 result=%016x", 78, services.Expected(78, 200))) ||
			!strings.Contains(lines[1], "resumed-from=0 resent=0") {
			t.Errorf("second job: %q", lines[1])
		}
		if pe2.Restored() != 1 {
			t.Errorf("PE 2 restored %d sessions", pe2.Restored())
		}
	})
}

// Both pool elements dead: the job fails once the session has reached
// none for -failover-timeout, and the status is 1.
func TestCalcAppPoolGone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pool := servicetest.New(t, "CalcAppPool")
		pool.AddPE(servicetest.PEConfig{ID: 1, Service: servicetest.Calc, StepTime: 100 * time.Millisecond, CrashAt: 2 * time.Second})
		pool.AddPE(servicetest.PEConfig{ID: 2, Service: servicetest.Calc, StepTime: 100 * time.Millisecond, CrashAt: 2 * time.Second})
		start := time.Now()
		status, out, stderr := runClient(pool, fixedJobs(5), "-steps", "100", "-failover-timeout", "10s")
		if status != 1 || out != "" || !strings.Contains(stderr, "unavailable") {
			t.Fatalf("exit status %d, output %q:\n%s", status, out, stderr)
		}
		if d := time.Since(start); d < 10*time.Second || d > 20*time.Second {
			t.Errorf("gave up after %v, want -failover-timeout 10s after the failure", d)
		}
	})
}

func TestCalcAppUsage(t *testing.T) {
	for _, args := range [][]string{{"-jobs", "0"}, {"-steps", "0"}, {"-steps", "16777217"}, {"extra"}} {
		var stdout, stderr bytes.Buffer
		if status := run(context.Background(), args, &stdout, &stderr, nil, nil); status != 2 {
			t.Errorf("%q: exit status %d, want 2", args, status)
		}
	}
}
