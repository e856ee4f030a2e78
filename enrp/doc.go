// Package enrp is the registrar, the ENRP server of RSerPool (RFC 5351
// §3). This part is its ASAP side (RFC 5352): pool elements register,
// re-register and de-register with it, pool users (and elements) resolve
// pool handles at it, and it keeps watch over the pool elements it is
// home for. ServeENRP adds ENRP (RFC 5353), on an endpoint of its own
// (port 9901, PPID 12): server initialization from a mentor among
// Config.Peers, handle updates to every peer, presence heartbeats with
// the PE checksum and the audit they carry, failure detection by
// silence, and the takeover of a dead peer's PEs, which the winner
// reaches over associations its ASAP endpoint starts. Of several
// registrars that start a takeover of one peer the lowest identifier
// wins (enrp_takeover.go says how that reads against §3.5.1). Peers come
// from Config.Peers, from one another, and from ENRP presences on UDP
// multicast (ENRPMulticastAddr, rsplib's 239.0.0.51:9901) unless
// DisableENRPMulticast is set.
//
// Where ENRP goes beyond RFC 5353, so that a live registrar is not
// taken over:
//
//   - A registrar does not acknowledge ENRP_INIT_TAKEOVER of a peer it
//     heard within MaxTimeLastHeard, and the initiator completes no
//     earlier than MaxTimeNoResponse after its ENRP_INIT_TAKEOVER, time
//     for a live target's PRESENCE to stop it (enrp_takeover.go).
//   - The sender of a message names the peer an association belongs
//     to; an association on which a request got no message back within
//     MaxTimeNoResponse is aborted and dialed anew; of two registrars
//     that would dial each other the higher identifier waits
//     (enrp_assoc.go).
//
// A Registrar serves one SCTP endpoint (normally on port 3863, over UDP
// encapsulation or any other lower layer) with Serve, and announces
// itself by ASAP_SERVER_ANNOUNCE over UDP multicast. Snapshot, Dump and
// Stats read its state from any goroutine.
//
// Decisions where the RFCs leave room, each explained where it is made:
//
//   - Keep-alives (RFC 5352 §3.5): every KeepAliveInterval (5 s) ±50% to
//     each PE the registrar owns; no acknowledgement within
//     KeepAliveTimeout (5 s) removes the PE. A PE whose association is
//     lost stays registered, since it may come back on a new one and
//     register again, but its next keep-alive cannot be sent, which
//     removes it (§3.5: a keep-alive that fails removes the PE).
//   - ASAP_ENDPOINT_UNREACHABLE (§3.5): a probe at once, removal when
//     the probe fails or after MaxBadPEReports (3) reports since the PE
//     last registered; one association's reports are rate limited
//     (UnreachableRate, UnreachableBurst), the excess dropped.
//   - Registration lifetimes: bounded to [MinRegistrationLife,
//     MaxRegistrationLife] with a warning in the response, infinite
//     included; 0 and values below -1 refused. The unit is the RFC's
//     second unless RegistrationLifeUnit says otherwise (rsplib's PEs
//     count milliseconds).
//   - A registration's user transport addresses must be the
//     association's (RFC 5352 §2.2.1); an identifier in use by another
//     PE with another transport is refused as Non-Unique PE Identifier;
//     de-registration by proxy is refused (§2.2.2).
//   - Handle resolution lists MaxHandleResolutionItems (3, rsplib's)
//     elements chosen by the pool's policy rather than the whole pool.
//   - A malformed message is discarded without ending the association;
//     a malformed request that can be told apart is answered with an
//     Invalid Values error. Unknown message and parameter types follow
//     RFC 5354 §3 and §4 (ASAP_ERROR when their bits ask for a report).
//   - Limits: the handlespace's (pools, elements per pool, elements in
//     all, handle length), registrations per association, the send queue
//     per association (a peer that does not read is aborted), and the
//     endpoint's own limit on associations (sctp.Config).
package enrp
