// Package send is the data sender of an SCTP association: the user
// messages waiting to be sent, their DATA chunks on the wire, and what the
// peer's SACK chunks say about them. It is sans-I/O: every input that
// depends on time carries it, and nothing here reads a clock.
//
// It implements, from RFC 9260:
//
//   - §6.5 and §6.6: a Stream Sequence Number per outbound stream, taken by
//     each ordered message when it is queued; unordered messages carry the
//     U flag and leave the counter alone.
//   - §6.9: fragmentation of a message into DATA chunks with consecutive
//     TSNs, the same SSN and PPID, and the B and E flags; RFC 7053's I bit on
//     the last fragment when the user asks for it.
//   - §6.1: the TSN window (no TSN more than 2^31-1 above the oldest
//     unacknowledged one) and at most 2^16-1 ordered messages held per
//     stream.
//   - §6.2.1: SACK processing: out-of-order SACKs dropped, the peer's rwnd,
//     Gap Ack Blocks, reneging.
//   - §6.3.1 C5 (Karn's algorithm): which acknowledged chunks give an RTT
//     sample.
//   - §6.3.2 R2-R4: what the caller needs to start, restart and stop the
//     T3-rtx timer of each path (see SackResult).
//   - §6.3.3 E3: marking a path's outstanding chunks for retransmission.
//   - §6.4: outstanding data counted on the path each chunk was last sent
//     on, and moving chunks marked for retransmission to another path.
//   - §7.2.4: miss indications by the HTNA algorithm, Fast Retransmit and
//     Fast Recovery.
//
// Congestion control (cwnd, ssthresh, partial_bytes_acked), RTO and the
// timers themselves belong to the paths; this package reports what they
// need: bytes acknowledged per path, RTT samples, the paths whose cwnd a
// Fast Retransmit cuts, and the flight size of each path.
//
// # Units
//
// Every byte count here (Queued, FlightSize, Outstanding, PeerRwnd,
// SackResult.Acked, the value T3Expired returns) counts user data only,
// without the 16-byte DATA chunk header and padding, because that is the
// "data size" RFC 9260 §6.2.1 B and C subtract from and add to the peer's
// rwnd, and the peer's a_rwnd counts the same bytes.
//
// # Flight size
//
// A chunk is in flight (counted in FlightSize and Outstanding) from its
// transmission until it is acknowledged, cumulatively or by a Gap Ack
// Block, or marked for retransmission, following the definitions of
// RFC 9260 §1.3: an outstanding TSN is one sent and not yet acknowledged,
// and "a DATA chunk that is classified as lost but that has not yet been
// retransmitted is not in outstanding data". A chunk the peer reneges on
// (acknowledged by a Gap Ack Block, then missing from a later SACK) is in
// flight again, so that the T3-rtx timer of its path covers it.
//
// # Chunk lifetime
//
// Chunks come from a pool owned by the Sender. A *Chunk returned by
// NextNew or NextRetransmit stays valid while the chunk is on the
// outstanding list, that is until a SACK acknowledges it cumulatively or
// Unsent drains the Sender; after that the struct is reused. The caller
// reads its fields and must not change them.
package send
