package asap

import (
	"strconv"
	"strings"

	"github.com/rserpool/rserpool/asap/msg"
)

// policyNames maps the names a command line gives a policy, long and
// short, to its type (RFC 5356 §4, §5).
var policyNames = map[string]msg.PolicyType{
	"roundrobin": msg.PolicyRoundRobin, "rr": msg.PolicyRoundRobin,
	"weightedroundrobin": msg.PolicyWeightedRoundRobin, "wrr": msg.PolicyWeightedRoundRobin,
	"random": msg.PolicyRandom, "rand": msg.PolicyRandom,
	"weightedrandom": msg.PolicyWeightedRandom, "wrand": msg.PolicyWeightedRandom,
	"priority": msg.PolicyPriority, "prio": msg.PolicyPriority,
	"leastused": msg.PolicyLeastUsed, "lu": msg.PolicyLeastUsed,
	"leastuseddegradation": msg.PolicyLeastUsedDegradation, "lud": msg.PolicyLeastUsedDegradation,
	"priorityleastused": msg.PolicyPriorityLeastUsed, "plu": msg.PolicyPriorityLeastUsed,
	"randomizedleastused": msg.PolicyRandomizedLeastUsed, "rlu": msg.PolicyRandomizedLeastUsed,
}

// PolicyHelp lists the forms ParsePolicy accepts, for a command's help.
const PolicyHelp = "roundrobin, weightedroundrobin:WEIGHT, random, weightedrandom:WEIGHT, priority:PRIORITY, " +
	"leastused, leastuseddegradation:DEGRADATION, priorityleastused:DEGRADATION, randomizedleastused " +
	"(short forms rr, wrr, rand, wrand, prio, lu, lud, plu, rlu)"

// ParsePolicy reads a policy written NAME or NAME:VALUE, the value being
// the policy's own parameter: the weight of the weighted policies, the
// priority of Priority, the load degradation of Least Used with
// Degradation and Priority Least Used (RFC 5356). Names are case
// insensitive; see PolicyHelp. The load of the load-based policies is
// not part of it: it changes at run time (PoolElement.SetLoad).
func ParsePolicy(s string) (msg.Policy, error) {
	name, arg, hasArg := strings.Cut(s, ":")
	t, ok := policyNames[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return msg.Policy{}, &ConfigError{Field: "policy", Rule: "unknown policy " + strconv.Quote(name) + "; known: " + PolicyHelp}
	}
	p := msg.Policy{Type: t}
	var field *uint32
	switch t {
	case msg.PolicyWeightedRoundRobin, msg.PolicyWeightedRandom:
		field = &p.Weight
	case msg.PolicyPriority:
		field = &p.Priority
	case msg.PolicyLeastUsedDegradation, msg.PolicyPriorityLeastUsed:
		field = &p.LoadDegradation
	}
	switch {
	case hasArg && field == nil:
		return msg.Policy{}, &ConfigError{Field: "policy", Rule: t.String() + " takes no value"}
	case hasArg:
		v, err := strconv.ParseUint(strings.TrimSpace(arg), 0, 32)
		if err != nil {
			return msg.Policy{}, &ConfigError{Field: "policy", Rule: "value " + strconv.Quote(arg) + " of " + t.String() + " is not a 32-bit number"}
		}
		*field = uint32(v)
	case t == msg.PolicyWeightedRoundRobin || t == msg.PolicyWeightedRandom:
		p.Weight = 1 // a weight of 0 is never selected (RFC 5356 §3.2)
	}
	return p, nil
}
