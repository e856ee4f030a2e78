package msg

import (
	"encoding/binary"
	"strconv"
)

// This file holds the ENRP messages that copy the handlespace between
// servers: the handle table download of RFC 5353 §2.2-§2.3 (at start-up,
// §3.2.3, and to re-synchronize, §3.6.3) and the per-PE update of §2.4
// (§3.3).

// HandleTableRequest is ENRP_HANDLE_TABLE_REQUEST (RFC 5353 §2.2).
type HandleTableRequest struct {
	// OwnChildrenOnly (W) asks only for the PEs whose home server is the
	// receiver, as a re-synchronization does (§3.6.3).
	OwnChildrenOnly bool
	Servers
	Unrecognized Unrecognized
}

// MessageType returns ENRPHandleTableRequest.
func (m *HandleTableRequest) MessageType() MessageType { return ENRPHandleTableRequest }

// Len returns the message length field (12 unless unknown parameters are
// carried on).
func (m *HandleTableRequest) Len() int { return serversOnlyLen(m.Unrecognized) }

// Append appends the message.
func (m *HandleTableRequest) Append(b []byte) []byte {
	return appendServersOnly(b, ENRPHandleTableRequest, flag(m.OwnChildrenOnly, flagTableOwnChildren), m.Servers, m.Unrecognized)
}

// Decode reads the message.
func (m *HandleTableRequest) Decode(v MessageView) error {
	s, u, err := decodeServersOnly(v, ENRPHandleTableRequest)
	if err != nil {
		return err
	}
	*m = HandleTableRequest{OwnChildrenOnly: v.Flags()&flagTableOwnChildren != 0, Servers: s, Unrecognized: u}
	return nil
}

// HandleTableResponse is ENRP_HANDLE_TABLE_RESPONSE (RFC 5353 §2.3).
// With Reject set, "pool entries MUST NOT be included": Encode refuses a
// rejecting response with entries, as the decoder does. Without it, §2.3
// says at least one entry SHOULD be present, so one without is encoded
// (rsplib sends it).
type HandleTableResponse struct {
	MoreToSend bool // M: more entries follow in further responses
	Reject     bool // R: the request is refused; no entries then
	Servers
	Entries      PoolEntries // each: a pool handle and one or more pool elements
	Unrecognized Unrecognized
}

// MessageType returns ENRPHandleTableResponse.
func (m *HandleTableResponse) MessageType() MessageType { return ENRPHandleTableResponse }

// Len returns the message length field.
func (m *HandleTableResponse) Len() int {
	s := sizer{n: headerLen + serversLen}
	m.Entries.size(&s)
	m.Unrecognized.size(&s)
	return s.total()
}

// Append appends the message and its padding.
func (m *HandleTableResponse) Append(b []byte) []byte {
	flags := flag(m.MoreToSend, flagTableMore) | flag(m.Reject, flagTableReject)
	b = appendHeader(b, ENRPHandleTableResponse, flags, m.Len())
	b = m.Servers.append(b)
	b = m.Entries.appendTo(b)
	return m.Unrecognized.appendTo(b)
}

func (m *HandleTableResponse) check() error {
	if m.Reject && m.Entries.l.count(entryType) > 0 {
		return encodeErr(ENRPHandleTableResponse, "pool entries in a rejecting response (RFC 5353 §2.3)")
	}
	return nil
}

// Decode reads the message: pool entries, each a Pool Handle followed by
// one or more Pool Elements.
func (m *HandleTableResponse) Decode(v MessageView) error {
	if err := v.expect(ENRPHandleTableResponse, serversLen); err != nil {
		return err
	}
	var bd body
	if err := bd.decode(v, serversLen, 0, pHandle|pPE); err != nil {
		return err
	}
	reject := v.Flags()&flagTableReject != 0
	*m = HandleTableResponse{
		MoreToSend:   v.Flags()&flagTableMore != 0,
		Reject:       reject,
		Servers:      readServers(v),
		Unrecognized: bd.unk,
	}
	if !bd.has(pHandle | pPE) {
		return nil
	}
	if reject {
		return v.err(0, "pool entries in a rejecting response")
	}
	es := PoolEntries{bd.all}
	it := es.Iter()
	var e PoolEntry
	for it.Next(&e) {
	}
	if err := it.Err(); err != nil {
		return err
	}
	m.Entries = es
	return nil
}

// UpdateAction is the action of an ENRP_HANDLE_UPDATE (RFC 5353 §2.4,
// §5.2).
type UpdateAction uint16

// String returns "ADD_PE", "DEL_PE" or "update action N".
func (a UpdateAction) String() string {
	switch a {
	case AddPE:
		return "ADD_PE"
	case DelPE:
		return "DEL_PE"
	}
	return "update action " + strconv.Itoa(int(a))
}

// HandleUpdate is ENRP_HANDLE_UPDATE (RFC 5353 §2.4): a PE's home server
// tells its peers that the PE registered, re-registered or left. An
// action other than ADD_PE and DEL_PE decodes as it is; the receiver
// decides what to do with it. Encode refuses one: those values "are
// reserved by IETF and MUST NOT be used" (§2.4).
type HandleUpdate struct {
	// TakeoverSuggested is rsplib's T flag (bit 0, from
	// draft-dreibholz-rserpool-enrpupdate; not in RFC 5353): the sender
	// suggests the receiver take the PE over. Wireshark decodes it.
	TakeoverSuggested bool
	Servers
	Action       UpdateAction
	PoolHandle   []byte
	PoolElement  PoolElement
	Unrecognized Unrecognized
}

// MessageType returns ENRPHandleUpdate.
func (m *HandleUpdate) MessageType() MessageType { return ENRPHandleUpdate }

// Len returns the message length field.
func (m *HandleUpdate) Len() int {
	s := sizer{n: headerLen + updateFixed}
	s.add(tlvHeaderLen + len(m.PoolHandle))
	s.add(m.PoolElement.Len())
	m.Unrecognized.size(&s)
	return s.total()
}

// Append appends the message and its padding. The reserved field is zero.
func (m *HandleUpdate) Append(b []byte) []byte {
	b = appendHeader(b, ENRPHandleUpdate, flag(m.TakeoverSuggested, flagUpdateTakeover), m.Len())
	b = m.Servers.append(b)
	b = binary.BigEndian.AppendUint16(b, uint16(m.Action))
	b = append(b, 0, 0)
	b = appendHandle(b, m.PoolHandle)
	b = m.PoolElement.Append(b)
	return m.Unrecognized.appendTo(b)
}

func (m *HandleUpdate) check() error {
	if m.Action != AddPE && m.Action != DelPE {
		return encodeErr(ENRPHandleUpdate, m.Action.String()+" is reserved (RFC 5353 §2.4)")
	}
	return nil
}

// Decode reads the message. The reserved field is ignored (§2.4).
func (m *HandleUpdate) Decode(v MessageView) error {
	if err := v.expect(ENRPHandleUpdate, updateFixed); err != nil {
		return err
	}
	var bd body
	if err := bd.decode(v, updateFixed, pHandle|pPE, 0); err != nil {
		return err
	}
	if err := bd.need(v, pHandle|pPE); err != nil {
		return err
	}
	*m = HandleUpdate{
		TakeoverSuggested: v.Flags()&flagUpdateTakeover != 0,
		Servers:           readServers(v),
		Action:            UpdateAction(binary.BigEndian.Uint16(v.b[headerLen+serversLen:])),
		PoolHandle:        bd.handle,
		PoolElement:       bd.pe,
		Unrecognized:      bd.unk,
	}
	return nil
}

// The messages that are only the two server identifiers share a codec.

func serversOnlyLen(u Unrecognized) int {
	s := sizer{n: headerLen + serversLen}
	u.size(&s)
	return s.total()
}

func appendServersOnly(b []byte, t MessageType, flags uint8, s Servers, u Unrecognized) []byte {
	b = appendHeader(b, t, flags, serversOnlyLen(u))
	b = s.append(b)
	return u.appendTo(b)
}

func decodeServersOnly(v MessageView, t MessageType) (Servers, Unrecognized, error) {
	if err := v.expect(t, serversLen); err != nil {
		return Servers{}, Unrecognized{}, err
	}
	var bd body
	if err := bd.decode(v, serversLen, 0, 0); err != nil {
		return Servers{}, Unrecognized{}, err
	}
	return readServers(v), bd.unk, nil
}
