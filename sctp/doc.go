// Package sctp is an SCTP stack (RFC 9260) in pure Go over any lower
// layer: UDP encapsulation (RFC 6951), a TUN device, or the in-memory
// network of package simnet.
//
// An Endpoint is one SCTP port on the addresses of a lower.Conn. Dial
// starts an association and waits until it is established; Listen and
// Accept take the associations peers start. An Association moves
// messages (stream, payload protocol identifier, ordered or not) with
// Send and Receive, reports what happens to it on Events, shuts down
// gracefully (Shutdown, Close) or at once (Abort), and counts its
// traffic per peer address (Stats). StreamConn gives one stream as a
// net.Conn.
//
// # Runtime
//
// The protocol itself is a deterministic state machine without
// goroutines, sockets or clock (package internal/assoc). An Endpoint runs
// it under one lock, in steps made by whichever goroutine has an input:
// the endpoint's reader with a batch of packets from the lower layer, an
// API call with its request (Send hands the message to the machine and
// writes the packet itself), and the endpoint's timer goroutine. A step
// reads the clock once, feeds the machine, then writes what it produced
// in one batch. One timer serves the endpoint, armed for the earliest
// deadline of its associations. Every queue is bounded: the lower
// layer's (it holds what arrives while the reader is in a step), the
// send buffer (Send blocks), the receive queues (the advertised window
// closes), the events (dropped and counted), the accept queue.
//
// Because the time it reads is the time package's, the whole stack runs
// on virtual time inside a testing/synctest bubble over simnet: a minute
// of retransmissions passes in microseconds, and a seeded network and
// Config.Rand make every run the same.
//
// # Errors
//
// Calls fail with an *OpError naming the operation and the peer, which
// implements net.Error. Its reason is one of the Err values (test with
// errors.Is), an *AbortError carrying the peer's reason for an ABORT, a
// context's error, or an error wrapping net.ErrClosed once the
// association or the endpoint was closed on this side. Receive returns
// io.EOF itself after the peer's graceful shutdown.
package sctp
