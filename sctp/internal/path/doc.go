// Package path is the state an SCTP association keeps for each
// destination transport address of its peer (RFC 9260 §6.3, §7.2 and
// §8.2: "Unlike TCP, an SCTP sender MUST keep a set of the control
// variables cwnd, ssthresh, and partial_bytes_acked for EACH destination
// address").
//
// A Path holds:
//
//   - the retransmission timeout: RTO, SRTT and RTTVAR of §6.3.1 (rules
//     C1–C3, C6, C7 and G1) and the back-off of §6.3.3 E2;
//   - congestion control: cwnd, ssthresh and partial_bytes_acked of §7.2,
//     with the initial window and slow start of §7.2.1, congestion
//     avoidance of §7.2.2, the cuts of §7.2.3 (loss reported by SACK
//     chunks, used by fast retransmit, §7.2.4) and of a T3-rtx expiry
//     (§6.3.3 E1), the decay of cwnd while the path carries no data
//     (§7.2.1, §7.2.2), rule B of §6.1 (the one-packet overbooking of
//     cwnd), the Max.Burst limit of rule D of §6.1 and the reset of
//     §7.2.5;
//   - fault management: the per-address error counter and the
//     active/inactive state of §8.2, path confirmation (§5.4) and the
//     heartbeat schedule of §8.3;
//   - the PMTU the lower layer reports and the PMDCS derived from it
//     (§1.3, §7.3).
//
// The protocol parameters of §16 are in Params.
//
// The package also has Timer, a deadline in virtual time, which the
// association uses for all of its timers (T1-init, T2-shutdown, T3-rtx,
// T5-shutdown-guard, heartbeat, delayed SACK).
//
// Like the rest of the engine the package is sans-I/O: it reads no clock
// and draws no random numbers. Every input that depends on time carries
// now, and the heartbeat jitter is the caller's.
//
// What stays with the association: Karn's algorithm and the one sample
// per round trip of §6.3.1 C4/C5 (which chunks may be timed), the
// T3-rtx rules R1–R4 (when to start and stop Timers), Fast Recovery
// (whether a cut is due, §7.2.4 step 2 and 6), rwnd and rule A of §6.1,
// and the association-wide error counter of §8.1.
package path
