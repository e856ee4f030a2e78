// Package rserpool measures the registrar (package enrp, command
// rspregistrar) with 10,000 pool elements in 100 pools:
//
//   - in process, without SCTP: the registrar's own benchmarks
//     (BenchmarkRegister, BenchmarkResolve, BenchmarkResolveSCTP of
//     package enrp), run by go test and read from its output;
//   - over the wire: SCTP over UDP encapsulation (RFC 6951) on loopback,
//     a load generator in this process speaking raw ASAP (RFC 5352) on a
//     few associations, one ASAP message per SCTP message with PPID 11.
//     It registers the 10,000 elements with several registrations
//     outstanding per association, then resolves pool handles with
//     several requests outstanding (throughput) and with one at a time
//     (latency, p50 and p99), and reads the registrar's memory before
//     and after the registrations.
//
// The wire runs have two registrars: one in this process, whose limit of
// registrations per association is raised in enrp.Config so that eight
// associations carry everything and whose memory is the Go heap
// (runtime.MemStats.HeapAlloc after a collection); and an rspregistrar
// process as deployed, whose limit of 64 registrations per association
// has no flag, so 160 associations carry the 10,000, and whose memory is
// its resident set (VmRSS).
//
// TestRserpoolBench runs everything three times and writes the medians
// with their minimum and maximum to the README of -rserpool.out;
// TestLoadGenerator checks the load generator on a small handlespace.
package rserpool
