package msg

import "encoding/binary"

// This file holds what the ENRP messages (RFC 5353 §2) share: every one
// starts with the sending and the receiving server's identifiers, the
// receiver being 0 when the message is group-cast or, point to point,
// optionally (§2.1). It also holds the three takeover messages (§2.7-§2.9)
// and ENRP_ERROR (§2.10).

// Servers are the identifiers every ENRP message starts with.
type Servers struct {
	Sender   ServerID
	Receiver ServerID // 0: not addressed to one server
}

func (s Servers) append(b []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(s.Sender))
	return binary.BigEndian.AppendUint32(b, uint32(s.Receiver))
}

func readServers(v MessageView) Servers {
	return Servers{Sender: ServerID(v.u32(headerLen)), Receiver: ServerID(v.u32(headerLen + 4))}
}

// takeover is the layout of the three takeover messages: the servers and
// the target's identifier.
type takeover struct {
	Servers
	Target       ServerID // the peer being taken over
	Unrecognized Unrecognized
}

func (m *takeover) len() int {
	s := sizer{n: headerLen + takeoverFixed}
	m.Unrecognized.size(&s)
	return s.total()
}

func (m *takeover) append(b []byte, t MessageType) []byte {
	b = appendHeader(b, t, 0, m.len())
	b = m.Servers.append(b)
	b = binary.BigEndian.AppendUint32(b, uint32(m.Target))
	return m.Unrecognized.appendTo(b)
}

func (m *takeover) decode(v MessageView, t MessageType) error {
	if err := v.expect(t, takeoverFixed); err != nil {
		return err
	}
	var bd body
	if err := bd.decode(v, takeoverFixed, 0, 0); err != nil {
		return err
	}
	*m = takeover{Servers: readServers(v), Target: ServerID(v.u32(headerLen + serversLen)), Unrecognized: bd.unk}
	return nil
}

// InitTakeover is ENRP_INIT_TAKEOVER (RFC 5353 §2.7): the sender means to
// take over the target's PEs and asks its peers to agree.
type InitTakeover struct {
	Servers
	Target       ServerID // the peer being taken over
	Unrecognized Unrecognized
}

// MessageType returns ENRPInitTakeover.
func (m *InitTakeover) MessageType() MessageType { return ENRPInitTakeover }

// Len returns the message length field.
func (m *InitTakeover) Len() int { return (*takeover)(m).len() }

// Append appends the message.
func (m *InitTakeover) Append(b []byte) []byte { return (*takeover)(m).append(b, ENRPInitTakeover) }

// Decode reads the message.
func (m *InitTakeover) Decode(v MessageView) error {
	return (*takeover)(m).decode(v, ENRPInitTakeover)
}

// InitTakeoverAck is ENRP_INIT_TAKEOVER_ACK (RFC 5353 §2.8): a peer does
// not object to the takeover.
type InitTakeoverAck struct {
	Servers
	Target       ServerID // the peer being taken over
	Unrecognized Unrecognized
}

// MessageType returns ENRPInitTakeoverAck.
func (m *InitTakeoverAck) MessageType() MessageType { return ENRPInitTakeoverAck }

// Len returns the message length field.
func (m *InitTakeoverAck) Len() int { return (*takeover)(m).len() }

// Append appends the message.
func (m *InitTakeoverAck) Append(b []byte) []byte {
	return (*takeover)(m).append(b, ENRPInitTakeoverAck)
}

// Decode reads the message.
func (m *InitTakeoverAck) Decode(v MessageView) error {
	return (*takeover)(m).decode(v, ENRPInitTakeoverAck)
}

// TakeoverServer is ENRP_TAKEOVER_SERVER (RFC 5353 §2.9): the initiator
// declares the takeover done.
type TakeoverServer struct {
	Servers
	Target       ServerID // the peer being taken over
	Unrecognized Unrecognized
}

// MessageType returns ENRPTakeoverServer.
func (m *TakeoverServer) MessageType() MessageType { return ENRPTakeoverServer }

// Len returns the message length field.
func (m *TakeoverServer) Len() int { return (*takeover)(m).len() }

// Append appends the message.
func (m *TakeoverServer) Append(b []byte) []byte {
	return (*takeover)(m).append(b, ENRPTakeoverServer)
}

// Decode reads the message.
func (m *TakeoverServer) Decode(v MessageView) error {
	return (*takeover)(m).decode(v, ENRPTakeoverServer)
}

// ENRPError is ENRP_ERROR (RFC 5353 §2.10): an operational error reported
// to a peer. Its Operation Error is mandatory and holds "one or more
// Error Causes" (RFC 5354 §3.12): Encode refuses an ENRPError without a
// cause.
type ENRPError struct {
	Servers
	Error        OperationError
	Unrecognized Unrecognized
}

// MessageType returns ENRPErrorMessage.
func (m *ENRPError) MessageType() MessageType { return ENRPErrorMessage }

// Len returns the message length field.
func (m *ENRPError) Len() int { return errorLen(headerLen+serversLen, &m.Error, m.Unrecognized) }

// Append appends the message and its padding.
func (m *ENRPError) Append(b []byte) []byte {
	b = appendHeader(b, ENRPErrorMessage, 0, m.Len())
	b = m.Servers.append(b)
	b = m.Error.Append(b)
	return m.Unrecognized.appendTo(b)
}

func (m *ENRPError) check() error { return checkOpError(ENRPErrorMessage, &m.Error) }

// Decode reads the message: the servers and one Operation Error.
func (m *ENRPError) Decode(v MessageView) error {
	if err := v.expect(ENRPErrorMessage, serversLen); err != nil {
		return err
	}
	var bd body
	if err := bd.decode(v, serversLen, pOpErr, 0); err != nil {
		return err
	}
	if err := bd.need(v, pOpErr); err != nil {
		return err
	}
	*m = ENRPError{Servers: readServers(v), Error: bd.opErr, Unrecognized: bd.unk}
	return nil
}
