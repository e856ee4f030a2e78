// Package failover measures how an SCTP association rides out the loss of
// its primary path (RFC 9260 §6.4, §8.2; SCTP-PF, RFC 7829).
//
// A sender streams equal messages at a steady pace to a receiver over an
// association with two paths; at a known time the receiver's primary
// address is cut. Every message carries its sequence number and its send
// time, and the harness records for each one when the receiver's
// application got it and over which of the receiver's addresses its DATA
// chunk first arrived. From that timeline it derives:
//
//   - detection: from the cut to the path event that takes the primary out
//     of the active state (potentially failed or inactive) at the sender;
//   - outage: the longest time the receiver's application went without a
//     new message (the longest gap between consecutive first deliveries,
//     and, when messages were lost, from the last delivery to the end of
//     the run);
//   - outage at the cut: the longest such gap that overlaps the time
//     from the cut to its detection, the failover's own share, since the
//     longest gap of a run may be a random loss recovered elsewhere;
//   - lost: messages Send accepted that never reached the application;
//   - duplicated: messages handed to the application more than once;
//   - false alarms: the times the primary left the active state before
//     the cut, for timeouts with nothing lost.
//
// Two transports carry the same runs: simnet in a testing/synctest bubble,
// where time is virtual and every figure is exact, and RFC 6951 UDP
// encapsulation between two Linux network namespaces joined by two veth
// pairs, where the cut takes the primary interface down. The tests of this
// package drive both; the package itself holds the harness, the metrics
// and the CSV, chart and table writers. The command that makes the
// results directory is Command.
package failover
