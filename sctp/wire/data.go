package wire

import "encoding/binary"

// This file holds the user data chunks: DATA (RFC 9260 §3.3.1) and I-DATA
// (RFC 8260 §2.1). Both carry the same flag bits.

// Flag bits of DATA and I-DATA (RFC 9260 §3.3.1, RFC 8260 §2.1).
const (
	flagEnding    = 0x01 // E: last fragment
	flagBeginning = 0x02 // B: first fragment
	flagUnordered = 0x04 // U: unordered
	flagImmediate = 0x08 // I: SACK immediately (RFC 9260 §6.1)
)

const (
	dataHeaderLen  = 16 // chunk header, TSN, stream, SSN, PPID
	idataHeaderLen = 20 // chunk header, TSN, stream, reserved, MID, PPID/FSN
)

// DataFlags are the U, B, E and I bits shared by DATA and I-DATA.
type DataFlags struct {
	Unordered bool // U: deliver without regard to the stream sequence
	Beginning bool // B: first fragment of a user message
	Ending    bool // E: last fragment of a user message
	Immediate bool // I: the receiver should SACK without delay
}

func (f DataFlags) bits() uint8 {
	var b uint8
	if f.Ending {
		b |= flagEnding
	}
	if f.Beginning {
		b |= flagBeginning
	}
	if f.Unordered {
		b |= flagUnordered
	}
	if f.Immediate {
		b |= flagImmediate
	}
	return b
}

func dataFlags(b uint8) DataFlags {
	return DataFlags{
		Ending:    b&flagEnding != 0,
		Beginning: b&flagBeginning != 0,
		Unordered: b&flagUnordered != 0,
		Immediate: b&flagImmediate != 0,
	}
}

// Data is a DATA chunk (RFC 9260 §3.3.1). UserData aliases the decoded
// packet; the encoder copies it.
type Data struct {
	DataFlags
	TSN      TSN
	Stream   StreamID
	SSN      SSN
	PPID     PPID
	UserData []byte // not empty: Decode answers an empty one with ErrNoUserData
}

// ChunkType returns ChunkData.
func (d *Data) ChunkType() ChunkType { return ChunkData }

// Len returns the chunk length field.
func (d *Data) Len() int { return dataHeaderLen + len(d.UserData) }

// Append appends the chunk with its padding.
func (d *Data) Append(b []byte) []byte {
	n := d.Len()
	b = appendChunkHeader(b, ChunkData, d.bits(), n)
	b = binary.BigEndian.AppendUint32(b, uint32(d.TSN))
	b = binary.BigEndian.AppendUint16(b, uint16(d.Stream))
	b = binary.BigEndian.AppendUint16(b, uint16(d.SSN))
	b = binary.BigEndian.AppendUint32(b, uint32(d.PPID))
	b = append(b, d.UserData...)
	return appendPad(b, n)
}

// Decode reads a DATA chunk. A chunk with no user data decodes its header
// fields and returns an error matching ErrNoUserData (RFC 9260 §6.2).
func (d *Data) Decode(c Chunk) error {
	if err := c.expect(ChunkData); err != nil {
		return err
	}
	if c.Len() < dataHeaderLen {
		return c.err(2, "chunk length below 16")
	}
	v := c.b
	d.DataFlags = dataFlags(c.Flags())
	d.TSN = TSN(binary.BigEndian.Uint32(v[4:]))
	d.Stream = StreamID(binary.BigEndian.Uint16(v[8:]))
	d.SSN = SSN(binary.BigEndian.Uint16(v[10:]))
	d.PPID = PPID(binary.BigEndian.Uint32(v[12:]))
	d.UserData = v[dataHeaderLen:]
	if len(d.UserData) == 0 {
		return &ParseError{Offset: c.off + 2, What: "DATA chunk", Rule: "DATA chunk with no user data", Err: ErrNoUserData}
	}
	return nil
}

// IData is an I-DATA chunk (RFC 8260 §2.1). The 32-bit field after the MID
// is the PPID in the first fragment (B set) and the Fragment Sequence
// Number in the others; PPID and FSN hold it accordingly and the other is
// zero.
type IData struct {
	DataFlags
	TSN      TSN
	Stream   StreamID
	MID      MID
	PPID     PPID // when Beginning is set
	FSN      FSN  // when Beginning is clear; the first fragment's FSN is 0
	UserData []byte
}

// ChunkType returns ChunkIData.
func (d *IData) ChunkType() ChunkType { return ChunkIData }

// Len returns the chunk length field.
func (d *IData) Len() int { return idataHeaderLen + len(d.UserData) }

// Append appends the chunk with its padding. The reserved field is zero.
func (d *IData) Append(b []byte) []byte {
	n := d.Len()
	b = appendChunkHeader(b, ChunkIData, d.bits(), n)
	b = binary.BigEndian.AppendUint32(b, uint32(d.TSN))
	b = binary.BigEndian.AppendUint16(b, uint16(d.Stream))
	b = append(b, 0, 0)
	b = binary.BigEndian.AppendUint32(b, uint32(d.MID))
	if d.Beginning {
		b = binary.BigEndian.AppendUint32(b, uint32(d.PPID))
	} else {
		b = binary.BigEndian.AppendUint32(b, uint32(d.FSN))
	}
	b = append(b, d.UserData...)
	return appendPad(b, n)
}

// Decode reads an I-DATA chunk. A chunk with no user data decodes its
// header fields and returns an error matching ErrNoUserData. The reserved
// field is ignored on receipt (RFC 8260 §2.1).
func (d *IData) Decode(c Chunk) error {
	if err := c.expect(ChunkIData); err != nil {
		return err
	}
	if c.Len() < idataHeaderLen {
		return c.err(2, "chunk length below 20")
	}
	v := c.b
	d.DataFlags = dataFlags(c.Flags())
	d.TSN = TSN(binary.BigEndian.Uint32(v[4:]))
	d.Stream = StreamID(binary.BigEndian.Uint16(v[8:]))
	d.MID = MID(binary.BigEndian.Uint32(v[12:]))
	x := binary.BigEndian.Uint32(v[16:])
	d.PPID, d.FSN = 0, 0
	if d.Beginning {
		d.PPID = PPID(x)
	} else {
		d.FSN = FSN(x)
	}
	d.UserData = v[idataHeaderLen:]
	if len(d.UserData) == 0 {
		return &ParseError{Offset: c.off + 2, What: "I-DATA chunk", Rule: "I-DATA chunk with no user data", Err: ErrNoUserData}
	}
	return nil
}
