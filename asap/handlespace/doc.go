// Package handlespace is the handlespace of RSerPool (RFC 5351 §1, RFC
// 5352 §1.4.1): pools by pool handle, pool elements by identifier within
// their pool, and each pool's selection state (package policy). A
// registrar keeps the whole operational scope in one; a pool user can keep
// its cache in one.
//
// It is a plain data structure: no goroutines, no clock (every call that
// needs the time takes it), no I/O, not safe for concurrent use. Stored
// pool elements own their bytes: Register copies what it is given, so
// the caller may reuse the buffer a registration was decoded from.
//
// Besides lookups it keeps the indexes the protocols need, each updated
// as elements come and go rather than rebuilt:
//
//   - an order by (pool handle, PE identifier), for dumps and for the
//     ENRP handle table download in pieces (RFC 5353 §3.2.3): a Cursor
//     resumes after the last element sent, whatever changed meanwhile;
//   - per home registrar, the same order over the elements it owns (RFC
//     5353 §3.5 takeover, §3.6.3 resynchronization) and the PE checksum
//     of RFC 5353 §3.6.2, kept by adding and removing each element's
//     share (its implementation note);
//   - registration expiry times in a min-heap (RFC 5352 §3.2: a PE that
//     does not re-register in time is removed).
//
// Costs, for N elements in all, n in the pool concerned, k selected:
//
//	Register (new)        O(log N) (index and heap inserts, selector Set)
//	Register (update)     O(log N) (plus an owner move when the home changes)
//	Deregister            O(log N)
//	Lookup, Pool          O(1) (hash maps)
//	Resolve               the policy's Select (package policy) + O(k)
//	Expire                O(log N) per element removed; O(1) when none
//	Checksum, OwnedCount  O(1)
//	After, Owned, Pools   O(log N) per element (or pool) yielded
//
// Register also copies the element, O(size of its parameter).
package handlespace
