// Package msg is the RSerPool wire format: the messages of ASAP (RFC 5352
// §2.2) and ENRP (RFC 5353 §2), the parameters they share (RFC 5354 §3),
// the common message header (RFC 5354 §4), the pool member selection
// policy encodings (RFC 5356 §4, §5) and the PE checksum (RFC 5353
// §3.6.2).
//
// It follows the style of sctp/wire. Every message type is a struct with
// Len, Append (encode into a caller's buffer, padding included) and Decode
// (from a MessageView that ParseMessage cut from the received bytes).
// Decoded fields alias the input; lists of parameters (the pool elements
// of a handle resolution response, the entries of a handle table
// response) are views with iterators, so the decoders of the hot
// messages (handle resolution and its response, endpoint keep-alive and
// its ack) do not allocate. DecodeMessage is the generic, allocating
// entry point.
//
// Bytes that break a rule give a *ParseError naming the byte offset and
// the rule. Types the package does not know follow RFC 5354: a message of
// unknown type gives an *UnrecognizedMessageError; an unknown parameter
// whose type bits say "stop" gives an *UnrecognizedParamError, and one
// whose bits say "skip" is kept in the Unrecognized field of the message,
// Pool Element, Server Information or transport that carried it (and
// re-encoded after the known parameters), where the function Report finds
// those to be reported. Both error types build the error cause to send
// back.
//
// The encoders follow the RFCs. Append writes what the fields say, without
// checks, for the hot paths; Encode refuses, with an *EncodeError, a
// message with a length that does not fit its 16-bit field at any depth
// (see Message) and a message its RFC forbids a sender to send, as listed
// at each message type. The decoders also accept what rsplib, the
// reference implementation, sends where it departs from the RFCs; each
// case is documented at the field it concerns:
//
//   - ASAP_ENDPOINT_KEEP_ALIVE with a PE Identifier parameter
//     (EndpointKeepAlive.ID);
//   - the Handle Resolution Option parameter 0x803f in
//     ASAP_HANDLE_RESOLUTION (HandleResolution.Items), the one message
//     that recognizes it; elsewhere it is an unknown type to skip;
//   - the takeover-suggested flag of ENRP_HANDLE_UPDATE
//     (HandleUpdate.TakeoverSuggested) and the reply-required flag of
//     ENRP_PRESENCE, which RFC 5353 names but does not place;
//   - Priority Least Used policies without the load degradation field
//     (Policy.NoDegradation);
//   - registration lifetimes in milliseconds rather than seconds
//     (PoolElement.RegistrationLife);
//   - the transport use written into the TCP Transport's reserved field
//     (Transport.Use);
//   - lengths of nested parameters and messages that count the last
//     parameter's padding (accepted; encoded without it, as RFC 5354 §2
//     and §4 say).
//
// They also accept an ENRP_PRESENCE without the PE checksum, which RFC
// 5353 §2.1 says SHOULD be included and §3.6.1 that it MUST; the zero
// Presence sends it (Presence.NoChecksum).
//
// ASAP_SERVER_ANNOUNCE and ENRP_PRESENCE also travel by UDP multicast
// (rsplib uses 239.0.0.50:3863 and 239.0.0.51:9901); the bytes are the
// same as over SCTP.
package msg
