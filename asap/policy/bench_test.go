package policy

import (
	"fmt"
	"testing"

	"github.com/rserpool/rserpool/asap/msg"
)

// benchPool fills a selector of p's type with 10,000 members of varied
// values.
func benchPool(b *testing.B, p Policy) Selector {
	s := mustNew(b, p.Type())
	r := seeded(10)
	for _, id := range ids(10000) {
		mustSet(b, s, id, withValue(p, 1+uint32(r.IntN(1000))))
	}
	return s
}

// BenchmarkSelect selects k of 10,000 members with each policy.
func BenchmarkSelect(b *testing.B) {
	for _, p := range every {
		for _, k := range []int{1, 16} {
			b.Run(fmt.Sprintf("%s/k=%d", name(p), k), func(b *testing.B) {
				s := benchPool(b, p)
				r := seeded(11)
				dst := make([]msg.PEID, 0, k)
				b.ReportAllocs()
				for b.Loop() {
					dst = s.Select(dst[:0], k, r)
				}
			})
		}
	}
}

// BenchmarkSet re-registers members of a pool of 10,000 with new values.
func BenchmarkSet(b *testing.B) {
	for _, p := range every {
		b.Run(name(p), func(b *testing.B) {
			s := benchPool(b, p)
			r := seeded(12)
			vals := make([]msg.Policy, 1024)
			for i := range vals {
				vals[i] = withValue(p, uint32(r.IntN(1000))).Param()
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				if err := s.Set(msg.PEID(1+i%10000), vals[i%len(vals)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAddRemove adds a member to a pool of 10,000 and removes it.
func BenchmarkAddRemove(b *testing.B) {
	for _, p := range every {
		b.Run(name(p), func(b *testing.B) {
			s := benchPool(b, p)
			v := withValue(p, 500).Param()
			b.ReportAllocs()
			for b.Loop() {
				if err := s.Set(20000, v); err != nil {
					b.Fatal(err)
				}
				s.Remove(20000)
			}
		})
	}
}

func name(p Policy) string {
	return map[msg.PolicyType]string{
		msg.PolicyRoundRobin:           "RR",
		msg.PolicyWeightedRoundRobin:   "WRR",
		msg.PolicyRandom:               "RAND",
		msg.PolicyWeightedRandom:       "WRAND",
		msg.PolicyPriority:             "PRIO",
		msg.PolicyLeastUsed:            "LU",
		msg.PolicyLeastUsedDegradation: "LUD",
		msg.PolicyPriorityLeastUsed:    "PLU",
		msg.PolicyRandomizedLeastUsed:  "RLU",
	}[p.Type()]
}
