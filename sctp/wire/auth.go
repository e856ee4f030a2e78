package wire

import (
	"encoding/binary"
	"strconv"
)

// This file holds SCTP-AUTH (RFC 4895): the AUTH chunk (§5.1) and the
// RANDOM, CHUNKS and HMAC-ALGO parameters of INIT and INIT ACK (§3.1 to
// §3.3). The Unsupported HMAC Identifier error cause (§4.1) is with the
// other causes.

// HMACID is an HMAC Identifier (RFC 4895 §3.3, Table 2).
type HMACID uint16

// HMAC identifiers of RFC 4895 §3.3. SHA-1 is the one every endpoint must
// support (§6.1).
const (
	HMACSHA1   HMACID = 1
	HMACSHA256 HMACID = 3
)

// String returns the algorithm's name, or "HMAC identifier N".
func (h HMACID) String() string {
	switch h {
	case HMACSHA1:
		return "HMAC-SHA-1"
	case HMACSHA256:
		return "HMAC-SHA-256"
	}
	return "HMAC identifier " + strconv.Itoa(int(h))
}

// Size returns the length in bytes of the HMAC the algorithm produces, the
// size of an AUTH chunk's HMAC field; 0 for an unknown identifier.
func (h HMACID) Size() int {
	switch h {
	case HMACSHA1:
		return 20
	case HMACSHA256:
		return 32
	}
	return 0
}

// HMACIDs is a list of 16-bit HMAC identifiers in network byte order: the
// value of the HMAC-ALGO parameter. It is a view; the decoder points it
// into the received bytes.
type HMACIDs []byte

// MakeHMACIDs encodes a list of HMAC identifiers, most preferred first.
func MakeHMACIDs(ids ...HMACID) HMACIDs {
	l := make(HMACIDs, 0, 2*len(ids))
	for _, id := range ids {
		l = binary.BigEndian.AppendUint16(l, uint16(id))
	}
	return l
}

// Len returns the number of entries.
func (l HMACIDs) Len() int { return len(l) / 2 }

// At returns entry i, 0 <= i < Len().
func (l HMACIDs) At(i int) HMACID { return HMACID(binary.BigEndian.Uint16(l[2*i:])) }

// Has reports whether id is listed.
func (l HMACIDs) Has(id HMACID) bool {
	for i := 0; i+1 < len(l); i += 2 {
		if HMACID(binary.BigEndian.Uint16(l[i:])) == id {
			return true
		}
	}
	return false
}

// RandomLen is the length of the Random Number RFC 4895 §6.1 requires.
const RandomLen = 32

// RandomParam is the RANDOM parameter (RFC 4895 §3.1). Random aliases the
// decoded bytes.
type RandomParam struct {
	// Random is the random number, RandomLen (32) bytes long. The encoder
	// writes any length, but Decode refuses every length but 32 (RFC 4895
	// §6.1), so a sender keeps to it.
	Random []byte
}

// ParamType returns ParamRandom.
func (r *RandomParam) ParamType() ParamType { return ParamRandom }

// Len returns the parameter length field.
func (r *RandomParam) Len() int { return tlvHeaderLen + len(r.Random) }

// Append appends the parameter with its padding.
func (r *RandomParam) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(ParamRandom), r.Len())
	b = append(b, r.Random...)
	return appendPad(b, r.Len())
}

// Decode reads a RANDOM parameter. §3.1 describes a number of arbitrary
// length, but §6.1 requires 32 bytes and tells the receiver of any other
// length to abort the association, so other lengths are malformed here.
func (r *RandomParam) Decode(p Param) error {
	if err := p.expect(ParamRandom); err != nil {
		return err
	}
	if err := paramExactLen(p, tlvHeaderLen+RandomLen, "random number not 32 bytes"); err != nil {
		return err
	}
	r.Random = p.Value()
	return nil
}

// maxChunkListLen is the largest CHUNKS parameter (RFC 4895 §3.2): one
// entry per chunk type.
const maxChunkListLen = tlvHeaderLen + 256

// ChunkListParam is the CHUNKS parameter (RFC 4895 §3.2): the chunk types
// its sender accepts only when authenticated.
type ChunkListParam struct {
	// Chunks holds at most 256 entries, one per chunk type. The encoder
	// writes a longer list, but Decode refuses a parameter longer than
	// 260 bytes (§3.2), so a sender lists each type once.
	Chunks ChunkTypes
}

// ParamType returns ParamChunkList.
func (c *ChunkListParam) ParamType() ParamType { return ParamChunkList }

// Len returns the parameter length field.
func (c *ChunkListParam) Len() int { return tlvHeaderLen + len(c.Chunks) }

// Append appends the parameter with its padding. Chunks must not list
// INIT, INIT ACK, SHUTDOWN COMPLETE or AUTH (§3.2).
func (c *ChunkListParam) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(ParamChunkList), c.Len())
	b = append(b, c.Chunks...)
	return appendPad(b, c.Len())
}

// Decode reads a CHUNKS parameter, whose length §3.2 caps at 260.
func (c *ChunkListParam) Decode(p Param) error {
	if err := p.expect(ParamChunkList); err != nil {
		return err
	}
	if p.Len() > maxChunkListLen {
		return p.err(2, "parameter length above 260")
	}
	c.Chunks = ChunkTypes(p.Value())
	return nil
}

// Requires reports whether the sender wants chunk type t authenticated.
// INIT, INIT ACK, SHUTDOWN COMPLETE and AUTH never are: §3.2 tells the
// receiver to ignore them in the list.
func (c *ChunkListParam) Requires(t ChunkType) bool {
	switch t {
	case ChunkInit, ChunkInitAck, ChunkShutdownComplete, ChunkAuth:
		return false
	}
	return c.Chunks.Has(t)
}

// RequestedHMACAlgorithmParam is the HMAC-ALGO parameter (RFC 4895 §3.3):
// the HMAC identifiers the peer may use, most preferred first.
type RequestedHMACAlgorithmParam struct {
	IDs HMACIDs // whole 2-byte entries; Decode refuses an odd length
}

// ParamType returns ParamRequestedHMACAlgorithm.
func (r *RequestedHMACAlgorithmParam) ParamType() ParamType { return ParamRequestedHMACAlgorithm }

// Len returns the parameter length field.
func (r *RequestedHMACAlgorithmParam) Len() int { return tlvHeaderLen + len(r.IDs) }

// Append appends the parameter with its padding.
func (r *RequestedHMACAlgorithmParam) Append(b []byte) []byte {
	b = appendTLVHeader(b, uint16(ParamRequestedHMACAlgorithm), r.Len())
	b = append(b, r.IDs...)
	return appendPad(b, r.Len())
}

// Decode reads an HMAC-ALGO parameter. Its length is twice the number of
// identifiers plus 4 (§3.3), so it must be even. Whether SHA-1 is listed,
// as §6.1 requires, is for the receiver to check.
func (r *RequestedHMACAlgorithmParam) Decode(p Param) error {
	if err := p.expect(ParamRequestedHMACAlgorithm); err != nil {
		return err
	}
	v := p.Value()
	if len(v)%2 != 0 {
		return p.err(2, "HMAC identifier list of odd length")
	}
	r.IDs = HMACIDs(v)
	return nil
}

// Has reports whether id is listed.
func (r *RequestedHMACAlgorithmParam) Has(id HMACID) bool { return r.IDs.Has(id) }

const authHeaderLen = 8 // chunk header, shared key identifier, HMAC identifier

// Auth is an AUTH chunk (RFC 4895 §5.1). HMAC aliases the decoded packet.
// Its length is not checked against HMACID.Size: an identifier the
// receiver did not ask for calls for an error cause, not a parse error
// (§6.3).
type Auth struct {
	SharedKeyID uint16
	HMACID      HMACID
	HMAC        []byte
}

// ChunkType returns ChunkAuth.
func (a *Auth) ChunkType() ChunkType { return ChunkAuth }

// Len returns the chunk length field.
func (a *Auth) Len() int { return authHeaderLen + len(a.HMAC) }

// Append appends the chunk with its padding. Flags are zero.
func (a *Auth) Append(b []byte) []byte {
	n := a.Len()
	b = appendChunkHeader(b, ChunkAuth, 0, n)
	b = binary.BigEndian.AppendUint16(b, a.SharedKeyID)
	b = binary.BigEndian.AppendUint16(b, uint16(a.HMACID))
	b = append(b, a.HMAC...)
	return appendPad(b, n)
}

// Decode reads an AUTH chunk. The flags are ignored on receipt.
func (a *Auth) Decode(c Chunk) error {
	if err := c.expect(ChunkAuth); err != nil {
		return err
	}
	if c.Len() < authHeaderLen {
		return c.err(2, "chunk length below 8")
	}
	a.SharedKeyID = binary.BigEndian.Uint16(c.b[4:])
	a.HMACID = HMACID(binary.BigEndian.Uint16(c.b[6:]))
	a.HMAC = c.b[authHeaderLen:]
	return nil
}
