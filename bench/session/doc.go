// Package session measures RSerPool session failover (RFC 5352 §3.8):
// pool elements of a ping-pong pool are killed at random under a steady
// request load, and the run reports the time from each kill to the first
// answer after the failover, the requests lost and the state lost.
//
// TestSimnetFailover runs in virtual time with the registrar of package
// enrp and the pool elements in-process; TestLoopbackFailover (with
// -loopback) runs real processes on loopback, an rspregistrar and three
// rspserver -pingpong killed with SIGKILL, the pool user in the test.
// With -update both write their results to bench/results/session:
//
//	cd bench && go test -count=1 -v -timeout 10m -run 'Test(Simnet|Loopback)Failover$' ./session/ -loopback -update
package session
