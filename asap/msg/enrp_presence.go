package msg

// ENRP_PRESENCE (RFC 5353 §2.1) is the ENRP servers' heartbeat and probe.
// It carries the sender's PE checksum for the handlespace audit (§3.6.1)
// and, optionally, its Server Information.

// Presence is ENRP_PRESENCE (RFC 5353 §2.1). rsplib also group-casts it
// over UDP to 239.0.0.51:9901 (the reference captures show it), with
// Receiver 0 and the same bytes as over SCTP.
type Presence struct {
	// ReplyRequired asks the receiver to answer with its own PRESENCE,
	// which then MUST carry its Server Information (RFC 5353 §2.1). A
	// server sets it to probe a new peer (§3.4.1, "Reply-required flag
	// set to '1'") or a silent one (§3.4.3, "Reply_request flag set to
	// '1'") and clears it in its heartbeats (§3.4.2, "'Replay_required'
	// flag to '0'"). RFC 5353 names the flag in these sections but its
	// §2.1 figure draws no flag bit; rsplib and Wireshark use bit 0 (R).
	ReplyRequired bool
	Servers

	// Checksum is the sender's PE checksum (RFC 5353 §3.6.2). It is sent
	// unless NoChecksum is set: §2.1 says the parameter SHOULD be
	// included, and §3.6.1 step 2 that "each time an ENRP server sends out
	// an ENRP_PRESENCE, it MUST include in the message its current PE
	// checksum". The decoder sets NoChecksum for a PRESENCE that came
	// without one, so that it re-encodes as it arrived.
	Checksum   uint16
	NoChecksum bool

	ServerInfo   ServerInformation // optional: the zero value when absent
	Unrecognized Unrecognized
}

// MessageType returns ENRPPresence.
func (m *Presence) MessageType() MessageType { return ENRPPresence }

// Len returns the message length field.
func (m *Presence) Len() int {
	s := sizer{n: headerLen + serversLen}
	if !m.NoChecksum {
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
	if !m.NoChecksum {
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
		NoChecksum:    !bd.has(pChecksum),
		ServerInfo:    bd.serverInfo,
		Unrecognized:  bd.unk,
	}
	return nil
}
