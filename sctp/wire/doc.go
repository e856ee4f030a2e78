// Package wire is the SCTP packet format of RFC 9260 and of the extensions
// the stack speaks: I-DATA and I-FORWARD-TSN (RFC 8260), FORWARD-TSN (RFC
// 3758), ASCONF and ASCONF-ACK (RFC 5061), AUTH (RFC 4895), RE-CONFIG (RFC
// 6525) and PAD (RFC 4820).
//
// # Parsing
//
// ParsePacket checks a packet's framing (the common header and every chunk
// length, RFC 9260 §3) and returns a Packet, a view over the caller's
// bytes. Its chunks are walked with an iterator and each is decoded into
// the struct of its type; decoded slices alias the packet, and parsing and
// decoding allocate nothing when they succeed. Every rule broken is
// reported as a *ParseError that names the byte offset and the rule, and
// matches ErrMalformed; that error is allocated, so only a failure
// allocates.
//
//	pkt, err := wire.ParsePacket(b)
//	if err != nil || !pkt.VerifyChecksum() {
//		return // discard (RFC 9260 §6.8)
//	}
//	it := pkt.Chunks()
//	for c, ok := it.Next(); ok; c, ok = it.Next() {
//		switch c.Type() {
//		case wire.ChunkData:
//			var d wire.Data
//			if err := d.Decode(c); err != nil { ... }
//		default:
//			if !c.Type().Known() && c.Type().UnknownAction().Stop() { ... }
//		}
//	}
//
// # Lengths
//
// Where a chunk, parameter or error cause has fixed fields, the decoder
// reads them and ignores any bytes after them, as the Linux kernel does:
// the RFCs fix these lengths for senders and say nothing of rejecting a
// longer item. SHUTDOWN, SHUTDOWN ACK, SHUTDOWN COMPLETE, COOKIE ACK, the
// Cookie Preservative, Forward-TSN-Supported, Adaptation Layer Indication
// and Success Indication parameters, the ASCONF requests after their
// address parameter, and the causes with fixed fields are read that way;
// so are SACK and the Missing Mandatory Parameter cause, whose counts
// say how many entries there are: a length too short for the counted
// entries is refused, one that runs past them is not. A length too short
// for the fixed fields is always refused. Re-encoding drops the extra
// bytes.
//
// A few lengths stay exact, because a different length leaves the value
// ambiguous or the RFC has it refused: the IPv4 and IPv6 Address
// parameters (8 and 20 bytes, the length matching the address family),
// RANDOM (RFC 4895 §6.1 has a receiver abort on a number other than 32
// bytes), the RE-CONFIG parameters (RFC 6525 §4.3-§4.6; the
// Re-configuration Response is 12 or 20 bytes by whether its optional
// fields are there, and Linux checks these lengths exactly too), and the
// lists whose entries the length alone delimits (FORWARD-TSN,
// I-FORWARD-TSN, the stream lists of the SSN reset requests, Supported
// Address Types, HMAC-ALGO): a partial entry means the length or the list
// is corrupt.
//
// Padding is never checked (RFC 9260 §3.2.1: "The receiver MUST ignore
// the padding bytes"). The last parameter or cause of a list may come
// with none, some or all of its padding inside the enclosing length. A
// chunk is different: its padding must be in the packet, since "the
// sender MUST pad the chunk" (§3.2) and the next chunk starts after it.
//
// # Unrecognized types
//
// Unrecognized chunk and parameter types are handled by their upper two
// bits (RFC 9260 §3.2, §3.2.1): Packet.Walk and Params.CheckUnrecognized
// apply the rules, ChunkType.UnknownAction and ParamType.UnknownAction
// give the bits' meaning.
//
// # Building
//
// Every chunk, parameter and error cause type appends itself to a byte
// slice (Append), and Builder bundles chunks into a packet up to a size,
// reporting whether each one still fits, then fills in the CRC32c (RFC
// 9260 §6.8, §6.10). With a reused buffer, building allocates nothing.
//
// TSN, SSN, MID and FSN implement the serial number arithmetic of RFC
// 9260 §1.6 and RFC 8260 §2.1; stream identifiers, verification tags and
// PPIDs are distinct types so that they cannot be mixed up.
package wire
