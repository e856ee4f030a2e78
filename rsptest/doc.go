// Package rsptest runs the RSerPool commands together as processes, the
// way they are deployed: a registrar (rspregistrar), pool elements
// (rspserver) and pool users (rspterminal, or a pool user inside the test
// process), each on its own loopback address, talking SCTP over UDP
// (RFC 6951, port 9899). The package holds tests only.
//
// What a unit test of package enrp or asap shows inside one process over
// a simulated network, these tests show across process boundaries over
// real sockets: registration, re-registration and de-registration (RFC
// 5352 §3.1, §3.2), handle resolution by each policy of RFC 5356 (§3.3),
// keep-alive monitoring and unreachability reports (§3.5), pool elements
// finding a restarted registrar (§3.6), and a registrar that stays up and
// consistent when a peer sends it nonsense. They observe the registrar
// through its handlespace dump (the JSON that hsdump reads), and every
// wait polls it against a deadline.
//
// Each test takes its own 127.77.N.0/24 so that tests can run in
// parallel; every process a test starts is killed by its PID when the
// test ends.
package rsptest
