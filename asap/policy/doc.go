// Package policy implements the pool member selection policies of RFC
// 5356: how a registrar (and a pool user's cache) picks the pool elements
// that a handle resolution returns.
//
// A Policy is one pool element's policy with its parameters (weight,
// load, load degradation, priority), converted from and to the wire
// parameter msg.Policy by FromParam and Param. A Selector is the per-pool
// state of one policy: the members with the parameters they registered
// and whatever the policy remembers between selections (the round robin
// head, degradation counters). New makes the Selector for a policy type.
//
// Selectors are plain data structures: no goroutines, no clock, no I/O,
// and not safe for concurrent use. Randomness comes from the caller's
// Rand, so a seeded source gives the same selections every run.
//
// Costs, for n members of which k are selected (RFC 5352 §3.3 asks for a
// list of pool elements; the selector returns up to the number asked):
//
//	policy                      structure                 Set, Remove   Select
//	Round Robin                 circular list, head       O(1)          O(k)
//	Weighted Round Robin        heap of stride passes     O(log n)      O(k log k + log n)
//	Random                      dense array               O(1)          O(k)
//	Weighted Random             Fenwick tree of weights   O(log n)      O(k log n)
//	Priority                    heap by priority          O(log n)      O(k log k + k log n)
//	Least Used                  heap by load              O(log n)      O(k log k + k log n)
//	Least Used w. Degradation   heap by degraded load     O(log n)      O(k log k + k log n)
//	Priority Least Used         heap by load+degradation  O(log n)      O(k log k + k log n)
//	Randomized Least Used       Fenwick tree of unload    O(log n)      O(k log n)
//
// Set and Remove are amortized where a map or slice grows. The k log n
// term of the heap policies is the re-keying of the selected members
// (round robin among equals, degradation counters); finding them costs
// O(k log k) without touching the heap.
package policy
