package msg

import "encoding/binary"

// This file holds the liveness messages of RFC 5352 §2.2.7-§2.2.9: the
// registrar probing its PEs (ENDPOINT_KEEP_ALIVE and its ACK, §3.4) and
// users reporting a PE they cannot reach (ENDPOINT_UNREACHABLE, §3.5).
// Keep-alives run for every PE every few seconds, so their decoders do
// not allocate.

// EndpointKeepAlive is ASAP_ENDPOINT_KEEP_ALIVE (RFC 5352 §2.2.7).
type EndpointKeepAlive struct {
	// Home (H) asks the PE to adopt the sender as its home ENRP server.
	Home       bool
	ServerID   ServerID
	PoolHandle []byte

	// ID is the PE the probe is for, sent when HasID is set. RFC 5352
	// §2.2.7 has no such parameter, but rsplib's registrar appends a PE
	// Identifier parameter to every keep-alive (its source marks it
	// "custom"), so one association can serve several PEs; the reference
	// captures show it.
	ID    PEID
	HasID bool

	Unrecognized Unrecognized
}

// MessageType returns ASAPEndpointKeepAlive.
func (m *EndpointKeepAlive) MessageType() MessageType { return ASAPEndpointKeepAlive }

// Len returns the message length field.
func (m *EndpointKeepAlive) Len() int {
	s := sizer{n: headerLen + 4}
	s.add(tlvHeaderLen + len(m.PoolHandle))
	if m.HasID {
		s.add(peIDParamLen)
	}
	m.Unrecognized.size(&s)
	return s.total()
}

// Append appends the message and its padding.
func (m *EndpointKeepAlive) Append(b []byte) []byte {
	b = appendHeader(b, ASAPEndpointKeepAlive, flag(m.Home, flagKeepAliveHome), m.Len())
	b = binary.BigEndian.AppendUint32(b, uint32(m.ServerID))
	b = appendHandle(b, m.PoolHandle)
	if m.HasID {
		b = appendPEID(b, m.ID)
	}
	return m.Unrecognized.appendTo(b)
}

// Decode reads the message without allocating.
func (m *EndpointKeepAlive) Decode(v MessageView) error {
	if err := v.expect(ASAPEndpointKeepAlive, 4); err != nil {
		return err
	}
	var bd body
	if err := bd.decode(v, 4, pHandle|pPEID, 0); err != nil {
		return err
	}
	if err := bd.need(v, pHandle); err != nil {
		return err
	}
	*m = EndpointKeepAlive{
		Home:         v.Flags()&flagKeepAliveHome != 0,
		ServerID:     ServerID(v.u32(headerLen)),
		PoolHandle:   bd.handle,
		ID:           bd.id,
		HasID:        bd.has(pPEID),
		Unrecognized: bd.unk,
	}
	return nil
}

// EndpointKeepAliveAck is ASAP_ENDPOINT_KEEP_ALIVE_ACK (RFC 5352 §2.2.8):
// the PE's answer to every keep-alive.
type EndpointKeepAliveAck struct {
	PoolHandle   []byte
	ID           PEID
	Unrecognized Unrecognized
}

// MessageType returns ASAPEndpointKeepAliveAck.
func (m *EndpointKeepAliveAck) MessageType() MessageType { return ASAPEndpointKeepAliveAck }

// Len returns the message length field.
func (m *EndpointKeepAliveAck) Len() int { return handleIDLen(m.PoolHandle, nil, m.Unrecognized) }

// Append appends the message and its padding.
func (m *EndpointKeepAliveAck) Append(b []byte) []byte {
	return appendHandleID(b, ASAPEndpointKeepAliveAck, 0, m.PoolHandle, m.ID, nil, m.Unrecognized)
}

// Decode reads the message without allocating.
func (m *EndpointKeepAliveAck) Decode(v MessageView) error {
	var bd body
	if err := decodeHandleID(v, ASAPEndpointKeepAliveAck, 0, &bd); err != nil {
		return err
	}
	*m = EndpointKeepAliveAck{PoolHandle: bd.handle, ID: bd.id, Unrecognized: bd.unk}
	return nil
}

// EndpointUnreachable is ASAP_ENDPOINT_UNREACHABLE (RFC 5352 §2.2.9).
type EndpointUnreachable struct {
	PoolHandle   []byte
	ID           PEID
	Unrecognized Unrecognized
}

// MessageType returns ASAPEndpointUnreachable.
func (m *EndpointUnreachable) MessageType() MessageType { return ASAPEndpointUnreachable }

// Len returns the message length field.
func (m *EndpointUnreachable) Len() int { return handleIDLen(m.PoolHandle, nil, m.Unrecognized) }

// Append appends the message and its padding.
func (m *EndpointUnreachable) Append(b []byte) []byte {
	return appendHandleID(b, ASAPEndpointUnreachable, 0, m.PoolHandle, m.ID, nil, m.Unrecognized)
}

// Decode reads the message.
func (m *EndpointUnreachable) Decode(v MessageView) error {
	var bd body
	if err := decodeHandleID(v, ASAPEndpointUnreachable, 0, &bd); err != nil {
		return err
	}
	*m = EndpointUnreachable{PoolHandle: bd.handle, ID: bd.id, Unrecognized: bd.unk}
	return nil
}
