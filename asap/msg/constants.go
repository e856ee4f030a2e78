package msg

import (
	"net/netip"
	"time"
)

// Every number RSerPool puts on the wire or in its timers is collected in
// this file, each with the section that assigns it, so that a reader can
// check the whole set against the RFCs in one place.

// Transport identifiers (RFC 5352 §8.2, §8.3; RFC 5353 §5.3, §5.4).
const (
	PPIDASAP    uint32 = 11   // SCTP payload protocol identifier of ASAP (RFC 5352 §8.3)
	PPIDENRP    uint32 = 12   // SCTP payload protocol identifier of ENRP (RFC 5353 §5.4)
	PortASAP    uint16 = 3863 // ASAP over SCTP, TCP and UDP (RFC 5352 §8.2)
	PortASAPTLS uint16 = 3864 // ASAP over TLS, on SCTP and TCP (RFC 5352 §8.2)
	PortENRP    uint16 = 9901 // ENRP over SCTP and UDP (RFC 5353 §5.3)
	PortENRPTLS uint16 = 9902 // ENRP over SCTP with TLS (RFC 5353 §5.3)
)

// Announcement groups. ASAP_SERVER_ANNOUNCE (RFC 5352 §3.6) and the
// group-cast ENRP_PRESENCE (RFC 5353 §3.1) travel by UDP multicast.
var (
	// IANAAnnounceGroupIPv4 is the IPv4 group IANA assigned to RSerPool
	// (RFC 5352 §8.4), part of the Internetwork Control Block.
	IANAAnnounceGroupIPv4 = netip.AddrFrom4([4]byte{224, 0, 1, 185})

	// ASAPAnnounceGroup is where rsplib's registrars send
	// ASAP_SERVER_ANNOUNCE by default (an administratively scoped group,
	// not the IANA one); the reference captures show it.
	ASAPAnnounceGroup = netip.AddrPortFrom(netip.AddrFrom4([4]byte{239, 0, 0, 50}), PortASAP)

	// ENRPAnnounceGroup is where rsplib's registrars group-cast
	// ENRP_PRESENCE by default; the reference captures show it.
	ENRPAnnounceGroup = netip.AddrPortFrom(netip.AddrFrom4([4]byte{239, 0, 0, 51}), PortENRP)
)

// IANAAnnounceGroupIPv6 returns FF0X::133, the IPv6 group IANA assigned to
// RSerPool (RFC 5352 §8.4), with X the multicast scope (RFC 4291 §2.7, for
// example 2 for link-local, 5 for site-local). Only the low four bits of
// scope are used.
func IANAAnnounceGroupIPv6(scope uint8) netip.Addr {
	return netip.AddrFrom16([16]byte{0xff, scope & 0x0f, 14: 0x01, 15: 0x33})
}

// ASAP timers and thresholds (RFC 5352 §7). The RFC gives each as the
// value a timer is "normally set to".
const (
	T1ENRPRequest     = 15 * time.Second // request to the home ENRP server (§7.1)
	T2Registration    = 30 * time.Second // ASAP_REGISTRATION outstanding (§7.1)
	T3Deregistration  = 30 * time.Second // ASAP_DEREGISTRATION outstanding (§7.1)
	T4Reregistration  = 10 * time.Minute // upper bound of the re-registration period (§7.1); see T4For
	T5ServerHunt      = 10 * time.Second // server hunt, doubled on expiry up to RetranMax (§7.1, §3.6 SH5.1)
	T6ServerAnnounce  = 1 * time.Second  // between ASAP_SERVER_ANNOUNCEs of the whole scope (§7.1, §3.6)
	T7ENRPOutdate     = 5 * time.Second  // life of a learned registrar address (§7.1)
	RetranMax         = 60 * time.Second // ceiling of the registration back-off (§7.3)
	MaxRegAttempt     = 2                // registration attempts before a server hunt (§7.3)
	MaxRequestRetrans = 2                // request attempts before a server hunt (§7.3)
	MaxHuntAssocs     = 3                // associations a PE or PU may try at once in a hunt (§3.6 SH1)
)

// T4For returns the re-registration period for a registration lifetime:
// 10 minutes or 20 seconds less than the lifetime, whichever is less
// (RFC 5352 §7.1). A lifetime of 20 s or less gives 0: re-register at once.
func T4For(lifetime time.Duration) time.Duration {
	t := lifetime - 20*time.Second
	if t > T4Reregistration {
		return T4Reregistration
	}
	if t < 0 {
		return 0
	}
	return t
}

// ENRP thresholds (RFC 5353 §4.2).
const (
	PeerHeartbeatCycle = 30 * time.Second // between ENRP_PRESENCE heartbeats
	MaxTimeLastHeard   = 61 * time.Second // silence before a peer is presumed dead
	MaxTimeNoResponse  = 5 * time.Second  // wait for a reply to a request
)

// Protocols. A Protocol's value is its SCTP payload protocol identifier,
// which is also how a receiver tells the two apart: ASAP and ENRP share
// the message header (RFC 5354 §4) and number their messages from 1 each
// (RFC 5352 §2.2, RFC 5353 §2).
const (
	ASAP Protocol = Protocol(PPIDASAP) // RFC 5352
	ENRP Protocol = Protocol(PPIDENRP) // RFC 5353
)

// ASAP message types (RFC 5352 §2.2, Figure 1; §8.1).
const (
	ASAPRegistration             = MessageType(uint16(ASAP)<<8 | 0x01) // §2.2.1
	ASAPDeregistration           = MessageType(uint16(ASAP)<<8 | 0x02) // §2.2.2
	ASAPRegistrationResponse     = MessageType(uint16(ASAP)<<8 | 0x03) // §2.2.3
	ASAPDeregistrationResponse   = MessageType(uint16(ASAP)<<8 | 0x04) // §2.2.4
	ASAPHandleResolution         = MessageType(uint16(ASAP)<<8 | 0x05) // §2.2.5
	ASAPHandleResolutionResponse = MessageType(uint16(ASAP)<<8 | 0x06) // §2.2.6
	ASAPEndpointKeepAlive        = MessageType(uint16(ASAP)<<8 | 0x07) // §2.2.7
	ASAPEndpointKeepAliveAck     = MessageType(uint16(ASAP)<<8 | 0x08) // §2.2.8
	ASAPEndpointUnreachable      = MessageType(uint16(ASAP)<<8 | 0x09) // §2.2.9
	ASAPServerAnnounce           = MessageType(uint16(ASAP)<<8 | 0x0a) // §2.2.10
	ASAPCookie                   = MessageType(uint16(ASAP)<<8 | 0x0b) // §2.2.11
	ASAPCookieEcho               = MessageType(uint16(ASAP)<<8 | 0x0c) // §2.2.12
	ASAPBusinessCard             = MessageType(uint16(ASAP)<<8 | 0x0d) // §2.2.13
	ASAPErrorMessage             = MessageType(uint16(ASAP)<<8 | 0x0e) // §2.2.14
)

// ENRP message types (RFC 5353 §2, Figure 1; §5.1).
const (
	ENRPPresence            = MessageType(uint16(ENRP)<<8 | 0x01) // §2.1
	ENRPHandleTableRequest  = MessageType(uint16(ENRP)<<8 | 0x02) // §2.2
	ENRPHandleTableResponse = MessageType(uint16(ENRP)<<8 | 0x03) // §2.3
	ENRPHandleUpdate        = MessageType(uint16(ENRP)<<8 | 0x04) // §2.4
	ENRPListRequest         = MessageType(uint16(ENRP)<<8 | 0x05) // §2.5
	ENRPListResponse        = MessageType(uint16(ENRP)<<8 | 0x06) // §2.6
	ENRPInitTakeover        = MessageType(uint16(ENRP)<<8 | 0x07) // §2.7
	ENRPInitTakeoverAck     = MessageType(uint16(ENRP)<<8 | 0x08) // §2.8
	ENRPTakeoverServer      = MessageType(uint16(ENRP)<<8 | 0x09) // §2.9
	ENRPErrorMessage        = MessageType(uint16(ENRP)<<8 | 0x0a) // §2.10
)

// Message flag bits. Only bit 0 and bit 1 are defined; every other bit is
// zero on transmit and ignored on receipt (RFC 5354 §4).
const (
	flagRegistrationReject  = 0x01 // R of ASAP_REGISTRATION_RESPONSE (RFC 5352 §2.2.3)
	flagResolutionSubscribe = 0x01 // S of ASAP_HANDLE_RESOLUTION (RFC 5352 §2.2.5)
	flagResolutionAccept    = 0x01 // A of ASAP_HANDLE_RESOLUTION_RESPONSE (RFC 5352 §2.2.6)
	flagKeepAliveHome       = 0x01 // H of ASAP_ENDPOINT_KEEP_ALIVE (RFC 5352 §2.2.7)
	flagPresenceReply       = 0x01 // "reply required" of ENRP_PRESENCE (RFC 5353 §2.1, §3.4.1-§3.4.3 text; bit from rsplib and Wireshark)
	flagTableOwnChildren    = 0x01 // W of ENRP_HANDLE_TABLE_REQUEST (RFC 5353 §2.2)
	flagTableReject         = 0x01 // R of ENRP_HANDLE_TABLE_RESPONSE (RFC 5353 §2.3)
	flagTableMore           = 0x02 // M of ENRP_HANDLE_TABLE_RESPONSE (RFC 5353 §2.3)
	flagUpdateTakeover      = 0x01 // T of ENRP_HANDLE_UPDATE (rsplib, draft-dreibholz-rserpool-enrpupdate; not in RFC 5353)
	flagListReject          = 0x01 // R of ENRP_LIST_RESPONSE (RFC 5353 §2.6)
)

// Parameter types (RFC 5354 §3, Table 1; §5.1).
const (
	ParamIPv4Address      ParamType = 0x0001 // §3.1
	ParamIPv6Address      ParamType = 0x0002 // §3.2
	ParamDCCPTransport    ParamType = 0x0003 // §3.3
	ParamSCTPTransport    ParamType = 0x0004 // §3.4
	ParamTCPTransport     ParamType = 0x0005 // §3.5
	ParamUDPTransport     ParamType = 0x0006 // §3.6
	ParamUDPLiteTransport ParamType = 0x0007 // §3.7
	ParamPolicy           ParamType = 0x0008 // §3.8 (Pool Member Selection Policy)
	ParamPoolHandle       ParamType = 0x0009 // §3.9
	ParamPoolElement      ParamType = 0x000a // §3.10
	ParamServerInfo       ParamType = 0x000b // §3.11 (Server Information)
	ParamOperationError   ParamType = 0x000c // §3.12
	ParamCookie           ParamType = 0x000d // §3.13
	ParamPEIdentifier     ParamType = 0x000e // §3.14
	ParamPEChecksum       ParamType = 0x000f // §3.15
	ParamOpaqueTransport  ParamType = 0x0010 // §3.16

	// ParamHandleResolutionOption is rsplib's own parameter (type 0x3f with
	// the "skip" action bits 10, so 0x803f) asking the registrar for at
	// most a number of pool elements in the ASAP_HANDLE_RESOLUTION_RESPONSE.
	// It is in the reference captures and Wireshark decodes it; RFC 5354
	// does not define it, and a receiver that does not know it skips it.
	ParamHandleResolutionOption ParamType = 0x803f
)

// What a receiver does with a type it does not recognize, by the type's two
// highest-order bits (RFC 5354 §3 for parameters, §4 for messages).
const (
	// StopDiscard (00): stop processing the message and discard it.
	StopDiscard UnknownAction = 0
	// StopReport (01): as StopDiscard, and report the parameter in an
	// Unrecognized Parameter error (or the message in an Unrecognized
	// Message error).
	StopReport UnknownAction = 1
	// Skip (10): skip the parameter and carry on.
	Skip UnknownAction = 2
	// SkipReport (11): skip it, carry on, and report it in an
	// Unrecognized Parameter error.
	SkipReport UnknownAction = 3
)

// Transport Use values of the SCTP Transport parameter (RFC 5354 §3.4).
const (
	DataOnly        TransportUse = 0x0000 // the transport carries data only
	DataPlusControl TransportUse = 0x0001 // data and the ASAP control channel
)

// Operation error cause codes (RFC 5354 §3.12, Table 2; §5.2).
const (
	CauseUnspecified               CauseCode = 0x0 // §3.12.1
	CauseUnrecognizedParameter     CauseCode = 0x1 // §3.12.2
	CauseUnrecognizedMessage       CauseCode = 0x2 // §3.12.3
	CauseInvalidValues             CauseCode = 0x3 // §3.12.4
	CauseNonUniquePEIdentifier     CauseCode = 0x4 // §3.12.5
	CauseInconsistentPoolingPolicy CauseCode = 0x5 // §3.12.6
	CauseLackOfResources           CauseCode = 0x6 // §3.12.7
	CauseInconsistentTransportType CauseCode = 0x7 // §3.12.8
	CauseInconsistentDataControl   CauseCode = 0x8 // §3.12.9
	CauseUnknownPoolHandle         CauseCode = 0x9 // §3.12.11 (code from Table 2)
	CauseRejectedSecurity          CauseCode = 0xa // §3.12.10 (code from Table 2)
)

// Pool member selection policy types (RFC 5356 §7.1; the encodings are in
// §4.x.4 and §5.x.4).
const (
	PolicyRoundRobin           PolicyType = 0x00000001 // §4.1
	PolicyWeightedRoundRobin   PolicyType = 0x00000002 // §4.2
	PolicyRandom               PolicyType = 0x00000003 // §4.3
	PolicyWeightedRandom       PolicyType = 0x00000004 // §4.4
	PolicyPriority             PolicyType = 0x00000005 // §4.5
	PolicyLeastUsed            PolicyType = 0x40000001 // §5.1
	PolicyLeastUsedDegradation PolicyType = 0x40000002 // §5.2
	PolicyPriorityLeastUsed    PolicyType = 0x40000003 // §5.3
	PolicyRandomizedLeastUsed  PolicyType = 0x40000004 // §5.4
	policyBitPrivate           PolicyType = 0x80000000 // X: user defined, not standardized (§7.1)
	policyBitAdaptive          PolicyType = 0x40000000 // A: adaptive (§7.1)
	policyReservedNonAdaptive  PolicyType = 0x00000000 // "reserved, invalid value" (§7.1)
	policyReservedAdaptive     PolicyType = 0x40000000 // "reserved, invalid value" (§7.1)
)

// Update actions of ENRP_HANDLE_UPDATE (RFC 5353 §2.4, §5.2).
const (
	AddPE UpdateAction = 0x0000 // add or update the PE
	DelPE UpdateAction = 0x0001 // delete the PE
)

// Sizes fixed by the formats.
const (
	// MaxMessageLen is the largest message the 16-bit length field can
	// describe (RFC 5354 §4).
	MaxMessageLen = 0xffff

	headerLen     = 4  // message type, flags, length (RFC 5354 §4)
	tlvHeaderLen  = 4  // parameter type and length (RFC 5354 §3)
	ipv4ParamLen  = 8  // RFC 5354 §3.1
	ipv6ParamLen  = 20 // RFC 5354 §3.2
	peFixedLen    = 16 // Pool Element header, PE id, home server id, life (RFC 5354 §3.10)
	peIDParamLen  = 8  // RFC 5354 §3.14
	checksumLen   = 6  // RFC 5354 §3.15: the length counts the checksum, not the padding
	hrOptParamLen = 8  // rsplib's Handle Resolution Option: one 32-bit item count
	serversLen    = 8  // sending and receiving server identifiers of every ENRP message (RFC 5353 §2.1)
	takeoverFixed = 12 // servers and target of the takeover messages (RFC 5353 §2.7-§2.9)
	updateFixed   = 12 // servers, update action and reserved field of ENRP_HANDLE_UPDATE (RFC 5353 §2.4)
	hrOptBit      = 17 // the bit standing for ParamHandleResolutionOption in a paramSet (body.go)
)
