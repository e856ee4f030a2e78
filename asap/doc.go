// Package asap is the endpoint side of the Aggregate Server Access
// Protocol (RFC 5352): the library a pool element uses to join a pool
// and a pool user uses to reach one, over package sctp.
//
// A PoolElement registers with a home registrar (ENRP server) found by
// the server hunt of §3.6, from a configured list and, optionally, the
// registrars' announcements; it re-registers every T4-reregistration,
// answers keep-alives (§3.4), follows a registrar that takes it over,
// hunts again when its registrar is lost, and de-registers on Close
// (§3.2). The application serves its users on the same sctp.Endpoint.
//
// A PoolUser resolves pool handles at a home registrar (§3.3), with
// T1-ENRPrequest, MAX-REQUEST-RETRANSMIT and registrar failover (§3.7),
// caches the answers for stale_cache_value in a handlespace (package
// handlespace), selects pool elements by the pool's policy (RFC 5356,
// package policy), reports the ones it cannot reach (§3.5), and dials
// them (PoolUser.Dial), trying the next when one fails.
//
// Each ASAP message is one SCTP user message with PPID 11 (§5);
// WriteMessage and ReadMessage carry them, also for a registrar.
//
// Every timer and threshold of RFC 5352 §7 is a field of Config with the
// RFC's default. Time comes from package time only, so under
// testing/synctest with sctp/simnet the whole protocol runs in virtual
// time.
//
// Where this package departs from the letter of RFC 5352, the comment at
// the place says why; in short:
//
//   - after MAX-REG-ATTEMPT unanswered registrations the PE reports the
//     failure and hunts for another registrar, rather than stopping (§3.1
//     allows stopping; a server exists to serve);
//   - on T1-ENRPrequest expiry a PU re-sends and hunts in parallel, as
//     §3.7.2 says, and moves to the registrar the hunt finds at once,
//     re-sending there, instead of keeping both until one answers;
//   - the registration lifetime is written in seconds (RFC 5354 §3.10);
//     PEConfig.LifetimeMillis writes rsplib's milliseconds;
//   - a registrar announced without transports is reached at its source
//     address on Config.RegistrarPort (3863 by default, the IANA port §3.6
//     names).
package asap
