package wire

import (
	"encoding/binary"
	"net/netip"
)

// ASCONF and ASCONF-ACK (RFC 5061 §4.1) must be authenticated (RFC 4895);
// that check is the receiver's, as it needs the AUTH chunk before them.

const asconfHeaderLen = 8 // chunk header, Sequence Number

// ASCONF is an ASCONF chunk (RFC 5061 §4.1.1).
//
// §4.1.1 has one or more requests follow the address; an ASCONF with none
// is still decoded, since refusing it would leave its sender retransmitting
// a request that no answer ever acknowledges. §5.2 answers it with an
// ASCONF-ACK that reports nothing.
type ASCONF struct {
	Seq uint32 // Sequence Number, serial (§5.3 rule F0)
	// Addr is an address of the sender, sent as an IPv4 or IPv6 Address
	// parameter by family; it helps the receiver find the association
	// and is mandatory. The zero Addr is sent as ::, which §4.1.1 lets
	// the receiver treat as "look the association up otherwise"; a
	// received 0.0.0.0 or :: decodes as such. A received Host Name
	// Address, which §4.1.1 says "MUST NOT be sent and MUST be ignored
	// if received in any ASCONF message", decodes as the zero Addr
	// (Addr.IsValid() is false): the receiver ignores it and finds the
	// association by other means, as for the wildcard. It is re-encoded
	// as ::.
	Addr   netip.Addr
	Params Params // the requests: Add IP, Delete IP, Set Primary Address
}

// ChunkType returns ChunkASCONF.
func (a *ASCONF) ChunkType() ChunkType { return ChunkASCONF }

// Len returns the chunk length field.
func (a *ASCONF) Len() int { return asconfHeaderLen + asconfAddrParamLen(a.Addr) + a.Params.Len() }

// Append appends the chunk with its padding.
func (a *ASCONF) Append(b []byte) []byte {
	n := a.Len()
	b = appendChunkHeader(b, ChunkASCONF, 0, n)
	b = binary.BigEndian.AppendUint32(b, a.Seq)
	b = AppendAddressParam(b, a.Addr)
	b = a.Params.appendTo(b)
	return appendPad(b, n)
}

// Decode reads an ASCONF chunk: the sequence number, the mandatory IPv4
// or IPv6 Address parameter (or a Host Name Address, left unread and
// decoded as the zero Addr), and a list of well-formed parameters whose
// contents each parameter's Decode reads.
func (a *ASCONF) Decode(c Chunk) error {
	if err := c.expect(ChunkASCONF); err != nil {
		return err
	}
	if c.Len() < asconfHeaderLen {
		return c.err(2, "chunk length below 8")
	}
	addr, n, _, err := asconfCutAddr(c.b[asconfHeaderLen:], c.off+asconfHeaderLen)
	if err != nil {
		return err
	}
	rest := asconfHeaderLen + n
	ps, err := parseParams(c.b[rest:], c.off+rest)
	if err != nil {
		return err
	}
	a.Seq = binary.BigEndian.Uint32(c.b[4:])
	a.Addr = addr
	a.Params = ps
	return nil
}

// ASCONFAck is an ASCONF-ACK chunk (RFC 5061 §4.1.2): the sequence number
// of the ASCONF it answers and a response parameter (Error Cause
// Indication or Success Indication) for any request it reports on. With
// no parameters, every request succeeded.
type ASCONFAck struct {
	Seq    uint32
	Params Params
}

// ChunkType returns ChunkASCONFAck.
func (a *ASCONFAck) ChunkType() ChunkType { return ChunkASCONFAck }

// Len returns the chunk length field.
func (a *ASCONFAck) Len() int { return asconfHeaderLen + a.Params.Len() }

// Append appends the chunk with its padding.
func (a *ASCONFAck) Append(b []byte) []byte {
	n := a.Len()
	b = appendChunkHeader(b, ChunkASCONFAck, 0, n)
	b = binary.BigEndian.AppendUint32(b, a.Seq)
	b = a.Params.appendTo(b)
	return appendPad(b, n)
}

// Decode reads an ASCONF-ACK chunk and checks that its parameters are
// well-formed TLVs.
func (a *ASCONFAck) Decode(c Chunk) error {
	if err := c.expect(ChunkASCONFAck); err != nil {
		return err
	}
	if c.Len() < asconfHeaderLen {
		return c.err(2, "chunk length below 8")
	}
	ps, err := parseParams(c.b[asconfHeaderLen:], c.off+asconfHeaderLen)
	if err != nil {
		return err
	}
	a.Seq = binary.BigEndian.Uint32(c.b[4:])
	a.Params = ps
	return nil
}
