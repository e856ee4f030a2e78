package msg

// ENRP_PRESENCE (RFC 5353 §2.1) is the ENRP servers' heartbeat and probe.
// It carries the sender's PE checksum for the handlespace audit (§3.6.1)
// and, optionally, its Server Information.

// Presence is ENRP_PRESENCE (RFC 5353 §2.1). rsplib also group-casts it
// over UDP to 239.0.0.51:9901 (the reference captures show it), with
// Receiver 0 and the same bytes as over SCTP.
type Presence struct {
	// ReplyRequired asks the receiver to answer with its own PRESENCE,
	// which then MUST carry its Server Information. RFC 5353 §2.1 names
	// the "reply required" PRESENCE but its figure draws no flag; rsplib
	// and Wireshark use bit 0 (R).
	ReplyRequired bool
	Servers

	// Checksum is the sender's PE checksum (RFC 5353 §3.6.2), present when
	// HasChecksum is set; §2.1 says it SHOULD be.
	Checksum    uint16
	HasChecksum bool

	ServerInfo   ServerInformation // optional: the zero value when absent
	Unrecognized Unrecognized
}

// MessageType returns ENRPPresence.
func (m *Presence) MessageType() MessageType { return ENRPPresence }

// Len returns the message length field.
func (m *Presence) Len() int {
	s := sizer{n: headerLen + serversLen}
	if m.HasChecksum {
		s.add(checksumLen)
	}
	if !m.ServerInfo.IsZero() {
		s.add(m.ServerInfo.Len())
	}
	m.Unrecognized.size(&s)
	return s.total()
}

// Append appends the message and its padding.
func (m *Presence) Append(b []byte) []byte {
	b = appendHeader(b, ENRPPresence, flag(m.ReplyRequired, flagPresenceReply), m.Len())
	b = m.Servers.append(b)
	if m.HasChecksum {
		c := PEChecksumParam{Checksum: m.Checksum}
		b = c.Append(b)
	}
	if !m.ServerInfo.IsZero() {
		b = m.ServerInfo.Append(b)
	}
	return m.Unrecognized.appendTo(b)
}

// Decode reads the message.
func (m *Presence) Decode(v MessageView) error {
	if err := v.expect(ENRPPresence, serversLen); err != nil {
		return err
	}
	var bd body
	if err := bd.decode(v, serversLen, pChecksum|pServerInfo, 0); err != nil {
		return err
	}
	*m = Presence{
		ReplyRequired: v.Flags()&flagPresenceReply != 0,
		Servers:       readServers(v),
		Checksum:      bd.checksum,
		HasChecksum:   bd.has(pChecksum),
		ServerInfo:    bd.serverInfo,
		Unrecognized:  bd.unk,
	}
	return nil
}
