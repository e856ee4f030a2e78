package msg

// This file holds the peer list exchange of RFC 5353 §2.5-§2.6, by which a
// starting ENRP server learns its peers from a mentor (§3.2.2.2).

// ListRequest is ENRP_LIST_REQUEST (RFC 5353 §2.5).
type ListRequest struct {
	Servers
	Unrecognized Unrecognized
}

// MessageType returns ENRPListRequest.
func (m *ListRequest) MessageType() MessageType { return ENRPListRequest }

// Len returns the message length field (12 unless unknown parameters are
// carried on).
func (m *ListRequest) Len() int { return serversOnlyLen(m.Unrecognized) }

// Append appends the message.
func (m *ListRequest) Append(b []byte) []byte {
	return appendServersOnly(b, ENRPListRequest, 0, m.Servers, m.Unrecognized)
}

// Decode reads the message.
func (m *ListRequest) Decode(v MessageView) error {
	s, u, err := decodeServersOnly(v, ENRPListRequest)
	*m = ListRequest{Servers: s, Unrecognized: u}
	return err
}

// ListResponse is ENRP_LIST_RESPONSE (RFC 5353 §2.6). With Reject set,
// "the message MUST NOT include any Server Information Parameters":
// Encode refuses a rejecting response with peers, as the decoder does.
type ListResponse struct {
	Reject bool // R: the request is refused; no servers then
	Servers
	Peers        ServerInfos // the Server Information of each known peer
	Unrecognized Unrecognized
}

// MessageType returns ENRPListResponse.
func (m *ListResponse) MessageType() MessageType { return ENRPListResponse }

// Len returns the message length field.
func (m *ListResponse) Len() int {
	s := sizer{n: headerLen + serversLen}
	m.Peers.size(&s)
	m.Unrecognized.size(&s)
	return s.total()
}

// Append appends the message and its padding.
func (m *ListResponse) Append(b []byte) []byte {
	b = appendHeader(b, ENRPListResponse, flag(m.Reject, flagListReject), m.Len())
	b = m.Servers.append(b)
	b = m.Peers.appendTo(b)
	return m.Unrecognized.appendTo(b)
}

func (m *ListResponse) check() error {
	if m.Reject && m.Peers.Count() > 0 {
		return encodeErr(ENRPListResponse, "server information in a rejecting response (RFC 5353 §2.6)")
	}
	return nil
}

// Decode reads the message.
func (m *ListResponse) Decode(v MessageView) error {
	if err := v.expect(ENRPListResponse, serversLen); err != nil {
		return err
	}
	var bd body
	if err := bd.decode(v, serversLen, 0, pServerInfo); err != nil {
		return err
	}
	*m = ListResponse{
		Reject:       v.Flags()&flagListReject != 0,
		Servers:      readServers(v),
		Unrecognized: bd.unk,
	}
	if bd.has(pServerInfo) {
		if m.Reject {
			return v.err(0, "server information in a rejecting response")
		}
		m.Peers = ServerInfos{bd.all}
	}
	return nil
}
