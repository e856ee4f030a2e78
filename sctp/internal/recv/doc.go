// Package recv is the receive side of an SCTP association: it takes the
// DATA chunks of one association, in whatever order the network delivers
// them, and hands back whole user messages in the order RFC 9260 asks for,
// together with everything a SACK chunk reports.
//
// It implements:
//
//   - TSN tracking and acknowledgement (RFC 9260 §6.2): the cumulative TSN
//     ack point, the TSNs received above it as Gap Ack Blocks (§3.3.4) and
//     the duplicate TSNs to report in the next SACK;
//   - the receive window (§6.2 A-D): every byte held counts against the
//     a_rwnd advertised, and a chunk that does not fit is dropped as §6.2
//     says, revoking data held for reordering when a lower TSN needs the
//     room;
//   - stream identifier checks (§6.5);
//   - reassembly of fragmented user messages (§6.9, §3.3.1 B and E bits);
//   - ordered delivery by Stream Sequence Number, per stream, and
//     unordered delivery (§6.6);
//   - the receiver side of FORWARD TSN (RFC 3758 §3.6).
//
// The package is sans-I/O: it owns no goroutine, socket or clock, and the
// same calls give the same results. It never panics on anything a peer can
// send, and every resource a peer can make it hold is bounded: bytes by
// Config.Window, the duplicate list by MaxDups, the message size by
// MaxMessage, the Gap Ack Blocks new data may open by MaxGaps, and the
// record of TSNs received above the cumulative TSN by a map of fixed size
// (8 KiB, allocated when the first TSN arrives out of order).
//
// Answering the peer is the caller's job, guided by the Verdict of each
// chunk: a SACK after a drop for lack of room, an ERROR chunk for an
// invalid stream, an ABORT for a message too large to reassemble.
package recv
