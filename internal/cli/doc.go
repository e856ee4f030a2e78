// Package cli holds what the commands sctpcat and sctpperf share: the
// parsing of their address arguments (an SCTP endpoint is a list of
// addresses with one port, RFC 9260 §1.3, written ADDR[,ADDR...]:PORT),
// the flags that choose and open the lower layer (UDP encapsulation per
// RFC 6951, or a TUN device), and the one-line rendering of association
// events for -v.
//
// Parse errors are *ParseError values naming the byte offset in the
// argument and the rule it breaks, so a user sees where a long address
// list went wrong.
package cli
