// Package harness is what the benchmark programs of bench/peers share:
// their command line, the result each prints as one JSON line, and the
// request/response timing.
//
// Every program runs as two processes, a server (the receiver of a bulk
// transfer, the echo side of a ping-pong) and a client (the sender, the
// side that times round trips), on loopback UDP. The driver
// (bench/peers/driver) starts both, measures their CPU time from outside,
// and reads the results: the server's for a bulk transfer, because
// throughput is what arrives, and the client's for a ping-pong.
package harness
