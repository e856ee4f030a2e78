package wire

// This file holds HEARTBEAT (RFC 9260 §3.3.5) and HEARTBEAT ACK (§3.3.6).
// Each carries one Heartbeat Info parameter, whose content only the
// HEARTBEAT's sender understands; the structs hold that content directly.

// heartbeatMinLen is a chunk header plus a Heartbeat Info header.
const heartbeatMinLen = chunkHeaderLen + tlvHeaderLen

// Heartbeat is a HEARTBEAT chunk (RFC 9260 §3.3.5). Info is the
// Sender-Specific Heartbeat Info, without the parameter header; it
// aliases the decoded packet.
type Heartbeat struct {
	Info []byte
}

// HeartbeatAck is a HEARTBEAT ACK chunk (RFC 9260 §3.3.6), laid out as
// HEARTBEAT: Info is the content of the Heartbeat Info parameter it
// reflects.
type HeartbeatAck Heartbeat

// ChunkType returns ChunkHeartbeat.
func (h *Heartbeat) ChunkType() ChunkType { return ChunkHeartbeat }

// Len returns the chunk length field: the parameter's padding, if any, is
// the chunk's and is not counted.
func (h *Heartbeat) Len() int { return heartbeatMinLen + len(h.Info) }

// Append appends the chunk with its padding. Flags are zero.
func (h *Heartbeat) Append(b []byte) []byte { return h.appendAs(b, ChunkHeartbeat) }

// Decode reads a HEARTBEAT chunk. See HeartbeatAck.Decode for the rules.
func (h *Heartbeat) Decode(c Chunk) error { return h.decodeAs(c, ChunkHeartbeat) }

// ChunkType returns ChunkHeartbeatAck.
func (h *HeartbeatAck) ChunkType() ChunkType { return ChunkHeartbeatAck }

// Len returns the chunk length field.
func (h *HeartbeatAck) Len() int { return (*Heartbeat)(h).Len() }

// Append appends the chunk with its padding. Flags are zero.
func (h *HeartbeatAck) Append(b []byte) []byte {
	return (*Heartbeat)(h).appendAs(b, ChunkHeartbeatAck)
}

// Decode reads a HEARTBEAT ACK chunk. The value must start with a
// well-formed Heartbeat Info parameter, the one parameter §3.3.5 and
// §3.3.6 make mandatory. Bytes after it are ignored rather than refused:
// the RFC does not forbid them, the receiver needs only the Info, and the
// chunk length may count the parameter's padding (§3.2). Flags are
// ignored on receipt.
func (h *HeartbeatAck) Decode(c Chunk) error {
	return (*Heartbeat)(h).decodeAs(c, ChunkHeartbeatAck)
}

func (h *Heartbeat) appendAs(b []byte, t ChunkType) []byte {
	n := h.Len()
	b = appendChunkHeader(b, t, 0, n)
	b = appendTLVHeader(b, uint16(ParamHeartbeatInfo), tlvHeaderLen+len(h.Info))
	b = append(b, h.Info...)
	return appendPad(b, n)
}

func (h *Heartbeat) decodeAs(c Chunk, t ChunkType) error {
	if err := c.expect(t); err != nil {
		return err
	}
	if c.Len() < heartbeatMinLen {
		return c.err(2, "chunk length below 8")
	}
	it := newTLVIter(c.Value(), c.off+chunkHeaderLen, "parameter", paramName)
	tv, ok := it.next()
	if !ok {
		return it.err // the value holds a header, so next fails only with an error
	}
	p := Param(tv)
	if err := p.expect(ParamHeartbeatInfo); err != nil {
		return err
	}
	h.Info = p.Value()
	return nil
}
