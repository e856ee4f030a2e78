// Package session measures RSerPool session failover (RFC 5352 §3.8):
// pool elements of a ping-pong pool are killed at random under a steady
// request load, and the run reports the time from each kill to the first
// answer from the new pool element, the requests lost and the state
// lost. The simnet run is a test in virtual time with the registrar of
// package enrp in-process; `go test ./session -update` writes the
// results to bench/results/session.
package session
