package asap

import (
	"errors"
	"testing"

	"github.com/rserpool/rserpool/asap/msg"
)

func TestParsePolicy(t *testing.T) {
	for _, c := range []struct {
		in   string
		want msg.Policy
	}{
		{"roundrobin", msg.Policy{Type: msg.PolicyRoundRobin}},
		{"RR", msg.Policy{Type: msg.PolicyRoundRobin}},
		{"weightedroundrobin:10", msg.Policy{Type: msg.PolicyWeightedRoundRobin, Weight: 10}},
		{"wrr", msg.Policy{Type: msg.PolicyWeightedRoundRobin, Weight: 1}},
		{"wrand:0x20", msg.Policy{Type: msg.PolicyWeightedRandom, Weight: 32}},
		{"random", msg.Policy{Type: msg.PolicyRandom}},
		{"priority:3", msg.Policy{Type: msg.PolicyPriority, Priority: 3}},
		{"leastused", msg.Policy{Type: msg.PolicyLeastUsed}},
		{"lud:1000", msg.Policy{Type: msg.PolicyLeastUsedDegradation, LoadDegradation: 1000}},
		{"priorityleastused:7", msg.Policy{Type: msg.PolicyPriorityLeastUsed, LoadDegradation: 7}},
		{"rlu", msg.Policy{Type: msg.PolicyRandomizedLeastUsed}},
	} {
		got, err := ParsePolicy(c.in)
		if err != nil || got.Type != c.want.Type || got.Weight != c.want.Weight || got.Priority != c.want.Priority ||
			got.LoadDegradation != c.want.LoadDegradation {
			t.Errorf("%q: %+v %v, want %+v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "fastest", "roundrobin:3", "priority:x", "wrr:4294967296", "priority:-1"} {
		if _, err := ParsePolicy(bad); !errors.Is(err, ErrConfig) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
