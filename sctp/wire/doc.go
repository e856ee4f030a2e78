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
// the struct of its type; decoded slices alias the packet, and nothing on
// this path allocates. Every rule broken is reported as a *ParseError that
// names the byte offset and the rule, and matches ErrMalformed.
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
// TSN, SSN and MID implement the serial number arithmetic of RFC 9260
// §1.6; stream identifiers, verification tags and PPIDs are distinct types
// so that they cannot be mixed up.
package wire
