package main

import "slices"

// spread is the median of a figure over the runs, with its min and max.
type spread struct {
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	N      int     `json:"n"`
}

func spreadOf(v []float64) spread {
	if len(v) == 0 {
		return spread{}
	}
	s := slices.Clone(v)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return spread{Median: m, Min: s[0], Max: s[len(s)-1], N: len(s)}
}

// summary is a program's figures for one mode and size over the runs
// that succeeded.
type summary struct {
	Program  string   `json:"program"`
	Mode     string   `json:"mode"`
	Size     int      `json:"size"`
	MBps     spread   `json:"mb_per_s"`
	Msgps    spread   `json:"msgs_per_s"`
	CPU      spread   `json:"cpu_s"` // both processes
	MBperCPU spread   `json:"mb_per_cpu_s"`
	P50us    spread   `json:"rtt_p50_us"`
	P99us    spread   `json:"rtt_p99_us"`
	CPUperRT spread   `json:"cpu_us_per_rtt"`
	Errors   []string `json:"errors,omitempty"`
}

func summarize(samples []sample, prog, mode string, size int) summary {
	sm := summary{Program: prog, Mode: mode, Size: size}
	var mb, msgs, cpu, eff, p50, p99, cpr []float64
	for _, s := range samples {
		if s.Program != prog || s.Mode != mode || s.Size != size {
			continue
		}
		if s.Err != "" {
			sm.Errors = append(sm.Errors, s.Err)
			continue
		}
		mb = append(mb, s.MBps)
		msgs = append(msgs, s.Msgps)
		cpu = append(cpu, s.CPUServer+s.CPUClient)
		eff = append(eff, s.MBperCPU)
		p50 = append(p50, s.P50us)
		p99 = append(p99, s.P99us)
		cpr = append(cpr, s.CPUperRT)
	}
	sm.MBps, sm.Msgps, sm.CPU, sm.MBperCPU = spreadOf(mb), spreadOf(msgs), spreadOf(cpu), spreadOf(eff)
	sm.P50us, sm.P99us, sm.CPUperRT = spreadOf(p50), spreadOf(p99), spreadOf(cpr)
	return sm
}
